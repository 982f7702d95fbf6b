import type { Fase, Zaaktype } from '../domain/catalogue';
import { berichtSleutel, type Bericht, type ScheduledJob } from '../domain/jobs';
import type { Leerregel } from '../domain/leerregel';
import type { ZaakOpslag } from '../domain/ports';
import type { PuntPagina, PuntVraag } from '../domain/opvolgpunten';
import type { Afronding, Weergavemarkering } from '../domain/weergave';
import type { Actor, Verdiepingszaak, Zaakregel, ZaakEvent } from '../domain/zaak';

export { ConcurrencyError } from '../domain/ports';
export type { Bericht, Leerregel };

/** What the bot remembers of a team: where to post without being spoken to. */
export interface TeamRecord {
  teamId: string;
  tenantId: string;
  name?: string;
  /** The channel the app was installed in, and its serialized conversation reference. */
  channelId: string;
  serviceUrl: string;
  conversationReference: Record<string, unknown>;
  installedAt: string;
  updatedAt: string;
  /** The weekly digest's schedule (cron, in the configured time zone); the default when absent. */
  digestCron?: string;
}

/** Counts over a team's open cases, answered by the store without reading the cases. */
export interface OpenCaseCounts {
  open: number;
  /** Phases and types without open cases are left out. */
  perFase: Partial<Record<Fase, number>>;
  perType: Partial<Record<Zaaktype, number>>;
}

export interface StoreHealth {
  ok: boolean;
  kind: string;
  detail?: string;
}

/** One look at a case's content (audit). Not an event: recording it does not change the case or its version. */
export interface Inzage {
  id: string;
  teamId: string;
  caseId: string;
  door: Actor;
  /** What was shown, e.g. 'zaakkaart', 'ketenkaart', 'antwoord:<uitvraagId>', 'duiding', 'besluit'. */
  wat: string;
  /** ISO time. */
  op: string;
}

/** A case with this reference already exists in the team. */
export class DuplicateReferenceError extends Error {
  constructor(public readonly reference: string) {
    super('duplicate case reference');
    this.name = 'DuplicateReferenceError';
  }
}

/**
 * The one storage interface. Everything is addressed by team first, so a document store can
 * partition by team: all reads for a team's case list and digest stay in one partition.
 */
export interface Store extends ZaakOpslag {
  readonly kind: string;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;

  saveTeam(team: TeamRecord): Promise<void>;
  getTeam(teamId: string): Promise<TeamRecord | undefined>;
  /** Every team, for the dispatcher (not used on a user's turn). */
  listTeams(): Promise<TeamRecord[]>;

  createCase(zaak: Verdiepingszaak, events: ZaakEvent[], jobs?: ScheduledJob[]): Promise<void>;
  /**
   * Appends events and replaces the case snapshot, only if the stored version is still
   * `expectedVersion`; throws ConcurrencyError otherwise and writes nothing. The jobs the events
   * schedule are stored with them; a job whose id exists already is left as it is. A `leerregel`
   * (the case's learning record as it stands after the change) replaces the one with its id, in
   * the same transaction, or right after the change's commit point and again by a reader that
   * repairs the change.
   */
  appendEvents(zaak: Verdiepingszaak, expectedVersion: number, events: ZaakEvent[], jobs?: ScheduledJob[], leerregel?: Leerregel): Promise<void>;
  getCase(teamId: string, caseId: string): Promise<Verdiepingszaak | undefined>;
  findCaseByReference(teamId: string, reference: string): Promise<Verdiepingszaak | undefined>;
  /** Cases of a team, newest first; only open ones unless `includeClosed`. */
  listCases(teamId: string, options?: { includeClosed?: boolean }): Promise<Verdiepingszaak[]>;
  listEvents(teamId: string, caseId: string): Promise<ZaakEvent[]>;
  /**
   * At most `limit` open cases of a team (of one phase when `fase` is given), newest first (oldest
   * first with `oldestFirst`), and how many such cases there are in all.
   */
  listOpenCases(teamId: string, options: { limit: number; fase?: Fase; oldestFirst?: boolean }): Promise<{ total: number; zaken: readonly Zaakregel[] }>;
  /** How many open cases a team has, in all, per phase and per type. */
  countOpenCases(teamId: string): Promise<OpenCaseCounts>;
  /**
   * A page of a team's follow-up points of one kind (kept with every write of a case, see
   * opvolgpunten): how many have `op` in [van, tot), and the first `limit` by `op`, then reference.
   */
  listFollowUps(teamId: string, vraag: PuntVraag): Promise<PuntPagina>;
  /** How many of a team's follow-up points of one kind in [van, tot) have each of `waarden` as `wat`. */
  countFollowUps(teamId: string, vraag: Omit<PuntVraag, 'limit'>, waarden: readonly string[]): Promise<Record<string, number>>;

  /** Records that someone was shown a part of these cases' content, in one write; returns the records with their new ids. */
  recordInzage(inzagen: readonly Omit<Inzage, 'id'>[]): Promise<Inzage[]>;
  /** The case's inzage records, newest first, at most `limit`. */
  listInzage(teamId: string, caseId: string, limit: number): Promise<Inzage[]>;

