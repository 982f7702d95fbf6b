import { randomUUID } from 'node:crypto';

export const TENANT = '7a5e0000-0000-4000-8000-000000000001';
export const FOREIGN_TENANT = '99999999-0000-4000-8000-000000000009';
export const TEAM_ID = '19:zsm-team@thread.tacv2';
export const CHANNEL_ID = '19:zsm-kanaal@thread.tacv2';
export const BOT = { id: '28:verdiep-bot', name: 'Verdiep' };

export interface User {
  id: string;
  aadObjectId: string;
  name: string;
}

export const OFFICIER: User = { id: '29:officier', aadObjectId: 'aad-officier', name: 'Officier Van Dijk' };
export const VEILIG_THUIS: User = { id: '29:vt', aadObjectId: 'aad-vt', name: 'Medewerker Veilig Thuis' };

/** A valid flag form as the card submits it (the cola case). */
export const FLAG_FORM = {
  zaaknummer: '13/123456-26',
  zaaktypes: 'lvb',
  signaal: 'Man (61) stal drie blikjes cola. Zijn netwerk is weggevallen.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: '',
  betrokkene_0_leeftijd: '23-64',
  rijen: 1,
};

export interface Env {
  serviceUrl: string;
  tenantId?: string;
}

function base(env: Env, from: User, conversationId = CHANNEL_ID) {
  const tenantId = env.tenantId ?? TENANT;
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: env.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId },
    channelData: {
      tenant: { id: tenantId },
      team: { id: TEAM_ID, name: 'ZSM Haarlem', aadGroupId: 'aad-group-zsm' },
      channel: { id: CHANNEL_ID, name: 'ZSM' },
    },
  };
}

/** A channel message that @mentions the bot, as Teams sends it. */
export function mention(env: Env, from: User, text: string, conversationId?: string) {
  return {
    ...base(env, from, conversationId),
    type: 'message',
    text: `<at>Verdiep</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>Verdiep</at>', mentioned: BOT }],
  };
}

export function personalMessage(env: Env, from: User, text: string) {
  const b = base(env, from, `a:personal-${from.id}`);
  return { ...b, type: 'message', text, conversation: { id: `a:personal-${from.id}`, conversationType: 'personal', tenantId: env.tenantId ?? TENANT }, channelData: { tenant: { id: env.tenantId ?? TENANT } } };
}

/** The bot being added to the team (Teams sends this to the General channel). */
export function botInstalled(env: Env, by: User) {
  const b = base(env, by, TEAM_ID);
  return { ...b, type: 'conversationUpdate', membersAdded: [BOT], channelData: { ...b.channelData, channel: { id: TEAM_ID }, eventType: 'teamMemberAdded' } };
}

/** An Action.Execute on a card the bot sent (`replyToId` is that card's message id). */
export function cardAction(env: Env, from: User, verb: string, data: Record<string, unknown>, replyToId = 'card-1', conversationId?: string) {
  return {
    ...base(env, from, conversationId),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data: { ...data } }, trigger: 'manual' },
  };
}

export function messageActionFetch(env: Env, from: User, commandId: string, messageHtml: string) {
  return {
    ...base(env, from),
    type: 'invoke',
    name: 'composeExtension/fetchTask',
    value: { commandId, commandContext: 'message', context: { theme: 'default' }, messagePayload: { id: 'msg-1', body: { contentType: 'html', content: messageHtml } } },
  };
}

export function messageActionSubmit(env: Env, from: User, commandId: string, data: Record<string, unknown>) {
  return {
    ...base(env, from),
    type: 'invoke',
    name: 'composeExtension/submitAction',
    value: { commandId, commandContext: 'message', data },
  };
}
