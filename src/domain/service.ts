import { DIRECT, meldingJob, zaakgesprekJob, type PlanningPolicy, type ScheduledJob, type ZaakMelding } from './jobs';
import { leerregelVan, raaktLeerregel } from './leerregel';
import type { Markering } from './markering';
import { plannedJobs } from './planning';
import { ConcurrencyError, type Clock, type IdSource, type ZaakOpslag } from './ports';
import { record, type Actor, type NewZaakEvent, type Verdiepingszaak, type ZaakEvent } from './zaak';

/** How a change waits after losing a race. Injected so tests control time and jitter. */
export interface RetryPolicy {
  /** Total time a change may spend retrying (well inside the ~5 s Teams gives a card action). */
  budgetMs: number;
  /** The first wait's ceiling; it doubles per lost race up to `maxWaitMs`. */
  baseWaitMs: number;
  maxWaitMs: number;
  sleep(ms: number): Promise<void>;
  /** A monotonic clock in ms (not the domain clock, which tests may freeze). */
  elapsed(): number;
  random(): number;
}

export const defaultRetryPolicy: RetryPolicy = {
  budgetMs: 2_500,
  baseWaitMs: 10,
  maxWaitMs: 250,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  elapsed: () => performance.now(),
  random: Math.random,
};

/** Full jitter: anywhere between 0 and base·2^attempt (at most maxWaitMs), so racing writers spread out. */
export function retryWaitMs(attempt: number, policy: Pick<RetryPolicy, 'baseWaitMs' | 'maxWaitMs' | 'random'>): number {
  return Math.round(policy.random() * Math.min(policy.maxWaitMs, policy.baseWaitMs * 2 ** attempt));
}

/** Changes to one case committed together (one events record): bounds a record's size. */
const MAX_BATCH = 10;

/** How a change is made, beyond its decision. */
export interface Wijzigopties {
  /** The case as the caller read it just before (saves the first read; a stale one only costs a re-read). */
  gelezen?: Verdiepingszaak;
  /**
   * The status notices the change posts in the case thread (or the cards it replaces there), made
   * from the case right after it. Each is written with the change (an outbox job), so it goes out
   * after the answer and survives a crash; a notice that cannot be made refuses the change.
   */
  melding?: (zaak: Verdiepingszaak) => ZaakMelding | readonly (ZaakMelding | undefined)[] | undefined;
}

interface Pending extends Wijzigopties {
  actor: Actor;
  decide: (zaak: Verdiepingszaak) => NewZaakEvent[];
  /** Makes the caller's answer from the case as it will be stored, while its write is under way. */
  antwoord?: (zaak: Verdiepingszaak) => unknown;
  resolve: (zaak: Verdiepingszaak, antwoord: unknown) => void;
  reject: (err: unknown) => void;
}

/** A change's answer made on the case, or what made it fail (reported only once the write is settled). */
function maak(pending: Pending, zaak: Verdiepingszaak): { ok: true; value: unknown } | { ok: false; err: unknown } {
  try {
    return { ok: true, value: pending.antwoord?.(zaak) };
  } catch (err) {
    return { ok: false, err };
  }
}

/** Application service for cases: every change goes through here as events, with optimistic retry. */
export class ZaakService {
  /** Changes waiting for their case's write in this process, per case; present while one is being written. */
  private readonly waiting = new Map<string, Pending[]>();

  constructor(
    private readonly store: ZaakOpslag,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly policy: PlanningPolicy,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
    /** Told after every stored change (the thread views of the case are stale now) with the jobs it wrote to post at once (DIRECT): nudges this process's dispatcher. */
    private readonly opgeslagen: (teamId: string, caseId: string, direct: readonly ScheduledJob[]) => void = () => undefined,
  ) {}

  /**
   * Flags a new verdiepingszaak. Throws DuplicateReferenceError when the reference is taken.
   * `zaakgesprekNaMs`: the case is written with its zaakgesprek job (see zaakgesprekJob), due then.
   */
  async flag(teamId: string, markering: Markering, actor: Actor, zaakgesprekNaMs?: number): Promise<Verdiepingszaak> {
    const caseId = this.ids.next();
    const { zaak, events } = record(undefined, { teamId, caseId }, actor, this.clock.now(), [{ type: 'zaak.gemarkeerd', data: markering }]);
    const jobs = [...plannedJobs(zaak, events, this.policy), ...(zaakgesprekNaMs === undefined ? [] : [zaakgesprekJob(zaak, zaakgesprekNaMs)])];
    await this.store.createCase(zaak, events, jobs);
    this.opgeslagen(teamId, caseId, jobs.filter((j) => DIRECT.has(j.kind)));
    return zaak;
  }

  /**
   * Read-modify-write of one case: `decide` sees the current case and returns the events to add
   * (it may throw a DomainError, which refuses only this change). Resolves with the case as stored
   * after the change (it may include changes made right after it).
   *
   * In this process, changes to one case queue behind the write in flight and are then written
   * together, each decided on the case as the previous left it, so they never race each other.
   * When another process won the race, every waiting decision runs again on the fresh case after
   * a jittered, growing wait: independent changes (answers to different questions, different
   * steps) all land; only a real conflict is refused, by `decide` itself. Gives up with the
   * ConcurrencyError once the retry budget is spent.
   *
   * `gelezen` is the case as the caller has just read it: the first attempt decides on it instead
   * of reading again; when it was stale, the version check refuses the write and the change is
   * decided again on a fresh read at once.
   */
  change(teamId: string, caseId: string, actor: Actor, decide: (zaak: Verdiepingszaak) => NewZaakEvent[], opties: Wijzigopties = {}): Promise<Verdiepingszaak> {
    return new Promise((resolve, reject) => this.enqueue(teamId, caseId, { ...opties, actor, decide, resolve, reject }));
  }

