import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { text } from '../support/cards';
import { FakeConnector, type Fault } from '../support/fake-connector';
import { answerActivity, Bots, buildApp, partners, post, proactive, readState, seed, until, wrongViews, type SharedStore, type StoredState } from '../support/instances';

/*
 * Issue 11's "a test kills the process between store and views", on each store the processes can
 * share (sqlite-instances and cosmos-instances): built bot processes and a Bot Connector that holds
 * the thread card PUTs of the first process until it is SIGKILLed. Timings are generous for a
 * loaded machine; nothing is asserted on time, only on what ends up in Teams.
 */

const LEASE_MS = 8_000;
const ENV = { DISPATCH_ENABLED: 'true', DISPATCH_POLL_MS: '200', DISPATCH_LEASE_MS: String(LEASE_MS), DISPATCH_TIMEOUT_MS: '2000' };
const SAVED = 'Je antwoord is opgeslagen';

export function killBetweenStoreAndViews(open: () => Promise<SharedStore>): void {
  let out = '';
  let store: SharedStore | undefined;
  let bots: Bots | undefined;
  let connector: FakeConnector | undefined;

  beforeAll(() => {
    out = buildApp('views');
  }, 240_000);
  afterEach(async () => {
    await bots?.stop();
    await connector?.stop();
    await store?.stop();
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('a process killed after storing answers but before putting the thread cards: another process brings every card up to date', { timeout: 240_000 }, async () => {
    store = await open();
    connector = await new FakeConnector().start();
    bots = new Bots(out, store, ENV);
    const { caseId } = await seed(bots, { serviceUrl: connector.url, questions: 5 });
    const users = partners(5);
    connector.members = users.map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));

    // Teams holds every send and PUT of the first process; they fail once it is gone.
    const held: ((f: Fault) => void)[] = [];
    connector.hold = (call) => (proactive(call) ? new Promise<Fault>((r) => held.push(r)) : undefined);
    const first = await bots.start('first');
    const activities = await Promise.all(users.map((u, i) => answerActivity(first, connector!.url, caseId, u, i)));
    const responses = await Promise.all(activities.map((a) => post(first, a)));
    expect(responses.map((r) => (r.body ? text(r.body.value ?? r.body) : '').includes(SAVED))).toEqual(users.map(() => true));
    await until('thread card PUTs held', () => held.length > 0, 90_000);
    await bots.kill(first);
    connector.hold = undefined;
    for (const release of held.splice(0)) release({ status: 503 });
    expect(connector.cards('update')).toEqual([]);

    // A second process on the same store takes the views over once the first one's lease has run out.
    await bots.start('second');
    let last: StoredState | undefined;
    try {
      await until(
        'every thread card showing the stored case',
        async () => {
          last = await readState(bots!, caseId);
          return wrongViews(connector!, last.views).length === 0;
        },
        120_000,
        500,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; wrong cards: ${last ? wrongViews(connector, last.views) : '?'}; logs: ${JSON.stringify(bots.instances.flatMap((i) => i.logs.filter((l) => l.level >= 40 || /thread view/.test(l.msg ?? '')).slice(-8)))}`);
    }
    expect(last!.answers).toEqual(users.map((u) => ['beantwoord', `Antwoord van ${u.name}`]));
    expect(last!.answerEvents).toBe(5);
    // The case card, the verdiepingskaart and the five prompt cards.
    expect(last!.views.map((v) => v.messageId).sort()).toEqual([`root-${caseId}`, `vk-${caseId}`, ...users.map((_, i) => `prompt-${i + 1}`)].sort());
  });
}
