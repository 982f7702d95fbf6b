import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AdaptiveCard } from '../cards/render';
import type { Melding } from '../cards/verdiepingskaart';
import type { Deps } from '../src/bot/deps';
import { teamScope, type TeamScope } from '../src/bot/teams';
import { rollenOpZaak, toegangTotZaak } from '../src/bot/toegang';
import { zaakweergave } from '../src/bot/views';
import type { ZaakMelding } from '../src/domain/jobs';
import { magZien } from '../src/domain/toegang';
import type { Verdiepingszaak } from '../src/domain/zaak';

export const NOT_IN_CHANNEL = 'Dit werkt in het kanaal van je ZSM-team, in het zaakgesprek.';
export const NOT_FOUND = 'Deze zaak bestaat niet (meer) in dit team.';

/** The case a card action is about, in the team the action comes from, if the access policy lets this actor act on it. */
export async function zaakVanActie(
  context: TurnContext,
  deps: Deps,
  caseId: string,
): Promise<{ ok: true; scope: TeamScope; zaak: Verdiepingszaak } | { ok: false; notice: string }> {
  const scope = teamScope(context.activity);
  if (!scope) return { ok: false, notice: NOT_IN_CHANNEL };
  const zaak = await deps.store.getCase(scope.teamId, caseId);
  if (!zaak) {
    deps.log.warn({ teamId: scope.teamId, caseId, activityId: context.activity.id }, 'card action for an unknown case');
    return { ok: false, notice: NOT_FOUND };
  }
  const nee = toegangTotZaak(context, deps, zaak);
  if (nee) return { ok: false, notice: nee };
  return { ok: true, scope, zaak };
}

/** The verdiepingskaart for the acting user (content only when they may see it), with an optional notice. */
export function overview(context: TurnContext, zaak: Verdiepingszaak, deps: Deps, melding?: Melding): AdaptiveCard {
  const kijker = magZien('inhoud', rollenOpZaak(context, zaak)) ? 'betrokken' : 'beperkt';
  return zaakweergave(zaak, 'verdiepingskaart', deps.config.timeZone, kijker, melding);
}

/**
 * A status notice for the case thread (the turn's conversation when the case has none). Written
 * with the change as an outbox job (ZaakService's `melding`): it goes out after the turn's answer,
 * at Teams' pace, and is recorded with the case when posted, so retention erases it too.
 */
export function inZaakgesprek(context: TurnContext, zaak: Verdiepingszaak, kaart: AdaptiveCard): ZaakMelding {
  return { naar: zaak.thread?.conversationId ?? context.activity.conversation.id, kaart };
}

/** The case id every card action of a case carries (built once: zod builds a schema slowly). */
const zaakVerwijzing = z.object({ caseId: z.string().min(1).max(200) });

/** Reads the case id every card action of a case carries. */
export function caseIdOf(data: unknown): string | undefined {
  const parsed = zaakVerwijzing.safeParse(data ?? {});
  return parsed.success ? parsed.data.caseId : undefined;
}