  /** A team's scheduled jobs (optionally of one case), by due time. */
  listJobs(teamId: string, options?: { caseId?: string }): Promise<ScheduledJob[]>;
  getJob(teamId: string, jobId: string): Promise<ScheduledJob | undefined>;
  /** Stores jobs that are not tied to a case change (e.g. the digest); an existing id is left as it is. */
  scheduleJobs(jobs: ScheduledJob[]): Promise<void>;
  /**
   * Claims up to `limit` jobs that are due at `now` (status gepland, or geclaimd with a lease that
   * expired) for `owner` until `leaseUntil`, oldest first, across all teams. Each job goes to one
   * claimant only: a claimed job comes back with status geclaimd, the owner, attempts + 1 and a new version.
   */
  claimDueJobs(now: string, owner: string, leaseUntil: string, limit: number): Promise<ScheduledJob[]>;
  /** Replaces a job (carrying its new version) if the stored version is still `expectedVersion`; throws ConcurrencyError otherwise. */
  updateJob(job: ScheduledJob, expectedVersion: number): Promise<void>;

  /**
   * The outbox of the thread views: claims up to `limit` markers that are due at `now` (waiting,
   * or claimed with a lease that expired) for `owner` until `leaseUntil`, across all teams. Each
   * marker goes to one claimant at a time; attempts + 1.
   */
  claimStaleViews(now: string, owner: string, leaseUntil: string, limit: number): Promise<Weergavemarkering[]>;
  /**
   * The holder of `marker` rendered the views at case version `totVersie`, and the thread's
   * messages show `getoond` (see Weergavemarkering): the marker is up to date ('getoond', keeping
   * that) when it asks for no newer version; else it stays with the holder ('opnieuw'). Nothing
   * happens when another instance holds it now ('kwijt').
   */
  finishStaleViews(marker: Weergavemarkering, totVersie: number, getoond?: Readonly<Record<string, string>>): Promise<Afronding>;
  /**
   * The holder puts the marker off until `dueAt` (a fault), keeping any newer version armed
   * meanwhile; `vooruitgang` (some cards were put) counts the round as no failed attempt, and
   * `getoond` is what the messages show so far (see uitgesteld). Ignored when it is not the holder.
   */
  putOffStaleViews(marker: Weergavemarkering, dueAt: string, lastError: string, vooruitgang?: boolean, getoond?: Readonly<Record<string, string>>): Promise<void>;

  /**
   * Remembers messages the bot posted for a case that the case itself does not record (forms,
   * summaries, follow-ups), so retention can erase them in Teams. Idempotent. A case purged
   * meanwhile (the send raced its purge) gets an erasure job for them instead, due `now` (ISO).
   */
  recordMessages(teamId: string, caseId: string, berichten: Bericht[], now: string): Promise<void>;

  /**
   * Retention: deletes every case that was closed before `closedBefore` (ISO time), across all
   * teams, with its events, its jobs, its recorded messages, its inzage records and its reference, after scheduling
   * (due at `now`) one erasure job per case that holds only the ids of the messages the bot posted
   * for it; returns how many cases went. A reopened case is open and stays. Not used on a user's turn.
   */
  purgeClosedCases(closedBefore: string, now: string): Promise<number>;

  /** A team's learning records of month `vanaf` (yyyy-mm) and later, oldest month first. They outlive the cases. */
  listLeerregels(teamId: string, options?: { vanaf?: string }): Promise<Leerregel[]>;
  /** Retention of learning records: deletes those of months before `voor` (yyyy-mm), across teams; returns how many went. */
  purgeLeerregels(voor: string): Promise<number>;
}

/** Every message the case records itself (case card, verdiepingskaart, prompt cards) plus the recorded ones, each once. */
export function berichtenVan(zaak: Verdiepingszaak, recorded: readonly Bericht[]): Bericht[] {
  const thread = zaak.thread;
  const eigen: Bericht[] = thread
    ? [thread.rootMessageId, zaak.verdiepingskaartId, ...zaak.uitvragen.map((u) => u.messageId)]
        .filter((id): id is string => !!id)
        .map((messageId) => ({ conversationId: thread.conversationId, messageId }))
    : [];
  const seen = new Set<string>();
  return [...eigen, ...recorded].filter((b) => {
    const k = berichtSleutel(b);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * When a case was closed, for retention: the time of the change that closed it (kept while it
 * stays closed), undefined while it is open. `previous` is what the store held before this change.
 */
export function closedAt(zaak: Verdiepingszaak, events: readonly ZaakEvent[], previous?: string): string | undefined {
  if (zaak.fase !== 'gesloten') return undefined;
  const closing = events.filter((e) => e.type === 'zaak.fase_gewijzigd' && e.data.naar === 'gesloten').at(-1);
  return closing?.at ?? previous ?? zaak.updatedAt;
}
