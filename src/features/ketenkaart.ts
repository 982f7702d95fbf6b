import { CardFactory } from 'botbuilder';
import { ketenkaartCards } from '../../cards/ketenkaart';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { isTeamLid } from '../bot/leden';
import { teamScope } from '../bot/teams';
import { recordPosted } from '../bot/views';
import { isValidReference, normaliseReference, REFERENCE_HINT } from '../domain/markering';

const ONLY_IN_TEAM = 'De ketenkaart is alleen te zien in het kanaal van je ZSM-team: noem daar @Verdiep met "ketenkaart <zaaknummer>".';
const NOT_A_MEMBER = 'De ketenkaart is alleen voor leden van dit team.';
const COULD_NOT_CHECK = 'Ik kon niet nagaan of je lid bent van dit team, dus ik laat de ketenkaart niet zien. Probeer het zo opnieuw.';

/** `ketenkaart <zaaknummer>`: the whole case record, for team members, in the team's channel. */
export function register(app: App, deps: Deps): void {
  app.message(/^\s*ketenkaart(\s+.*)?$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const userId = context.activity.from?.id ?? '';
    let lid: boolean;
    try {
      lid = await isTeamLid(context, scope.teamId, userId);
    } catch (err) {
      deps.log.error({ teamId: scope.teamId, err: (err as Error).message }, 'could not check team membership');
      return void (await context.sendActivity(COULD_NOT_CHECK));
    }
    if (!lid) {
      deps.log.warn({ teamId: scope.teamId, userId }, 'ketenkaart refused: not a team member');
      return void (await context.sendActivity(NOT_A_MEMBER));
    }
    const reference = normaliseReference((context.activity.text ?? '').replace(/^\s*ketenkaart/i, ''));
    if (!reference) return void (await context.sendActivity('Noem het zaaknummer, bijvoorbeeld: ketenkaart 13/123456-24'));
    if (!isValidReference(reference)) return void (await context.sendActivity(`Dat is geen geldig zaaknummer. ${REFERENCE_HINT}`));
    const zaak = await deps.store.findCaseByReference(scope.teamId, reference);
    if (!zaak) return void (await context.sendActivity(`Er is geen verdiepingszaak met zaaknummer ${reference} in dit team.`));
    const [events, jobs] = await Promise.all([deps.store.listEvents(scope.teamId, zaak.id), deps.store.listJobs(scope.teamId, { caseId: zaak.id })]);
    const cards = ketenkaartCards(zaak, events, jobs, deps.config.timeZone, deps.clock.now());
    const posted: (string | undefined)[] = [];
    for (const card of cards) posted.push((await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] }))?.id);
    await recordPosted(deps, zaak, context.activity.conversation?.id, posted);
    deps.log.info({ teamId: scope.teamId, caseId: zaak.id, messages: cards.length }, 'ketenkaart shown');
  });
}
