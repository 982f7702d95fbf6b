import { CosmosClient } from '@azure/cosmos';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newJob } from '../../src/domain/jobs';
import { defaultRetryPolicy, ZaakService } from '../../src/domain/service';
import type { Actor } from '../../src/domain/zaak';
import { createLogger, type Logger } from '../../src/log';
import { PUNTEN_VERSIE } from '../../src/domain/opvolgpunten';
import { CONTAINERS, CosmosStore } from '../../src/store/cosmos';
import { DuplicateReferenceError } from '../../src/store/store';
import { OFFICIER, botInstalled, mention } from '../support/activities';
import { startCosmosStandIn, STAND_IN_KEY, type CosmosStandIn } from '../support/cosmos';
import { startHarness } from '../support/harness';
import { storeContract } from './contract';

let standIn: CosmosStandIn;
beforeAll(async () => {
  standIn = await startCosmosStandIn();
});
afterAll(async () => {
  await standIn.stop();
});

let contractDatabase = 0;
storeContract(
  'cosmos',
  () => standIn.open(`verdiep-contract-${++contractDatabase}`),
  undefined,
  () => standIn.documents(`verdiep-contract-${contractDatabase}`),
);

const actor: Actor = { id: 'aad-officier', name: 'Officier' };
const markering = {
  reference: '13/123456-26',
  types: ['jeugd' as const],
  signaal: 'Jongen (15) pleegt diefstal.',
  betrokkenen: [{ rol: 'verdachte' as const, leeftijd: '12-17' as const }],
};

