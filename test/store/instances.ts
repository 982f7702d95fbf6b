import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { seeded, besluit } from '../dispatch/support';
import { Verb } from '../../src/verbs';
import { CHANNEL_ID, cardAction } from '../support/activities';
import { text } from '../support/cards';
import { FakeConnector, type Fault } from '../support/fake-connector';
import {
  answerActivity,
  Bots,
  buildApp,
  deliveries,
  LEAD,
  partners,
  post,
  proactive,
  readState,
  seed,
  THREAD,
  until,
  wrongViews,
  type Instance,
  type SharedStore,
  type StoredState,
} from '../support/instances';

/*
 * The "done when", scaled to the test suite, run on each store the processes can share:
 * built bot processes, a Bot Connector that fails a fifth of the dispatcher's calls, slows down and
 * holds calls, and processes SIGKILLed mid-burst. Shared by sqlite-instances and cosmos-instances.
 */

const LEASE_MS = 8_000;
const TIMEOUT_MS = 2_000;
const ENV = { DISPATCH_ENABLED: 'true', DISPATCH_POLL_MS: '200', DISPATCH_LEASE_MS: String(LEASE_MS), DISPATCH_TIMEOUT_MS: String(TIMEOUT_MS) };
const DATES = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2025, 6, 1 + i)).toISOString().slice(0, 10));
const monitoring = (cases: number) => ({ cases, dates: DATES, events: besluit([], DATES) });
const SAVED = 'Je antwoord is opgeslagen';
const APOLOGY = 'Sorry, er ging iets mis';
const said = (r: { body?: any }) => (r.body ? text(r.body.value ?? r.body) : '');

export interface InstanceChecks {
  /** Checks on the fresh store once three processes started on it (before anything was seeded). */
  afterStart?(seeded: { schema: number; migrations: number }): void;
  /** Lines no process may log. */
  forbidden?: string[];
}

