import { createHash } from 'node:crypto';
import { caseCard, type Kijker } from '../../cards/case-card';
import { verdiepingskaartCard, type Melding } from '../../cards/verdiepingskaart';
import { betrokkenTeamsIds } from '../domain/toegang';
import { Verb } from '../verbs';
import type { AdaptiveCard } from '../../cards/render';
import { mentionLid, uitvraagPromptCard, type PromptOpties } from '../../cards/uitvraag-prompt';
import { actieCard, herinneringCard, monitoringCard, plandatumCard, verlopenCard } from '../../cards/opvolging';
import type { CaseThread, Lid, Opvolgkaart, Uitvraag, Verdiepingszaak } from '../domain/zaak';
import type { ZaakService } from '../domain/service';
import type { ZaakMelding } from '../domain/jobs';
import type { Clock } from '../domain/ports';
import type { Logger } from '../log';
import type { Store } from '../store/store';

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

/** A prompt card as the thread shows it (the status; content only in the per-user views), with its @mention of the invitee. */
export function promptKaart(zaak: Verdiepingszaak, uitvraag: Uitvraag, timeZone: string, opties: PromptOpties = {}): AdaptiveCard {
  return withMentions(uitvraagPromptCard(zaak, uitvraag, timeZone, opties), [mentionLid(uitvraag.invitee)]);
}

/** What a follow-up card is about, before it is posted. */
export type Opvolging = Omit<Opvolgkaart, 'conversationId' | 'messageId'>;

/**
 * A follow-up card as the channel shows it (status only; the content is in the addressee's own
 * view), with its @mention: when it is posted, and again whenever the case changes. Undefined when
 * the case no longer has what it is about.
 */
export function opvolgweergave(zaak: Verdiepingszaak, o: Opvolging, timeZone: string): AdaptiveCard | undefined {
  const mentions = (card: AdaptiveCard, lid: Lid | undefined) => withMentions(card, lid ? [mentionLid(lid)] : []);
  switch (o.soort) {
    case 'herinnering':
    case 'verlopen': {
      const uitvraag = zaak.uitvragen.find((u) => u.id === o.ref);
      if (!uitvraag) return undefined;
      return o.soort === 'herinnering' ? mentions(herinneringCard(zaak, uitvraag, timeZone), uitvraag.invitee) : mentions(verlopenCard(zaak, o.lead, uitvraag, timeZone), o.lead);
    }
    case 'actie': {
      const actie = zaak.besluit?.acties.find((a) => a.id === o.ref);
      return actie && mentions(actieCard(zaak, actie, timeZone, o.basis ? { basis: o.basis } : {}), actie.eigenaar);
    }
    case 'monitoring':
      return mentions(monitoringCard(zaak, o.lead, o.ref, timeZone), o.lead);
    case 'plandatum':
      return mentions(plandatumCard(zaak, o.lead, timeZone, false, o.basis), o.lead);
  }
}

/** The bot itself as the actor of what it records on its own (a new thread after the old one was lost). */
export const VERDIEP = { id: 'verdiep', name: 'Verdiep' } as const;

/**
 * When Teams no longer knows a case's thread (404), or a flagged case has none yet, a fresh case
 * card opens a new thread in the channel and the case records it; the cards of an old thread are
 * gone with it. When another turn or instance opened one meanwhile, that one is used (a race both
 * lose leaves one extra case card in the channel, logged). Returns the case with its current thread.
 */
export function nieuwZaakgesprek(open: OpenThread, deps: GesprekDeps, zaak: Verdiepingszaak, channelId: string): Promise<Verdiepingszaak> {
  // One at a time per lost thread in this process: a turn and the dispatcher that both hit the 404 share one new thread.
  const key = `${zaak.teamId}\u0000${zaak.id}\u0000${zaak.thread?.conversationId}`;
  const lopend = heropend.get(key) ?? openNieuw(open, deps, zaak, channelId).finally(() => heropend.delete(key));
  heropend.set(key, lopend);
  return lopend;
}

type OpenThread = (channelId: string, card: AdaptiveCard) => Promise<CaseThread>;
type GesprekDeps = { zaken: Pick<ZaakService, 'change'>; store: Pick<Store, 'getCase' | 'recordMessages'>; log: Logger; clock: Clock; timeZone: string };
const heropend = new Map<string, Promise<Verdiepingszaak>>();

