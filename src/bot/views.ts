import type { ConnectorClient } from 'botframework-connector';
import { CardFactory, type TurnContext } from 'botbuilder';
import { caseCard } from '../../cards/case-card';
import type { AdaptiveCard } from '../../cards/render';
import type { Verdiepingszaak } from '../domain/zaak';
import type { Deps } from './deps';

/** A card in the case thread that shows the case's current state and is updated in place. */
export interface ThreadView {
  name: string;
  messageId(zaak: Verdiepingszaak): string | undefined;
  render(zaak: Verdiepingszaak, deps: Deps): AdaptiveCard;
}

const VIEWS: readonly ThreadView[] = [
  { name: 'zaakkaart', messageId: (z) => z.thread?.rootMessageId, render: (z, deps) => caseCard(z, deps.config.timeZone) },
];

/** Replaces a message the bot sent earlier, in any conversation of the same service. */
export async function updateMessage(context: TurnContext, conversationId: string, messageId: string, card: AdaptiveCard): Promise<void> {
  const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
  await client.conversations.updateActivity(conversationId, messageId, {
    type: 'message',
    id: messageId,
    conversation: { id: conversationId, isGroup: true, name: '', conversationType: 'channel' },
    attachments: [CardFactory.adaptiveCard(card)],
  } as Parameters<ConnectorClient['conversations']['updateActivity']>[2]);
}

const locks = new Map<string, Promise<unknown>>();

/** Runs `work` after all earlier work for the same key in this process has finished. */
function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => locks.get(key) === tail && locks.delete(key));
  return run;
}

/**
 * Brings every thread view of a case up to date. Renders from a fresh read and checks the case
 * did not change meanwhile (another turn or instance may have written): the last update shown
 * is always of the newest version.
 */
export function refreshThreadViews(context: TurnContext, deps: Deps, teamId: string, caseId: string): Promise<void> {
  return serialised(`${teamId}/${caseId}`, async () => {
    for (let round = 0; round < 5; round++) {
      const zaak = await deps.store.getCase(teamId, caseId);
      if (!zaak?.thread) return;
      for (const view of VIEWS) {
        const messageId = view.messageId(zaak);
        if (messageId) await updateMessage(context, zaak.thread.conversationId, messageId, view.render(zaak, deps));
      }
      const after = await deps.store.getCase(teamId, caseId);
      if (after?.version === zaak.version) return;
    }
  });
}
