import { gekozenLid } from './teamlid';
import { binnenWerktijden, type Werktijden } from './werktijden';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { privacyFout, schoon } from './privacy';
import { PARTNERS, type Partner } from './catalogue';
import { newJob, type PlanningRule, type ScheduledJob } from './jobs';
import type { FieldErrors } from './markering';
import { magAntwoordZien, type Rol } from './toegang';
import { changePhase, DomainError, isOpen, type Afwijzing, type Bekendheid, type Lid, type NewZaakEvent, type Uitvraag, type Verdiepingszaak } from './zaak';

export const VRAAG_MIN = 10;
export const VRAAG_MAX = 1000;
export const WAAROM_MIN = 10;
export const WAAROM_MAX = 1000;
export const ANTWOORD_MAX = 2000;
export const BRON_MAX = 200;
export const PARTNER_DUIDING_MAX = 1000;
/** The second question of the answer form: the partner interprets, not only informs. */
export const PARTNER_DUIDING_VRAAG = 'Hoe duid je dit vanuit jouw organisatie?';
export const REDEN_MIN = 5;
export const REDEN_MAX = 500;
/** At most this many prompts per case: each is a card in the thread (and a user-specific view). */
export const MAX_UITVRAGEN = 60;

export const BEKENDHEID: Readonly<Record<Bekendheid, string>> = { ja: 'Ja', nee: 'Nee', onbekend: 'Onbekend' };
export const AFWIJZINGEN: Readonly<Record<Afwijzing, string>> = { geen_informatie: 'Geen informatie', mag_niet_delen: 'Mag niet delen', geen_rol: 'Geen rol voor onze organisatie' };

export const GESLOTEN_MESSAGE = 'Deze zaak is gesloten: er kunnen geen vragen meer worden gesteld of beantwoord.';
export const ALLEEN_REGIE_MESSAGE = (lead: string) => `Alleen de casusregisseur (${lead}) kan partners uitnodigen.`;
export const ALLEEN_GENODIGDE_MESSAGE = (invitee: string) => `Alleen ${invitee} kan deze vraag beantwoorden. Er is niets opgeslagen.`;
export const DUIDING_MESSAGE = 'Er is al een duiding vastgelegd: het antwoord kan niet meer worden gecorrigeerd. Deel nieuwe informatie met de casusregisseur, dan kan de duiding worden herzien.';
export const INGETROKKEN_MESSAGE = 'Deze vraag is ingetrokken door de casusregisseur of een officier van justitie: er kan niet meer op worden gereageerd. Er is niets opgeslagen.';
export const ALLEEN_REGIE_INTREKKEN = (lead: string) => `Alleen de casusregisseur (${lead}) of een officier van justitie kan een vraag intrekken. Er is niets opgeslagen.`;
export const INTREKKING_REDEN_MESSAGE = `Geef een reden (ten minste ${REDEN_MIN} tekens), bijvoorbeeld "verkeerde partner uitgenodigd". De partner leest hem.`;
export const GEREAGEERD_MESSAGE = 'De partner heeft intussen gereageerd. Hieronder staat de huidige stand; trek de vraag zo nodig opnieuw in. Er is niets opgeslagen.';
export const REDEN_MESSAGE = `Geef een reden (ten minste ${REDEN_MIN} tekens): ook dat is nuttige informatie.`;
export const WAAROM_MESSAGE = `Leg uit waarom het antwoord nodig is voor het besluit (ten minste ${WAAROM_MIN} tekens). Vraag wat je moet weten, niet wat interessant is om te weten.`;

/** The invitation form as typed in: every value a string, as card inputs send them. */
export interface UitnodigingInvoer {
  /** The invitee's Teams user id, picked from the team's members. */
  lid: string;
  /** Or the invitee's name, typed in when the team has more members than the form lists. */
  lidNaam: string;
  organisatie: string;
  vraag: string;
  waarom: string;
  deadlineDatum: string;
  deadlineTijd: string;
}

export interface Uitnodiging {
  invitee: Lid;
  organisatie: Partner;
  vraag: string;
  waarom: string;
  deadline: string;
}