describe('cosmos store', () => {
  let n = 0;
  const service = (store: CosmosStore) =>
    new ZaakService(store, { now: () => new Date('2026-11-28T10:00:00Z') }, { next: () => `cosmos-case-${++n}` }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 1_800_000 }, { ...defaultRetryPolicy, budgetMs: 60_000 });

  it('erases a message recorded while the purge of its case ran: the purge sweeps for it once the case is gone', async () => {
    const store = await standIn.open('verdiep-laat');
    const s = service(store);
    const zaak = await s.flag('t1', markering, actor);
    await s.change('t1', zaak.id, actor, () => [{ type: 'zaak.gesloten', data: { leeropbrengst: 'Klaar.', uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
    const laat = [{ conversationId: '19:kanaal@thread.tacv2', messageId: 'laat-1' }];
    // Another instance records a message after the purge listed the case's messages, while the case is still there.
    const gewoon = (store as unknown as { deleteInzage: (t: string, c: string) => Promise<void> }).deleteInzage.bind(store);
    let eerst = true;
    Object.assign(store, {
      deleteInzage: async (t: string, c: string) => {
        await gewoon(t, c);
        if (eerst) await store.recordMessages('t1', zaak.id, laat, '2026-11-29T00:00:00.000Z');
        eerst = false;
      },
    });
    expect(await store.purgeClosedCases('2026-11-29T00:00:00.000Z', '2026-11-29T00:00:00.000Z')).toBe(1);
    const wissing = (await store.listJobs('t1')).filter((j) => j.kind === 'wissing');
    expect(wissing.map((j) => j.berichten)).toContainEqual(laat);
    // No record of it is left to wait for a purge that has run.
    expect((await standIn.documents('verdiep-laat')).filter((doc) => doc.includes('laat-1'))).toHaveLength(1);
  });

  it('creates its database and containers when missing, and finds them again without creating', async () => {
    const first = await standIn.open('verdiep-create');
    await service(first).flag('t1', markering, actor);
    await first.close();
    const again = await CosmosStore.open({ endpoint: standIn.endpoint, key: STAND_IN_KEY, databaseId: 'verdiep-create', createIfMissing: false, agent: standIn.agent });
    expect(await again.findCaseByReference('t1', markering.reference)).toBeDefined();
    await again.close();
  });

  it('adds the paths its queries need to the indexing policy of a container an earlier version made', async () => {
    const client = new CosmosClient({ endpoint: standIn.endpoint, key: STAND_IN_KEY, connectionPolicy: { enableEndpointDiscovery: false }, agent: standIn.agent });
    const oud = ['/kind/?', '/caseId/?', '/firstSeq/?', '/open/?', '/flaggedAt/?', '/closedAt/?'];
    try {
      const { database } = await client.databases.createIfNotExists({ id: 'verdiep-oud-index' });
      await database.containers.createIfNotExists({ id: CONTAINERS.zaken, partitionKey: { paths: ['/teamId'] }, indexingPolicy: { indexingMode: 'consistent', automatic: true, includedPaths: oud.map((path) => ({ path })), excludedPaths: [{ path: '/*' }] } });
      const logs: { msg: string; paths?: string[] }[] = [];
      const log = { warn: (o: object, msg: string) => logs.push({ ...o, msg }), info: () => undefined, error: () => undefined } as unknown as Logger;
      const store = await CosmosStore.open({ endpoint: standIn.endpoint, key: STAND_IN_KEY, databaseId: 'verdiep-oud-index', createIfMissing: true, agent: standIn.agent, log });
      await store.close();
      const { resource } = await database.container(CONTAINERS.zaken).read();
      expect(resource!.indexingPolicy!.includedPaths!.map((p) => p.path)).toEqual(expect.arrayContaining([...oud, '/op/?', '/soort/?', '/volgorde/?', '/wat/?']));
      expect(logs.filter((l) => l.msg === 'Cosmos container indexing policy updated for new queries')).toEqual([expect.objectContaining({ container: CONTAINERS.zaken, paths: ['/op/?', '/soort/?', '/volgorde/?', '/wat/?'] })]);
      // Opened again: nothing left to add.
      logs.length = 0;
      await (await CosmosStore.open({ endpoint: standIn.endpoint, key: STAND_IN_KEY, databaseId: 'verdiep-oud-index', createIfMissing: true, agent: standIn.agent, log })).close();
      expect(logs).toEqual([]);
    } finally {
      client.dispose();
    }
  });

  it('refuses to start on a database without its containers when it may not create them', async () => {
    await expect(
      CosmosStore.open({ endpoint: standIn.endpoint, key: STAND_IN_KEY, databaseId: 'verdiep-not-there', createIfMissing: false, agent: standIn.agent }),
    ).rejects.toThrow(/Cosmos DB container teams is missing in database verdiep-not-there/);
  });

  it('keeps references and ids with characters Cosmos ids do not allow', async () => {
    const store = await standIn.open();
    const odd = { ...markering, reference: 'PL09/00#2026?123\\4' };
    const zaak = await service(store).flag('team/with?odd#chars', odd, actor);
    expect(await store.findCaseByReference('team/with?odd#chars', odd.reference)).toEqual(zaak);
    await expect(service(store).flag('team/with?odd#chars', odd, actor)).rejects.toBeInstanceOf(DuplicateReferenceError);
    const job = newJob({ teamId: 't/1', id: 'case/1' }, 'plandatum', 'p/1', new Date('2026-11-28T09:00:00Z'), '2026-11-28T08:00:00.000Z');
    await store.scheduleJobs([job]);
    expect(await store.getJob('t/1', job.id)).toEqual(job);
    await store.close();
  });

  it('signs in with a token credential (managed identity) when it has no key', async () => {
    const scopes: string[] = [];
    const credential = {
      async getToken(scope: string | string[]) {
        scopes.push(...[scope].flat());
        return { token: 'token-from-managed-identity', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const withKey = await standIn.open('verdiep-token');
    await service(withKey).flag('t1', markering, actor);
    await withKey.close();
    const store = await CosmosStore.open({ endpoint: standIn.endpoint, credential, databaseId: 'verdiep-token', createIfMissing: false, agent: standIn.agent });
    expect(await store.findCaseByReference('t1', markering.reference)).toBeDefined();
    expect(standIn.lastAuthorization).toBe('type=aad&ver=1.0&sig=token-from-managed-identity');
    expect(scopes.length).toBeGreaterThan(0);
    expect(scopes.every((s) => s.endsWith('/.default'))).toBe(true);
    await store.close();
  });

  it('retries a request that Cosmos throttles (429) after the wait it asks for', async () => {
    const store = await standIn.open();
    const zaak = await service(store).flag('t1', markering, actor);
    const before = standIn.documentRequests;
    standIn.throttle(3);
    expect(await store.getCase('t1', zaak.id)).toEqual(zaak);
    // The three throttled attempts, then the reads that succeeded.
    expect(standIn.documentRequests - before).toBeGreaterThanOrEqual(4);
    await store.close();
  });

  it('lands every change of 30 writers in separate processes on one case; readers leave the snapshot to its writer', async () => {
    const logs: any[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(...String(chunk).split('\n').filter(Boolean).map((l) => JSON.parse(l))), done()) });
    const first = await standIn.open();
    const zaak = await service(first).flag('t1', markering, actor);
    const databaseId = (first as unknown as { database: { id: string } }).database.id;
    // One store and one service each, as separate bot processes have.
    const writers = await Promise.all(Array.from({ length: 30 }, () => CosmosStore.open({ endpoint: standIn.endpoint, key: STAND_IN_KEY, databaseId, createIfMissing: false, agent: standIn.agent, log: createLogger('info', sink) })));
    const before = standIn.documentRequests;
    await Promise.all(
      writers.map((store, i) =>
        service(store).change('t1', zaak.id, { id: `aad-${i}`, name: `Partner ${i}` }, () => [{ type: 'principe.vastgelegd', data: { stap: 1 + (i % 9), status: 'ingevuld', antwoorden: { zorg: `antwoord ${i}` } } }]),
      ),
    );
    const requests = standIn.documentRequests - before;
    console.info(`[cosmos write path] 30 racing writers: ${requests} document requests, ${(requests / 30).toFixed(1)} per change`);
    expect((await first.getCase('t1', zaak.id))?.version).toBe(31);
    expect(await first.listEvents('t1', zaak.id)).toHaveLength(31);
    expect(logs.filter((l) => l.msg === 'case snapshot rolled forward from its events')).toEqual([]);
    await Promise.all([first, ...writers].map((s) => s.close()));
  });

  it('rolls a snapshot forward when a writer stopped between its events and its snapshot', async () => {
    const store = await standIn.open();
    const zaak = await service(store).flag('t1', markering, actor);
    // A writer that crashed after its events document: replay that state by hand.
    const other = await standIn.open((store as unknown as { database: { id: string } }).database.id);
    const job = newJob(zaak, 'monitoring', 'm', new Date('2027-01-09T08:00:00Z'), '2026-11-28T10:00:00.000Z');
    const event = { teamId: 't1', caseId: zaak.id, seq: 2, at: '2026-11-28T10:05:00.000Z', actor, type: 'zaak.fase_gewijzigd' as const, data: { van: 'gemarkeerd' as const, naar: 'contextinformatie' as const } };
    await (other as unknown as { zaken: { items: { create(doc: object): Promise<unknown> } } }).zaken.items.create({
      id: `events:${zaak.id}:2`,
      teamId: 't1',
      kind: 'events',
      caseId: zaak.id,
      firstSeq: 2,
      lastSeq: 2,
      events: [event],
      jobs: [job],
    });
    expect(await store.listCases('t1')).toEqual([zaak]);
    const repaired = await store.getCase('t1', zaak.id);
    expect(repaired).toMatchObject({ fase: 'contextinformatie', version: 2 });
    expect(await store.listJobs('t1', { caseId: zaak.id })).toEqual([job]);
    // And the next change continues after it, instead of losing every race to the orphan.
    const next = await service(store).change('t1', zaak.id, actor, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'contextinformatie', naar: 'duiding' } }]);
    expect(next.version).toBe(3);
    expect((await other.getCase('t1', zaak.id))?.fase).toBe('duiding');
    await other.close();
    await store.close();
  });
});

describe('cosmos store from before follow-up points', () => {
  it('gives the cases it finds without them their points when it opens', async () => {
    const store = await standIn.open();
    const databaseId = (store as unknown as { database: { id: string } }).database.id;
    const oudService = new ZaakService(store, { now: () => new Date('2026-11-28T10:00:00Z') }, { next: () => 'oud-1' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
    const zaak = await oudService.flag('t1', markering, actor);
    const vt = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
    await oudService.change('t1', zaak.id, actor, () => [
      { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Bekend?', waarom: 'Duiding.', deadline: '2026-11-27T09:00:00.000Z' } },
    ]);
    // The snapshot and the points as the version before them left it: no points, none listed.
    const zaken = (store as unknown as { zaken: { item(id: string, pk: string): { read(): Promise<{ resource: Record<string, unknown> }>; replace(doc: object): Promise<unknown> } } }).zaken;
    const { resource } = await zaken.item(`zaak:${zaak.id}`, 't1').read();
    const { punten, puntenVersie, ...oud } = resource as { punten: string[]; puntenVersie: number };
    for (const id of punten) await (zaken.item(id, 't1') as unknown as { delete(): Promise<unknown> }).delete();
    await zaken.item(`zaak:${zaak.id}`, 't1').replace(oud);
    await store.close();
    expect(punten.length).toBeGreaterThan(0);
    expect(puntenVersie).toBe(PUNTEN_VERSIE);

    const reopened = await standIn.open(databaseId);
    expect((await reopened.listFollowUps('t1', { soort: 'vraag', limit: 5 })).punten.map((p) => [p.reference, p.sleutel])).toEqual([[markering.reference, 'u1']]);
    const { resource: nu } = await (reopened as unknown as { zaken: typeof zaken }).zaken.item(`zaak:${zaak.id}`, 't1').read();
    expect((nu as { punten?: string[] }).punten).toEqual(punten);
    await reopened.close();
  });
});

describe('cosmos store from before the te bespreken points', () => {
  it('gives the cases derived under an older PUNTEN_VERSIE today\'s points when it opens', async () => {
    const store = await standIn.open();
    const databaseId = (store as unknown as { database: { id: string } }).database.id;
    const oudService = new ZaakService(store, { now: () => new Date('2026-11-28T10:00:00Z') }, { next: () => 'oud-2' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
    const zaak = await oudService.flag('t1', markering, actor);
    // The snapshot as version 1 of the points left it: no version, no point of the new kinds.
    const zaken = (store as unknown as { zaken: { item(id: string, pk: string): { read(): Promise<{ resource: Record<string, unknown> }>; replace(doc: object): Promise<unknown>; delete(): Promise<unknown> } } }).zaken;
    const { resource } = await zaken.item(`zaak:${zaak.id}`, 't1').read();
    const { puntenVersie, punten, ...oud } = resource as { puntenVersie: number; punten: string[] };
    const [nieuw] = (await store.listFollowUps('t1', { soort: 'zonderduiding', limit: 5 })).punten;
    for (const id of punten) await zaken.item(id, 't1').delete();
    await zaken.item(`zaak:${zaak.id}`, 't1').replace({ ...oud, punten: [] });
    await store.close();
    expect(puntenVersie).toBe(PUNTEN_VERSIE);
    expect(nieuw?.reference).toBe(markering.reference);

    const reopened = await standIn.open(databaseId);
    expect((await reopened.listFollowUps('t1', { soort: 'zonderduiding', limit: 5 })).punten).toEqual([nieuw]);
    const { resource: nu } = await (reopened as unknown as { zaken: typeof zaken }).zaken.item(`zaak:${zaak.id}`, 't1').read();
    expect(nu).toMatchObject({ punten, puntenVersie: PUNTEN_VERSIE });
    await reopened.close();
  });
});

describe('cosmos store without its server', () => {
  it('reports unhealthy and rejects operations when the connection is lost, and recovers when it is back', async () => {
    const own = await startCosmosStandIn();
    const port = own.port;
    const store = await own.open('verdiep-lost');
    await store.saveTeam({ teamId: 't1', tenantId: 'x', channelId: 'c', serviceUrl: 'http://127.0.0.1:1/', conversationReference: {}, installedAt: 'a', updatedAt: 'a' });
    expect((await store.health()).ok).toBe(true);

    await own.stop();
    const health = await store.health();
    expect(health).toMatchObject({ ok: false, kind: 'cosmos' });
    expect(health.detail).toMatch(/ECONNREFUSED/);
    await expect(store.getTeam('t1')).rejects.toThrow();
    await expect(store.listCases('t1')).rejects.toThrow();
    await expect(store.claimDueJobs('2026-11-28T10:00:00.000Z', 'a', '2026-11-28T10:05:00.000Z', 5)).rejects.toThrow();

    // The stand-in keeps nothing when stopped; a new one on the same port stands for the service coming back.
    const back = await startCosmosStandIn(port);
    await CosmosStore.open({ endpoint: back.endpoint, key: STAND_IN_KEY, databaseId: 'verdiep-lost', createIfMissing: true, agent: back.agent }).then((s) => s.close());
    expect((await store.health()).ok).toBe(true);
    expect(await store.getTeam('t1')).toBeUndefined();
    await store.close();
    expect((await store.health()).ok).toBe(false);
    await back.stop();
  });
});

describe('the bot on Cosmos DB when the connection is lost', () => {
  it('answers /healthz with 503 and apologises on a turn, without crashing, until Cosmos is back', async () => {
    const own = await startCosmosStandIn();
    const store = await own.open('verdiep-bot-lost');
    const h = await startHarness({ store });
    const healthz = async () => {
      const res = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
      return { status: res.status, body: (await res.json()) as { store: { ok: boolean; kind: string; detail?: string } } };
    };
    try {
      await h.post(botInstalled(h, OFFICIER));
      expect((await healthz()).status).toBe(200);

      const port = own.port;
      await own.stop();
      const down = await healthz();
      expect(down.status).toBe(503);
      expect(down.body.store).toMatchObject({ ok: false, kind: 'cosmos' });
      await h.post(mention(h, OFFICIER, 'zaken'));
      expect(h.connector.texts().at(-1)).toMatch(/^Sorry, er ging iets mis\. Probeer het opnieuw\..*referentie.*: [0-9a-f]{8}\.$/);
      expect(h.logs.filter((l) => l.msg === 'turn failed').map((l) => l.err.message)).toEqual([expect.stringContaining('ECONNREFUSED')]);

      const back = await startCosmosStandIn(port);
      await CosmosStore.open({ endpoint: back.endpoint, key: STAND_IN_KEY, databaseId: 'verdiep-bot-lost', createIfMissing: true, agent: back.agent }).then((s) => s.close());
      expect((await healthz()).status).toBe(200);
      const calls = h.connector.calls.length;
      await h.post(mention(h, OFFICIER, 'zaken'));
      expect(h.connector.calls.length).toBeGreaterThan(calls);
      expect(JSON.stringify(h.connector.calls.slice(calls))).not.toContain('Sorry, er ging iets mis');
      expect(h.logs.filter((l) => l.msg === 'turn failed')).toHaveLength(1);
      await h.stop();
      await back.stop();
    } catch (err) {
      await h.stop().catch(() => undefined);
      throw err;
    }
  });
});
