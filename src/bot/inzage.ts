import type { TurnContext } from 'botbuilder';
import type { Actor, Verdiepingszaak } from '../domain/zaak';
import type { Deps } from './deps';
import { actorOf } from './teams';

/** Who is looking, as the inzage record names them (with their Teams id when Teams gives it). */
function lezer(context: TurnContext): Actor {
  const teamsId = context.activity.from?.id;
  return { ...actorOf(context.activity), ...(teamsId ? { teamsId } : {}) };
}

/**
 * Records that this turn's actor is shown `wat` of these cases (e.g. 'zaakkaart', 'ketenkaart',
 * 'antwoord:<uitvraagId>', 'duiding', 'besluit'). Await it before returning the content: when the
 * store fails it throws, and the content is not shown unless its inzage was recorded.
 */
export async function legInzageVast(context: TurnContext, deps: Deps, zaken: readonly Verdiepingszaak[], wat: string): Promise<void> {
  const door = lezer(context);
  const op = deps.clock.now().toISOString();
  if (zaken.length > 0) await deps.store.recordInzage(zaken.map((zaak) => ({ teamId: zaak.teamId, caseId: zaak.id, door, wat, op })));
}
