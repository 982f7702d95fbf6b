import type { ConnectorClient } from 'botframework-connector';
import { CardFactory, type TurnContext } from 'botbuilder';
import { caseCard, type Kijker } from '../../cards/case-card';
import { verdiepingskaartCard, type Melding } from '../../cards/verdiepingskaart';
import { betrokkenTeamsIds } from '../domain/toegang';
import { Verb } from '../verbs';
import type { AdaptiveCard } from '../../cards/render';
import type { CaseThread, Lid, Verdiepingszaak } from '../domain/zaak';
import type { Deps } from './deps';

/** A card in the case thread that shows the case's current state and is updated in place. */
export interface ThreadView {
  name: string;
  messageId(zaak: Verdiepingszaak): string | undefined;
  render(zaak: Verdiepingszaak, deps: Deps): AdaptiveCard;
}

/** The two case views in the thread that refresh per user. */
export type Zaakweergave = 'zaakkaart' | 'verdiepingskaart';

/**
 * Makes a channel card a user-specific view: Teams asks the bot for each betrokken professional's
 * own view when they look at it (`refresh.userIds`); the card's "Bekijken" button does the same on
 * request, for anyone, re-checked by the bot.
 */
export function persoonlijkeWeergave(card: AdaptiveCard, zaak: Verdiepingszaak, kaart: Zaakweergave): AdaptiveCard {
  return { ...card, refresh: { action: { type: 'Action.Execute', verb: Verb.zaakBekijken, data: { caseId: zaak.id, kaart } }, userIds: betrokkenTeamsIds(zaak) } };
}

/** A case view as the channel shows it (status only), or with content for someone on the case. */
export function zaakweergave(zaak: Verdiepingszaak, kaart: Zaakweergave, timeZone: string, kijker: Kijker = 'kanaal', melding?: Melding): AdaptiveCard {
  const card = kaart === 'zaakkaart' ? caseCard(zaak, timeZone, kijker) : verdiepingskaartCard(zaak, timeZone, melding, kijker === 'betrokken');
  return persoonlijkeWeergave(card, zaak, kaart);
}

const VIEWS: readonly ThreadView[] = [
  { name: 'zaakkaart', messageId: (z) => z.thread?.rootMessageId, render: (z, deps) => zaakweergave(z, 'zaakkaart', deps.config.timeZone) },
  { name: 'verdiepingskaart', messageId: (z) => z.verdiepingskaartId, render: (z, deps) => zaakweergave(z, 'verdiepingskaart', deps.config.timeZone) },
];

function connector(context: TurnContext): ConnectorClient {
  return context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
}

/** Posts a card as a reply in a case thread (from any turn of the same service); returns the new message id. */
export async function postInThread(context: TurnContext, thread: CaseThread, card: AdaptiveCard): Promise<string> {
  const response = await connector(context).conversations.sendToConversation(thread.conversationId, {
    type: 'message',
    conversation: { id: thread.conversationId, isGroup: true, name: '', conversationType: 'channel' },
    attachments: [CardFactory.adaptiveCard(card)],
  } as Parameters<ConnectorClient['conversations']['sendToConversation']>[1]);
  if (!response.id) throw new Error('Teams returned no message id');
  return response.id;
}

/**
 * Remembers messages posted for a case that the case does not record itself, so retention can
 * replace them in Teams; a failure is logged (the message is out already).
 */
export async function recordPosted(deps: Pick<Deps, 'store' | 'log'>, zaak: Pick<Verdiepingszaak, 'teamId' | 'id'>, conversationId: string | undefined, messageIds: (string | undefined)[]): Promise<void> {
  const berichten = conversationId ? messageIds.filter((id): id is string => !!id).map((messageId) => ({ conversationId, messageId })) : [];
  if (berichten.length === 0) return;
  try {
    await deps.store.recordMessages(zaak.teamId, zaak.id, berichten);
  } catch (err) {
    deps.log.error({ teamId: zaak.teamId, caseId: zaak.id, err: (err as Error).message }, 'could not record a posted message for retention');
  }
}

/** An @mention entity for a team member, matching `<at>${name}</at>` in the card text. */
export interface Mention {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export function mentionOf(lid: Lid): Mention {
  return { type: 'mention', text: `<at>${lid.name}</at>`, mentioned: { id: lid.teamsId, name: lid.name } };
}

/** Makes `<at>name</at>` in the card's text a real @mention of each member (Teams reads msteams.entities). */
export function withMentions(card: AdaptiveCard, leden: Lid[]): AdaptiveCard {
  if (leden.length === 0) return card;
  const msteams = (card.msteams ?? {}) as Record<string, unknown>;
  return { ...card, msteams: { ...msteams, entities: leden.map(mentionOf) } };
}

/** Replaces a message the bot sent earlier, in any conversation of the same service. */
export async function updateMessage(context: TurnContext, conversationId: string, messageId: string, card: AdaptiveCard): Promise<void> {
  await connector(context).conversations.updateActivity(conversationId, messageId, {
    type: 'message',
    id: messageId,
    conversation: { id: conversationId, isGroup: true, name: '', conversationType: 'channel' },
    attachments: [CardFactory.adaptiveCard(card)],
  } as Parameters<ConnectorClient['conversations']['updateActivity']>[2]);
}

const running = new Map<string, Promise<void>>();
const waiting = new Map<string, Promise<void>>();

/**
 * Runs `work` after earlier work for the same key in this process has finished. Callers that
 * arrive while a run is already waiting share that run: it reads the newest state anyway, so a
 * burst of changes costs one extra round of updates, not one per change.
 */
function coalesced(key: string, work: () => Promise<void>): Promise<void> {
  const queued = waiting.get(key);
  if (queued) return queued;
  const previous = running.get(key) ?? Promise.resolve();
  const run: Promise<void> = previous
    .catch(() => undefined)
    .then(() => {
      waiting.delete(key);
      running.set(key, run);
      return work();
    })
    .finally(() => {
      if (running.get(key) === run) running.delete(key);
    });
  waiting.set(key, run);
  return run;
}

/**
 * Brings every thread view of a case up to date. Renders from a fresh read and checks the case
 * did not change meanwhile (another turn or instance may have written): the last update shown
 * is always of the newest version.
 */
export function refreshThreadViews(context: TurnContext, deps: Deps, teamId: string, caseId: string): Promise<void> {
  return coalesced(`${teamId}/${caseId}`, async () => {
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
