/**
 * The outbox for the thread views: a change marks the views of its case stale in the same write
 * as its events (one marker per case, re-armed by every change); the dispatcher claims the marker
 * with a lease, re-renders the case card, the verdiepingskaart and the prompt cards from a fresh
 * read, and removes the marker only when the version it rendered is still the newest.
 */
export interface Weergavemarkering {
  teamId: string;
  caseId: string;
  /** The views must show at least this case version. */
  versie: number;
  /** When a change last armed it (ISO). */
  sinds: string;
  /** verouderd: waiting (from dueAt); bijwerken: claimed by leaseOwner until leaseUntil. */
  status: 'verouderd' | 'bijwerken';
  dueAt: string;
  /** Claims so far (the backoff after faults grows with it). */
  attempts: number;
  leaseOwner?: string;
  leaseUntil?: string;
  lastError?: string;
  version: number;
}

/**
 * The marker after a change to version `versie` at `at`: a new one is due at once; an existing
 * one keeps its state (a claim stays with its holder, who renders again; a put-off stays put off)
 * and only learns the newer version.
 */
export function markeerVerouderd(bestaand: Weergavemarkering | undefined, teamId: string, caseId: string, versie: number, at: string): Weergavemarkering {
  if (!bestaand) return { teamId, caseId, versie, sinds: at, status: 'verouderd', dueAt: at, attempts: 0, version: 1 };
  return { ...bestaand, versie: Math.max(bestaand.versie, versie), sinds: at, version: bestaand.version + 1 };
}

/** What became of a claimed marker when its holder finished a round. */
export type Afronding =
  /** Removed: the views show the newest version. */
  | { soort: 'klaar' }
  /** Still held, but a change armed it meanwhile: render again (the stored marker). */
  | { soort: 'opnieuw'; markering: Weergavemarkering }
  /** Gone or claimed by another instance (the lease ran out). */
  | { soort: 'kwijt' };
