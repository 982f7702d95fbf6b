import { organisatieAchter } from '../src/domain/woorden';
import { PARTNERS, choices } from '../src/domain/catalogue';
import type { FieldErrors } from '../src/domain/markering';
import { betrokkenTeamsIds } from '../src/domain/toegang';
import { AFWIJZINGEN, ANTWOORD_MAX, BEKENDHEID, BRON_MAX, PARTNER_DUIDING_MAX, PARTNER_DUIDING_VRAAG, REDEN_MAX, laatsteReactie, reactieBasis } from '../src/domain/uitvraag';
import { geldend, type Lid, type Uitvraag, type Verdiepingszaak } from '../src/domain/zaak';
import { formatMoment } from './format';
import { render } from './render';
import { plainText } from './text';
import template from './uitvraag-prompt.json';

/**
 * status: what everyone in the channel sees (who is asked, by whom, the deadline and the status;
 * no question, no answer); inzage: the question, and the response when the viewer may read it;
 * formulier: the invitee's answer form (also to correct); eigen: the invitee's view of their
 * answer, with "Corrigeren" while allowed.
 */
export type PromptWeergave = 'status' | 'inzage' | 'formulier' | 'eigen';

export interface PromptInvoer {
  antwoord: string;
  bron: string;
  bekend: string;
  /** 'true' or 'false', as the toggle sends it. */
  gedeeld: string;
  /** The partner's own interpretation (PARTNER_DUIDING_VRAAG). */
  duiding: string;
  afwijzingSoort: string;
  afwijzingReden: string;
}

const FOUTVELDEN = ['antwoord', 'bron', 'duiding', 'bekend', 'gedeeld', 'afwijzing_soort', 'afwijzing_reden', 'intrekking_reden'] as const;

export interface UitvraagPromptData {
  caseId: string;
  uitvraagId: string;
  refreshIds: string[];
  reference: string;
  genodigde: string;
  organisatie: string;
  status: string;
  statusKleur: 'Warning' | 'Good' | 'Default' | 'Accent';
  melding: string;
  meldingKleur: 'Good' | 'Attention';
  toonVraag: boolean;
  vraag: string;
  waarom: string;
  gevraagd: string;
  deadline: string;
  sindsTitel: string;
  sinds: string;
  zicht: string;
  beperkt: boolean;
  heeftAntwoord: boolean;
  antwoord: { titel: string; tekst: string; duidingTitel: string; duiding: string; bron: string; bekend: string; gedeeld: string; door: string };
  heeftAfwijzing: boolean;
  afwijzing: { titel: string; reden: string; door: string };
  heeftIntrekking: boolean;
  intrekking: { reden: string; door: string };
  kanIntrekken: boolean;
  /** The withdraw form starts open (it came back with an error). */
  intrekkenOpen: boolean;
  intrekkingReden: string;
  weergave: PromptWeergave;
  formTitel: string;
  basis: string;
  corrigeert: boolean;
  kanCorrigeren: boolean;
  values: PromptInvoer;
  errors: Record<(typeof FOUTVELDEN)[number], string>;
  bekendOpties: { title: string; value: string }[];
  afwijzingOpties: { title: string; value: string }[];
  antwoordMax: number;
  bronMax: number;
  duidingVraag: string;
  duidingMax: number;
  redenMax: number;
}

export interface PromptOpties {
  weergave?: PromptWeergave;
  /** A notice for the acting user only. */
  melding?: { tekst: string; soort: 'goed' | 'let_op' };
  /** What the form shows (what was typed, or the answer being corrected). */
  invoer?: PromptInvoer;
  errors?: FieldErrors;
  /** The form corrects an earlier response (offers Annuleren). */
  corrigeert?: boolean;
  /** The eigen view offers Corrigeren. */
  kanCorrigeren?: boolean;
  /** The inzage view shows the answer or the decline (the viewer may read it). */
  toonReactie?: boolean;
  /** The status view for a team member without a role on the case: offers "Toegang vragen". */
  beperkt?: boolean;
  /** The inzage view offers "Vraag intrekken" (the casusregisseur or an officier, on an open case). */
  kanIntrekken?: boolean;
  /** The withdraw form's reason as typed (it came back with an error). */
  intrekkingReden?: string;
}

export const BEPERKT_MESSAGE = 'Beperkt zichtbaar — vraag toegang aan de casusregisseur.';

