import { CardFactory, MessageFactory, TurnContext, type Activity } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { AdaptiveCard } from '../../cards/render';
import type { Actor, CaseThread } from '../domain/zaak';

/** The Teams team and channel a turn happens in; undefined outside a team channel. */
export interface TeamScope {
  teamId: string;
  channelId: string;
  tenantId: string;
  aadGroupId?: string;
  teamName?: string;
}

interface TeamsChannelData {
  team?: { id?: string; name?: string; aadGroupId?: string };
  channel?: { id?: string };
  tenant?: { id?: string };
  eventType?: string;
}

export function channelData(activity: Partial<Activity>): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  return activity.conversation?.tenantId ?? channelData(activity).tenant?.id;
}

export function teamScope(activity: Partial<Activity>): TeamScope | undefined {
  const data = channelData(activity);
  const teamId = data.team?.id;
  const tenantId = tenantOf(activity);
  if (!teamId || !tenantId) return undefined;
  const channelId = data.channel?.id ?? activity.conversation?.id?.split(';')[0] ?? teamId;
  return { teamId, channelId, tenantId, aadGroupId: data.team?.aadGroupId, teamName: data.team?.name };
}

/** The acting user, with the Teams id when known (user-specific card views need it). */
export function actorOf(activity: Partial<Activity>): Actor {
  const from = activity.from;
  return { id: from?.aadObjectId ?? from?.id ?? 'onbekend', name: from?.name ?? 'Onbekend', ...(from?.id ? { teamsId: from.id } : {}) };
}

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/**
 * Starts a new thread in a channel with the card as its root post (what TeamsInfo's
 * sendMessageToTeamsChannel asks of Teams), through the turn's connector so that the call ends
 * with `signal`: Teams that takes the connection and never answers holds up no turn or dispatcher.
 */
export async function openThread(context: TurnContext, channelId: string, card: AdaptiveCard, botId: string, signal: AbortSignal): Promise<CaseThread> {
  const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
  const parameters = { isGroup: true, bot: { id: botId, name: '' }, channelData: { channel: { id: channelId } }, activity: cardActivity(card) as Activity };
  const response = await connector.conversations.createConversation(parameters as Parameters<ConnectorClient['conversations']['createConversation']>[0], { abortSignal: signal });
  const conversationId = response.id;
  // The thread's conversation id ends in ";messageid=<root post id>".
  const rootMessageId = conversationId?.split(';messageid=')[1];
  if (!conversationId || !rootMessageId) throw new Error('Teams returned no thread id');
  return { channelId, conversationId, rootMessageId };
}

/** Deep link to a case thread in Teams. */
export function threadUrl(thread: CaseThread | undefined, tenantId: string, aadGroupId?: string): string {
  if (!thread) return '';
  // Built as a string: a URLSearchParams per case was a twentieth of a `zaken` turn.
  const q = encodeURIComponent;
  return `https://teams.microsoft.com/l/message/${q(thread.channelId)}/${q(thread.rootMessageId)}?tenantId=${q(tenantId)}&parentMessageId=${q(thread.rootMessageId)}${aadGroupId ? `&groupId=${q(aadGroupId)}` : ''}`;
}

/**
 * Takes the connector library's own retry policy out of a connector (each is made once and kept,
 * see verbindingen). The bot owns retries: the dispatcher's waits must fit a job's lease and its
 * pace must see each 429 with its Retry-After; a user's turn must not wait seconds on a busy Teams
 * (the answer, or the case's thread, goes through the outbox instead).
 */
export function zonderSdkHerhaling(connector: ConnectorClient): ConnectorClient {
  const client = (connector as unknown as { client?: { pipeline?: { removePolicy(options: { name: string }): unknown } } }).client;
  client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
  return connector;
}
