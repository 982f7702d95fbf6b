import { ZaakService } from '../../src/domain/service';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { OFFICIER, TEAM_ID, type User } from './activities';
import type { Harness } from './harness';

/**
 * Makes a team member a betrokken professional on a case, as the casusregisseur granting a
 * request would: a `toegang.verleend` event recorded through the domain, straight into the store.
 */
export async function verleenToegang(h: Harness, caseId: string, user: User, door: User = OFFICIER): Promise<Verdiepingszaak> {
  const zaken = new ZaakService(h.store, h.clock, { next: () => 'niet-gebruikt' }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
  const lid = { id: user.aadObjectId, name: user.name, teamsId: user.id };
  return zaken.change(TEAM_ID, caseId, { id: door.aadObjectId, name: door.name }, () => [{ type: 'toegang.verleend', data: { lid } }]);
}

/** The user as a member of the team's roster (Teams answers their member look-up). */
export function alsLid(user: User) {
  return { id: user.id, name: user.name, aadObjectId: user.aadObjectId };
}
