import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Lid } from '../domain/zaak';
import type { Deps } from './deps';
import { classify, statusVan } from '../dispatch/fouten';

const MAX_PAGES = 20;
const HERHAAL_MS = 200;
const MAX_HERHAAL_MS = 500;

/** Whether Teams lists the member as a guest in the team. */
function isGast(member: { userRole?: string }): boolean {
  return member.userRole === 'guest';
}

/** The team's members as Verdiep knows them (AAD id when known, Teams id for mentions), guests left out. */
export async function teamLeden(context: TurnContext, teamId: string): Promise<Lid[]> {
  const leden: Lid[] = [];
  let continuationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await nogEensBijDrukte(() => TeamsInfo.getPagedTeamMembers(context, teamId, 200, continuationToken));
    // A guest counts as outside the team (see isTeamLid): never offered as a partner, an owner or a casusregisseur.
    for (const m of result.members ?? []) if (m.id && m.name && !isGast(m)) leden.push({ id: m.aadObjectId ?? m.id, name: m.name, teamsId: m.id });
    continuationToken = result.continuationToken || undefined;
    if (!continuationToken) break;
  }
  return leden.sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

/**
 * The team's members (see Rooster.leden for `vers`), or undefined when Teams did not give them
 * (logged): the turn then says so instead of failing.
 */
export async function ledenOfNiets(context: TurnContext, deps: Pick<Deps, 'rooster' | 'log'>, teamId: string, opties: { vers: boolean; caseId?: string }): Promise<readonly Lid[] | undefined> {
  try {
    return await deps.rooster.leden(context, teamId, opties.vers);
  } catch (err) {
    deps.log.error({ teamId, ...(opties.caseId ? { caseId: opties.caseId } : {}), err: (err as Error).message }, 'could not list the team members');
    return undefined;
  }
}

/** The team member with this id (AAD or Teams id), or undefined when Teams says they are not one; tried once more when Teams is busy. */
export async function teamLid(context: TurnContext, teamId: string, userId: string): Promise<(Lid & { gast: boolean }) | undefined> {
  try {
    const member = await nogEensBijDrukte(() => TeamsInfo.getTeamMember(context, teamId, userId));
    if (!member?.id) return undefined;
    return { id: userId, name: member.name ?? '', teamsId: member.id, gast: isGast(member) };
  } catch (err) {
    const status = statusVan(err);
    if (status === 404 || status === 403) return undefined;
    throw err;
  }
}

/** True when the user is a member of the team; false when Teams says they are not, or lists them as a guest. */
export async function isTeamLid(context: TurnContext, teamId: string, userId: string): Promise<boolean> {
  const lid = await teamLid(context, teamId, userId);
  return lid !== undefined && !lid.gast;
}

/** A look-up in a user's turn, tried once more after a short wait when Teams is busy (the turn's connector does not retry, see zonderSdkHerhaling). */
async function nogEensBijDrukte<T>(opvragen: () => Promise<T>): Promise<T> {
  try {
    return await opvragen();
  } catch (err) {
    const fout = classify(err);
    if (fout.soort !== 'opnieuw') throw err;
    await new Promise((r) => setTimeout(r, Math.min(fout.wachtMs ?? HERHAAL_MS, MAX_HERHAAL_MS)));
    return opvragen();
  }
}

/**
 * What a look-up in Teams reads of a turn (its adapter, activity and connector client), taken out
 * of it now: botbuilder revokes a turn's context when the turn ends, and a renewal beside the turn
 * (with its retry after a 429) outlives it.
 */
export function losVanBeurt(context: TurnContext): TurnContext {
  return { adapter: context.adapter, activity: context.activity, turnState: context.turnState } as TurnContext;
}

/** The ids a user is known by: AAD object id and Teams id. */
export function eigenIds(context: TurnContext): string[] {
  const from = context.activity.from;
  return [from?.aadObjectId ?? '', from?.id ?? ''].filter(Boolean);
}