/** Who reads the answer, as told to the invitee. */
export function wieLeest(zaak: Pick<Verdiepingszaak, 'lead'>, gedeeld: boolean): string {
  const regie = `de casusregisseur (${plainText(zaak.lead.name)}) en de officieren van justitie`;
  return gedeeld ? `Je antwoord lezen jij, ${regie} en de andere betrokken professionals bij deze zaak.` : `Je antwoord lezen alleen jij, ${regie}.`;
}

/** The invitee as mentioned: the name must read the same in the text and in the mention entity. */
export function mentionLid(invitee: Lid): Lid {
  return { ...invitee, name: invitee.name.replace(/[<>]/g, '').trim() || 'Teamlid' };
}

/** The current response as form input: what a correction starts from. */
export function huidigeReactie(uitvraag: Uitvraag): PromptInvoer {
  if (uitvraag.status === 'afgewezen' && uitvraag.afwijzing) {
    return { antwoord: '', bron: '', bekend: '', gedeeld: 'false', duiding: '', afwijzingSoort: uitvraag.afwijzing.soort, afwijzingReden: uitvraag.afwijzing.reden };
  }
  const a = uitvraag.antwoord;
  return { antwoord: a?.tekst ?? '', bron: a?.bron ?? '', bekend: a?.bekend ?? '', gedeeld: a?.gedeeld ? 'true' : 'false', duiding: a?.duiding ?? '', afwijzingSoort: '', afwijzingReden: '' };
}

const LEEG: PromptInvoer = { antwoord: '', bron: '', bekend: '', gedeeld: 'false', duiding: '', afwijzingSoort: '', afwijzingReden: '' };

function status(zaak: Verdiepingszaak, uitvraag: Uitvraag, timeZone: string): Pick<UitvraagPromptData, 'status' | 'statusKleur' | 'sindsTitel' | 'sinds'> {
  const gesloten = zaak.fase === 'gesloten' ? ' · zaak gesloten' : '';
  if (uitvraag.status === 'beantwoord') return { status: `Beantwoord${gesloten}`, statusKleur: 'Good', sindsTitel: 'Beantwoord op', sinds: uitvraag.antwoord ? formatMoment(uitvraag.antwoord.op, timeZone) : '' };
  if (uitvraag.status === 'ingetrokken') return { status: `Ingetrokken${gesloten}`, statusKleur: 'Default', sindsTitel: 'Ingetrokken op', sinds: uitvraag.intrekking ? formatMoment(uitvraag.intrekking.op, timeZone) : '' };
  if (uitvraag.status === 'afgewezen') return { status: `Afgewezen${gesloten}`, statusKleur: 'Default', sindsTitel: 'Afgewezen op', sinds: uitvraag.afwijzing ? formatMoment(uitvraag.afwijzing.op, timeZone) : '' };
  return { status: `Open${gesloten}`, statusKleur: 'Warning', sindsTitel: '', sinds: '' };
}

/** Who gets the user-specific view of a prompt card: the invitee and who asked first, then the case's betrokken professionals (Teams allows 60). */
export function promptRefreshIds(zaak: Verdiepingszaak, uitvraag: Uitvraag): string[] {
  const ids = [uitvraag.invitee.teamsId, uitvraag.gevraagdDoor.teamsId, ...betrokkenTeamsIds(zaak)];
  return [...new Set(ids.filter((id): id is string => !!id))].slice(0, 60);
}

/**
 * The prompt card. In the channel (status) only who is asked, the deadline and the status, with
 * "Bekijken"; the invitee and the betrokken professionals get their own view through refresh
 * (userIds) or that button, rendered by the bot per asker.
 * The text carries `<at>name</at>`: add the mention entity with withMentions(card, [mentionLid(invitee)]).
 */
