import { DateTime } from 'luxon';
import { z } from 'zod';
import { magBeslissen } from './besluit';
import { DOELEN_BEREIKT, type DoelenBereikt } from './leerregel';
import { privacyFout, schoon } from './privacy';
import type { Store } from '../store/store';
import type { ScheduledJob } from './jobs';
import type { PuntPagina } from './opvolgpunten';
import type { FieldErrors } from './markering';
import { isLead } from './uitvraag';
import { canTransition, changePhase, DomainError, lokaleDag, type Actie, type Bekendheid, type MonitoringCheck, type NewZaakEvent, type Verdiepingszaak } from './zaak';

/**
 * Follow-ups (opvolging): whether a scheduled job still has a reason when it is due, and the
 * answers to the cards the dispatcher delivers (action due, monitoring check).
 */

export const TOELICHTING_MIN = 5;
export const TOELICHTING_MAX = 500;

export const GESLOTEN = 'Deze zaak is gesloten: er valt niets meer op te volgen.';

/**
 * Why a due case job has lost its reason (then it is marked vervallen and not sent), or undefined
 * when it should still be delivered: the prompt was answered, the action is done or got another
 * date, the monitoring date was recorded or dropped, the postponement was lifted, the case closed.
 */
export function vervalReden(zaak: Verdiepingszaak | undefined, job: ScheduledJob, now: Date, timeZone: string): string | undefined {
  if (!zaak) return 'zaak bestaat niet meer';
  if (zaak.fase === 'gesloten') return 'zaak is gesloten';
  switch (job.kind) {
    case 'uitvraag.herinnering':
    case 'uitvraag.verlopen': {
      const uitvraag = zaak.uitvragen.find((u) => u.id === job.ref);
      if (!uitvraag) return 'vraag bestaat niet meer';
      if (uitvraag.status !== 'open') return `vraag is ${uitvraag.status}`;
      const deadline = Date.parse(uitvraag.deadline);
      if (job.kind === 'uitvraag.verlopen') return Date.parse(job.dueAt) === deadline ? undefined : 'deadline is gewijzigd';
      if (Date.parse(job.dueAt) > deadline) return 'deadline is gewijzigd';
      return now.getTime() >= deadline ? 'deadline is al verstreken' : undefined;
    }
    case 'uitvraag.kaart': {
      const uitvraag = zaak.uitvragen.find((u) => u.id === job.ref);
      if (!uitvraag) return 'vraag bestaat niet meer';
      if (uitvraag.messageId) return 'de kaart staat al in het zaakgesprek';
      return uitvraag.status === 'ingetrokken' ? 'vraag is ingetrokken' : undefined;
    }
    case 'actie.vervaldatum': {
      const actie = zaak.besluit?.acties.find((a) => a.id === job.ref);
      if (!actie) return 'actie bestaat niet meer';
      if (actie.status !== 'open') return actie.status === 'gereed' ? 'actie is gereed' : 'actie is vervallen';
      return lokaleDag(job.dueAt, timeZone) === actie.datum ? undefined : 'actie heeft een andere datum';
    }
    case 'monitoring': {
      if (!zaak.besluit?.monitoring.includes(job.ref)) return 'monitoringdatum staat niet meer in het besluit';
      return zaak.monitoring.some((m) => m.datum === job.ref) ? 'monitoring is al vastgelegd' : undefined;
    }
    case 'plandatum': {
      const b = zaak.besluit;
      if (!b?.plandatum) return 'besluit is niet meer uitgesteld';
      return Date.parse(b.plandatum.op) === Date.parse(job.dueAt) ? undefined : 'plandatum is gewijzigd';
    }
    case 'zaakgesprek':
      return zaak.thread && zaak.verdiepingskaartId ? 'het zaakgesprek staat er al' : undefined;
    case 'digest':
      return 'geen zaakopdracht';
  }
}

// ---------------------------------------------------------------------------------------------
// Action due: gereed / nieuwe datum / vervalt
// ---------------------------------------------------------------------------------------------

