import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/dispatch/dispatcher';
import { digestJob } from '../../src/domain/digest';
import { OFFICIER, TEAM_ID } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';
import { byKind, deliveriesPerAction, dispatcher, DISPATCH_CONFIG, HALT, jobs, lid, posted, recordingSleep, seedCase, seedDueActions, seedTeam } from './support';

const NOW = '2026-12-01T08:00:00Z'; // Tuesday 09:00 in Amsterdam: the actions' due moment
const LEASE_MS = Number(DISPATCH_CONFIG.DISPATCH_LEASE_MS);
const TIMEOUT_MS = Number(DISPATCH_CONFIG.DISPATCH_TIMEOUT_MS);

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('what the dispatcher does when it cannot know whether Teams posted a message', () => {
  let h: Harness;
  const instances: Dispatcher[] = [];
  const instance = (owner: string) => {
    const d = dispatcher(h, owner, { sleep: recordingSleep().sleep });
    instances.push(d);
    return d;
  };

  beforeEach(async () => {
    h = await startHarness({ now: NOW, config: DISPATCH_CONFIG });
    h.connector.members = [OFFICIER, HALT].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    await seedTeam(h); // the default digest schedule: Monday 09:00
  });
  afterEach(async () => {
    for (const d of instances.splice(0)) await d.stop();
    await h.stop();
  });

  it('waits for a send that Teams answers only after the timeout, keeps its claim meanwhile, and delivers once', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 900000);
    let started = false;
    h.connector.fault = (call) => {
      if (call.kind !== 'send' || started) return undefined;
      started = true;
      // While Teams holds the request, the lease the sender took before sending runs out.
      h.clock.advance(LEASE_MS + 1);
      return { status: 200, delayMs: TIMEOUT_MS * 2.5, pass: true };
    };
    const slow = instance('slow-instance');
    const sending = slow.tick();
    await until('the sender notices Teams is slow', () => h.logs.some((l) => l.msg === 'Teams is slow to answer; waiting for it and keeping the claim'));
    // Another instance finds the job claimed (the lease was renewed), not free to send again.
    expect(await instance('other-instance').tick()).toMatchObject({ verzonden: 0 });
    expect(await sending).toMatchObject({ verzonden: 1 });
    expect([...deliveriesPerAction(h).values()]).toEqual([1]);
    const [job] = byKind(await jobs(h, zaak!.id), 'actie.vervaldatum');
    expect(job).toMatchObject({ status: 'verzonden', leaseOwner: 'slow-instance', attempts: 1 });
    expect(job!.verzendpoging).toBeUndefined();
  });

  it('records each attempt before the call to Teams, and clears it once Teams answered', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 900000);
    const seen: unknown[] = [];
    h.connector.fault = (call) => {
      if (call.kind === 'send') void jobs(h, zaak!.id).then((all) => seen.push(byKind(all, 'actie.vervaldatum')[0]!.verzendpoging));
      return call.kind === 'send' ? { status: 200, delayMs: 50, pass: true } : undefined;
    };
    expect(await instance('instance-a').tick()).toMatchObject({ verzonden: 1 });
    expect(seen).toEqual([{ deel: 0, at: NOW.replace('Z', '.000Z'), owner: 'instance-a' }]);
    expect(byKind(await jobs(h, zaak!.id), 'actie.vervaldatum')[0]!.verzendpoging).toBeUndefined();
  });

  it('a question\'s card that a dead sender posted and noted, but did not record on the case: the next records it and posts nothing', async () => {
    const zaak = await seedCase(h, '13/300009-26', OFFICIER, [
      { type: 'uitvraag.verstuurd', data: { id: 'u-halt', invitee: lid(HALT), organisatie: 'halt', vraag: 'Is hij bij Halt bekend?', waarom: 'Bepaalt de afdoening.', deadline: '2026-12-01T12:00:00Z' } },
    ]);
    const [claimed] = byKind(await h.store.claimDueJobs(NOW, 'dead-instance', new Date(Date.parse(NOW) + LEASE_MS).toISOString(), 10), 'uitvraag.kaart');
    await h.store.updateJob({ ...claimed!, sentMessageId: 'act-dood', version: claimed!.version + 1 }, claimed!.version);

    const live = instance('live-instance');
    expect(await live.tick()).toMatchObject({ verzonden: 0 });
    h.clock.advance(LEASE_MS);
    expect(await live.tick()).toMatchObject({ verzonden: 1 });
    expect(posted(h)).toEqual([]);
    expect((await h.store.getCase(TEAM_ID, zaak.id))!.uitvragen[0]!.messageId).toBe('act-dood');
    expect(byKind(await jobs(h, zaak.id), 'uitvraag.kaart')).toMatchObject([{ status: 'verzonden', sentMessageId: 'act-dood' }]);
  });

  it('after a sender died mid-send: a follow-up is sent again (a duplicate beats a loss), the weekly digest is not (a loss beats a double post)', async () => {
    const [zaak] = await seedDueActions(h, 1, 1, 900000);
    await h.store.scheduleJobs([digestJob(TEAM_ID, new Date('2026-11-30T08:00:00Z'), NOW)]);
    // The dead instance claimed both and recorded a send of each, then died before Teams answered.
    const claimed = await h.store.claimDueJobs(NOW, 'dead-instance', new Date(Date.parse(NOW) + LEASE_MS).toISOString(), 10);
    expect(claimed.map((j) => j.kind).sort()).toEqual(['actie.vervaldatum', 'digest']);
    for (const job of claimed) await h.store.updateJob({ ...job, verzendpoging: { deel: 0, at: NOW, owner: 'dead-instance' }, version: job.version + 1 }, job.version);

    const live = instance('live-instance');
    expect(await live.tick()).toMatchObject({ verzonden: 0, mislukt: 0 });
    h.clock.advance(LEASE_MS);
    expect(await live.tick()).toMatchObject({ verzonden: 1, mislukt: 1 });

    expect([...deliveriesPerAction(h).values()]).toEqual([1]);
    expect(posted(h)).toHaveLength(1);
    expect(byKind(await jobs(h, zaak!.id), 'actie.vervaldatum')[0]).toMatchObject({ status: 'verzonden', leaseOwner: 'live-instance' });
    const [digest] = byKind(await jobs(h), 'digest').filter((j) => j.dueAt === '2026-11-30T08:00:00.000Z');
    expect(digest).toMatchObject({ status: 'mislukt' });
    expect(digest!.lastError).toMatch(/^misschien geplaatst \(de verzender stopte tijdens het versturen\); niet opnieuw verstuurd/);
    expect(h.logs.filter((l) => l.msg.startsWith('job may have been posted')).map((l) => [l.kind, l.sender])).toEqual(
      expect.arrayContaining([
        ['actie.vervaldatum', 'dead-instance'],
        ['digest', 'dead-instance'],
      ]),
    );
  });
});
