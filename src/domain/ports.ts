import type { ScheduledJob } from './jobs';
import type { Leerregel } from './leerregel';
import type { Verdiepingszaak, ZaakEvent } from './zaak';

/** Time and randomness are injected so schedules and ids are testable. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

/** A write lost a race: re-read and try again. */
export class ConcurrencyError extends Error {
  constructor(what: string) {
    super(`concurrent update of ${what}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * What the case service needs of a store. Every write also marks the case's thread views stale
 * (the outbox the dispatcher works off), in the same write, so no change can leave them behind.
 */
export interface ZaakOpslag {
  /** Stores a new case with its first events (and the jobs they schedule). Throws DuplicateReferenceError. */
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
}
