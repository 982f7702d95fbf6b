import { CardFactory, type TurnContext } from 'botbuilder';
import { caseListCard, MAX_IN_LIJST } from '../../cards/case-list';
import { helpCard } from '../../cards/help';
import type { AdaptiveCard } from '../../cards/render';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { teamScope, threadUrl } from '../bot/teams';
import { recordPosted, zaakweergave } from '../bot/views';
import { zaakVanBeurt } from '../bot/wachtrij';
import { isValidReference, normaliseReference, REFERENCE_HINT } from '../domain/markering';
import { lokaleDagen, type Zaakregel } from '../domain/zaak';

/** The zaken card made for a list of case lines (a store answers an unchanged list with the same frozen array), per day, count and team. */
const zakenkaarten = new WeakMap<readonly Zaakregel[], { sleutel: string; kaart: AdaptiveCard }>();

const ONLY_IN_TEAM = 'Deze opdracht werkt in het kanaal van je ZSM-team: daar staan de verdiepingszaken.';

/** Commands to look at cases: `zaken`, `zaak <zaaknummer>`, `help`, and help for anything unknown. */
export function register(app: App, deps: Deps): void {
  app.message(/^\s*zaken\s*$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const { total, zaken } = await deps.store.listOpenCases(scope.teamId, { limit: MAX_IN_LIJST });
    const now = deps.clock.now();
    // The ages in the card are whole local days: the same list on the same day is the same card.
    const sleutel = [deps.config.timeZone, lokaleDagen(now, deps.config.timeZone)(0).datum, total, scope.tenantId, scope.aadGroupId].join('\u0000');
    let gemaakt = zakenkaarten.get(zaken);
    if (gemaakt?.sleutel !== sleutel) {
      gemaakt = { sleutel, kaart: caseListCard(zaken, now, deps.config.timeZone, (z) => threadUrl(z.thread, scope.tenantId, scope.aadGroupId), total) };
      zakenkaarten.set(zaken, gemaakt);
    }
    await sendCard(context, gemaakt.kaart);
  });

  app.message(/^\s*zaak(\s+.*)?$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const reference = normaliseReference((context.activity.text ?? '').replace(/^\s*zaak/i, ''));
    if (!reference) return void (await context.sendActivity('Noem het zaaknummer, bijvoorbeeld: zaak 13/123456-24'));
    if (!isValidReference(reference)) return void (await context.sendActivity(`Dat is geen geldig zaaknummer. ${REFERENCE_HINT}`));
    const zaak = await deps.store.findCaseByReference(scope.teamId, reference);
    if (!zaak) return void (await context.sendActivity(`Er is geen verdiepingszaak met zaaknummer ${reference} in dit team.`));
    zaakVanBeurt(context, zaak);
    await recordPosted(deps, zaak, context.activity.conversation?.id, [await sendCard(context, zaakweergave(zaak, 'zaakkaart', deps.config.timeZone))]);
  });

  app.activity('message', async (context) => {
    // Card submits without text are not commands; everything else gets help, never silence.
    if (!context.activity.text?.trim() && context.activity.value) return;
    await sendCard(context, helpCard(deps.botName));
  });
}

async function sendCard(context: TurnContext, card: AdaptiveCard): Promise<string | undefined> {
  return (await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] }))?.id;
}