export interface AntwoordInvoer {
  tekst: string;
  bron: string;
  bekend: string;
  /** The toggle "mag gedeeld worden met de andere betrokken partners" ('true' when ticked). */
  gedeeld: string;
  /** PARTNER_DUIDING_VRAAG's answer (may be empty). */
  duiding?: string;
}

export interface AfwijzingInvoer {
  soort: string;
  reden: string;
}

export interface Antwoord {
  tekst: string;
  bron: string;
  bekend: Bekendheid;
  /** The other betrokken professionals may read it (the invitee, the casusregisseur and the officieren always may). */
  gedeeld: boolean;
  /** The partner's own interpretation, when given. */
  duiding?: string;
}

export interface AfwijzingWaarde {
  soort: Afwijzing;
  reden: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

function isKey<T extends Record<string, string>>(catalogue: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}

function tekstFout(tekst: string, min: number, max: number, leeg: string): string | undefined {
  if (tekst.length < min) return leeg;
  if (tekst.length > max) return `Te lang (${tekst.length} tekens, maximaal ${max}).`;
  return privacyFout(tekst);
}

/** The default deadline (now + the configured time) as the form's date and time fields. */
export function standaardDeadline(now: Date, deadlineMs: number, timeZone: string, werktijden?: Werktijden): { datum: string; tijd: string } {
  const moment = DateTime.fromJSDate(standaardMoment(now, deadlineMs, timeZone, werktijden), { zone: timeZone });
  return { datum: moment.toISODate()!, tijd: moment.toFormat('HH:mm') };
}

/** Now + the default deadline, moved to the next working morning when it falls outside office hours. */
function standaardMoment(now: Date, deadlineMs: number, timeZone: string, werktijden?: Werktijden): Date {
  const moment = new Date(now.getTime() + deadlineMs);
  return werktijden ? binnenWerktijden(moment, werktijden, timeZone) : moment;
}

export function legeUitnodiging(now: Date, deadlineMs: number, timeZone: string, werktijden?: Werktijden): UitnodigingInvoer {
  const { datum, tijd } = standaardDeadline(now, deadlineMs, timeZone, werktijden);
  return { lid: '', lidNaam: '', organisatie: '', vraag: '', waarom: '', deadlineDatum: datum, deadlineTijd: tijd };
}

/**
 * Validates an invitation. The invitee must be one of the team's members (by Teams user id); the
 * question and why its answer matters for the decision are both required (the need-to-know check);
 * the deadline defaults to now + `deadlineMs` and must lie in the future.
 */
export function validateUitnodiging(
  invoer: UitnodigingInvoer,
  leden: readonly Lid[],
  now: Date,
  opties: { timeZone: string; deadlineMs: number; werktijden?: Werktijden },
): Result<Uitnodiging> {
  const errors: FieldErrors = {};

  const keuze = gekozenLid(leden, invoer.lid, invoer.lidNaam);
  if (!keuze) errors.lid = 'Kies het teamlid dat de vraag beantwoordt.';
  else if ('fout' in keuze) errors.lid = keuze.fout;
  const invitee = keuze && 'lid' in keuze ? keuze.lid : undefined;

  const organisatie = invoer.organisatie.trim();
  if (!isKey(PARTNERS, organisatie)) errors.organisatie = 'Kies de organisatie van wie je de informatie vraagt.';

  const vraag = schoon(invoer.vraag);
  const vraagFout = tekstFout(vraag, VRAAG_MIN, VRAAG_MAX, `Stel de gerichte vraag (ten minste ${VRAAG_MIN} tekens): wat moet de partner beantwoorden?`);
  if (vraagFout) errors.vraag = vraagFout;

  const waarom = schoon(invoer.waarom);
  const waaromFout = tekstFout(waarom, WAAROM_MIN, WAAROM_MAX, WAAROM_MESSAGE);
  if (waaromFout) errors.waarom = waaromFout;

  let deadline: string | undefined;
  const datum = invoer.deadlineDatum.trim();
  const tijd = invoer.deadlineTijd.trim();
  if (!datum && !tijd) {
    deadline = standaardMoment(now, opties.deadlineMs, opties.timeZone, opties.werktijden).toISOString();
  } else {
    const moment = DateTime.fromISO(`${datum}T${tijd}`, { zone: opties.timeZone });
    if (!datum || !tijd || !moment.isValid) errors.deadline = 'Vul een geldige datum en tijd in voor de deadline.';
    else if (moment.toMillis() <= now.getTime()) errors.deadline = 'De deadline moet in de toekomst liggen.';
    else deadline = moment.toUTC().toISO()!;
  }

  if (Object.keys(errors).length > 0 || !invitee || !deadline) return { ok: false, errors };
  return {
    ok: true,
    value: { invitee: { id: invitee.id, name: invitee.name, teamsId: invitee.teamsId }, organisatie: organisatie as Partner, vraag, waarom, deadline },
  };
}

export function validateAntwoord(invoer: AntwoordInvoer): Result<Antwoord> {
  const errors: FieldErrors = {};
  const tekst = schoon(invoer.tekst);
  const tekstF = tekstFout(tekst, 1, ANTWOORD_MAX, 'Vul het antwoord in. Kun je niet antwoorden? Kies dan hieronder "geen informatie", "mag niet delen" of "geen rol voor onze organisatie".');
  if (tekstF) errors.antwoord = tekstF;
  const bron = schoon(invoer.bron);
  const bronF = tekstFout(bron, 1, BRON_MAX, 'Vul de geraadpleegde bron in, bijvoorbeeld eigen registratie.');
  if (bronF) errors.bron = bronF;
  const bekend = invoer.bekend.trim();
  if (!isKey(BEKENDHEID, bekend)) errors.bekend = 'Kies of de betrokkenen bij jullie bekend zijn: ja, nee of onbekend.';
  const gedeeld = invoer.gedeeld.trim();
  if (gedeeld !== '' && gedeeld !== 'true' && gedeeld !== 'false') errors.gedeeld = 'Kies of het antwoord gedeeld mag worden met de andere betrokken partners.';
  const duiding = schoon(invoer.duiding ?? '');
  const duidingF = tekstFout(duiding, 0, PARTNER_DUIDING_MAX, '');
  if (duidingF) errors.duiding = duidingF;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { tekst, bron, bekend: bekend as Bekendheid, gedeeld: gedeeld === 'true', ...(duiding ? { duiding } : {}) } };
}

