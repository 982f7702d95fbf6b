import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, OFFICIER, TEAM_ID, VEILIG_THUIS, cardAction, mention } from '../support/activities';
import { submit, text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid } from '../support/toegang';
import { seedCase } from '../dispatch/support';

/*
 * Teams answers the bot's messages with 429 (Retry-After 2 s) for a while. A user's turn must not
 * wait on it or fail: the answer goes through the outbox and the dispatcher delivers it, in order,
 * once Teams takes messages again. Nothing is lost and nobody gets an apology.
 */

const REFERENCE = '13/246810-26';

describe('answers to a user when Teams is busy', () => {
  let h: Harness;
  let druk = false;
  let geweigerd = 0;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-12-02T10:00:00Z' });
    h.connector.members = [OFFICIER].map(alsLid);
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { zaaknummer: REFERENCE, zaaktypes: 'lvb', signaal: 'Man (61) stal drie blikjes cola; zijn netwerk viel weg.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '23-64', rijen: 1 }, 'flag-form'));
    h.connector.reset();
    h.connector.fault = (call) => (druk && (call.kind === 'send' || call.kind === 'reply') ? (geweigerd++, { status: 429, headers: { 'retry-after': '2' } }) : undefined);
    druk = true;
    geweigerd = 0;
  });
  afterEach(async () => {
    await h.stop();
  });

  const antwoordJobs = async () => (await h.store.listJobs(TEAM_ID)).filter((j) => j.kind === 'antwoord');

  it('queues the answers of two turns in two channels of the team that Teams gave the same message id (ids are per conversation)', async () => {
    const tweede = '19:zsm-tweede@thread.tacv2';
    const eerste = { ...mention(h, OFFICIER, 'help'), id: '1764496800000' };
    const ander = { ...mention(h, OFFICIER, 'help', tweede), id: '1764496800000', channelData: { ...eerste.channelData, channel: { id: tweede, name: 'ZSM 2' } } };
    for (const activiteit of [eerste, ander]) expect((await h.post(activiteit)).status).toBe(200);
    expect((await antwoordJobs()).map((j) => j.antwoord!.naar).sort()).toEqual([CHANNEL_ID, tweede].sort());
    // Teams sends the first again: its answer is not queued twice.
    expect((await h.post(eerste)).status).toBe(200);
    expect(await antwoordJobs()).toHaveLength(2);
  });

  it('queues each answer of a turn that Teams refused with 429, without retrying in the turn or apologising, and delivers each once when Teams takes them', async () => {
    for (const opdracht of ['zaken', 'help', `zaak ${REFERENCE}`]) {
      const res = await h.post(mention(h, OFFICIER, opdracht));
      expect(res.status).toBe(200);
    }
    // One try per answer; no library retries inside the turn, and no apology.
    expect(geweigerd).toBe(3);
    expect(h.logs.filter((l) => l.msg === 'turn failed' || l.msg === 'could not send the apology')).toEqual([]);
    const jobs = await antwoordJobs();
    expect(jobs.map((j) => [j.status, j.dueAt, j.antwoord!.naar])).toEqual(jobs.map(() => ['gepland', '2026-12-02T10:00:02.000Z', CHANNEL_ID]));
    const zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    // The case card of `zaak` belongs to the case (retention erases it with the case).
    expect(jobs.map((j) => [j.caseId, text(j.antwoord!.kaarten).includes(`Verdiepingszaak ${REFERENCE}`)]).sort()).toEqual([['', false], ['', false], [zaak.id, true]]);

    // Teams takes messages again; the dispatcher delivers when they are due.
    druk = false;
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0 });
    h.clock.advance(2_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 3, mislukt: 0 });
    const sent = h.connector.cards().filter((c) => c.call.kind === 'send' || c.call.kind === 'reply');
    expect(sent.map((c) => c.call.conversationId)).toEqual([CHANNEL_ID, CHANNEL_ID, CHANNEL_ID]);
    const teksten = sent.map((c) => text(c.card));
    for (const deel of ['Open verdiepingszaken (1)', 'zaak [zaaknummer]', `Verdiepingszaak ${REFERENCE}`]) expect(teksten.filter((t) => t.includes(deel))).toHaveLength(1);
    expect((await antwoordJobs()).every((j) => j.status === 'verzonden')).toBe(true);
    // Sent once each: a later round has nothing left.
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0 });
  });

  it('queues a text answer as a card', async () => {
    const res = await h.post(mention(h, OFFICIER, 'zaak abc'));
    expect(res.status).toBe(200);
    const [tekst] = await antwoordJobs();
    expect(text(tekst!.antwoord!.kaarten[0])).toContain('Dat is geen geldig zaaknummer');
    druk = false;
    h.clock.advance(2_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 1 });
    expect(text(h.connector.cards().at(-1)!.card)).toContain('Dat is geen geldig zaaknummer');
  });

  it('posts the thread notice of a card action (the duiding) after the answer, once; when Teams is busy it waits in the outbox and goes to the case thread later', async () => {
    const zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    const act = (verb: string, data: Record<string, unknown>, replyToId = zaak.thread!.rootMessageId) => h.post(cardAction(h, OFFICIER, verb, data, replyToId, zaak.thread!.conversationId));
    for (const stap of [2, 3]) await act(Verb.principeOpslaan, { caseId: zaak.id, stap, nvt: 'true', nvt_reden: 'Alleen de verdachte is betrokken; alles is al bekend.' });
    const form = (await act(Verb.duidingOpenen, { caseId: zaak.id })).body.value;
    const res = await act(Verb.duidingVastleggen, submit(form, Verb.duidingVastleggen, { hypothese_0: 'Het stelen komt voort uit het weggevallen netwerk.', veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' }), 'duiding-form');
    expect(text(res.body.value)).toContain('Duiding');
    // One try right after the turn, refused: the notice is put off as Teams asked, not retried meanwhile.
    expect(geweigerd).toBe(1);
    const [melding] = (await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind === 'melding');
    expect(melding).toMatchObject({ status: 'geclaimd', attempts: 1, antwoord: { naar: zaak.thread!.conversationId } });
    expect(Date.parse(melding!.leaseUntil!) - h.clock.now().getTime()).toBeGreaterThanOrEqual(2_000);
    expect(h.connector.cards().filter((c) => c.call.kind === 'send' || c.call.kind === 'reply')).toEqual([]);

    druk = false;
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0 });
    h.clock.advance(3_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 1 });
    const sent = h.connector.cards().filter((c) => c.call.kind === 'send' || c.call.kind === 'reply');
    expect(sent.map((c) => c.call.conversationId)).toEqual([zaak.thread!.conversationId]);
    expect(text(sent[0]!.card)).toContain('Duiding vastgelegd');
  });

  it('tries a member look-up of a user\'s turn once more when Teams is briefly busy: the access check and the invitation form still work', async () => {
    druk = false;
    h.connector.members = [OFFICIER, VEILIG_THUIS].map(alsLid);
    const zaak = (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
    // Every first look-up of the team's members answers 429 (Retry-After 0.1 s); the second try gets through.
    let leden = 0;
    h.connector.fault = (call) => (call.method === 'GET' && /members/.test(call.path) && leden++ % 2 === 0 ? { status: 429, headers: { 'retry-after': '0.1' } } : undefined);
    const form = await h.post(cardAction(h, OFFICIER, Verb.uitvraagNieuw, { caseId: zaak.id }, zaak.thread!.rootMessageId, zaak.thread!.conversationId));
    expect(text(form.body.value)).not.toContain('Sorry, er ging iets mis');
    expect(JSON.stringify(form.body.value)).toContain(VEILIG_THUIS.name);
    expect(leden).toBeGreaterThanOrEqual(2);
  });

  it('finds a casusregisseur known without a Teams id when Teams is briefly busy: the access request mentions them and refreshes for them', async () => {
    druk = false;
    const WIJKAGENT = { id: '29:wijk', aadObjectId: 'aad-wijk', name: 'Wijkagent De Boer' };
    h.connector.members = [OFFICIER, WIJKAGENT].map(alsLid);
    // A case recorded before Verdiep kept its lead's Teams id (seeded by AAD id and name only).
    const zaak = await seedCase(h, '13/111222-26', OFFICIER);
    expect(zaak.lead.teamsId).toBeUndefined();
    let leden = 0;
    h.connector.fault = (call) => (call.method === 'GET' && /members/.test(call.path) && leden++ % 2 === 0 ? { status: 429, headers: { 'retry-after': '0.1' } } : undefined);
    const res = await h.post(cardAction(h, WIJKAGENT, Verb.toegangVragen, { caseId: zaak.id }, zaak.thread!.rootMessageId, zaak.thread!.conversationId));
    expect(res.body.value).toContain('De casusregisseur (Officier Van Dijk) beslist');
    await h.bot.dispatcher!.rustig();
    const verzoek = h.connector.cards('send').find((c) => text(c.card).includes('vraagt toegang'))!;
    expect(verzoek.card.refresh.userIds).toEqual([OFFICIER.id]);
    expect(verzoek.card.msteams.entities).toEqual([{ type: 'mention', text: '<at>Officier Van Dijk</at>', mentioned: { id: OFFICIER.id, name: 'Officier Van Dijk' } }]);
    expect(h.logs.filter((l) => /casusregisseur/.test(l.msg))).toEqual([]);
  });
});