  /**
   * A change whose answer (a card) is made from the case as it will be stored while the write is
   * under way (a disk sync, a round trip), not after it; it resolves with both once the write is
   * done. When the write loses a race, the answer is made again for the case decided anew.
   */
  changeMetAntwoord<T>(
    teamId: string,
    caseId: string,
    actor: Actor,
    decide: (zaak: Verdiepingszaak) => NewZaakEvent[],
    antwoord: (zaak: Verdiepingszaak) => T,
    opties: Wijzigopties = {},
  ): Promise<{ zaak: Verdiepingszaak; antwoord: T }> {
    return new Promise((resolve, reject) => this.enqueue(teamId, caseId, { ...opties, actor, decide, antwoord, resolve: (zaak, gemaakt) => resolve({ zaak, antwoord: gemaakt as T }), reject }));
  }

  private enqueue(teamId: string, caseId: string, pending: Pending): void {
    const key = `${teamId}\u0000${caseId}`;
    const queue = this.waiting.get(key);
    if (queue) {
      queue.push(pending);
      return;
    }
    this.waiting.set(key, [pending]);
    void this.drain(teamId, caseId, key);
  }

  private async drain(teamId: string, caseId: string, key: string): Promise<void> {
    const queue = this.waiting.get(key)!;
    // Each batch after the first starts from the case the previous one stored.
    let stored: Verdiepingszaak | undefined;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      stored = await this.commit(teamId, caseId, batch, stored ?? batch[0]!.gelezen);
    }
    this.waiting.delete(key);
  }

  /** Writes a batch of changes as one record; settles every one of them. Returns the case as stored, if it was. */
  private async commit(teamId: string, caseId: string, batch: Pending[], bekend?: Verdiepingszaak): Promise<Verdiepingszaak | undefined> {
    const started = this.retry.elapsed();
    let open = batch;
    let vermoed = bekend;
    for (let attempt = 0; open.length > 0; attempt++) {
      const aanname = vermoed;
      vermoed = undefined;
      try {
        const current = aanname ?? (await this.store.getCase(teamId, caseId));
        if (!current) throw new Error(`case ${caseId} not found in team ${teamId}`);
        let zaak = current;
        const events: ZaakEvent[] = [];
        const meldingen: ScheduledJob[] = [];
        const accepted: Pending[] = [];
        const refused: [Pending, unknown][] = [];
        for (const pending of open) {
          try {
            const changes = pending.decide(zaak);
            if (changes.length > 0) {
              // A case's first learning record gets its random id in the same change.
              const nieuw = !zaak.leerregelId && raaktLeerregel(changes) ? [{ type: 'leerregel.aangemaakt' as const, data: { id: this.ids.next() } }] : [];
              const nu = this.clock.now();
              const recorded = record(zaak, { teamId, caseId }, pending.actor, nu, [...changes, ...nieuw]);
              const melding = pending.melding?.(recorded.zaak);
              zaak = recorded.zaak;
              events.push(...recorded.events);
              const gemaakt = [melding].flat().filter((m): m is ZaakMelding => !!m);
              meldingen.push(...gemaakt.map((m, deel) => meldingJob(zaak, m, nu.toISOString(), deel)));
            }
            accepted.push(pending);
          } catch (err) {
            // On a case read before, a refusal waits until the write proves that case current.
            if (aanname) refused.push([pending, err]);
            else pending.reject(err);
          }
        }
        if (!aanname) open = accepted;
        // Only a write proves the case it was decided on current: with nothing to write, decide again on a fresh read.
        if (aanname && events.length === 0) continue;
        const leerregel = events.length > 0 && zaak.leerregelId && raaktLeerregel(events) ? leerregelVan(zaak, zaak.leerregelId, this.policy.timeZone) : undefined;
        const jobs = [...plannedJobs(zaak, events, this.policy), ...meldingen];
        const write = events.length > 0 ? this.store.appendEvents(zaak, current.version, events, jobs, leerregel) : undefined;
        const antwoorden = accepted.map((pending) => maak(pending, zaak));
        if (write) {
          await write;
          this.opgeslagen(teamId, caseId, jobs.filter((j) => DIRECT.has(j.kind)));
        }
        for (const [pending, err] of refused) pending.reject(err);
        accepted.forEach((pending, i) => {
          const a = antwoorden[i]!;
          if (a.ok) pending.resolve(zaak, a.value);
          else pending.reject(a.err);
        });
        return zaak;
      } catch (err) {
        // Decided on a case that was not the stored one: decide again on a fresh read, without waiting.
        if (aanname && err instanceof ConcurrencyError) continue;
        const wait = retryWaitMs(attempt, this.retry);
        if (!(err instanceof ConcurrencyError) || this.retry.elapsed() - started + wait > this.retry.budgetMs) {
          for (const pending of open) pending.reject(err);
          return undefined;
        }
        await this.retry.sleep(wait);
      }
    }
    return undefined;
  }
}