export const ACTIE_KEUZES = { gereed: 'Gereed', nieuwe_datum: 'Nieuwe datum', vervalt: 'Vervalt' } as const;
export type ActieKeuze = keyof typeof ACTIE_KEUZES;

export interface ActieAntwoordInvoer {
  keuze: string;
  datum: string;
  toelichting: string;
}

export interface ActieAntwoord {
  status: Actie['status'];
  datum?: string;
  toelichting?: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

function toelichtingFout(tekst: string, verplicht: string | undefined): string | undefined {
  if (verplicht && tekst.length < TOELICHTING_MIN) return verplicht;
  if (tekst.length > TOELICHTING_MAX) return `Te lang (${tekst.length} tekens, maximaal ${TOELICHTING_MAX}).`;
  return privacyFout(tekst);
}

/** Validates an answer to an action-due card. A new date must lie after today; a new date and "vervalt" need a reason. */
export function validateActieAntwoord(invoer: ActieAntwoordInvoer, now: Date, timeZone: string): Result<ActieAntwoord> {
  const errors: FieldErrors = {};
  const keuze = invoer.keuze.trim();
  const toelichting = schoon(invoer.toelichting);
  if (!Object.prototype.hasOwnProperty.call(ACTIE_KEUZES, keuze)) return { ok: false, errors: { keuze: 'Kies gereed, nieuwe datum of vervalt.' } };
  let datum: string | undefined;
  if (keuze === 'nieuwe_datum') {
    const raw = invoer.datum.trim().slice(0, 10);
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? DateTime.fromISO(raw, { zone: timeZone }) : undefined;
    if (!parsed?.isValid) errors.datum = 'Kies de nieuwe datum.';
    else if (raw <= lokaleDag(now, timeZone)) errors.datum = 'De nieuwe datum moet na vandaag liggen.';
    else if (parsed > DateTime.fromJSDate(now).plus({ years: 2 })) errors.datum = 'Kies een datum binnen twee jaar.';
    else datum = raw;
  }
  const verplicht =
    keuze === 'nieuwe_datum'
      ? `Waarom een nieuwe datum? Geef een reden (ten minste ${TOELICHTING_MIN} tekens).`
      : keuze === 'vervalt'
        ? `Waarom vervalt de actie? Geef een reden (ten minste ${TOELICHTING_MIN} tekens).`
        : undefined;
  const fout = toelichtingFout(toelichting, verplicht);
  if (fout) errors.toelichting = fout;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const status: Actie['status'] = keuze === 'gereed' ? 'gereed' : keuze === 'vervalt' ? 'vervallen' : 'open';
  return { ok: true, value: { status, ...(datum ? { datum } : {}), ...(toelichting ? { toelichting } : {}) } };
}

export interface EigenWerk {
  /** The first open actions of open cases held by someone, earliest first, and how many there are. */
  acties: PuntPagina;
  /** The same for the partner questions waiting for their answer. */
  vragen: PuntPagina;
}

/** What waits for whoever has these ids (AAD and Teams id), from the store's index of open work: the first `limit` of each, no case read. */
export async function eigenWerk(store: Pick<Store, 'listFollowUps'>, teamId: string, ids: readonly string[], limit: number): Promise<EigenWerk> {
  if (ids.length === 0) return { acties: { total: 0, punten: [] }, vragen: { total: 0, punten: [] } };
  const [acties, vragen] = await Promise.all([store.listFollowUps(teamId, { soort: 'actiehouder', wat: ids, limit }), store.listFollowUps(teamId, { soort: 'vraaghouder', wat: ids, limit })]);
  return { acties, vragen };
}

/** Whether this user is the action's owner. */
export function isEigenaar(actie: Pick<Actie, 'eigenaar'>, ids: readonly string[]): boolean {
  return [actie.eigenaar.id, actie.eigenaar.teamsId].some((id) => !!id && ids.includes(id));
}

export const ALLEEN_EIGENAAR = (actie: Actie, lead: string) => `Alleen ${actie.eigenaar.name} (de actiehouder) of ${lead} (casusregisseur) kan deze actie bijwerken. Er is niets opgeslagen.`;
export const ACTIE_AL_BIJGEWERKT = 'Deze actie is intussen al bijgewerkt. Hieronder staat de huidige stand.';

/**
 * The event that answers an action-due card. Only the owner or the case lead; the card must show
 * the action as it is now (still open, same date), otherwise nothing is overwritten unseen.
 */
export function actieBijwerken(zaak: Verdiepingszaak, actieId: string, ids: readonly string[], antwoord: ActieAntwoord, basisDatum: string): NewZaakEvent[] {
  if (zaak.fase === 'gesloten') throw new DomainError(GESLOTEN);
  const actie = zaak.besluit?.acties.find((a) => a.id === actieId);
  if (!actie) throw new DomainError('Deze actie staat niet (meer) in het besluit.');
  if (!isEigenaar(actie, ids) && !isLead(zaak, ids)) throw new DomainError(ALLEEN_EIGENAAR(actie, zaak.lead.name));
  if (actie.status !== 'open' || actie.datum !== basisDatum) throw new DomainError(ACTIE_AL_BIJGEWERKT);
  return [{ type: 'actie.bijgewerkt', data: { actieId, ...antwoord } }];
}

// ---------------------------------------------------------------------------------------------
// Monitoring check: hermelding or recidive? is the course still right?
// ---------------------------------------------------------------------------------------------

export const HERMELDING_KEUZES: Readonly<Record<Bekendheid, string>> = { ja: 'Ja', nee: 'Nee', onbekend: 'Onbekend' };
export const KOERS_KEUZES = { ja: 'Ja, de koers past nog', nee: 'Nee, de duiding moet opnieuw' } as const;

export interface MonitoringInvoer {
  hermelding: string;
  hermeldingWat: string;
  koers: string;
  toelichting: string;
  /** Only asked at the besluit's last monitoring date. */
  doelenBereikt?: string;
}

/** The besluit's last monitoring date: there the check also asks whether the goals were reached. */
export function isLaatsteMonitoring(zaak: Pick<Verdiepingszaak, 'besluit'>, datum: string): boolean {
  const datums = zaak.besluit?.monitoring ?? [];
  return datums.length > 0 && datum === [...datums].sort().at(-1);
}

export type MonitoringAntwoord = Omit<MonitoringCheck, 'datum' | 'door' | 'op'>;

export function validateMonitoring(invoer: MonitoringInvoer, laatste = false): Result<MonitoringAntwoord> {
  const errors: FieldErrors = {};
  const doelenBereikt = (invoer.doelenBereikt ?? '').trim();
  if (laatste && !Object.prototype.hasOwnProperty.call(DOELEN_BEREIKT, doelenBereikt)) errors.doelenBereikt = 'Zijn de doelen van het besluit bereikt? Kies ja, deels of nee.';
  const hermelding = invoer.hermelding.trim();
  const wat = schoon(invoer.hermeldingWat);
  const koers = invoer.koers.trim();
  const toelichting = schoon(invoer.toelichting);
  if (!Object.prototype.hasOwnProperty.call(HERMELDING_KEUZES, hermelding)) errors.hermelding = 'Was er een hermelding of recidive? Kies ja, nee of onbekend.';
  const watFout = toelichtingFout(wat, hermelding === 'ja' ? `Wat was de hermelding of recidive? (ten minste ${TOELICHTING_MIN} tekens)` : undefined);
  if (watFout) errors.hermeldingWat = watFout;
  if (koers !== 'ja' && koers !== 'nee') errors.koers = 'Is de koers nog passend? Kies ja of nee.';
  const toelichtingF = toelichtingFout(toelichting, koers === 'nee' ? `Waarom past de koers niet meer? (ten minste ${TOELICHTING_MIN} tekens)` : undefined);
  if (toelichtingF) errors.toelichting = toelichtingF;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      hermelding: hermelding as Bekendheid,
      ...(hermelding === 'ja' && wat ? { hermeldingWat: wat } : {}),
      koersPassend: koers === 'ja',
      ...(toelichting ? { toelichting } : {}),
      ...(laatste ? { doelenBereikt: doelenBereikt as DoelenBereikt } : {}),
    },
  };
}