export function validateAfwijzing(invoer: AfwijzingInvoer): Result<AfwijzingWaarde> {
  const errors: FieldErrors = {};
  const soort = invoer.soort.trim();
  if (!isKey(AFWIJZINGEN, soort)) errors.afwijzing_soort = 'Kies "geen informatie", "mag niet delen" of "geen rol voor onze organisatie".';
  const reden = schoon(invoer.reden);
  const redenF = tekstFout(reden, REDEN_MIN, REDEN_MAX, REDEN_MESSAGE);
  if (redenF) errors.afwijzing_reden = redenF;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { soort: soort as Afwijzing, reden } };
}

/** Whether this actor holds the casusregie (case lead). */
export function isLead(zaak: Pick<Verdiepingszaak, 'lead'>, actorIds: readonly string[]): boolean {
  return [zaak.lead.id, zaak.lead.teamsId].some((id) => !!id && actorIds.includes(id));
}

/** Whether the acting user (by AAD object id or Teams user id) is the one the question is for. */
export function isGenodigde(uitvraag: Pick<Uitvraag, 'invitee'>, actorIds: readonly string[]): boolean {
  return [uitvraag.invitee.teamsId, uitvraag.invitee.id].some((id) => !!id && actorIds.includes(id));
}

/**
 * Whether a viewer may read the invitee's response: an answer as the partner allowed it
 * (`magAntwoordZien`); a decline's reason, and all of a withdrawn question (its response and why
 * it was withdrawn), only the invitee, the casusregisseur and the officieren.
 */
export function magReactieZien(uitvraag: Uitvraag, ids: readonly string[], rollen: ReadonlySet<Rol>): boolean {
  if (uitvraag.status === 'afgewezen' || uitvraag.status === 'ingetrokken') return isGenodigde(uitvraag, ids) || rollen.has('casusregisseur') || rollen.has('officier');
  return magAntwoordZien(uitvraag, ids, rollen);
}

