import { afterEach, describe, expect, it, vi } from 'vitest';
import { ZaakService } from '../../src/domain/service';
import { Verb } from '../../src/verbs';
import { cardAction, OFFICIER, TEAM_ID } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';

const FORM = { zaaknummer: '13/444555-26', zaaktypes: 'jeugd', signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '12-17', rijen: 1 };

/** Teams takes the connection that opens a thread and never answers it. */
describe('a Teams that never answers the opening of a thread', () => {
  let h: Harness;
  const vrijlaten: (() => void)[] = [];
  const zwijgBijOpenen = () => {
    h.connector.hold = (call) => (call.kind === 'create' ? new Promise<void>((r) => vrijlaten.push(r)) : undefined);
  };
  afterEach(async () => {
    for (const r of vrijlaten.splice(0)) r();
    await h.stop();
  });

  it('holds up no flag: after DISPATCH_TIMEOUT_MS the case is stored and its thread is the outbox\'s to open', async () => {
    h = await startHarness({ config: { DISPATCH_TIMEOUT_MS: '200', DISPATCH_LEASE_MS: '1000' } });
    zwijgBijOpenen();
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, FORM, 'flag-form'));
    expect(JSON.stringify(res.body)).toContain('Verdiep opent het zo vanzelf in het kanaal');
    const zaak = (await h.store.findCaseByReference(TEAM_ID, FORM.zaaknummer))!;
    expect(zaak.thread).toBeUndefined();
    expect((await h.store.listJobs(TEAM_ID, { caseId: zaak.id })).filter((j) => j.kind === 'zaakgesprek').map((j) => j.status)).toEqual(['gepland']);
    expect(h.logs.some((l) => l.msg === 'could not open the case thread; the outbox opens it' && l.caseId === zaak.id)).toBe(true);
  });

  it('keeps the thread the outbox opened while Teams sat on the flag\'s own, and has retention replace the flag\'s card', async () => {
    h = await startHarness({ config: { DISPATCH_TIMEOUT_MS: '5000', DISPATCH_LEASE_MS: '20000' } });
    zwijgBijOpenen();
    const antwoord = h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, FORM, 'flag-form'));
    const zaak = await vi.waitFor(
      async () => {
        const z = await h.store.findCaseByReference(TEAM_ID, FORM.zaaknummer);
        if (!z) throw new Error('not flagged yet');
        return z;
      },
      { timeout: 3_000 },
    );
    await vi.waitFor(() => expect(vrijlaten).toHaveLength(1));
    // Meanwhile another instance opened the case's thread.
    const service = new ZaakService(h.store, h.clock, { next: () => 'x' }, { timeZone: h.config.timeZone, reminderBeforeMs: 0 });
    const eerste = { channelId: '19:zsm-kanaal@thread.tacv2', conversationId: '19:zsm-kanaal@thread.tacv2;messageid=eerste', rootMessageId: 'eerste' };
    await service.change(TEAM_ID, zaak.id, { id: 'verdiep', name: 'Verdiep' }, () => [{ type: 'zaak.thread_geopend', data: eerste }]);
    vrijlaten.shift()!();
    expect((await antwoord).status).toBe(200);
    expect((await h.store.getCase(TEAM_ID, zaak.id))!.thread).toEqual(eerste);
    expect(h.logs.some((l) => l.msg === 'another turn opened the case thread first; this case card stays unused' && l.caseId === zaak.id)).toBe(true);
    // Closed and past its term, the case goes: the flag's unused case card is among the messages retention replaces.
    const fase = (await h.store.getCase(TEAM_ID, zaak.id))!.fase;
    await service.change(TEAM_ID, zaak.id, { id: OFFICIER.aadObjectId, name: OFFICIER.name }, () => [{ type: 'zaak.gesloten', data: { leeropbrengst: '', uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: fase, naar: 'gesloten' } }]);
    h.clock.advance(366 * 86_400_000);
    expect(await h.store.purgeClosedCases(new Date(h.clock.now().getTime() - 365 * 86_400_000).toISOString(), h.clock.now().toISOString())).toBe(1);
    const wissing = (await h.store.listJobs(TEAM_ID)).find((j) => j.kind === 'wissing' && j.ref === zaak.id)!;
    const kaart = h.connector.calls.find((c) => c.kind === 'create')!;
    expect(wissing.berichten).toContainEqual({ conversationId: `19:zsm-kanaal@thread.tacv2;messageid=${kaart.responseId}`, messageId: kaart.responseId });
  });

  it('holds up no dispatcher: a poll that opens a thread ends after the lease, and the next poll sends what came due meanwhile', async () => {
    h = await startHarness({ config: { DISPATCH_TIMEOUT_MS: '200', DISPATCH_LEASE_MS: '1000' } });
    // The flag's own try is refused (503): the thread is the dispatcher's to open.
    h.connector.fault = (call) => (call.kind === 'create' ? { status: 503 } : undefined);
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, FORM, 'flag-form'));
    h.connector.fault = undefined;
    zwijgBijOpenen();
    h.clock.advance(5_000);
    await h.bot.dispatcher!.tick();
    expect(vrijlaten.length).toBeGreaterThan(0);
    // Teams answers again: an answer that came due goes out at the next poll.
    h.connector.hold = undefined;
    const nu = h.clock.now().toISOString();
    await h.store.scheduleJobs([
      { teamId: TEAM_ID, id: 'antwoord:wacht:000', caseId: '', kind: 'antwoord', ref: 'wacht', dueAt: nu, status: 'gepland', attempts: 0, createdAt: nu, antwoord: { naar: '19:zsm-kanaal@thread.tacv2', kaarten: [{ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Antwoord-na-stilte' }] }] }, version: 1 },
    ]);
    await h.bot.dispatcher!.tick();
    expect(JSON.stringify(h.connector.calls.filter((c) => c.kind === 'send' || c.kind === 'reply'))).toContain('Antwoord-na-stilte');
  });
});