export const MONITORING_AL_VASTGELEGD = 'Deze monitoring is al vastgelegd. Hieronder staat wat er is vastgelegd.';

/**
 * Records a monitoring check (the case lead or an officier). "Koers niet passend" takes the case
 * back to phase duiding: the team interprets again before a new besluit.
 */
export function monitoringVastleggen(zaak: Verdiepingszaak, datum: string, ids: readonly string[], officieren: readonly string[], antwoord: MonitoringAntwoord): NewZaakEvent[] {
  if (zaak.fase === 'gesloten') throw new DomainError(GESLOTEN);
  if (!magBeslissen(zaak, ids, officieren)) throw new DomainError(`Alleen ${zaak.lead.name} (casusregisseur) of een officier kan de monitoring vastleggen. Er is niets opgeslagen.`);
  if (!zaak.besluit?.monitoring.includes(datum)) throw new DomainError('Deze monitoringdatum staat niet (meer) in het besluit.');
  if (zaak.monitoring.some((m) => m.datum === datum)) throw new DomainError(MONITORING_AL_VASTGELEGD);
  const events: NewZaakEvent[] = [{ type: 'monitoring.vastgelegd', data: { datum, ...antwoord } }];
  if (!antwoord.koersPassend && canTransition(zaak.fase, 'duiding')) events.push(changePhase(zaak, 'duiding', `Koers niet meer passend (monitoring ${datum})`));
  return events;
}