export function uitvraagPromptCard(zaak: Verdiepingszaak, uitvraag: Uitvraag, timeZone: string, opties: PromptOpties = {}) {
  const weergave = opties.weergave ?? 'status';
  const errors = opties.errors ?? {};
  const reactie = weergave === 'eigen' || (weergave === 'inzage' && !!opties.toonReactie);
  const laatste = laatsteReactie(uitvraag);
  const a = reactie && laatste === 'antwoord' ? uitvraag.antwoord : undefined;
  const w = reactie && laatste === 'afwijzing' ? uitvraag.afwijzing : undefined;
  const i = reactie ? uitvraag.intrekking : undefined;
  const kanIntrekken = weergave === 'inzage' && !!opties.kanIntrekken && uitvraag.status !== 'ingetrokken';
  const formulier = weergave === 'formulier';
  return render<UitvraagPromptData>(template, {
    caseId: zaak.id,
    uitvraagId: uitvraag.id,
    refreshIds: promptRefreshIds(zaak, uitvraag),
    reference: zaak.reference,
    genodigde: mentionLid(uitvraag.invitee).name,
    organisatie: organisatieAchter(mentionLid(uitvraag.invitee).name, PARTNERS[uitvraag.organisatie]),
    ...status(zaak, uitvraag, timeZone),
    toonVraag: weergave !== 'status',
    // A withdrawn question's answer is read by the partner and the regie only, shared or not.
    zicht: weergave === 'eigen' && a ? wieLeest(zaak, a.gedeeld === true && geldend(uitvraag)) : '',
    beperkt: weergave === 'status' && !!opties.beperkt,
    melding: opties.melding ? plainText(opties.melding.tekst) : weergave === 'status' && opties.beperkt ? BEPERKT_MESSAGE : formulier && Object.keys(errors).length > 0 ? 'Controleer de gemarkeerde velden.' : '',
    meldingKleur: opties.melding?.soort === 'goed' ? 'Good' : 'Attention',
    vraag: weergave === 'status' ? '' : plainText(uitvraag.vraag),
    waarom: weergave === 'status' ? '' : plainText(uitvraag.waarom),
    gevraagd: `${plainText(uitvraag.gevraagdDoor.name)}, ${formatMoment(uitvraag.gevraagdOp, timeZone)}`,
    deadline: formatMoment(uitvraag.deadline, timeZone),
    heeftAntwoord: !!a,
    antwoord: a
      ? {
          titel: a.versie > 1 ? `Antwoord (gecorrigeerd, versie ${a.versie})` : 'Antwoord',
          tekst: plainText(a.tekst),
          duidingTitel: `Duiding vanuit ${PARTNERS[uitvraag.organisatie]}`,
          duiding: a.duiding ? plainText(a.duiding) : '',
          bron: plainText(a.bron),
          bekend: BEKENDHEID[a.bekend],
          gedeeld: a.gedeeld ? 'Ja' : 'Nee',
          door: `${plainText(a.door.name)}, ${formatMoment(a.op, timeZone)}`,
        }
      : { titel: '', tekst: '', duidingTitel: '', duiding: '', bron: '', bekend: '', gedeeld: '', door: '' },
    heeftAfwijzing: !!w,
    afwijzing: w
      ? { titel: `Geen antwoord: ${AFWIJZINGEN[w.soort].toLowerCase()}`, reden: plainText(w.reden), door: `${plainText(w.door.name)}, ${formatMoment(w.op, timeZone)}` }
      : { titel: '', reden: '', door: '' },
    heeftIntrekking: !!i,
    intrekking: i ? { reden: plainText(i.reden), door: `${plainText(i.door.name)}, ${formatMoment(i.op, timeZone)}` } : { reden: '', door: '' },
    kanIntrekken,
    intrekkenOpen: kanIntrekken && !!errors.intrekking_reden,
    intrekkingReden: kanIntrekken ? (opties.intrekkingReden ?? '') : '',
    weergave,
    formTitel: opties.corrigeert ? 'Je reactie corrigeren' : 'Jouw antwoord',
    basis: reactieBasis(uitvraag),
    corrigeert: formulier && !!opties.corrigeert,
    kanCorrigeren: weergave === 'eigen' && !!opties.kanCorrigeren,
    values: formulier ? (opties.invoer ?? LEEG) : LEEG,
    errors: Object.fromEntries(FOUTVELDEN.map((v) => [v, errors[v] ?? ''])) as UitvraagPromptData['errors'],
    bekendOpties: choices(BEKENDHEID),
    afwijzingOpties: choices(AFWIJZINGEN),
    antwoordMax: ANTWOORD_MAX,
    bronMax: BRON_MAX,
    duidingVraag: PARTNER_DUIDING_VRAAG,
    duidingMax: PARTNER_DUIDING_MAX,
    redenMax: REDEN_MAX,
  });
}
