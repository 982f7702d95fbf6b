import { metHoofdletter, naamMetOrganisatie } from '../src/domain/woorden';
import { PARTNERS } from '../src/domain/catalogue';
import type { FieldErrors } from '../src/domain/markering';
import { DOELEN_BEREIKT } from '../src/domain/leerregel';
import { HERMELDING_KEUZES, isLaatsteMonitoring, KOERS_KEUZES, TOELICHTING_MAX } from '../src/domain/opvolging';
import type { Actie, Lid, MonitoringCheck, Opvolgkaartsoort, Uitvraag, Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import actieTemplate from './opvolging-actie.json';
import meldingTemplate from './opvolging-melding.json';
import monitoringTemplate from './opvolging-monitoring.json';
import { afdoeningTekst, formatDag } from './besluit-samenvatting';
import { formatMoment } from './format';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';
import { mentionLid } from './uitvraag-prompt';

/**
 * The cards the dispatcher delivers in a case thread (or the team channel). A card whose text
 * carries `<at>name</at>` needs its mention entity: withMentions(card, [lid]) with the same Lid.
 * In the channel they carry status only (which case, what, who, when); the question, the action,
 * the reason and the form are in the addressee's own view (`inhoud`), fetched with "Bekijken" or
 * by Teams' refresh for the addressee (`persoonlijk`).
 */

/** Adds the addressee's own view: a refresh for them (when known) and a visible "Bekijken" for anyone (the bot checks who asks). */
export function persoonlijk(card: AdaptiveCard, caseId: string, soort: Opvolgkaartsoort, ref: string, voor: string | undefined): AdaptiveCard {
  const action = { type: 'Action.Execute', title: 'Bekijken', verb: Verb.opvolgingBekijken, data: { caseId, soort, ref } };
  const actions = [...((card.actions as object[] | undefined) ?? []), action];
  return { ...card, actions, ...(voor ? { refresh: { action: { ...action, title: 'Vernieuwen' }, userIds: [voor] } } : {}) };
}

type Kleur = 'Default' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface OpvolgingMeldingData {
  titel: string;
  kleur: Kleur;
  caseId: string;
  reference: string;
  regels: { tekst: string }[];
  feiten: { titel: string; waarde: string }[];
  /** An Action.Execute with the case id; verb '' for none. */
  knop: { titel: string; verb: Verb | '' };
  threadUrl: string;
}

const GEEN_KNOP = { titel: '', verb: '' } as const;

function melding(data: Omit<OpvolgingMeldingData, 'threadUrl' | 'knop' | 'feiten'> & Partial<Pick<OpvolgingMeldingData, 'threadUrl' | 'knop' | 'feiten'>>): AdaptiveCard {
  return render<OpvolgingMeldingData>(meldingTemplate, { feiten: [], knop: GEEN_KNOP, threadUrl: '', ...data });
}

/** The name as mentioned (the same in the text and in the entity). */
export function at(lid: Lid): string {
  return `<at>${mentionLid(lid).name}</at>`;
}

/** A reminder to the invitee before the deadline of an unanswered prompt (in the case thread, under the prompt card); the question in the invitee's view. */
export function herinneringCard(zaak: Verdiepingszaak, uitvraag: Uitvraag, timeZone: string, inhoud = false): AdaptiveCard {
  const klaar = afgehandeld(zaak, uitvraag);
  const card = melding({
    titel: klaar ? `Herinnering: ${klaar.titel}` : 'Herinnering: een vraag wacht op je antwoord',
    kleur: klaar ? 'Good' : 'Warning',
    caseId: zaak.id,
    reference: zaak.reference,
    regels: [
      { tekst: klaar ? `${at(uitvraag.invitee)}, ${klaar.aanGenodigde}` : `${at(uitvraag.invitee)}, de vraag aan ${PARTNERS[uitvraag.organisatie]} is nog niet beantwoord. Antwoord op de vraagkaart in dit zaakgesprek, of geef aan waarom je geen antwoord kunt geven.` },
      ...(inhoud ? [{ tekst: plainText(uitvraag.vraag) }] : []),
    ],
    feiten: [{ titel: 'Deadline', waarde: formatMoment(uitvraag.deadline, timeZone) }],
  });
  return persoonlijk(card, zaak.id, 'herinnering', uitvraag.id, uitvraag.invitee.teamsId);
}

type Afgehandeld = Exclude<Uitvraag['status'], 'open'>;

/**
 * A question no longer waiting for its answer, as a view made after that shows it (Teams
 * refreshes the addressee's view of a reminder or a deadline notice): the title, and a line to the
 * invitee (reminder) and about them to the lead (deadline notice).
 */
const AFGEHANDELD: Record<Afgehandeld, { titel: string; aanGenodigde: string; aanLead: string }> = {
  beantwoord: { titel: 'de vraag is beantwoord', aanGenodigde: 'je hebt de vraag intussen beantwoord. Je hoeft niets meer te doen.', aanLead: 'maar heeft intussen geantwoord.' },
  afgewezen: { titel: 'de partner heeft gereageerd', aanGenodigde: 'je hebt intussen gereageerd zonder antwoord. Je hoeft niets meer te doen.', aanLead: 'maar heeft intussen gereageerd zonder antwoord.' },
  ingetrokken: { titel: 'de vraag is ingetrokken', aanGenodigde: 'de vraag is ingetrokken en hoeft niet meer te worden beantwoord.', aanLead: 'en de vraag is intussen ingetrokken.' },
};

/** The case closed while the question was still open: nobody needs to act on it any more. */
const ZAAK_GESLOTEN: (typeof AFGEHANDELD)[Afgehandeld] = {
  titel: 'de zaak is gesloten',
  aanGenodigde: 'de zaak is intussen gesloten. Je hoeft de vraag niet meer te beantwoorden.',
  aanLead: 'en de zaak is intussen gesloten.',
};

function afgehandeld(zaak: Verdiepingszaak, uitvraag: Uitvraag): (typeof AFGEHANDELD)[Afgehandeld] | undefined {
  if (uitvraag.status !== 'open') return AFGEHANDELD[uitvraag.status];
  return zaak.fase === 'gesloten' ? ZAAK_GESLOTEN : undefined;
}

/** The case lead is told who did not answer by the deadline; the question in the lead's view. */
export function verlopenCard(zaak: Verdiepingszaak, lead: Lid | undefined, uitvraag: Uitvraag, timeZone: string, inhoud = false): AdaptiveCard {
  const aan = lead ? `${at(lead)}, ` : '';
  const klaar = afgehandeld(zaak, uitvraag);
  const wie = plainText(naamMetOrganisatie(uitvraag.invitee.name, PARTNERS[uitvraag.organisatie]));
  const card = melding({
    titel: klaar ? `Na de deadline: ${klaar.titel}` : 'Geen antwoord voor de deadline',
    kleur: klaar ? 'Good' : 'Attention',
    caseId: zaak.id,
    reference: zaak.reference,
    regels: klaar
      ? [{ tekst: `${aan}${wie} antwoordde niet voor de deadline, ${klaar.aanLead}` }]
      : [
          { tekst: `${aan}${wie} heeft de vraag niet voor de deadline beantwoord.` },
          { tekst: 'Beslis of je zonder deze informatie verder kunt, of vraag het opnieuw (bijvoorbeeld aan een collega van dezelfde partner).' },
        ],
    feiten: [
      ...(inhoud ? [{ titel: 'Vraag', waarde: plainText(uitvraag.vraag.length > 300 ? `${uitvraag.vraag.slice(0, 299)}…` : uitvraag.vraag) }] : []),
      { titel: 'Deadline', waarde: formatMoment(uitvraag.deadline, timeZone) },
    ],
    knop: zaak.fase === 'gesloten' ? GEEN_KNOP : { titel: 'Partner uitnodigen', verb: Verb.uitvraagNieuw },
  });
  return persoonlijk(card, zaak.id, 'verlopen', uitvraag.id, lead?.teamsId);
}

/** A plandatum card once nothing is due on it any more. */
const PLANDATUM: Record<'opnieuw' | 'vastgelegd' | 'gesloten', { titel: string; kleur: Kleur; tekst: string }> = {
  opnieuw: { titel: 'het besluit is opnieuw uitgesteld', kleur: 'Default', tekst: 'het besluit is intussen opnieuw uitgesteld. Op de nieuwe plandatum vraag ik het opnieuw.' },
  vastgelegd: { titel: 'het besluit is vastgelegd', kleur: 'Good', tekst: 'het besluit in deze zaak is intussen vastgelegd. Je hoeft hier niets meer te doen.' },
  gesloten: { titel: 'de zaak is gesloten', kleur: 'Default', tekst: 'de zaak is intussen gesloten. Je hoeft hier niets meer te doen.' },
};

/**
 * The postponed decision is due: the case lead records it now (the reason for the delay in the
 * lead's view). `basis`: the instant the card was posted for; once the besluit is recorded or
 * postponed to another moment, the card says so.
 */
export function plandatumCard(zaak: Verdiepingszaak, lead: Lid | undefined, timeZone: string, inhoud = false, basis?: string): AdaptiveCard {
  const plan = zaak.besluit?.plandatum;
  const aan = lead ? `${at(lead)}, ` : '';
  const stand = basis !== undefined && plan?.op !== basis ? (plan ? PLANDATUM.opnieuw : PLANDATUM.vastgelegd) : zaak.fase === 'gesloten' ? PLANDATUM.gesloten : undefined;
  const card = melding({
    titel: `Plandatum: ${stand?.titel ?? 'het uitgestelde besluit is aan de beurt'}`,
    kleur: stand?.kleur ?? 'Accent',
    caseId: zaak.id,
    reference: zaak.reference,
    regels: [
      {
        tekst: stand
          ? aan + (aan ? stand.tekst : metHoofdletter(stand.tekst))
          : `${lead ? `${at(lead)}, h` : 'H'}et besluit in deze zaak is uitgesteld tot vandaag. Leg nu het besluit vast: een passende mix van zorg en straf, met concrete doelen en acties.`,
      },
    ],
    feiten: plan ? [{ titel: 'Uitgesteld tot', waarde: formatMoment(plan.op, timeZone) }, ...(inhoud ? [{ titel: 'Reden van uitstel', waarde: plainText(plan.reden) }] : [])] : [],
    knop: stand ? GEEN_KNOP : { titel: 'Besluit vastleggen', verb: Verb.besluitOpenen },
  });
  return persoonlijk(card, zaak.id, 'plandatum', basis ?? plan?.op ?? '', lead?.teamsId);
}

/** All monitoring is done: propose closing the case with its leeropbrengst. */
export function afsluitenVoorstelCard(zaak: Verdiepingszaak, lead: Lid | undefined): AdaptiveCard {
  return melding({
    titel: 'Alle monitoring is gedaan',
    kleur: 'Good',
    caseId: zaak.id,
    reference: zaak.reference,
    regels: [
      { tekst: `${lead ? `${at(lead)}, a` : 'A'}lle monitoringmomenten van het besluit zijn vastgelegd en de koers past nog. Sluit de zaak af en leg de leeropbrengst vast: wat leren we van deze zaak, voor nu en voor volgende zaken?` },
    ],
    knop: { titel: 'Zaak sluiten', verb: Verb.afsluitingOpenen },
  });
}

/** The course no longer holds: the duiding is open again. */
export function duidingHeropendCard(zaak: Verdiepingszaak): AdaptiveCard {
  return melding({
    titel: 'De koers past niet meer: opnieuw duiden',
    kleur: 'Warning',
    caseId: zaak.id,
    reference: zaak.reference,
    regels: [{ tekst: 'Bij de monitoring is vastgelegd dat de koers niet meer passend is. De zaak staat weer in de fase duiding: leg de perspectieven opnieuw naast elkaar en toets de hypothesen.' }],
    knop: { titel: 'Duiding vastleggen', verb: Verb.duidingOpenen },
  });
}

/** A follow-up could not be delivered (Teams refused it for good): tell the case lead, in the thread or the channel. */
export function misluktCard(zaak: Verdiepingszaak, lead: Lid | undefined, wat: string, reden: string, threadUrl = ''): AdaptiveCard {
  return melding({
    titel: 'Een opvolging kon niet worden bezorgd',
    kleur: 'Attention',
    caseId: zaak.id,
    reference: zaak.reference,
    regels: [
      { tekst: `${lead ? `${at(lead)}, ` : ''}${wat} kon niet in Teams worden geplaatst. Kijk zelf of er iets moet gebeuren.` },
      { tekst: `Reden: ${reden}.` },
    ],
    threadUrl,
  });
}

// ---------------------------------------------------------------------------------------------

export interface ActieInvoer {
  datum: string;
  toelichting: string;
}

export interface OpvolgingActieData {
  caseId: string;
  actieId: string;
  basis: string;
  reference: string;
  titel: string;
  eigenaar: string;
  /** A partner carries the action out: the accountable member is told so. */
  uitvoerder: string;
  wat: string;
  datum: string;
  status: string;
  statusKleur: Kleur;
  open: boolean;
  afgehandeld: string;
  toelichting: string;
  melding: string;
  meldingKleur: 'Good' | 'Attention';
  values: ActieInvoer;
  errors: { datum: string; toelichting: string };
  toelichtingMax: number;
}

const ACTIE_STATUS: Record<Actie['status'], { status: string; kleur: Kleur }> = {
  open: { status: 'Open', kleur: 'Warning' },
  gereed: { status: 'Gereed', kleur: 'Good' },
  vervallen: { status: 'Vervallen', kleur: 'Default' },
};

export interface ActieOpties {
  /** The date the card asks about (the action may since have another). */
  basis?: string;
  melding?: { tekst: string; soort: 'goed' | 'let_op' };
  invoer?: ActieInvoer;
  errors?: FieldErrors;
  /** Who updated it and when, once answered (else its last update, when the card no longer asks). */
  afgehandeld?: { door: string; op: string };
  /** The owner's (or the lead's) view: what the action is, its reasons and the form. */
  inhoud?: boolean;
}

/**
 * The action-due card for the owner in the case thread: gereed, nieuwe datum (with a reason) or
 * vervalt (with a reason), in the owner's view; the channel sees whose action it is, the date and
 * the status.
 */
export function actieCard(zaak: Verdiepingszaak, actie: Actie, timeZone: string, opties: ActieOpties = {}): AdaptiveCard {
  const errors = opties.errors ?? {};
  const open = actie.status === 'open' && zaak.fase !== 'gesloten' && (opties.basis === undefined || opties.basis === actie.datum);
  const s = ACTIE_STATUS[actie.status];
  const inhoud = !!opties.inhoud;
  const wat = inhoud ? plainText(actie.wat) : '';
  const afgehandeld = opties.afgehandeld ?? (open ? undefined : actie.bijgewerkt);
  const card = render<OpvolgingActieData>(actieTemplate, {
    caseId: zaak.id,
    actieId: actie.id,
    basis: opties.basis ?? actie.datum,
    reference: zaak.reference,
    titel: open ? 'Actie: de datum is bereikt' : actie.status === 'open' && zaak.fase === 'gesloten' ? 'Actie: de zaak is gesloten' : 'Actie bijgewerkt',
    eigenaar: mentionLid(actie.eigenaar).name,
    uitvoerder: actie.organisatie ? `Uitgevoerd door ${PARTNERS[actie.organisatie]}; de actiehouder is verantwoordelijk en vraagt na hoe het staat.` : '',
    wat,
    datum: formatDag(actie.datum),
    status: s.status,
    statusKleur: s.kleur,
    open: open && inhoud,
    afgehandeld: afgehandeld ? `${plainText(afgehandeld.door)}, ${formatMoment(afgehandeld.op, timeZone)}` : '',
    toelichting: inhoud && actie.toelichting ? plainText(actie.toelichting) : '',
    melding: opties.melding ? plainText(opties.melding.tekst) : Object.keys(errors).length > 0 ? 'Controleer de gemarkeerde velden.' : '',
    meldingKleur: opties.melding?.soort === 'goed' ? 'Good' : 'Attention',
    values: opties.invoer ?? { datum: '', toelichting: '' },
    errors: { datum: errors.datum ?? errors.keuze ?? '', toelichting: errors.toelichting ?? '' },
    toelichtingMax: TOELICHTING_MAX,
  });
  return persoonlijk(card, zaak.id, 'actie', actie.id, actie.eigenaar.teamsId);
}

export interface MonitoringInvoerWaarden {
  hermelding: string;
  hermeldingWat: string;
  koers: string;
  toelichting: string;
  doelenBereikt?: string;
}

export interface OpvolgingMonitoringData {
  caseId: string;
  reference: string;
  datum: string;
  datumIso: string;
  lead: string;
  afdoening: string;
  status: string;
  statusKleur: Kleur;
  formulier: boolean;
  melding: string;
  meldingKleur: 'Good' | 'Attention';
  vastgelegd: { hermelding: string; koers: string; toelichting: string; doelenBereikt: string; door: string };
  values: MonitoringInvoerWaarden;
  errors: { hermelding: string; hermeldingWat: string; koers: string; toelichting: string; doelenBereikt: string };
  /** The besluit's last monitoring date: the form asks whether the goals were reached. */
  laatste: boolean;
  doelenOpties: { title: string; value: string }[];
  hermeldingOpties: { title: string; value: string }[];
  koersOpties: { title: string; value: string }[];
  toelichtingMax: number;
  /** A hermelding was recorded: the lead is offered a new verdiepingszaak linked to this one. */
  herhaalzaak: boolean;
}

export interface MonitoringOpties {
  /** The lead's (or an officier's) view: the besluit, the answers and the form. */
  inhoud?: boolean;
  melding?: { tekst: string; soort: 'goed' | 'let_op' };
  invoer?: MonitoringInvoerWaarden;
  errors?: FieldErrors;
}

/**
 * The monitoring check for the case lead (mentioned when known as a member: add the entity for
 * `lead`). The channel sees the date, who and the status; the besluit, the answers and the form
 * are in the lead's view.
 */
export function monitoringCard(zaak: Verdiepingszaak, lead: Lid | undefined, datum: string, timeZone: string, opties: MonitoringOpties = {}): AdaptiveCard {
  const errors = opties.errors ?? {};
  const inhoud = !!opties.inhoud;
  const check: MonitoringCheck | undefined = zaak.monitoring.find((m) => m.datum === datum);
  const open = !check && zaak.fase !== 'gesloten';
  const hermelding = check && inhoud ? `${HERMELDING_KEUZES[check.hermelding]}${check.hermeldingWat ? `: ${plainText(check.hermeldingWat)}` : ''}` : '';
  const card = render<OpvolgingMonitoringData>(monitoringTemplate, {
    caseId: zaak.id,
    reference: zaak.reference,
    datum: formatDag(datum),
    datumIso: datum,
    lead: lead ? at(lead) : plainText(zaak.lead.name),
    afdoening: !inhoud ? '' : zaak.besluit ? afdoeningTekst(zaak.besluit) : '—',
    status: check ? 'Vastgelegd' : zaak.fase === 'gesloten' ? 'Zaak gesloten' : 'Open',
    statusKleur: check ? 'Good' : 'Warning',
    formulier: open && inhoud,
    melding: opties.melding ? plainText(opties.melding.tekst) : Object.keys(errors).length > 0 ? 'Controleer de gemarkeerde velden.' : '',
    meldingKleur: opties.melding?.soort === 'goed' ? 'Good' : 'Attention',
    vastgelegd: check
      ? {
          hermelding,
          koers: !inhoud ? '' : check.koersPassend ? 'Ja' : 'Nee: de duiding is heropend',
          toelichting: inhoud && check.toelichting ? plainText(check.toelichting) : '',
          doelenBereikt: inhoud && check.doelenBereikt ? DOELEN_BEREIKT[check.doelenBereikt] : '',
          door: `${plainText(check.door.name)}, ${formatMoment(check.op, timeZone)}`,
        }
      : { hermelding: '', koers: '', toelichting: '', doelenBereikt: '', door: '' },
    values: { doelenBereikt: '', ...(opties.invoer ?? { hermelding: '', hermeldingWat: '', koers: '', toelichting: '' }) },
    errors: { hermelding: errors.hermelding ?? '', hermeldingWat: errors.hermeldingWat ?? '', koers: errors.koers ?? '', toelichting: errors.toelichting ?? '', doelenBereikt: errors.doelenBereikt ?? '' },
    laatste: isLaatsteMonitoring(zaak, datum),
    doelenOpties: Object.entries(DOELEN_BEREIKT).map(([value, title]) => ({ title, value })),
    hermeldingOpties: Object.entries(HERMELDING_KEUZES).map(([value, title]) => ({ title, value })),
    koersOpties: Object.entries(KOERS_KEUZES).map(([value, title]) => ({ title, value })),
    toelichtingMax: TOELICHTING_MAX,
    herhaalzaak: inhoud && check?.hermelding === 'ja',
  });
  return persoonlijk(card, zaak.id, 'monitoring', datum, lead?.teamsId);
}
