import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Verdiepingszaak } from '../../src/domain/zaak';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, OFFICIER, TEAM_ID, cardAction, mention, type User } from '../support/activities';
import { submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid } from '../support/toegang';

/*
 * Issue 13's day-one edge: after a restart or a page reload, the case's thread is gone in Teams
 * (404 ConversationNotFound). A user who acts on the case from a `zaak` card must not get an
 * apology: the bot opens a new thread with a fresh case card, records it, and carries on there.
 */

const WIJKTEAM: User = { id: '29:wt', aadObjectId: 'aad-wt', name: 'Wijkteam Smit' };
const REFERENCE = '13/555111-26';
const APOLOGY = 'Sorry, er ging iets mis';
const GONE = { status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } };

describe('a case whose thread Teams lost', () => {
  let h: Harness;
  let zaak: Verdiepingszaak;
  let oud: string;

  const current = async () => (await h.store.getCase(TEAM_ID, zaak.id))!;
  /** A card action from the `zaak` card the officier asked for in the channel (not from the lost thread). */
  const act = (user: User, verb: string, data: Record<string, unknown>, replyToId = 'zaak-card') => h.post(cardAction(h, user, verb, data, replyToId, CHANNEL_ID));

  beforeEach(async () => {
    h = await startHarness({ now: '2026-12-02T10:00:00Z' });
    h.connector.members = [OFFICIER, WIJKTEAM].map(alsLid);
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { zaaknummer: REFERENCE, zaaktypes: 'lvb', signaal: 'Man (61) stal drie blikjes cola; zijn netwerk viel weg.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '23-64', rijen: 1 }, 'flag-form'));
    zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    oud = zaak.thread!.conversationId;
    // Teams no longer knows the thread: every call into it answers 404.
    h.connector.fault = (call) => (call.conversationId === oud ? GONE : undefined);
  });
  afterEach(async () => {
    await h.stop();
  });

  it('the `zaak` command still answers, and inviting a partner opens a new thread with a fresh case card and posts the prompt card there', async () => {
    const zaakKaart = await h.post(mention(h, OFFICIER, `zaak ${REFERENCE}`));
    expect(zaakKaart.status).toBe(200);
    const sent = h.connector.cards().filter((c) => (c.call.kind === 'send' || c.call.kind === 'reply') && c.call.conversationId === CHANNEL_ID).at(-1)!;
    expect(text(sent.card)).toContain(REFERENCE);

    const form = (await act(OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id })).body.value;
    const res = await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { lid: WIJKTEAM.id, organisatie: 'wijkteam', vraag: 'Is hij bij jullie bekend, en wie helpt hem thuis?', waarom: 'Bepaalt welke zorg we naast de straf inzetten.' }), 'invite-form');
    expect(text(res.body.value)).not.toContain(APOLOGY);
    expect(text(res.body.value)).toContain('Wijkteam Smit');

    // One new thread in the channel, with the case card as its root post, recorded on the case.
    const created = h.connector.cards('create');
    expect(created).toHaveLength(2);
    const nieuw = created[1]!;
    expect(text(nieuw.card)).toContain(REFERENCE);
    const na = await current();
    expect(na.thread).toEqual({ channelId: CHANNEL_ID, conversationId: `${CHANNEL_ID};messageid=${nieuw.call.responseId}`, rootMessageId: nieuw.call.responseId });
    // The prompt card and the verdiepingskaart went to the new thread and are recorded there.
    const inNieuw = h.connector.cards('send').filter((c) => c.call.conversationId === na.thread!.conversationId);
    expect(inNieuw.map((p) => p.call.responseId).sort()).toEqual([na.uitvragen[0]!.messageId, na.verdiepingskaartId].sort());
    expect(text(inNieuw.find((p) => p.call.responseId === na.verdiepingskaartId)!.card)).toContain('Leidende principes');
    expect(h.logs.some((l) => l.msg === 'case thread gone (404); a fresh case card opened one' && l.caseId === zaak.id)).toBe(true);
  });

  it('a notice after a change (the duiding) goes to a new thread instead of being lost, and the user gets the saved duiding', async () => {
    for (const stap of [2, 3]) await act(OFFICIER, Verb.principeOpslaan, { caseId: zaak.id, stap, nvt: 'true', nvt_reden: 'Alleen de verdachte is betrokken; alles is al bekend.' });
    const form = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    const res = await act(OFFICIER, Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { hypothese_0: 'Het stelen komt voort uit het weggevallen netwerk.', veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' }), 'duiding-form');
    expect(text(res.body.value)).toContain('Duiding');
    expect(text(res.body.value)).not.toContain(APOLOGY);

    const na = await current();
    expect(na.duidingen).toHaveLength(1);
    expect(na.thread!.conversationId).not.toBe(oud);
    // Exactly one new thread (the turn's notice and the outbox's view update do not both open one).
    expect(h.connector.cards('create')).toHaveLength(2);
    const inNieuw = h.connector.cards('send').filter((c) => c.call.conversationId === na.thread!.conversationId);
    expect(inNieuw.map((c) => text(c.card)).some((t) => t.includes('Duiding vastgelegd'))).toBe(true);
  });

  it('a lost thread comes back whole: the new one gets the verdiepingskaart and the card of each open question, recorded on the case', async () => {
    // The question was asked while the thread still existed.
    h.connector.fault = undefined;
    const form = (await act(OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id })).body.value;
    await act(OFFICIER, Verb.uitvraagVersturen, submit(form, Verb.uitvraagVersturen, { lid: WIJKTEAM.id, organisatie: 'wijkteam', vraag: 'Is hij bij jullie bekend, en wie helpt hem thuis?', waarom: 'Bepaalt welke zorg we naast de straf inzetten.' }), 'invite-form');
    const oudeKaart = (await current()).uitvragen[0]!.messageId;
    expect(oudeKaart).toBeDefined();

    // A change the case card shows (the phase) finds the thread gone.
    h.connector.fault = (call) => (call.conversationId === oud ? GONE : undefined);
    for (const stap of [2, 3]) await act(OFFICIER, Verb.principeOpslaan, { caseId: zaak.id, stap, nvt: 'true', nvt_reden: 'Alleen de verdachte is betrokken; alles is al bekend.' });
    const duiding = (await act(OFFICIER, Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    await act(OFFICIER, Verb.duidingVastleggen, submit(duiding, Verb.duidingVastleggen, { hypothese_0: 'Het stelen komt voort uit het weggevallen netwerk.', veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' }), 'duiding-form');
    const na = await current();
    expect(na.thread!.conversationId).not.toBe(oud);
    const inNieuw = h.connector.cards('send').filter((c) => c.call.conversationId === na.thread!.conversationId && !text(c.card).includes('Duiding vastgelegd'));
    expect(inNieuw.map((c) => c.call.responseId).sort()).toEqual([na.verdiepingskaartId, na.uitvragen[0]!.messageId].sort());
    expect(na.uitvragen[0]!.messageId).not.toBe(oudeKaart);
    const prompt = inNieuw.find((c) => c.call.responseId === na.uitvragen[0]!.messageId)!;
    expect(text(prompt.card)).toContain(`<at>${WIJKTEAM.name}</at>`);
    expect(text(prompt.card)).not.toContain('Is hij bij jullie bekend');
  });

  it('"Zaak sluiten" on a `zaak` card closes the case without an apology, and the case card comes back in a new thread', async () => {
    const form = (await act(OFFICIER, Verb.afsluitingOpenen, { caseId: zaak.id })).body.value;
    const res = await act(OFFICIER, Verb.afsluitingVastleggen, submit(form, Verb.afsluitingVastleggen, {
      stopreden: 'geen_meerwaarde',
      uitkomst: 'De wijkagent houdt contact; meer verdiepen voegt niets toe.',
      leeropbrengst: 'Vraag bij een weggevallen netwerk meteen het wijkteam om een huisbezoek.',
      vergelijking: 'Zoals bij eerdere zaken met een LVB-verdachte.',
    }), 'afsluiting-form');
    expect(res.status).toBe(200);
    expect(text(res.body.value)).not.toContain(APOLOGY);
    const na = await current();
    expect(na.fase).toBe('gesloten');
    // The outbox's view update found the thread gone and opened a new one with the closed case's card.
    expect(na.thread!.conversationId).not.toBe(oud);
    const nieuw = h.connector.cards('create').at(-1)!;
    expect(nieuw.call.responseId).toBe(na.thread!.rootMessageId);
    expect(text(nieuw.card)).toContain('Gesloten');
  });
});