/** All monitoring dates of the besluit are recorded and the course still holds: time to close with a leeropbrengst. */
export function monitoringAfgerond(zaak: Verdiepingszaak): boolean {
  const datums = zaak.besluit?.monitoring ?? [];
  if (zaak.fase === 'gesloten' || datums.length === 0) return false;
  if (!datums.every((d) => zaak.monitoring.some((m) => m.datum === d))) return false;
  // After a hermelding the team looks again instead of closing.
  const laatste = zaak.monitoring.at(-1);
  return laatste?.koersPassend === true && laatste.hermelding !== 'ja';
}

// ---------------------------------------------------------------------------------------------
// Inbound payloads
// ---------------------------------------------------------------------------------------------

const id = z.string().min(1).max(200);
const veld = (max: number) => z.string().max(max).default('');

export const actieAntwoordPayload = z.object({
  caseId: id,
  actieId: id,
  /** The action's date as the card showed it. */
  basis: z.string().max(40),
  keuze: veld(40),
  datum: veld(40),
  toelichting: veld(10_000),
});

export const monitoringPayload = z.object({
  caseId: id,
  datum: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  hermelding: veld(40),
  hermelding_wat: veld(10_000),
  koers: veld(40),
  toelichting: veld(10_000),
  doelen_bereikt: veld(40),
});

export function readActieAntwoord(data: unknown): { caseId: string; actieId: string; basis: string; invoer: ActieAntwoordInvoer } | undefined {
  const parsed = actieAntwoordPayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return { caseId: d.caseId, actieId: d.actieId, basis: d.basis, invoer: { keuze: d.keuze, datum: d.datum, toelichting: d.toelichting.slice(0, TOELICHTING_MAX + 1) } };
}

export function readMonitoring(data: unknown): { caseId: string; datum: string; invoer: MonitoringInvoer } | undefined {
  const parsed = monitoringPayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return {
    caseId: d.caseId,
    datum: d.datum,
    invoer: { hermelding: d.hermelding, hermeldingWat: d.hermelding_wat.slice(0, TOELICHTING_MAX + 1), koers: d.koers, toelichting: d.toelichting.slice(0, TOELICHTING_MAX + 1), doelenBereikt: d.doelen_bereikt },
  };
}
