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
  /** Every claim, never reset: more than one means more than one round may have put its cards. */
  claims?: number;
  /** The case version that armed it first: the first change after the views were last up to date (absent on older markers). */
  vanaf?: number;
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
  if (!bestaand) return { teamId, caseId, versie, vanaf: versie, sinds: at, status: 'verouderd', dueAt: at, attempts: 0, version: 1 };
  return { ...bestaand, versie: Math.max(bestaand.versie, versie), sinds: at, version: bestaand.version + 1 };
}

/** The marker as its claimant holds it until `leaseUntil`. */
export function geclaimd(marker: Weergavemarkering, owner: string, leaseUntil: string): Weergavemarkering {
  return { ...marker, status: 'bijwerken', leaseOwner: owner, leaseUntil, attempts: marker.attempts + 1, claims: (marker.claims ?? 0) + 1, version: marker.version + 1 };
}

/**
 * Whether the cards of this marker's case show what this claimant last put there: it is the
 * marker's first claim, and this claimant finished the round just before it (`afgerondTot`, the
 * case version it finished at) or there was none (the case's first marker). Then no other instance
 * can have put a card since, and a card it put before need not be put again.
 */
export function alleenEigenRondes(marker: Weergavemarkering, afgerondTot: number | undefined): boolean {
  if (marker.claims !== 1 || marker.vanaf === undefined) return false;
  return marker.vanaf === 1 || afgerondTot === marker.vanaf - 1;
}

/** What became of a claimed marker when its holder finished a round. */
export type Afronding =
  /** Removed: the views show the newest version. */
  | { soort: 'klaar' }
  /** Still held, but a change armed it meanwhile: render again (the stored marker). */
  | { soort: 'opnieuw'; markering: Weergavemarkering }
  /** Gone or claimed by another instance (the lease ran out). */
  | { soort: 'kwijt' };