/** The response a question stands on: the one given last (a withdrawn question keeps it). */
export function laatsteReactie(uitvraag: Uitvraag): 'antwoord' | 'afwijzing' | undefined {
  if (uitvraag.status === 'beantwoord') return 'antwoord';
  if (uitvraag.status === 'afgewezen') return 'afwijzing';
  const { antwoord, afwijzing } = uitvraag;
  if (!antwoord || !afwijzing) return antwoord ? 'antwoord' : afwijzing ? 'afwijzing' : undefined;
  return afwijzing.op > antwoord.op ? 'afwijzing' : 'antwoord';
}

/** The user asked is someone else: refused, nothing stored. */
export class NietGenodigd extends DomainError {
  constructor(uitvraag: Uitvraag) {
    super(ALLEEN_GENODIGDE_MESSAGE(uitvraag.invitee.name));
    this.name = 'NietGenodigd';
  }
}

/** The card the answer came from showed an older state (answered meanwhile): nothing is overwritten unseen. */
export class UitvraagGewijzigd extends DomainError {
  constructor() {
    super('Deze vraag is intussen al beantwoord. Hieronder staat de huidige stand; kies "Corrigeren" om het antwoord te wijzigen.');
    this.name = 'UitvraagGewijzigd';
  }
}

export function findUitvraag(zaak: Pick<Verdiepingszaak, 'uitvragen'>, uitvraagId: string): Uitvraag | undefined {
  return zaak.uitvragen.find((u) => u.id === uitvraagId);
}

/**
 * The state of the response a card was rendered on, as an opaque token: a submit on another
 * state than the current one comes from a stale card.
 */
export function reactieBasis(uitvraag: Uitvraag): string {
  if (uitvraag.status === 'open') return 'open';
  if (uitvraag.status === 'beantwoord') return `b${uitvraag.antwoord?.versie ?? 0}@${uitvraag.antwoord?.op ?? ''}`;
  if (uitvraag.status === 'ingetrokken') return `i@${uitvraag.intrekking?.op ?? ''}`;
  return `a${uitvraag.antwoord?.versie ?? 0}@${uitvraag.afwijzing?.op ?? ''}`;
}

/** Whether the invitee may still (re)answer: an open case, and for a correction no duiding yet. */
export function magCorrigeren(zaak: Pick<Verdiepingszaak, 'fase' | 'duidingen'>, uitvraag: Uitvraag): boolean {
  return zaak.fase !== 'gesloten' && uitvraag.status !== 'open' && uitvraag.status !== 'ingetrokken' && zaak.duidingen.length === 0;
}

/**
 * Invites a partner: only the case lead may. The case moves to phase contextinformatie with the
 * first invitation (when it is still gemarkeerd). The same open question to the same person twice
 * (a double click, a replay) is refused.
 */
export function uitnodigen(zaak: Verdiepingszaak, actorIds: readonly string[], uitnodiging: Uitnodiging, id: string): NewZaakEvent[] {
  if (!isOpen(zaak)) throw new DomainError(GESLOTEN_MESSAGE);
  if (!isLead(zaak, actorIds)) throw new DomainError(ALLEEN_REGIE_MESSAGE(zaak.lead.name));
  if (zaak.uitvragen.length >= MAX_UITVRAGEN) throw new DomainError(`Deze zaak heeft al ${MAX_UITVRAGEN} vragen aan partners: meer passen er niet in het zaakgesprek.`);
  const dubbel = zaak.uitvragen.find((u) => u.status === 'open' && u.invitee.teamsId === uitnodiging.invitee.teamsId && u.vraag === uitnodiging.vraag);
  if (dubbel) throw new DomainError(`Deze vraag staat al open bij ${uitnodiging.invitee.name}.`);
  const events: NewZaakEvent[] = [{ type: 'uitvraag.verstuurd', data: { id, ...uitnodiging } }];
  if (zaak.fase === 'gemarkeerd') events.push(changePhase(zaak, 'contextinformatie', 'Eerste partner uitgenodigd'));
  return events;
}

