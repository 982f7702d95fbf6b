import { CardFactory, TurnContext } from 'botbuilder';
import { welcomeCard } from '../../cards/help';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { teamScope, type TeamScope } from '../bot/teams';
import type { TeamRecord } from '../store/store';

/** When the app is added to a team: remember where to post, and say what Verdiep is for. */
export function register(app: App, deps: Deps): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient.id;
    if (!context.activity.membersAdded?.some((m) => m.id === botId)) return;
    const scope = teamScope(context.activity);
    if (scope) {
      // Teams may tell of an install again (a redelivery, a reinstall): the team's schedule and install date stay.
      await saveTeam(context, scope, deps, await deps.store.getTeam(scope.teamId));
      deps.log.info({ teamId: scope.teamId }, 'installed in team');
    }
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(welcomeCard(deps.botName))] });
  });
}

async function saveTeam(context: TurnContext, scope: TeamScope, deps: Deps, existing?: TeamRecord): Promise<void> {
  const now = deps.clock.now().toISOString();
  const reference = TurnContext.getConversationReference(context.activity);
  // The team's channel conversation, not a thread inside it.
  const conversation = { ...reference.conversation, id: (reference.conversation?.id ?? scope.channelId).split(';')[0]! };
  await deps.store.saveTeam({
    teamId: scope.teamId,
    tenantId: scope.tenantId,
    ...(scope.teamName ? { name: scope.teamName } : {}),
    channelId: conversation.id,
    serviceUrl: context.activity.serviceUrl,
    conversationReference: JSON.parse(JSON.stringify({ ...reference, conversation })) as Record<string, unknown>,
    installedAt: existing?.installedAt ?? now,
    updatedAt: now,
    ...(existing?.digestCron ? { digestCron: existing.digestCron } : {}),
  });
}

/** Remembers a team that was installed before Verdiep kept records (or whose record was lost). */
export async function ensureTeam(context: TurnContext, scope: TeamScope, deps: Deps): Promise<void> {
  const existing = await deps.store.getTeam(scope.teamId);
  if (!existing || existing.serviceUrl !== context.activity.serviceUrl) await saveTeam(context, scope, deps, existing);
}
