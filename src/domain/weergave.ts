/**
 * The outbox for the thread views: a change marks the views of its case stale in the same write
 * as its events (one marker per case, re-armed by every change); the dispatcher claims the marker
 * with a lease, re-renders the thread's cards from a fresh read, PUTs those that differ from what
 * Teams shows, and sets the marker to 'getoond' only when the version it rendered is still the
 * newest. The marker then keeps what each message shows, for whichever instance takes the next round.
 */
export interface Weergavemarkering {
  teamId: string;
  caseId: string;
  /** The views must show at least this case version. */
  versie: number;
  /** When a change last armed it (ISO). */
  sinds: string;
  /** verouderd: waiting (from dueAt); bijwerken: claimed by leaseOwner until leaseUntil; getoond: the views are up to date. */
  status: 'verouderd' | 'bijwerken' | 'getoond';
  dueAt: string;
  /** Claims so far (the backoff after faults grows with it). */
  attempts: number;
  /** Claims since it was armed (a put-off resets them only when its one claimant hands on what the messages show): more than one means more than one round may have put its cards. */
  claims?: number;
  /**
   * What each thread message shows, as a card fingerprint per message (see `weergaveSleutel`; ''
   * where Teams refused the last PUT for good), as rounds that held their claim alone recorded it.
   * Absent when no round can vouch for it: then the next round puts every card.
   */
  getoond?: Readonly<Record<string, string>>;
  leaseOwner?: string;
  leaseUntil?: string;
  lastError?: string;
  version: number;
}

/**
 * The marker after a change to version `versie` at `at`: a new one, or one that was up to date, is
 * due at once; a waiting or claimed one keeps its state (a claim stays with its holder, who renders
 * again; a put-off stays put off) and only learns the newer version.
 */
export function markeerVerouderd(bestaand: Weergavemarkering | undefined, teamId: string, caseId: string, versie: number, at: string): Weergavemarkering {
  if (!bestaand || bestaand.status === 'getoond') {
    // A new case's cards were only posted so far (no round put one); a marker gone otherwise knows nothing.
    const getoond = bestaand ? bestaand.getoond : versie === 1 ? {} : undefined;
    return { teamId, caseId, versie: Math.max(bestaand?.versie ?? 0, versie), sinds: at, status: 'verouderd', dueAt: at, attempts: 0, ...(getoond ? { getoond } : {}), version: (bestaand?.version ?? 0) + 1 };
  }
  return { ...bestaand, versie: Math.max(bestaand.versie, versie), sinds: at, version: bestaand.version + 1 };
}

/** The marker as its claimant holds it until `leaseUntil`. */
export function geclaimd(marker: Weergavemarkering, owner: string, leaseUntil: string): Weergavemarkering {
  return { ...marker, status: 'bijwerken', leaseOwner: owner, leaseUntil, attempts: marker.attempts + 1, claims: (marker.claims ?? 0) + 1, version: marker.version + 1 };
}

/**
 * What the thread's messages show, as far as the claimant of `marker` can rely on it: only at the
 * marker's first claim since it was armed, for a later claimant may find an earlier one, whose
 * lease ran out, still putting cards.
 */
export function betrouwbaarGetoond(marker: Weergavemarkering): Readonly<Record<string, string>> | undefined {
  return marker.claims === 1 ? marker.getoond : undefined;
}

/**
 * The stored marker once its holder put the views of its newest version: up to date, keeping what
 * the messages show (`getoond`) only when the holder was its one claimant since it was armed.
 */
export function afgerond(marker: Weergavemarkering, getoond: Readonly<Record<string, string>> | undefined): Weergavemarkering {
  const { leaseOwner: _owner, leaseUntil: _until, lastError: _error, getoond: _oud, ...rest } = marker;
  return { ...rest, status: 'getoond', attempts: 0, ...(getoond && marker.claims === 1 ? { getoond } : {}), version: marker.version + 1 };
}

/**
 * The stored marker put off by its holder until `dueAt` after a fault: waiting again, keeping any
 * newer version armed meanwhile; `vooruitgang` (some cards were put) counts the round as no failed
 * attempt. A holder that was its one claimant hands on what the messages show (`getoond`): the next
 * claimant relies on it as on a finished round's and goes on from there.
 */
export function uitgesteld(marker: Weergavemarkering, dueAt: string, lastError: string, vooruitgang: boolean, getoond: Readonly<Record<string, string>> | undefined): Weergavemarkering {
  const { leaseOwner: _owner, leaseUntil: _until, ...rest } = marker;
  const doorgegeven = getoond && marker.claims === 1 ? { getoond, claims: 0 } : {};
  return { ...rest, status: 'verouderd', dueAt, lastError, attempts: vooruitgang ? 0 : rest.attempts, ...doorgegeven, version: marker.version + 1 };
}

/** What became of a claimed marker when its holder finished a round. */
export type Afronding =
  /** Up to date ('getoond'): the views show the newest version. */
  | { soort: 'klaar' }
  /** Still held, but a change armed it meanwhile: render again (the stored marker). */
  | { soort: 'opnieuw'; markering: Weergavemarkering }
  /** Gone or claimed by another instance (the lease ran out). */
  | { soort: 'kwijt' };