export function instanceScenarios(open: () => Promise<SharedStore>, checks: InstanceChecks = {}): void {
  let out = '';
  let store: SharedStore | undefined;
  let bots: Bots | undefined;
  let connector: FakeConnector | undefined;

  beforeAll(() => {
    out = buildApp('shared');
  }, 180_000);
  afterEach(async () => {
    if (checks.forbidden) for (const i of bots?.instances ?? []) expect(i.logs.filter((l) => checks.forbidden!.some((f) => JSON.stringify(l).includes(f)))).toEqual([]);
    await bots?.stop();
    await connector?.stop();
    await store?.stop();
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  async function setUp(): Promise<{ bots: Bots; connector: FakeConnector }> {
    store = await open();
    connector = await new FakeConnector().start();
    bots = new Bots(out, store, ENV);
    return { bots, connector };
  }

  /** Polls the store until every job is sent and every thread card shows the stored state; the last state read. */
  async function settled(bots: Bots, connector: FakeConnector, caseId: string): Promise<StoredState> {
    let last: StoredState | undefined;
    try {
      return await until(
        'every due job sent and every thread card right',
        async () => {
          last = await readState(bots, caseId);
          return last.jobs.every((j) => j.kind !== 'monitoring' || j.status === 'verzonden') && wrongViews(connector, last.views).length === 0 && last;
        },
        60_000,
        500,
      );
    } catch (err) {
      const jobs = last?.jobs.filter((j) => j.kind === 'monitoring' && j.status !== 'verzonden');
      throw new Error(`${(err as Error).message}; deliveries: ${JSON.stringify([...deliveries(connector)])}; unsent: ${JSON.stringify(jobs)}; wrong cards: ${last ? wrongViews(connector, last.views) : '?'}; logs: ${JSON.stringify(bots.instances.flatMap((i) => i.logs.filter((l) => l.level >= 40 || /thread view/.test(l.msg ?? '')).slice(-8)))}`);
    }
  }

  it('three processes, a fifth of Teams calls failing, one killed mid-burst: 50 answers stored, no apology, every job delivered, cards right after the restart', { timeout: 120_000 }, async () => {
    const { bots, connector } = await setUp();
    const started = await Promise.all(['a', 'b', 'c'].map((n) => bots.start(n)));
    const seededState = await seed(bots, { serviceUrl: connector.url, questions: 50, monitoring: monitoring(4) });
    checks.afterStart?.(seededState);
    const { caseId } = seededState;
    const users = partners(50);
    connector.members = users.map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));

    // Teams fails one in five of the dispatcher's calls (seeded) and is slow on some.
    const random = seeded(20_261_128);
    let faults = 0;
    let proactiveCalls = 0;
    connector.fault = (call): Fault | undefined => {
      if (!proactive(call)) return undefined;
      proactiveCalls++;
      if (random() < 0.2) {
        faults++;
        const status = [500, 502, 503, 429][Math.floor(random() * 4)]!;
        return { status, headers: status === 429 || status === 503 ? { 'retry-after': '0.1' } : {} };
      }
      return random() < 0.3 ? { status: 200, pass: true, delayMs: 300 } : undefined;
    };

    const activities = await Promise.all(users.map((u, i) => answerActivity(started[i % 3]!, connector.url, caseId, u, i)));
    const [victim, ...survivors] = started as [Instance, Instance, Instance];
    const victimPid = `:${victim.child.pid}:`;
    let answered = 0;
    const burst = Promise.all(activities.map((a, i) => post(started[i % 3]!, a).then((r) => (answered++, r))));
    // Mid-burst: some answers are back, others and the jobs are in flight.
    await until('the first answers', () => answered >= 5, 30_000, 10);
    await bots.kill(victim);
    // What the victim may have sent without recording the outcome: its claims with a send attempt on them.
    const inFlight = new Set(
      (await readState(bots, caseId)).jobs.filter((j) => j.status === 'geclaimd' && j.leaseOwner?.includes(victimPid) && j.verzendpoging)
        .map((j) => `${j.caseId}|${j.ref}`),
    );
    const first = await burst;

    // Answers the victim took down with it are sent again by their partners, to a survivor.
    const responses = await Promise.all(first.map((r, i) => (r.status === 0 ? post(survivors[i % 2]!, activities[i]!) : r)));
    expect(responses.filter((r) => r.status !== 200 || said(r).includes(APOLOGY))).toEqual([]);
    const acknowledged = first.filter((r) => said(r).includes(SAVED)).length;
    expect(acknowledged).toBeGreaterThan(0);

    // A replacement process starts; Teams keeps failing a fifth of the calls.
    await bots.start('d');
    const state: StoredState = await settled(bots, connector, caseId);
    expect(state.answers).toEqual(users.map((u) => ['beantwoord', `Antwoord van ${u.name}`]));
    expect(state.answerEvents).toBe(50);

    // Every job reached Teams; a second copy only of a send whose outcome the victim never recorded.
    const counts = deliveries(connector);
    const jobs = state.jobs.filter((j) => j.kind === 'monitoring');
    expect(jobs).toHaveLength(4 * DATES.length);
    expect([...counts.keys()].sort()).toEqual(jobs.map((j) => `${j.caseId}|${j.ref}`).sort());
    expect([...counts].filter(([key, n]) => n > 1 && !inFlight.has(key))).toEqual([]);
    expect(faults).toBeGreaterThan(0.1 * proactiveCalls);
  });

  it('a process killed between storing answers and putting the thread cards: another brings them up to date after the lease; a slow but successful Teams gets each job once', { timeout: 120_000 }, async () => {
    const { bots, connector } = await setUp();
    const { caseId } = await seed(bots, { serviceUrl: connector.url, questions: 5, monitoring: monitoring(1) });
    const users = partners(5);
    connector.members = users.map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));

    // Teams holds every send and PUT of the first process; they fail once it is gone.
    const held: ((f: Fault) => void)[] = [];
    connector.hold = (call) => (proactive(call) ? new Promise<Fault>((r) => held.push(r)) : undefined);
    const first = await bots.start('first');
    const activities = await Promise.all(users.map((u, i) => answerActivity(first, connector.url, caseId, u, i)));
    const responses = await Promise.all(activities.map((a) => post(first, a)));
    expect(responses.map((r) => said(r).includes(SAVED))).toEqual(users.map(() => true));
    await until('thread card PUTs held', () => held.length > 0);
    await bots.kill(first);
    connector.hold = undefined;
    for (const release of held.splice(0)) release({ status: 503 });
    expect(connector.cards('update')).toEqual([]);

    // The next process: Teams answers every send after longer than DISPATCH_TIMEOUT_MS, but posts it.
    connector.fault = (call) => (call.kind === 'send' || call.kind === 'reply' ? { status: 200, pass: true, delayMs: TIMEOUT_MS * 1.5 } : undefined);
    const second = await bots.start('second');
    const state = await settled(bots, connector, caseId);
    expect(state.answers).toEqual(users.map((u) => ['beantwoord', `Antwoord van ${u.name}`]));
    expect(second.logs.some((l) => l.msg === 'Teams is slow to answer; waiting for it and keeping the claim')).toBe(true);
    expect([...deliveries(connector)].filter(([, n]) => n !== 1)).toEqual([]);
    expect(deliveries(connector).size).toBe(DATES.length);
  });

  it('a process killed after storing a duiding, while Teams holds its thread notice: the user had the answer, and another process posts the notice after the lease', { timeout: 120_000 }, async () => {
    const { bots, connector } = await setUp();
    const { caseId } = await seed(bots, { serviceUrl: connector.url, questions: 0 });
    const lead = { id: LEAD.teamsId, aadObjectId: LEAD.id, name: LEAD.name };
    connector.members = [lead];
    const held: ((f: Fault) => void)[] = [];
    connector.hold = (call) => ((call.kind === 'send' || call.kind === 'reply') && call.conversationId === THREAD(caseId) ? new Promise<Fault>((r) => held.push(r)) : undefined);
    const first = await bots.start('first');
    const duiding = { caseId, basisVersie: 0, hypothesen: 1, hypothese_0: 'Het stelen komt voort uit schoolverzuim.', betrokkenen: 1, veiligheid_0_nu: 'zorgelijk', veiligheid_0_straks: 'veilig', patronen: 'combinatieproblematiek' };
    const res = await post(first, cardAction({ serviceUrl: connector.url }, lead, Verb.duidingVastleggen, duiding, 'duiding-form', THREAD(caseId)));
    expect(said(res)).toContain('Duiding 13/777000-26 vastgelegd');
    await until('the notice held by Teams', () => held.length > 0, 10_000, 10);
    await bots.kill(first);
    connector.hold = undefined;
    for (const release of held.splice(0)) release({ status: 503 });

    const second = await bots.start('second');
    const notices = () => connector.calls.filter((c) => (c.kind === 'send' || c.kind === 'reply') && text(c.body?.attachments?.[0]?.content).includes('Duiding vastgelegd'));
    await until('the notice posted by another process', () => notices().length > 0, 60_000, 100);
    expect(notices().map((c) => c.conversationId)).toEqual([THREAD(caseId)]);
    const state = await until('the notice marked sent', async () => {
      const s = await readState(bots, caseId);
      return s.jobs.some((j) => j.kind === 'melding' && j.status === 'verzonden') && s;
    });
    expect(state.jobs.filter((j) => j.kind === 'melding').map((j) => [j.status, j.leaseOwner?.includes(`:${second.child.pid}:`)])).toEqual([['verzonden', true]]);
    expect(notices()).toHaveLength(1);
  });

  it('a process killed while Teams holds the thread of a case it just flagged: the case is stored, and another process opens its thread and posts its verdiepingskaart after the lease', { timeout: 120_000 }, async () => {
    const { bots, connector } = await setUp();
    const { caseId: eerste } = await seed(bots, { serviceUrl: connector.url, questions: 0 });
    const lead = { id: LEAD.teamsId, aadObjectId: LEAD.id, name: LEAD.name };
    connector.members = [lead];
    const held: ((f: Fault) => void)[] = [];
    connector.hold = (call) => (call.kind === 'create' ? new Promise<Fault>((r) => held.push(r)) : undefined);
    const first = await bots.start('first');
    const form = { zaaknummer: '13/888000-26', zaaktypes: 'jeugd', signaal: 'Meisje (14) stal make-up; moeder is al weken opgenomen.', betrokkene_0_rol: 'verdachte', betrokkene_0_leeftijd: '12-17', rijen: 1 };
    const flagged = post(first, cardAction({ serviceUrl: connector.url }, lead, Verb.markeringIndienen, form, 'flag-form'));
    await until('the case card held by Teams', () => held.length > 0, 10_000, 10);
    await bots.kill(first);
    expect((await flagged).status).toBe(0);
    connector.hold = undefined;
    for (const release of held.splice(0)) release({ status: 503 });

    await bots.start('second');
    const opened = () => connector.calls.filter((c) => c.kind === 'create' && c.responseId);
    await until('the thread opened by another process', () => opened().length > 0, 60_000, 100);
    const state = await until('the zaakgesprek job done', async () => {
      const s = await readState(bots, eerste);
      return s.jobs.some((j) => j.kind === 'zaakgesprek' && j.status === 'verzonden') && s;
    });
    const [created] = opened();
    expect(text(created!.body.activity.attachments[0].content)).toContain('Verdiepingszaak 13/888000-26');
    const thread = `${CHANNEL_ID};messageid=${created!.responseId}`;
    const kaarten = connector.calls.filter((c) => (c.kind === 'send' || c.kind === 'reply') && c.conversationId === thread && c.responseId);
    expect(kaarten.map((c) => text(c.body.attachments[0].content).includes('Leidende principes'))).toEqual([true]);
    // The stored case knows both messages: its thread cards are kept up to date from now on.
    const flaggedCase = state.jobs.find((j) => j.kind === 'zaakgesprek')!.caseId;
    expect(state.views.map((v) => v.messageId)).toEqual(expect.arrayContaining([created!.responseId, kaarten[0]!.responseId]));
    expect(flaggedCase).not.toBe(eerste);
    expect(opened()).toHaveLength(1);
  });
}