async function openNieuw(open: OpenThread, deps: GesprekDeps, zaak: Verdiepingszaak, channelId: string): Promise<Verdiepingszaak> {
  const kwijt = zaak.thread?.conversationId;
  const vers = await deps.store.getCase(zaak.teamId, zaak.id);
  if (vers?.thread && vers.thread.conversationId !== kwijt) return vers;
  const kaart = zaakweergave(vers ?? zaak, 'zaakkaart', deps.timeZone);
  const thread = await open(zaak.thread?.channelId ?? channelId, kaart);
  onthoudGeplaatst(thread.conversationId, thread.rootMessageId, kaart);
  let eerder = false;
  // A lost thread's verdiepingskaart (the principles are walked on it) and the cards its open
  // questions had go to the new one through the outbox (a card still on its way has its own job).
  const naar = thread.conversationId;
  let hadKaart = new Set<string>();
  const kaarten = (z: Verdiepingszaak): ZaakMelding[] => [
    { naar, kaart: zaakweergave(z, 'verdiepingskaart', deps.timeZone), opZaak: 'verdiepingskaart' },
    ...z.uitvragen.filter((u) => u.status === 'open' && hadKaart.has(u.id)).map((u): ZaakMelding => ({ naar, kaart: promptKaart(z, u, deps.timeZone), opZaak: { uitvraag: u.id } })),
  ];
  const na = await deps.zaken.change(
    zaak.teamId,
    zaak.id,
    VERDIEP,
    (current) => {
      eerder = current.thread?.conversationId !== kwijt;
      hadKaart = new Set(current.uitvragen.filter((u) => u.messageId).map((u) => u.id));
      return eerder ? [] : [{ type: 'zaak.thread_geopend', data: thread }];
    },
    kwijt ? { melding: kaarten } : {},
  );
  const log = { teamId: zaak.teamId, caseId: zaak.id, rootMessageId: thread.rootMessageId };
  if (eerder) {
    deps.log.warn({ ...log, verloren: !!kwijt }, 'another turn opened the case thread first; this case card stays unused');
    // Not the case's card, so retention replaces it as a message posted for the case.
    await recordPosted(deps, zaak, thread.conversationId, [thread.rootMessageId]);
  }
  else if (kwijt) deps.log.warn(log, 'case thread gone (404); a fresh case card opened one');
  else deps.log.warn(log, 'case had no thread yet; a fresh case card opened one');
  return na;
}

/** A card in the case thread that shows the case's current state, updated in place. */
export interface Draadweergave {
  conversationId: string;
  messageId: string;
  card: AdaptiveCard;
}

/**
 * Every card in the case thread that shows the case's state, as the channel shows it: the case
 * card, the verdiepingskaart, each prompt card and each follow-up card the case records. The
 * dispatcher renders them from a fresh read.
 */
export function draadWeergaven(zaak: Verdiepingszaak, timeZone: string): Draadweergave[] {
  const thread = zaak.thread;
  const views: { conversationId: string; messageId: string | undefined; card: () => AdaptiveCard | undefined }[] = [
    ...(thread
      ? [
          { conversationId: thread.conversationId, messageId: thread.rootMessageId, card: () => zaakweergave(zaak, 'zaakkaart', timeZone) },
          { conversationId: thread.conversationId, messageId: zaak.verdiepingskaartId, card: () => zaakweergave(zaak, 'verdiepingskaart', timeZone) },
          ...zaak.uitvragen.map((u) => ({ conversationId: thread.conversationId, messageId: u.messageId, card: () => promptKaart(zaak, u, timeZone) })),
        ]
      : []),
    ...(zaak.opvolgkaarten ?? []).map((o) => ({ conversationId: o.conversationId, messageId: o.messageId, card: () => opvolgweergave(zaak, o, timeZone) })),
  ];
  return views.flatMap(({ conversationId, messageId, card }) => {
    const kaart = messageId ? card() : undefined;
    return messageId && kaart ? [{ conversationId, messageId, card: kaart }] : [];
  });
}

/** A thread message's key in what a stale-views marker records it shows (short: the marker is written with every change). */
export const weergaveSleutel = (conversationId: string, messageId: string): string => createHash('sha256').update(`${conversationId}\u0000${messageId}`).digest('base64url').slice(0, 22);
/** A card's fingerprint in that record. */
export const vingerafdruk = (card: AdaptiveCard): string => createHash('sha256').update(JSON.stringify(card)).digest('base64url').slice(0, 22);

/**
 * The cards this process posted, by message: a views round that may rely on its marker's record
 * and finds a message missing there (no round put it since) knows the card it shows from this.
 */
const geplaatst = new Map<string, string>();
const MAX_GEPLAATST = 10_000;

/** Remembers that this process posted the card in a message. */
export function onthoudGeplaatst(conversationId: string, messageId: string, card: AdaptiveCard): void {
  const k = weergaveSleutel(conversationId, messageId);
  geplaatst.delete(k);
  geplaatst.set(k, vingerafdruk(card));
  if (geplaatst.size > MAX_GEPLAATST) geplaatst.delete(geplaatst.keys().next().value as string);
}

/** The fingerprint of the card this process posted in the message with this key, if it did. */
export function geplaatsteKaart(sleutel: string): string | undefined {
  return geplaatst.get(sleutel);
}

/**
 * Remembers messages posted for a case that the case does not record itself, so retention can
 * replace them in Teams; a failure is logged (the message is out already).
 */
export async function recordPosted(deps: { store: Pick<Store, 'recordMessages'>; log: Logger; clock: Clock }, zaak: Pick<Verdiepingszaak, 'teamId' | 'id'>, conversationId: string | undefined, messageIds: (string | undefined)[]): Promise<void> {
  const berichten = conversationId ? messageIds.filter((id): id is string => !!id).map((messageId) => ({ conversationId, messageId })) : [];
  if (berichten.length === 0) return;
  try {
    await deps.store.recordMessages(zaak.teamId, zaak.id, berichten, deps.clock.now().toISOString());
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
