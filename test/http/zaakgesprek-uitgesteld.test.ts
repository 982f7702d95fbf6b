import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, OFFICIER, TEAM_ID, cardAction } from '../support/activities';
import { text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { alsLid } from '../support/toegang';

/*
 * A flag stores the case first, with its zaakgesprek job. The turn opens the case's thread and
 * answers; the job posts the verdiepingskaart right after the answer. When Teams will not open the
 * thread or take the verdiepingskaart, the dispatcher finishes what is missing when Teams allows:
 * never a second thread, never a case nobody can work on.
 */

const REFERENCE = '13/135790-26';
const FORM = { zaaknummer: REFERENCE, zaaktypes: 'lvb', signaal: 'Man (61) stal drie blikjes cola; zijn netwerk viel weg.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '23-64', rijen: 1 };
const BUSY = { status: 429, headers: { 'retry-after': '3' } };

describe('a flagged case whose thread Teams would not take during the turn', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-12-02T10:00:00Z' });
    h.connector.members = [OFFICIER].map(alsLid);
  });
  afterEach(async () => {
    await h.stop();
  });

  const flag = () => h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, FORM, 'flag-form'));
  const zaak = async () => (await h.store.findCaseByReference(TEAM_ID, REFERENCE))!;
  const gesprekJob = async () => (await h.store.listJobs(TEAM_ID)).find((j) => j.kind === 'zaakgesprek')!;
  const posted = (kind: 'create' | 'send' | 'reply') => h.connector.calls.filter((c) => c.kind === kind && c.responseId);
  /** The case as stored, with exactly one verdiepingskaart posted in its thread and recorded as its own. */
  const metEenVerdiepingskaart = async () => {
    const stored = await zaak();
    const kaarten = [...posted('send'), ...posted('reply')].filter((c) => c.conversationId === stored.thread!.conversationId);
    expect(kaarten).toHaveLength(1);
    expect(text(kaarten[0]!.body.attachments[0].content)).toContain('Leidende principes');
    expect(stored.verdiepingskaartId).toBe(kaarten[0]!.responseId);
    return stored;
  };
  /** The zaakgesprek job is held, put off until at least `iso` as Teams asked. */
  const uitgesteldTot = async (iso: string) => {
    const job = await gesprekJob();
    expect(job.status).toBe('geclaimd');
    expect(Date.parse(job.leaseUntil!)).toBeGreaterThanOrEqual(Date.parse(iso));
  };

  it('answers at once when Teams refuses the thread (429), and the outbox opens it with its verdiepingskaart once Teams allows', async () => {
    let geweigerd = 0;
    h.connector.fault = (call) => (call.kind === 'create' ? (geweigerd++, BUSY) : undefined);
    const res = await flag();
    expect(res.status).toBe(200);
    expect(text(res.body.value)).toContain(`Zaak ${REFERENCE} is gemarkeerd`);
    expect(text(res.body.value)).toContain('Verdiep opent het zo vanzelf in het kanaal');
    // One try in the turn (the connector library's own retries kept this turn waiting 9 s), and the
    // job handed on for when Teams asked to come back.
    expect(geweigerd).toBe(1);
    expect(await gesprekJob()).toMatchObject({ status: 'gepland', dueAt: '2026-12-02T10:00:03.000Z', caseId: (await zaak()).id });
    expect((await zaak()).thread).toBeUndefined();

    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0 });
    // Still busy when it is due: the dispatcher tries once and waits as Teams asks again.
    h.clock.advance(3_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0, uitgesteld: 1 });
    expect(geweigerd).toBe(2);
    await uitgesteldTot('2026-12-02T10:00:06.000Z');

    h.connector.fault = undefined;
    h.clock.advance(4_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 1, mislukt: 0 });

    const [created] = posted('create');
    expect(created!.body.channelData.channel.id).toBe(CHANNEL_ID);
    expect(text(created!.body.activity.attachments[0].content)).toContain(`Verdiepingszaak ${REFERENCE}`);
    const stored = await metEenVerdiepingskaart();
    expect(stored.thread).toMatchObject({ channelId: CHANNEL_ID, rootMessageId: created!.responseId });
    expect((await gesprekJob()).status).toBe('verzonden');

    // Done once: later rounds open nothing more.
    h.clock.advance(600_000);
    await h.bot.dispatcher!.tick();
    expect(posted('create')).toHaveLength(1);
  });

  it('gives the thread link when Teams opened the thread but refused the verdiepingskaart, and the outbox posts only that card in it', async () => {
    let geweigerd = 0;
    h.connector.fault = (call) => (call.kind === 'send' || call.kind === 'reply' ? (geweigerd++, BUSY) : undefined);
    const res = await flag();
    expect(text(res.body.value)).toContain('De zaak heeft een eigen zaakgesprek in het kanaal gekregen');
    const voor = await zaak();
    expect(voor.thread).toBeDefined();
    expect(voor.verdiepingskaartId).toBeUndefined();
    // One try right after the answer; then the job waits as Teams asked.
    expect(geweigerd).toBe(1);
    await uitgesteldTot('2026-12-02T10:00:03.000Z');

    h.connector.fault = undefined;
    h.clock.advance(5_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 1, mislukt: 0 });
    expect(posted('create')).toHaveLength(1);
    expect((await metEenVerdiepingskaart()).thread).toEqual(voor.thread);
  });

  it('says so when Teams refuses the thread for good (403), and tries once more only after the lease', async () => {
    h.connector.fault = (call) => (call.kind === 'create' ? { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'not in roster' } } } : undefined);
    const res = await flag();
    expect(text(res.body.value)).toContain('De zaak is opgeslagen, maar Teams weigert het zaakgesprek: Verdiep is uit het team verwijderd (403 BotNotInConversationRoster).');
    expect(text(res.body.value)).toContain(`@Verdiep zaak ${REFERENCE}`);
    expect(await gesprekJob()).toMatchObject({ status: 'gepland', dueAt: new Date(Date.parse('2026-12-02T10:00:00Z') + h.config.dispatch.leaseMs).toISOString() });
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0, mislukt: 0 });

    // Teams takes it again (the bot was added back): the one more try opens the thread.
    h.connector.fault = undefined;
    h.clock.advance(h.config.dispatch.leaseMs);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 1 });
    expect(posted('create')).toHaveLength(1);
    expect((await zaak()).verdiepingskaartId).toBeDefined();
  });

  it('answers once the thread is open; the verdiepingskaart follows right after the answer, once, and nothing is posted for it after the lease', async () => {
    let laat!: () => void;
    const vrij = new Promise<void>((r) => (laat = r));
    h.connector.hold = (call) => (call.kind === 'send' || call.kind === 'reply' ? vrij : undefined);
    const res = await fetch(`http://127.0.0.1:${h.bot.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cardAction(h, OFFICIER, Verb.markeringIndienen, FORM, 'flag-form')) });
    // The answer (with the thread link) is in while Teams still holds the verdiepingskaart.
    expect(text(((await res.json()) as { value: unknown }).value)).toContain('De zaak heeft een eigen zaakgesprek in het kanaal gekregen');
    expect((await zaak()).thread).toBeDefined();
    expect(posted('send').length + posted('reply').length).toBe(0);
    laat();
    await h.bot.dispatcher!.rustig();
    await metEenVerdiepingskaart();
    expect((await gesprekJob()).status).toBe('verzonden');
    const voor = h.connector.calls.length;
    h.clock.advance(h.config.dispatch.leaseMs + 1_000);
    expect(await h.bot.dispatcher!.tick()).toMatchObject({ verzonden: 0, vervallen: 0 });
    expect(h.connector.calls.slice(voor).filter((c) => c.kind === 'create' || c.kind === 'send' || c.kind === 'reply')).toEqual([]);
  });
});