/** Records where the prompt card was posted in the case thread. */
export function kaartGeplaatst(zaak: Verdiepingszaak, uitvraagId: string, messageId: string): NewZaakEvent[] {
  if (!findUitvraag(zaak, uitvraagId)) throw new Error(`uitvraag ${uitvraagId} not found`);
  return [{ type: 'uitvraag.kaart_geplaatst', data: { uitvraagId, messageId } }];
}

/** The checks every response (answer, decline, correction) goes through, on the current case. */
function magReageren(zaak: Verdiepingszaak, uitvraagId: string, actorIds: readonly string[], basis: string | undefined): Uitvraag {
  const uitvraag = findUitvraag(zaak, uitvraagId);
  if (!uitvraag) throw new DomainError('Deze vraag bestaat niet (meer) in deze zaak.');
  if (!isGenodigde(uitvraag, actorIds)) throw new NietGenodigd(uitvraag);
  if (!isOpen(zaak)) throw new DomainError(GESLOTEN_MESSAGE);
  if (uitvraag.status === 'ingetrokken') throw new DomainError(INGETROKKEN_MESSAGE);
  if (basis !== undefined && basis !== reactieBasis(uitvraag)) throw new UitvraagGewijzigd();
  if (uitvraag.status !== 'open' && zaak.duidingen.length > 0) throw new DomainError(DUIDING_MESSAGE);
  return uitvraag;
}

/**
 * The invitee answers (or corrects an answer or a decline, until a duiding is recorded; every
 * version stays in the events). An identical repeat stores nothing.
 */
export function beantwoorden(zaak: Verdiepingszaak, uitvraagId: string, actorIds: readonly string[], antwoord: Antwoord, basis?: string): NewZaakEvent[] {
  const uitvraag = magReageren(zaak, uitvraagId, actorIds, basis);
  const huidig = uitvraag.status === 'beantwoord' ? uitvraag.antwoord : undefined;
  const zelfde = huidig && huidig.tekst === antwoord.tekst && huidig.bron === antwoord.bron && huidig.bekend === antwoord.bekend && (huidig.gedeeld ?? false) === antwoord.gedeeld && (huidig.duiding ?? '') === (antwoord.duiding ?? '');
  if (zelfde) return [];
  return [{ type: 'uitvraag.beantwoord', data: { uitvraagId, ...antwoord } }];
}

/** The invitee declines: no information, or not allowed to share; always with a reason. */
export function afwijzen(zaak: Verdiepingszaak, uitvraagId: string, actorIds: readonly string[], afwijzing: AfwijzingWaarde, basis?: string): NewZaakEvent[] {
  const uitvraag = magReageren(zaak, uitvraagId, actorIds, basis);
  if (afwijzing.reden.trim().length < REDEN_MIN) throw new DomainError(REDEN_MESSAGE);
  const huidig = uitvraag.status === 'afgewezen' ? uitvraag.afwijzing : undefined;
  if (huidig && huidig.soort === afwijzing.soort && huidig.reden === afwijzing.reden) return [];
  return [{ type: 'uitvraag.afgewezen', data: { uitvraagId, ...afwijzing } }];
}

/** Why a question is withdrawn, as typed: required, since the partner reads it. */
export function validateIntrekking(reden: string): Result<string> {
  const schoneReden = schoon(reden);
  const fout = tekstFout(schoneReden, REDEN_MIN, REDEN_MAX, INTREKKING_REDEN_MESSAGE);
  return fout ? { ok: false, errors: { intrekking_reden: fout } } : { ok: true, value: schoneReden };
}

/**
 * The casusregisseur (or an officier: `regie`) takes a question back, asked of the wrong partner
 * or no longer needed: the invitee is off the case (unless on it otherwise), a response given
 * stays on record for them and the regie, and no reminder follows. Withdrawn twice stores nothing.
 */
