import { z } from 'zod';
import { Command, Verb } from '../verbs';

/**
 * The shape of a Bot Framework activity as Teams sends it, checked at the edge before the adapter
 * sees it. Only the fields the bot reads are constrained; anything else passes through untouched:
 * the adapter gets the activity as it came, not zod's output, so the objects are plain `z.object`
 * (other fields allowed, left out of an output nobody reads) rather than `z.looseObject`, which
 * would walk every other field to copy it.
 */
const text = (max: number) => z.string().max(max);
/** Teams ids (conversation, user, tenant, message) are printable ASCII: they go into URLs and HTTP headers. One check for both the characters and the length. */
const ascii = (max: number, min = 0) => z.string().regex(new RegExp(`^[\\x21-\\x7e]{${min},${max}}$`), `printable ASCII, ${min} to ${max} characters`);
const id = ascii(1024, 1);
/**
 * Where the bot answers: http(s), a host name or IP address (no user info, no backslash), an
 * optional port, then printable ASCII. A pattern rather than `z.url()`, which builds a URL object
 * for every request: that was 40 % of this whole check. The token's serviceurl claim binds the
 * URL to the sender (botframework-connector checks it).
 */
const serviceUrl = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:[/?#][\x21-\x7e]*)?$/, 'http(s) URL');

const account = z.object({ id, name: text(1024).optional(), aadObjectId: ascii(1024).optional() });

const channelData = z.object({
  tenant: z.object({ id: ascii(200) }).optional(),
  team: z.object({ id, name: text(1024).optional(), aadGroupId: ascii(200).optional() }).optional(),
  channel: z.object({ id, name: text(1024).optional() }).optional(),
  eventType: text(200).optional(),
});

const cardData = z.record(z.string(), z.unknown());

/** The invokes the bot answers; any other invoke would end in 501 inside the adapter. */
const invokeValue = {
  'adaptiveCard/action': z.object({
    action: z.object({ type: z.literal('Action.Execute'), verb: z.enum(Object.values(Verb)), data: cardData.optional() }),
    trigger: text(100).optional(),
  }),
  'composeExtension/fetchTask': z.object({ commandId: z.enum(Object.values(Command)), messagePayload: z.object({}).optional() }),
  'composeExtension/submitAction': z.object({ commandId: z.enum(Object.values(Command)), data: cardData.optional() }),
} as const;

/** Activity types Teams sends to a bot. */
const TYPES = ['message', 'conversationUpdate', 'invoke', 'messageReaction', 'messageUpdate', 'messageDelete', 'installationUpdate', 'event', 'typing', 'endOfConversation'] as const;

const activity = z
  .object({
    type: z.enum(TYPES),
    id: ascii(1024).optional(),
    name: text(200).optional(),
    channelId: text(100).min(1),
    serviceUrl,
    from: account,
    recipient: account,
    conversation: z.object({ id, tenantId: ascii(200).optional(), conversationType: text(100).optional(), isGroup: z.boolean().optional() }),
    channelData: channelData.optional(),
    text: text(100_000).optional(),
    replyToId: ascii(1024).optional(),
    entities: z.array(z.object({ type: text(100), text: text(1024).optional(), mentioned: account.optional() })).max(100).optional(),
    attachments: z.array(z.object({ contentType: text(200) })).max(50).optional(),
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
    value: z.unknown().optional(),
  })
  .superRefine((a, ctx) => {
    // botbuilder strips the bot's @mention from the text: a mention needs who and the text it replaces.
    const mentions = (a.entities ?? []).filter((e) => e.type === 'mention');
    if (mentions.some((m) => !m.mentioned || m.text === undefined) || (mentions.length && a.text === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['entities'], message: 'incomplete mention' });
    }
    if (a.type !== 'invoke') return;
    const schema = a.name !== undefined && Object.hasOwn(invokeValue, a.name) ? invokeValue[a.name as keyof typeof invokeValue] : undefined;
    if (!schema) ctx.addIssue({ code: 'custom', path: ['name'], message: 'unknown invoke' });
    else if (!schema.safeParse(a.value).success) ctx.addIssue({ code: 'custom', path: ['value'], message: 'wrong value' });
  });

/** Nesting deeper than this is no activity Teams sends. */
export const MAX_DEPTH = 32;

/** Parses a request body as an activity; `undefined` for anything malformed. */
export function parseActivity(raw: Buffer): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!plainTree(parsed)) return undefined;
  return activity.safeParse(parsed).success ? (parsed as Record<string, unknown>) : undefined;
}

/** False for JSON nested deeper than MAX_DEPTH or carrying a `__proto__` key (walked without recursion). */
function plainTree(value: unknown): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_DEPTH) return false;
    if (!Array.isArray(node) && Object.hasOwn(node, '__proto__')) return false;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return true;
}
