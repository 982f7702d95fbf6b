import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduledJob } from '../../src/domain/jobs';
import { ZaakService } from '../../src/domain/service';
import type { Actor } from '../../src/domain/zaak';
import type { CosmosStore } from '../../src/store/cosmos';
import { Verb } from '../../src/verbs';
import { BOT, CHANNEL_ID, TEAM_ID, TENANT } from '../support/activities';
import { besluit, seeded } from '../dispatch/support';
import type { CosmosStandIn } from '../support/cosmos';
import { Bots, buildApp, cosmosDatabase, until, type SharedStore } from '../support/instances';
import { killBetweenStoreAndViews } from './instances';

/*
 * Several bot instances on one Cosmos DB: three separate Node processes (the built app,
 * `node dist/src/index.js`, with STORE=cosmos and the dispatcher on) share one stand-in and one
 * Bot Connector that fails a fifth of all calls. Every due job must reach Teams exactly once, also
 * when one process is killed while it holds claims: the others take its jobs over when the lease
 * runs out. It is killed while every call is held, so none of its sends has an unknown outcome
 * (the only case in which the README allows a duplicate).
 */

const DATABASE = 'verdiep-instances';
const CASES = 10;
const DATES_PER_CASE = 20;
const LEASE_MS = 15_000;
const LEAD: Actor = { id: 'aad-lead', name: 'Officier Van Dijk', teamsId: '29:lead' };

/** A key per delivered monitoring card: its case and date, from the card's Bekijken action (the channel card shows status only). */
function deliveryKey(body: any): string | undefined {
  const actions: any[] = body?.attachments?.[0]?.content?.actions ?? [];
  const data = actions.find((a) => a?.verb === Verb.opvolgingBekijken && a.data?.soort === 'monitoring')?.data;
  return data ? `${data.caseId}|${data.ref}` : undefined;
}

/**
 * The Bot Connector for this test: answers sends like Teams, fails one call in five (500, 502,
 * 503 or 429 with a Retry-After, from a seeded sequence), and can hold every call (`freeze`);
 * held calls are failed with 503 on `release`, so nothing in flight during a freeze reaches Teams.
 */
class FlakyConnector {
  readonly delivered: { key?: string; conversationId: string }[] = [];
  failed = 0;
  answered = 0;
  url = '';
  private frozen = false;
  private held: ServerResponse[] = [];
  private readonly random = seeded(20_261_128);
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  freeze(): void {
    this.frozen = true;
  }

  release(): void {
    this.frozen = false;
    for (const res of this.held.splice(0)) this.fail(res, 503);
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private fail(res: ServerResponse, status: number): void {
    this.failed++;
    if (res.writableEnded || res.destroyed) return;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (status === 429 || status === 503) headers['retry-after'] = '0.1';
    res.writeHead(status, headers);
    res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'injected' } }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.frozen) {
      this.held.push(res);
      return;
    }
    if (this.random() < 0.2) return this.fail(res, [500, 502, 503, 429][Math.floor(this.random() * 4)]!);
    this.answered++;
    const segments = (req.url ?? '').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.method === 'POST' && segments[1] === 'conversations' && segments[3] === 'activities') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      this.delivered.push({ key: deliveryKey(body), conversationId: segments[2]! });
      res.end(JSON.stringify({ id: `act-${this.delivered.length}` }));
      return;
    }
    res.end('{}');
  }
}