export function intrekken(zaak: Verdiepingszaak, uitvraagId: string, regie: boolean, reden: string, basis?: string): NewZaakEvent[] {
  if (!isOpen(zaak)) throw new DomainError(GESLOTEN_MESSAGE);
  if (!regie) throw new DomainError(ALLEEN_REGIE_INTREKKEN(zaak.lead.name));
  const uitvraag = findUitvraag(zaak, uitvraagId);
  if (!uitvraag) throw new DomainError('Deze vraag bestaat niet (meer) in deze zaak.');
  if (uitvraag.status === 'ingetrokken') return [];
  if (basis !== undefined && basis !== reactieBasis(uitvraag)) throw new DomainError(GEREAGEERD_MESSAGE);
  const gelezen = validateIntrekking(reden);
  if (!gelezen.ok) throw new DomainError(INTREKKING_REDEN_MESSAGE);
  return [{ type: 'uitvraag.ingetrokken', data: { uitvraagId, reden: gelezen.value } }];
}

/**
 * Each invitation schedules a reminder to the invitee (the configured time before the deadline,
 * unless that moment has already passed when asking) and the deadline itself (tell the lead).
 * Whether the prompt is still open is for the dispatcher to check when the job is due.
 */
export const uitvraagPlanning: PlanningRule = (zaak, event, policy) => {
  if (event.type !== 'uitvraag.verstuurd') return [];
  const deadline = new Date(event.data.deadline);
  const jobs: ScheduledJob[] = [newJob(zaak, 'uitvraag.kaart', event.data.id, new Date(event.at), event.at)];
  const herinnering = new Date(deadline.getTime() - policy.reminderBeforeMs);
  if (herinnering.getTime() > Date.parse(event.at)) jobs.push(newJob(zaak, 'uitvraag.herinnering', event.data.id, herinnering, event.at));
  jobs.push(newJob(zaak, 'uitvraag.verlopen', event.data.id, deadline, event.at));
  return jobs;
};

const id = z.string().min(1).max(200);
const veld = (max: number) => z.string().max(max).default('');

/** The invitation form's payload (Action.Execute data merged with its inputs). */
export const uitnodigingPayload = z.object({
  caseId: id,
  lid: veld(200),
  lid_naam: veld(200),
  organisatie: veld(100),
  vraag: veld(10_000),
  waarom: veld(10_000),
  deadline_datum: veld(40),
  deadline_tijd: veld(40),
});

export function readUitnodiging(data: unknown): { caseId: string; invoer: UitnodigingInvoer } | undefined {
  const parsed = uitnodigingPayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d = parsed.data;
  // Cut just past the limits: long enough to be refused, short enough to echo back.
  return {
    caseId: d.caseId,
    invoer: { lid: d.lid, lidNaam: d.lid_naam, organisatie: d.organisatie, vraag: d.vraag.slice(0, VRAAG_MAX + 1), waarom: d.waarom.slice(0, WAAROM_MAX + 1), deadlineDatum: d.deadline_datum, deadlineTijd: d.deadline_tijd },
  };
}

/** A prompt card's action payload: the case and the prompt, the state the card showed, and the inputs. */
export const reactiePayload = z.object({
  caseId: id,
  uitvraagId: id,
  basis: z.string().max(200).optional(),
  intrekking_reden: veld(10_000),
  antwoord: veld(20_000),
  bron: veld(2_000),
  bekend: veld(40),
  gedeeld: veld(10),
  duiding: veld(10_000),
  afwijzing_soort: veld(40),
  afwijzing_reden: veld(10_000),
});

export interface ReactieInvoer {
  caseId: string;
  uitvraagId: string;
  basis?: string;
  /** Why the regie withdraws the question (its own form on the card). */
  intrekkingReden: string;
  antwoord: AntwoordInvoer;
  afwijzing: AfwijzingInvoer;
}

export function readReactie(data: unknown): ReactieInvoer | undefined {
  const parsed = reactiePayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return {
    caseId: d.caseId,
    uitvraagId: d.uitvraagId,
    ...(d.basis !== undefined ? { basis: d.basis } : {}),
    intrekkingReden: d.intrekking_reden.slice(0, REDEN_MAX + 1),
    antwoord: { tekst: d.antwoord.slice(0, ANTWOORD_MAX + 1), bron: d.bron.slice(0, BRON_MAX + 1), bekend: d.bekend, gedeeld: d.gedeeld, duiding: d.duiding.slice(0, PARTNER_DUIDING_MAX + 1) },
    afwijzing: { soort: d.afwijzing_soort, reden: d.afwijzing_reden.slice(0, REDEN_MAX + 1) },
  };
}
