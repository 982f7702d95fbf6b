import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opvolgpunten, PUNTEN_VERSIE } from '../../src/domain/opvolgpunten';
import { zaakregel, type Verdiepingszaak } from '../../src/domain/zaak';
import { FOLLOW_UPS_MIGRATION, MIGRATIONS, migratieMet, puntenVersie, SqliteStore } from '../../src/store/sqlite';
import { ZaakService } from '../../src/domain/service';
import { levenVanEenZaak, MARKERS, storeContract, team } from './contract';

let contractPath = '';
storeContract(
  'sqlite',
  async () => new SqliteStore((contractPath = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db'))),
  undefined,
  async () => rows(contractPath),
);

/** Every row of every table, read through a connection of its own, with the JSON documents parsed. */
function rows(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    return tables.flatMap((table) =>
      (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((row) =>
        JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'doc' && typeof v === 'string' ? JSON.parse(v) : v]))),
      ),
    );
  } finally {
    db.close();
  }
}

describe('sqlite store', () => {
  it('creates its file on first start and migrates an existing file only once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'nested', 'verdiep.db');
    const first = new SqliteStore(path);
    const version = first.schemaVersion();
    await first.close();
    const second = new SqliteStore(path);
    expect(second.schemaVersion()).toBe(version);
    expect(version).toBeGreaterThanOrEqual(2);
    await second.close();
  });

  it('gives the cases of a file from before follow-up points, kept counts and case lines their points, counts and lines when it migrates', async () => {
    const { path, zaak, kolommen } = await oudBestand(FOLLOW_UPS_MIGRATION - 1, async (service) => {
      const z = await service.flag('t1', { reference: '13/123456-26', types: ['jeugd'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17', sknHash: 'hash-a' }] }, { id: 'a', name: 'A' });
      const vt = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
      return service.change('t1', z.id, { id: 'a', name: 'A' }, () => [
        { type: 'zaak.thread_geopend', data: { channelId: '19:k', conversationId: '19:k;messageid=1', rootMessageId: '1' } },
        { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Bekend?', waarom: 'Duiding.', deadline: '2026-11-27T09:00:00.000Z' } },
      ]);
    });
    expect(kolommen.has('regel')).toBe(false);
    const migrated = new SqliteStore(path);
    expect(migrated.schemaVersion()).toBe(MIGRATIONS.length);
    expect((await migrated.listFollowUps('t1', { soort: 'vraag', limit: 5 })).punten.map((p) => [p.reference, p.sleutel])).toEqual([['13/123456-26', 'u1']]);
    expect((await migrated.listFollowUps('t1', { soort: 'betrokkene', wat: ['hash-a'], limit: 5 })).punten.map((p) => p.reference)).toEqual(['13/123456-26']);
    expect(await migrated.countOpenCases('t1')).toEqual({ open: 1, perFase: { gemarkeerd: 1 }, perType: { jeugd: 1 } });
    // Each case's line, its thread with it; the phase lists read it through their index.
    expect(zaakregel(zaak).thread?.rootMessageId).toBe('1');
    expect(await migrated.listOpenCases('t1', { limit: 5 })).toEqual({ total: 1, zaken: [zaakregel(zaak)] });
    expect(await migrated.listOpenCases('t1', { limit: 5, fase: 'gemarkeerd' })).toEqual({ total: 1, zaken: [zaakregel(zaak)] });
    await migrated.close();
  });

  it('gives the cases of a file from before the latest kind of follow-up points (open work by whom it waits for) those points when it migrates', async () => {
    const { path } = await oudBestand(migratieMet(puntenVersie(PUNTEN_VERSIE)) - 1, async (service) => {
      const z = await service.flag('t1', { reference: '13/123456-26', types: ['jeugd'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, { id: 'a', name: 'A' });
      const vt = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
      return service.change('t1', z.id, { id: 'a', name: 'A' }, () => [
        { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Bekend?', waarom: 'Duiding.', deadline: '2026-11-27T09:00:00.000Z' } },
      ]);
    });
    const migrated = new SqliteStore(path);
    expect(migrated.schemaVersion()).toBe(MIGRATIONS.length);
    expect((await migrated.listFollowUps('t1', { soort: 'vraaghouder', wat: ['aad-vt'], limit: 5 })).punten.map((p) => [p.reference, p.sleutel])).toEqual([['13/123456-26', 'u1']]);
    await migrated.close();
  });

  it('counts the follow-up points of a file from before the day counts per day when it migrates, and keeps counting them with every change', async () => {
    const vt = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
    const deadlines = ['2026-11-27T09:00:00.000Z', '2026-11-28T08:00:00.000Z', '2026-11-28T12:00:00.000Z', '2026-12-01T09:00:00.000Z'];
    const { path, zaak } = await oudBestand(migratieMet('CREATE TABLE follow_up_days') - 1, async (service) => {
      const z = await service.flag('t1', { reference: '13/123456-26', types: ['jeugd'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, { id: 'a', name: 'A' });
      return service.change('t1', z.id, { id: 'a', name: 'A' }, () =>
        deadlines.map((deadline, i) => ({ type: 'uitvraag.verstuurd' as const, data: { id: `u${i}`, invitee: vt, organisatie: 'veilig_thuis' as const, vraag: 'Bekend?', waarom: 'Duiding.', deadline } })),
      );
    });
    // The points as that version stored them.
    const db = new Database(path);
    const insert = db.prepare('INSERT INTO follow_ups (team_id, case_id, soort, sleutel, op, reference, wat, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const p of opvolgpunten(zaak)) insert.run(p.teamId, p.caseId, p.soort, p.sleutel, p.op, p.reference, p.wat ?? null, JSON.stringify(p));
    db.close();

    const migrated = new SqliteStore(path);
    const vragen = async (van?: string, tot?: string) => (await migrated.listFollowUps('t1', { soort: 'vraag', ...(van ? { van } : {}), ...(tot ? { tot } : {}), limit: 0 })).total;
    expect([await vragen(), await vragen(undefined, '2026-11-28T10:00:00.000Z'), await vragen('2026-11-28', '2026-11-29'), await vragen('2026-11-28T10:00:00.000Z')]).toEqual([4, 2, 2, 2]);
    const service = new ZaakService(migrated, { now: () => new Date('2026-11-28T11:00:00Z') }, { next: () => 'x' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
    await service.change('t1', zaak.id, { id: 'a', name: 'A' }, () => [{ type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Bekend.', bron: 'Registratie', bekend: 'ja' } }]);
    expect([await vragen(), await vragen(undefined, '2026-11-28T10:00:00.000Z'), await vragen('2026-11-28', '2026-11-29'), await vragen('2026-11-28T10:00:00.000Z')]).toEqual([3, 1, 1, 2]);
    await migrated.close();
  });

  it('refuses a data file that a newer build has migrated, and leaves it as it is', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    await new SqliteStore(path).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(MIGRATIONS.length + 1, '2027-01-01T00:00:00.000Z');
    db.close();
    expect(() => new SqliteStore(path)).toThrow(`the data file has schema version ${MIGRATIONS.length + 1}, this build knows up to ${MIGRATIONS.length}`);
    const na = new Database(path, { readonly: true });
    expect((na.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(MIGRATIONS.length + 1);
    na.close();
  });

  it('counts the follow-up points per day anew at each retention pass, so points written around the triggers are counted right again', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    const store = new SqliteStore(path);
    const service = new ZaakService(store, { now: () => new Date('2026-11-26T10:00:00Z') }, { next: () => 'zaak-1' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
    const vt = { id: 'aad-vt', name: 'Veilig Thuis', teamsId: '29:vt' };
    const deadlines = ['2026-11-27T09:00:00.000Z', '2026-11-28T08:00:00.000Z', '2026-12-01T09:00:00.000Z'];
    const z = await service.flag('t1', { reference: '13/123456-26', types: ['jeugd'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, { id: 'a', name: 'A' });
    await service.change('t1', z.id, { id: 'a', name: 'A' }, () =>
      deadlines.map((deadline, i) => ({ type: 'uitvraag.verstuurd' as const, data: { id: `u${i}`, invitee: vt, organisatie: 'veilig_thuis' as const, vraag: 'Bekend?', waarom: 'Duiding.', deadline } })),
    );
    const vensters = [[undefined, undefined], ['2026-11-27', '2026-11-28'], ['2026-11-28', '2026-11-29'], ['2026-11-30', undefined]] as const;
    const geteld = async () => Promise.all(vensters.map(async ([van, tot]) => (await store.listFollowUps('t1', { soort: 'vraag', ...(van ? { van } : {}), ...(tot ? { tot } : {}), limit: 0 })).total));
    const geteldDoorLijst = async () => Promise.all(vensters.map(async ([van, tot]) => (await store.listFollowUps('t1', { soort: 'vraag', ...(van ? { van } : {}), ...(tot ? { tot } : {}), limit: 100 })).punten.length));
    expect(await geteld()).toEqual([3, 1, 1, 1]);
    // An older build moves the first question to 30 November with INSERT OR REPLACE: its delete fires no trigger.
    const oud = new Database(path);
    const rij = oud.prepare("SELECT * FROM follow_ups WHERE soort = 'vraag' AND sleutel = 'u0'").get() as Record<string, string>;
    oud.prepare('INSERT OR REPLACE INTO follow_ups (team_id, case_id, soort, sleutel, op, reference, wat, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(rij.team_id, rij.case_id, rij.soort, rij.sleutel, '2026-11-30T09:00:00.000Z', rij.reference, rij.wat, rij.doc);
    oud.close();
    expect(await geteldDoorLijst()).toEqual([3, 0, 1, 2]);
    expect(await geteld()).not.toEqual(await geteldDoorLijst());
    expect(await store.purgeClosedCases('2026-01-01T00:00:00.000Z', '2026-11-30T10:00:00.000Z')).toBe(0);
    expect(await geteld()).toEqual([3, 0, 1, 2]);
    await store.close();
  });

  it('answers a list whose lines are unchanged with the same frozen lines, and a list whose lines changed anew', async () => {
    const store = new SqliteStore(':memory:');
    let now = Date.parse('2026-11-28T10:00:00Z');
    const service = new ZaakService(store, { now: () => new Date(now) }, { next: () => `zaak-${now}` }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
    const a = await service.flag('t1', { reference: '13/123456-26', types: ['jeugd'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, { id: 'a', name: 'A' });
    now += 60_000;
    await service.flag('t1', { reference: '13/654321-26', types: ['lvb'], signaal: 'Signaal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '23-64' }] }, { id: 'a', name: 'A' });
    const eerst = await store.listOpenCases('t1', { limit: 25 });
    expect((await store.listOpenCases('t1', { limit: 25 })).zaken).toBe(eerst.zaken);
    expect(Object.isFrozen(eerst.zaken[0]!.types)).toBe(true);
    // A save that leaves the lines as they are changes nothing; a new phase is a new line.
    await service.change('t1', a.id, { id: 'a', name: 'A' }, () => [{ type: 'principe.vastgelegd', data: { stap: 1, status: 'nvt', antwoorden: {}, reden: 'Niet nodig.' } }]);
    expect((await store.listOpenCases('t1', { limit: 25 })).zaken).toBe(eerst.zaken);
    await service.change('t1', a.id, { id: 'a', name: 'A' }, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'contextinformatie' } }]);
    const daarna = await store.listOpenCases('t1', { limit: 25 });
    expect(daarna.zaken.map((z) => [z.reference, z.fase])).toEqual([['13/654321-26', 'gemarkeerd'], ['13/123456-26', 'contextinformatie']]);
    await store.close();
  });

  it('leaves none of a purged case\'s text in the data file or its WAL', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    const store = new SqliteStore(path);
    let now = Date.parse('2026-11-28T10:00:00Z');
    let n = 0;
    const service = new ZaakService(store, { now: () => new Date(now) }, { next: () => `zaak-${++n}` }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 1_800_000 });
    await levenVanEenZaak(store, service);
    await service.flag('t1', { reference: '13/888888-26', types: ['jeugd'], signaal: 'Blijft-MRK1t staan', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] }, { id: 'a', name: 'A' });
    const bytes = () => Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    const found = () => [...Object.values(MARKERS), 'Blijft-MRK1t'].filter((marker) => bytes().includes(marker));
    expect(found()).toEqual([...Object.values(MARKERS), 'Blijft-MRK1t']);

    now += 60_000;
    expect(await store.purgeClosedCases(new Date(now).toISOString(), new Date(now).toISOString())).toBe(1);
    // The leeropbrengst is kept in the case's anonymised learning record, which outlives it.
    expect(found()).toEqual([MARKERS.leeropbrengst, 'Blijft-MRK1t']);
    expect(store.erasureSettings()).toEqual({ autoVacuum: 2, secureDelete: 1 });
    await store.close();
  });

  it('syncs the WAL file in-line while that is fast; on a slow disk a write is answered once a pool sync that began after its commit has finished, and commits during a sync share the next one', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    const syncs: { file: string; done: () => void; fail: (err: Error) => void }[] = [];
    const inline: string[] = [];
    let ms = 0;
    const store = new SqliteStore(path, {
      syncWal: {
        onPool: (fd) => new Promise((done, fail) => syncs.push({ file: readlinkSync(`/proc/self/fd/${fd}`), done, fail })),
        // Each in-line sync takes 2 ms on this clock: too slow to keep blocking the event loop.
        inline: (fd) => void ((ms += 2), inline.push(readlinkSync(`/proc/self/fd/${fd}`))),
        now: () => ms,
      },
    });
    const answered: string[] = [];
    const save = (teamId: string) => store.saveTeam(team(teamId)).then(() => void answered.push(teamId));
    // The first commit syncs in-line, which measures the disk.
    await save('s1');
    expect(inline).toEqual([`${path}-wal`]);
    expect(syncs).toEqual([]);
    answered.length = 0;

    const first = save('t1');
    const during = [save('t2'), save('t3')];
    await new Promise((r) => setImmediate(r));
    // SQLite leaves the sync to the store; the one running began before t2 and t3 committed.
    expect(store.synchronous()).toBe(1);
    expect(syncs.map((s) => s.file)).toEqual([`${path}-wal`]);
    expect(answered).toEqual([]);
    expect((await store.listTeams()).map((t) => t.teamId)).toEqual(['s1', 't1', 't2', 't3']);

    syncs[0]!.done();
    await first;
    expect(answered).toEqual(['t1']);
    expect(syncs).toHaveLength(2);
    syncs[1]!.done();
    await Promise.all(during);
    expect(answered).toEqual(['t1', 't2', 't3']);

    // A failed sync fails the write: the bot does not answer a change it cannot vouch for.
    const failed = store.saveTeam(team('t4'));
    syncs[2]!.fail(new Error('EIO'));
    await expect(failed).rejects.toThrow('EIO');
    expect(inline).toHaveLength(1);
    await store.close();
  });

  it('on a fast disk syncs the WAL file once for the writes made in one turn of the event loop, and answers none of them before', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    const inline: string[] = [];
    let ms = 0;
    const store = new SqliteStore(path, { syncWal: { onPool: () => Promise.reject(new Error('no pool sync expected')), inline: (fd) => void ((ms += 0.1), inline.push(readlinkSync(`/proc/self/fd/${fd}`))), now: () => ms } });
    const answered: string[] = [];
    const saves = ['t1', 't2', 't3'].map((teamId) => store.saveTeam(team(teamId)).then(() => void answered.push(teamId)));
    await Promise.resolve();
    expect(answered).toEqual([]);
    expect(inline).toEqual([]);
    await Promise.all(saves);
    expect(inline).toEqual([`${path}-wal`]);
    expect(answered).toEqual(['t1', 't2', 't3']);
    await store.close();
  });

  it('closes the WAL file only once the sync under way has finished', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    let release = () => {};
    let fd = -1;
    let ms = 0;
    const store = new SqliteStore(path, {
      syncWal: { onPool: (walFd) => new Promise<void>((done) => ((fd = walFd), (release = done))), inline: () => void (ms += 2), now: () => ms },
    });
    await store.saveTeam(team('s1'));
    const saved = store.saveTeam(team('t1'));
    let closed = false;
    const closing = store.close().then(() => void (closed = true));
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe(`${path}-wal`);
    release();
    await Promise.all([saved, closing]);
    expect(closed).toBe(true);
    expect(existsSync(`/proc/self/fd/${fd}`) && readlinkSync(`/proc/self/fd/${fd}`) === `${path}-wal`).toBe(false);
  });

  it('leaves the sync of each commit to SQLite where there is no WAL (in memory)', async () => {
    const store = new SqliteStore(':memory:');
    expect(store.synchronous()).toBe(2);
    await store.close();
  });

  it('syncs its writes to disk by itself', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    const store = new SqliteStore(path);
    await Promise.all(['t1', 't2', 't3'].map((teamId) => store.saveTeam(team(teamId))));
    await store.close();
    expect(rows(path).filter((r) => r.includes('"teamId"'))).toHaveLength(3);
  });

  it('creates its folder, data file, WAL and shared-memory file for its owner only', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'data', 'verdiep.db');
    const store = new SqliteStore(path);
    await store.saveTeam(team('t1'));
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(join(path, '..'))).toBe(0o700);
    expect([path, `${path}-wal`, `${path}-shm`].map(mode)).toEqual([0o600, 0o600, 0o600]);
    await store.close();
  });

  it('turns an existing file from an older version owner-only, with secure delete and incremental vacuum', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
    writeFileSync(path, '', { mode: 0o644 });
    const old = new Database(path);
    old.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    old.close();
    expect(statSync(path).mode & 0o777).toBe(0o644);
    const store = new SqliteStore(path);
    expect(store.erasureSettings()).toEqual({ autoVacuum: 2, secureDelete: 1 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.schemaVersion()).toBeGreaterThanOrEqual(4);
    await store.close();
  });

  it('reports unhealthy once closed', async () => {
    const store = new SqliteStore(':memory:');
    await store.close();
    expect((await store.health()).ok).toBe(false);
  });
});

/**
 * A data file as an earlier version left it: its first `versie` migrations, and the case that
 * `schrijf` makes, stored as that version stored it (the case row, its line and counts when it kept
 * them; no follow-up points: the migrations under test recompute them); `kolommen`: the case row's.
 */
async function oudBestand(versie: number, schrijf: (service: ZaakService) => Promise<Verdiepingszaak>): Promise<{ path: string; zaak: Verdiepingszaak; kolommen: Set<string> }> {
  const nu = new SqliteStore(':memory:');
  const service = new ZaakService(nu, { now: () => new Date('2026-11-28T10:00:00Z') }, { next: () => 'zaak-1' }, { timeZone: 'Europe/Amsterdam', reminderBeforeMs: 0 });
  const zaak = await schrijf(service);
  await nu.close();
  const path = join(mkdtempSync(join(tmpdir(), 'verdiep-store-')), 'verdiep.db');
  const db = new Database(path);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  MIGRATIONS.slice(0, versie).forEach((sql, i) => {
    db.exec(sql);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(i + 1, '2026-01-01T00:00:00.000Z');
  });
  const kolommen = new Set((db.prepare('PRAGMA table_info(cases)').all() as { name: string }[]).map((k) => k.name));
  db.prepare('INSERT INTO cases (team_id, case_id, reference, open, flagged_at, version, doc) VALUES (?, ?, ?, 1, ?, ?, ?)').run(zaak.teamId, zaak.id, zaak.reference, zaak.flaggedAt, zaak.version, JSON.stringify(zaak));
  if (kolommen.has('regel')) db.prepare('UPDATE cases SET regel = ? WHERE team_id = ? AND case_id = ?').run(JSON.stringify(zaakregel(zaak)), zaak.teamId, zaak.id);
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'open_counts'").get()) {
    db.exec("INSERT INTO open_counts (team_id, fase, types, n) SELECT team_id, doc ->> '$.fase', doc ->> '$.types', COUNT(*) FROM cases WHERE open = 1 GROUP BY 1, 2, 3");
  }
  db.close();
  return { path, zaak, kolommen };
}
