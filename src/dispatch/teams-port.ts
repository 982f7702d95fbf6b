import type { TeamsAdapter } from '@microsoft/teams-ai';
import { CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { AdaptiveCard } from '../../cards/render';
import type { Actor, CaseThread, Lid } from '../domain/zaak';
import { teamLid } from '../bot/leden';
import { openThread } from '../bot/teams';
import type { TeamRecord } from '../store/store';

/** What a delivery may do inside one proactive turn for a team. */
export interface TeamsApi {
  /** Posts a card in a conversation (a channel, or a thread `…;messageid=ROOT`); returns the new message id. Throws the connector's error. */
  send(conversationId: string, card: AdaptiveCard, signal: AbortSignal): Promise<string>;
  /** Replaces a message the bot posted earlier with the card. Throws the connector's error. */
  update(conversationId: string, messageId: string, card: AdaptiveCard, signal: AbortSignal): Promise<void>;
  /** Starts a new thread in the channel with the card as its root post. Throws the connector's error (an abort when `signal` ends it). */
  openThread(channelId: string, card: AdaptiveCard, signal: AbortSignal): Promise<CaseThread>;
  /** The member as a Lid (with the Teams id to mention), or undefined when Teams does not know them or did not answer. */
  lid(actor: Actor): Promise<Lid | undefined>;
}

/** Proactive access to Teams, one turn per team. */
export interface TeamsPort {
  withTeam<T>(team: TeamRecord, work: (api: TeamsApi) => Promise<T>): Promise<T>;
}

/** The real thing: adapter.continueConversationAsync with the team's stored conversation reference. */
export function teamsPort(adapter: TeamsAdapter, botId: string): TeamsPort {
  return {
    async withTeam<T>(team: TeamRecord, work: (api: TeamsApi) => Promise<T>): Promise<T> {
      const reference = { ...(team.conversationReference as Partial<ConversationReference>), serviceUrl: team.serviceUrl };
      let ran = false;
      let result: T | undefined;
      let failure: unknown;
      // Errors thrown inside the logic would go to the app's error handler (which answers a user
      // who is not there), not to this caller: catch them here and hand them back.
      await adapter.continueConversationAsync(botId, reference, async (context: TurnContext) => {
        ran = true;
        try {
          const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
          result = await work(api(context, connector, team.teamId, botId));
        } catch (err) {
          failure = err;
        }
      });
      if (failure !== undefined) throw failure;
      if (!ran) throw new Error('the proactive turn did not run');
      return result as T;
    },
  };
}

function api(context: TurnContext, connector: ConnectorClient, teamId: string, botId: string): TeamsApi {
  return {
    async send(conversationId, card, signal) {
      const response = await connector.conversations.sendToConversation(
        conversationId,
        {
          type: 'message',
          conversation: { id: conversationId, isGroup: true, name: '', conversationType: 'channel' },
          attachments: [CardFactory.adaptiveCard(card)],
        } as Parameters<ConnectorClient['conversations']['sendToConversation']>[1],
        { abortSignal: signal },
      );
      if (!response.id) throw Object.assign(new Error('Teams returned no message id'), { statusCode: 502 });
      return response.id;
    },
    async update(conversationId, messageId, card, signal) {
      await connector.conversations.updateActivity(
        conversationId,
        messageId,
        {
          type: 'message',
          id: messageId,
          conversation: { id: conversationId, isGroup: true, name: '', conversationType: 'channel' },
          attachments: [CardFactory.adaptiveCard(card)],
        } as Parameters<ConnectorClient['conversations']['updateActivity']>[2],
        { abortSignal: signal },
      );
    },
    openThread(channelId, card, signal) {
      return openThread(context, channelId, card, botId, signal);
    },
    async lid(actor) {
      if (actor.teamsId) return { id: actor.id, name: actor.name, teamsId: actor.teamsId };
      try {
        const lid = await teamLid(context, teamId, actor.id);
        return lid && { id: actor.id, name: lid.name || actor.name, teamsId: lid.teamsId };
      } catch {
        return undefined;
      }
    },
  };
}