describe('three bot processes on one Cosmos DB', () => {
  let out = '';
  let shared: SharedStore & { standIn: CosmosStandIn };
  let connector: FlakyConnector;
  let store: CosmosStore;
  let bots: Bots;

  beforeAll(async () => {
    out = buildApp('cosmos');
    shared = await cosmosDatabase(DATABASE);
    connector = await new FlakyConnector().start();
    store = await shared.standIn.open(DATABASE);
    bots = new Bots(out, shared, { DISPATCH_ENABLED: 'true', DISPATCH_POLL_MS: '200', DISPATCH_LEASE_MS: String(LEASE_MS), DISPATCH_TIMEOUT_MS: '2000' });
  }, 240_000);

  afterAll(async () => {
    await bots?.stop();
    await store?.close();
    await connector?.stop();
    await shared?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  async function monitoringJobs(): Promise<ScheduledJob[]> {
    return (await store.listJobs(TEAM_ID)).filter((j) => j.kind === 'monitoring');
  }

  it('delivers 200 due jobs exactly once, also when one process is killed while it holds claims', { timeout: 240_000 }, async () => {
    // The team, and ten cases in monitoring with twenty past monitoring dates each: 200 due jobs.
    await store.saveTeam({
      teamId: TEAM_ID,
      tenantId: TENANT,
      name: 'ZSM Haarlem',
      channelId: CHANNEL_ID,
      serviceUrl: connector.url,
      conversationReference: { channelId: 'msteams', serviceUrl: connector.url, bot: BOT, conversation: { id: CHANNEL_ID, isGroup: true, conversationType: 'channel', tenantId: TENANT } },
      installedAt: '2025-06-01T08:00:00.000Z',
      updatedAt: '2025-06-01T08:00:00.000Z',
    });
    let n = 0;
    const service = new ZaakService(store, { now: () => new Date('2025-06-02T09:00:00Z') }, { next: () => `case-${++n}` }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 1_800_000 });
    const dates = Array.from({ length: DATES_PER_CASE }, (_, i) => new Date(Date.UTC(2025, 6, 1 + i)).toISOString().slice(0, 10));
    for (let c = 0; c < CASES; c++) {
      const zaak = await service.flag(TEAM_ID, { reference: `13/${String(100_000 + c)}-25`, types: ['jeugd'], signaal: 'Jongen (15) stal in een winkel; niet op school.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, LEAD);
      const root = `root-${zaak.id}`;
      await service.change(TEAM_ID, zaak.id, LEAD, () => [{ type: 'zaak.thread_geopend', data: { channelId: CHANNEL_ID, conversationId: `${CHANNEL_ID};messageid=${root}`, rootMessageId: root } }, ...besluit([], dates)]);
    }
    const planned = await monitoringJobs();
    expect(planned).toHaveLength(CASES * DATES_PER_CASE);
    expect(planned.every((j) => j.status === 'gepland' && j.dueAt < new Date().toISOString())).toBe(true);

    const [victim, ...others] = await Promise.all(['a', 'b', 'c'].map((n) => bots.start(n)));
    const victimOwner = (j: ScheduledJob) => j.leaseOwner?.includes(`:${victim!.child.pid}:`) ?? false;

    // Midway: hold every call, wait until each message Teams took is also marked sent (so no
    // process is between a send and its mark), and until the victim holds claims; then kill it.
    await until('50 deliveries', async () => connector.delivered.length >= 50, 120_000);
    // Teams got only monitoring cards, each telling its case and date.
    expect(connector.delivered.filter((d) => !d.key)).toEqual([]);
    connector.freeze();
    const held = await until(
      'marks caught up with deliveries, and claims held by the victim',
      async () => {
        const jobs = await monitoringJobs();
        const sent = new Set(jobs.filter((j) => j.status === 'verzonden').map((j) => `${j.caseId}|${j.ref}`));
        const deliveredKeys = new Set(connector.delivered.map((d) => d.key));
        const claims = jobs.filter((j) => j.status === 'geclaimd' && victimOwner(j) && j.leaseUntil! > new Date().toISOString());
        return sent.size === deliveredKeys.size && [...deliveredKeys].every((k) => k && sent.has(k)) && claims.length > 0 && claims;
      },
      30_000,
    );
    await bots.kill(victim!);
    connector.release();

    const done = await until('every job sent', async () => {
      const jobs = await monitoringJobs();
      return jobs.every((j) => j.status === 'verzonden') && jobs;
    }, 120_000);

    // Exactly once: one delivered card per job, none twice, none missing.
    const counts = new Map<string, number>();
    for (const d of connector.delivered.filter((d) => d.key)) counts.set(d.key!, (counts.get(d.key!) ?? 0) + 1);
    const expected = planned.map((j) => `${j.caseId}|${j.ref}`).sort();
    expect([...counts.keys()].sort()).toEqual(expected);
    expect([...counts.entries()].filter(([, c]) => c !== 1)).toEqual([]);
    // Each in its case thread.
    expect(connector.delivered.filter((d) => d.key).every((d) => d.conversationId === `${CHANNEL_ID};messageid=root-${d.key!.split('|')[0]}`)).toBe(true);

    // The victim's claims went to the others once its lease ran out.
    const byId = new Map(done.map((j) => [j.id, j]));
    for (const claim of held) {
      const final = byId.get(claim.id)!;
      expect(final.status).toBe('verzonden');
      expect(victimOwner(final)).toBe(false);
      expect(final.attempts).toBeGreaterThan(claim.attempts);
    }
    expect(others.some((o) => o.logs.some((l) => l.msg === 'job delivered' && held.some((c) => c.id === l.jobId)))).toBe(true);

    // A fifth of the calls failed, and the survivors still run and are healthy.
    expect(connector.failed).toBeGreaterThan(0.1 * (connector.failed + connector.answered));
    for (const o of others) {
      expect(o.child.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${o.port}/healthz`)).status).toBe(200);
    }
  });
});

describe('bot processes on one Cosmos DB, one killed between store and views', () => {
  killBetweenStoreAndViews(() => cosmosDatabase('verdiep-views'));
});
