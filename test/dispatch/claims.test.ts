import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/dispatch/dispatcher';
import { digestJob } from '../../src/domain/digest';
import { CHANNEL_ID, OFFICIER, TEAM_ID } from '../support/activities';
import { text } from '../support/cards';
import { startHarness, type Harness } from '../support/harness';
import { byKind, deliveriesPerAction, dispatcher, DISPATCH_CONFIG, HALT, jobs, lid, posted, recordingSleep, seedDueActions, seedTeam, service } from './support';

const NOW = '2026-12-01T08:00:00Z'; // Tuesday 09:00 in Amsterdam
/**
 * A generous call timeout here: a send that times out after Teams took it would be sent again
 * (no one can tell), and 200 sends from two instances in one test process can stall the loop.
 */
const CONFIG = { ...DISPATCH_CONFIG, DISPATCH_TIMEOUT_MS: '5000', DISPATCH_LEASE_MS: '30000' };
const LEASE_MS = Number(CONFIG.DISPATCH_LEASE_MS);

describe('claims shared by instances on one store', () => {
  let h: Harness;
  const instances: Dispatcher[] = [];
  const instance = (owner: string, concurrency?: number) => {
    const d = dispatcher(h, owner, { sleep: recordingSleep().sleep, ...(concurrency ? { concurrency } : {}) });
    instances.push(d);
    return d;
  };

  beforeEach(async () => {
    h = await startHarness({ now: NOW, config: CONFIG });
    h.connector.members = [OFFICIER, HALT].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    await seedTeam(h, { digestCron: '0 6 1 6 *' });
  });
  afterEach(async () => {
    for (const d of instances.splice(0)) await d.stop();
    await h.stop();
  });

  it('two instances, 200 due jobs: each delivered exactly once', async () => {
    await seedDueActions(h, 20, 10, 500000);
    const a = instance('instance-a');
    const b = instance('instance-b');
    // A little latency per send, so the two really overlap.
    h.connector.fault = (call) => (call.kind === 'send' ? { status: 200, delayMs: 3, pass: true } : undefined);
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect(ra.verzonden + rb.verzonden).toBe(200);
    const all = byKind(await jobs(h), 'actie.vervaldatum');
    expect(all).toHaveLength(200);
    expect(all.every((j) => j.status === 'verzonden' && j.attempts === 1)).toBe(true);
    const owners = new Map<string, number>();
    for (const j of all) owners.set(j.leaseOwner!, (owners.get(j.leaseOwner!) ?? 0) + 1);
    expect([...owners.keys()].sort()).toEqual(['instance-a', 'instance-b']);
    const count = deliveriesPerAction(h);
    expect(count.size).toBe(200);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    expect(posted(h)).toHaveLength(200);
    // A later round by either finds nothing left.
    await Promise.all([a.tick(), b.tick()]);
    expect(posted(h)).toHaveLength(200);
  });

  it('an instance killed between claim and send: another delivers the job after the lease expires, once', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 500000);
    // The dead instance claimed it, then never sent or completed.
    const [claimed] = await h.store.claimDueJobs(NOW, 'dead-instance', new Date(Date.parse(NOW) + LEASE_MS).toISOString(), 10);
    expect(claimed).toMatchObject({ status: 'geclaimd', leaseOwner: 'dead-instance' });
    const live = instance('live-instance');

    expect(await live.tick()).toMatchObject({ verzonden: 0 });
    h.clock.advance(LEASE_MS - 1);
    expect(await live.tick()).toMatchObject({ verzonden: 0 });
    expect(posted(h)).toHaveLength(0);

    h.clock.advance(1);
    expect(await live.tick()).toMatchObject({ verzonden: 1 });
    const [job] = byKind(await jobs(h, zaak!.id), 'actie.vervaldatum');
    expect(job).toMatchObject({ status: 'verzonden', leaseOwner: 'live-instance', attempts: 2 });
    h.clock.advance(LEASE_MS * 3);
    expect(await live.tick()).toMatchObject({ verzonden: 0 });
    expect([...deliveriesPerAction(h).values()]).toEqual([1]);
  });

  it('an instance whose lease ran out while the job waited its turn does not send it: the one that took it over does, once', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 500000);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    // One instance claims the job, then stalls before its turn with Teams (a long GC pause, a slow store).
    const stalled = dispatcher(h, 'stalled-instance', {
      sleep: recordingSleep().sleep,
      wrap: (port) => ({ withTeam: async (team, work) => (held(), await gate, port.withTeam(team, work)) }),
    });
    instances.push(stalled);
    const first = stalled.tick();
    await holding;
    h.clock.advance(LEASE_MS);
    const other = instance('other-instance');
    expect(await other.tick()).toMatchObject({ verzonden: 1 });
    open();
    expect(await first).toMatchObject({ verzonden: 0 });
    expect([...deliveriesPerAction(h).values()]).toEqual([1]);
    expect(byKind(await jobs(h, zaak!.id), 'actie.vervaldatum')[0]).toMatchObject({ status: 'verzonden', leaseOwner: 'other-instance' });
    expect(h.logs.some((l) => l.msg === 'job taken over by another instance (lease ran out)' && l.owner === 'stalled-instance')).toBe(true);
  });

  it('a job recorded as sent before its instance died is completed without sending it again', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 500000);
    const [claimed] = await h.store.claimDueJobs(NOW, 'dead-instance', new Date(Date.parse(NOW) + LEASE_MS).toISOString(), 10);
    await h.store.updateJob({ ...claimed!, sentMessageId: 'act-sent-before', version: claimed!.version + 1 }, claimed!.version);
    const live = instance('live-instance');
    h.clock.advance(LEASE_MS);
    expect(await live.tick()).toMatchObject({ verzonden: 1 });
    expect(posted(h)).toHaveLength(0);
    expect(byKind(await jobs(h, zaak!.id), 'actie.vervaldatum')[0]).toMatchObject({ status: 'verzonden', sentMessageId: 'act-sent-before' });
  });

  it('a long digest goes out in parts under the first; after a crash past part one only the rest is sent', async () => {
    // A digest too long for one message: every section full (the digest shows at most MAX_REGELS lines per section).
    const s = service(h);
    const actor = { id: OFFICIER.aadObjectId, name: OFFICIER.name };
    const fasen = ['gemarkeerd', 'contextinformatie', 'duiding', 'besluit', 'monitoring'] as const;
    for (let i = 0; i < 100; i++) {
      const zaak = await s.flag(TEAM_ID, { reference: `13/${String(600000 + i)}-26`, types: ['jeugd', 'huiselijk_geweld', 'zeden', 'verward_persoon', 'lvb'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, actor);
      const root = `17${String(i).padStart(11, '0')}`;
      const naar = fasen[i % fasen.length]!;
      await s.change(TEAM_ID, zaak.id, actor, () => [
        { type: 'zaak.thread_geopend', data: { channelId: CHANNEL_ID, conversationId: `${CHANNEL_ID};messageid=${root}`, rootMessageId: root } },
        ...(naar === 'gemarkeerd' ? [] : [{ type: 'zaak.fase_gewijzigd' as const, data: { van: 'gemarkeerd' as const, naar } }]),
        { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: lid(HALT), organisatie: 'halt', vraag: 'Is hij bekend?', waarom: 'Voor de duiding.', deadline: '2026-11-20T10:00:00.000Z' } },
      ]);
    }
    // Only the digest is at stake here: the questions' own reminders are not.
    for (const j of await jobs(h)) await h.store.updateJob({ ...j, status: 'vervallen', version: j.version + 1 }, j.version);
    await seedTeam(h); // Monday 09:00
    const due = new Date('2026-11-30T08:00:00Z');
    const job = digestJob(TEAM_ID, due, NOW);
    await h.store.scheduleJobs([job]);
    // The dead instance sent part one and recorded it, then died.
    const [claimed] = await h.store.claimDueJobs(NOW, 'dead-instance', new Date(Date.parse(NOW) + LEASE_MS).toISOString(), 10);
    await h.store.updateJob({ ...claimed!, sentMessageId: 'act-part-1', sentMessageIds: ['act-part-1'], version: claimed!.version + 1 }, claimed!.version);

    const live = instance('live-instance');
    h.clock.advance(LEASE_MS);
    expect(await live.tick()).toMatchObject({ verzonden: 1 });
    const parts = posted(h);
    expect(parts.length).toBeGreaterThanOrEqual(1);
    expect(parts.every((p) => p.call.conversationId === `${CHANNEL_ID};messageid=act-part-1`)).toBe(true);
    expect(text(parts[0]!.card)).toContain('(deel 2 van');
    expect(parts.some((p) => text(p.card).includes('(deel 1 van'))).toBe(false);
    const done = (await h.store.getJob(TEAM_ID, job.id))!;
    expect(done.status).toBe('verzonden');
    expect(done.sentMessageIds![0]).toBe('act-part-1');
    expect(done.sentMessageIds).toHaveLength(parts.length + 1);
  });

  it('plans one digest job per team and occurrence, however many instances plan it', async () => {
    await seedTeam(h); // default schedule: Monday 09:00
    await Promise.all([instance('a').tick(), instance('b').tick(), instance('c').tick()]);
    const digests = byKind(await jobs(h), 'digest');
    expect(digests.map((j) => j.dueAt)).toEqual(['2026-12-07T08:00:00.000Z']);
  });
});
