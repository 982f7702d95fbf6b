import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/dispatch/dispatcher';
import { CHANNEL_ID, OFFICIER, TEAM_ID } from '../support/activities';
import { executes, text } from '../support/cards';
import type { Fault, RecordedCall } from '../support/fake-connector';
import { startHarness, type Harness } from '../support/harness';
import { byKind, deliveriesPerAction, dispatcher, DISPATCH_CONFIG, HALT, jobs, posted, recordingSleep, seedDueActions, seeded, seedTeam } from './support';

const NOW = '2026-12-01T08:00:00Z'; // Tuesday 09:00 in Amsterdam: the actions' due moment

const sendsTo = (conversationId: string) => (call: RecordedCall) => call.kind === 'send' && call.conversationId === conversationId;

describe('delivery under Teams faults', () => {
  let h: Harness;
  let d: Dispatcher;
  let waits: number[];

  beforeEach(async () => {
    h = await startHarness({ now: NOW, config: DISPATCH_CONFIG });
    h.connector.members = [OFFICIER, HALT].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    await seedTeam(h, { digestCron: '0 6 1 6 *' });
    const recorder = recordingSleep();
    waits = recorder.waits;
    d = dispatcher(h, 'instance-a', { sleep: recorder.sleep, random: seeded(7) });
  });
  afterEach(async () => {
    await d.stop();
    await h.stop();
  });

  it('honours Retry-After on a 429 and then delivers once', async () => {
    await seedDueActions(h, 1, 1, 400000);
    h.connector.failNext({ status: 429, headers: { 'retry-after': '2' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } });
    expect(await d.tick()).toMatchObject({ verzonden: 1 });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThan(3100);
    expect([...deliveriesPerAction(h).values()]).toEqual([1]);
  });

  it('retries a 500 with exponential backoff and jitter, then delivers once', async () => {
    await seedDueActions(h, 1, 1, 400000);
    let faults = 0;
    h.connector.fault = (call) => (call.kind === 'send' && faults++ < 2 ? { status: 500 } : undefined);
    expect(await d.tick()).toMatchObject({ verzonden: 1 });
    expect(faults).toBe(3);
    expect([...deliveriesPerAction(h).values()]).toEqual([1]);
    // Two waits, growing: between half and all of 500 ms, then of 1000 ms.
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[0]).toBeLessThanOrEqual(500);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
    expect(waits[1]).toBeLessThanOrEqual(1000);
  });

  it('puts a job off when Teams asks for a wait longer than the lease allows, and delivers it after that wait', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 400000);
    h.connector.failNext({ status: 429, headers: { 'retry-after': '120' } });
    expect(await d.tick()).toMatchObject({ verzonden: 0, uitgesteld: 1 });
    const [job] = byKind(await jobs(h, zaak!.id), 'actie.vervaldatum');
    expect(job).toMatchObject({ status: 'geclaimd', lastError: 'Teams begrenst het aantal berichten (429)' });
    expect(Date.parse(job!.leaseUntil!) - Date.parse(NOW)).toBeGreaterThanOrEqual(120_000);
    h.clock.advance(119_000);
    expect(await d.tick()).toMatchObject({ verzonden: 0 });
    h.clock.advance(15_000);
    expect(await d.tick()).toMatchObject({ verzonden: 1 });
    expect([...deliveriesPerAction(h).values()]).toEqual([1]);
  });

  it('delivers every job exactly once when a share of calls gets 429, 500, 502, 412, timeouts or slow answers', async () => {
    const zaken = await seedDueActions(h, 8, 10, 400000);
    const random = seeded(42);
    const injected: Record<string, number> = {};
    h.connector.fault = (call): Fault | undefined => {
      if (call.kind !== 'send') return undefined;
      const r = random();
      const pick = (name: string, fault: Fault) => ((injected[name] = (injected[name] ?? 0) + 1), fault);
      if (r < 0.12) return pick('429', { status: 429, headers: { 'retry-after': '1' } });
      if (r < 0.2) return pick('500', { status: 500 });
      if (r < 0.26) return pick('502', { status: 502 });
      if (r < 0.3) return pick('412', { status: 412 });
      // Longer than DISPATCH_TIMEOUT_MS (1000): the dispatcher gives up on the call and tries again.
      if (r < 0.35) return pick('timeout', { status: 504, delayMs: 1400 });
      if (r < 0.5) return pick('slow', { status: 200, delayMs: 80, pass: true });
      return undefined;
    };
    for (let round = 0; round < 20; round++) {
      await d.tick();
      const open = (await jobs(h)).filter((j) => j.kind === 'actie.vervaldatum' && j.status !== 'verzonden');
      if (open.length === 0) break;
      h.clock.advance(60_000);
    }
    const all = byKind(await jobs(h), 'actie.vervaldatum');
    expect(all).toHaveLength(80);
    expect(all.every((j) => j.status === 'verzonden')).toBe(true);
    const count = deliveriesPerAction(h);
    expect(count.size).toBe(80);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    for (const z of zaken) expect(posted(h).filter((c) => c.call.conversationId === z.thread!.conversationId)).toHaveLength(10);
    // Every kind of fault did happen, and every 429 wait honoured the one second Teams asked for.
    expect(Object.keys(injected).sort()).toEqual(['412', '429', '500', '502', 'slow', 'timeout']);
    expect(waits.filter((w) => w >= 1000).length).toBeGreaterThanOrEqual(1);
  });

  it('a 404 for the case thread (gone): opens a new thread with a fresh case card and delivers the follow-up there, once', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 400000);
    const oud = zaak!.thread!.conversationId;
    let threadCalls = 0;
    h.connector.fault = (call) => (sendsTo(oud)(call) ? (threadCalls++, { status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } }) : undefined);
    expect(await d.tick()).toMatchObject({ verzonden: 1, mislukt: 0 });
    expect(threadCalls).toBe(1);
    expect(waits).toEqual([]);
    const na = (await h.store.getCase(TEAM_ID, zaak!.id))!;
    expect(na.thread!.conversationId).not.toBe(oud);
    const nieuw = h.connector.cards('create');
    expect(nieuw).toHaveLength(1);
    expect(text(nieuw[0]!.card)).toContain('13/400000-26');
    // The follow-up went to the new thread, once; nothing was posted in the channel itself.
    expect(posted(h).map((p) => p.call.conversationId)).toEqual([na.thread!.conversationId]);
    const [job] = byKind(await jobs(h, zaak!.id), 'actie.vervaldatum');
    expect(job).toMatchObject({ status: 'verzonden' });
    // The lost thread's verdiepingskaart follows in the new one (written with the new thread), then nothing more.
    expect(await d.tick()).toEqual({ verzonden: 1, vervallen: 0, mislukt: 0, uitgesteld: 0 });
    const kaart = posted(h).at(-1)!;
    expect(kaart.call.conversationId).toBe(na.thread!.conversationId);
    expect(text(kaart.card)).toContain('Leidende principes');
    expect((await h.store.getCase(TEAM_ID, zaak!.id))!.verdiepingskaartId).toBe(kaart.call.responseId);
    h.clock.advance(3_600_000);
    expect(await d.tick()).toEqual({ verzonden: 0, vervallen: 0, mislukt: 0, uitgesteld: 0 });
  });

  it('when the new thread cannot be opened either (the channel is gone): the job fails and the lead is told where possible', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 400000);
    const gone = { status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } };
    h.connector.fault = (call) => (call.kind === 'send' || call.kind === 'create' ? gone : undefined);
    expect(await d.tick()).toMatchObject({ verzonden: 0, mislukt: 1 });
    const [job] = byKind(await jobs(h, zaak!.id), 'actie.vervaldatum');
    expect(job).toMatchObject({ status: 'mislukt', lastError: 'het zaakgesprek of het kanaal bestaat niet meer (404 ConversationNotFound)' });
    expect(posted(h)).toEqual([]);
    expect(h.logs.some((l) => l.msg === 'could not tell the case lead of a failed follow-up' && l.caseId === zaak!.id)).toBe(true);
  });

  it('posts a fresh case card in the channel when Teams answers 404 for the case card (thread gone), records the new thread and carries on there', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 400000);
    const oud = zaak!.thread!.conversationId;
    h.connector.fault = (call) => (call.conversationId === oud ? { status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } } : undefined);
    d.wek();
    await d.rustig();

    // One new thread in the channel, with the case card as its root post.
    const nieuw = h.connector.cards('create');
    expect(nieuw).toHaveLength(1);
    expect(nieuw[0]!.call.body.channelData.channel.id).toBe(CHANNEL_ID);
    expect(text(nieuw[0]!.card)).toContain('13/400000-26');
    const na = (await h.store.getCase(TEAM_ID, zaak!.id))!;
    expect(na.thread).toEqual({ channelId: CHANNEL_ID, conversationId: `${CHANNEL_ID};messageid=${nieuw[0]!.call.responseId}`, rootMessageId: nieuw[0]!.call.responseId });
    const geopend = (await h.store.listEvents(TEAM_ID, zaak!.id)).filter((e) => e.type === 'zaak.thread_geopend');
    expect(geopend.at(-1)).toMatchObject({ actor: { name: 'Verdiep' }, data: na.thread });
    expect(h.logs.some((l) => l.msg === 'case thread gone (404); a fresh case card opened one')).toBe(true);

    // The follow-up and the verdiepingskaart (the principles are walked on it) go to the new thread; the old one is not tried again.
    expect(await d.tick()).toMatchObject({ verzonden: 2, mislukt: 0 });
    expect(posted(h).map((p) => p.call.conversationId)).toEqual([na.thread!.conversationId, na.thread!.conversationId]);
    const metKaart = (await h.store.getCase(TEAM_ID, zaak!.id))!;
    expect(posted(h).filter((p) => p.call.responseId === metKaart.verdiepingskaartId).map((p) => text(p.card).includes('Leidende principes'))).toEqual([true]);
    d.wek();
    await d.rustig();
    expect(h.connector.cards('create')).toHaveLength(1);
  });

  it('does not retry a 403 (bot removed): the job fails, and when the channel refuses too that is logged', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 400000);
    let calls = 0;
    h.connector.fault = (call) => (call.kind === 'send' ? (calls++, { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } }) : undefined);
    expect(await d.tick()).toMatchObject({ mislukt: 1 });
    expect(calls).toBe(2); // the thread once, the channel once
    expect(byKind(await jobs(h, zaak!.id), 'actie.vervaldatum')[0]).toMatchObject({ status: 'mislukt', lastError: 'Verdiep is uit het team verwijderd (403 BotNotInConversationRoster)' });
    expect(posted(h)).toEqual([]);
    expect(h.logs.some((l) => l.msg === 'could not tell the case lead of a failed follow-up' && l.caseId === zaak!.id)).toBe(true);
  });

  it('tells the case lead in the thread when a follow-up could not be delivered after many attempts', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 400000);
    // The action card keeps getting a 502; anything else (the notice) goes through.
    h.connector.fault = (call) => (call.kind === 'send' && executes(call.body?.attachments?.[0]?.content ?? {}).length > 0 ? { status: 502 } : undefined);
    for (let i = 0; i < 12; i++) {
      await d.tick();
      h.clock.advance(10 * 60_000);
    }
    const [job] = byKind(await jobs(h, zaak!.id), 'actie.vervaldatum');
    expect(job).toMatchObject({ status: 'mislukt' });
    expect(job!.lastError).toMatch(/^niet bezorgd na 8 pogingen: tijdelijke fout bij Teams \(502\)$/);
    const [notice] = posted(h);
    expect(notice!.call.conversationId).toBe(zaak!.thread!.conversationId);
    expect(text(notice!.card)).toContain('kon niet in Teams worden geplaatst');
    await d.tick();
    expect(posted(h)).toHaveLength(1);
    expect((await h.store.getJob(TEAM_ID, job!.id))?.status).toBe('mislukt');
  });
});
