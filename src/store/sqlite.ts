import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { LRUCache } from 'lru-cache';
import { ruimVerlopenOp } from '../geheugen';
import { bevroren } from '../bevroren';
import type { Fase, Zaaktype } from '../domain/catalogue';
import { nawissingJob, wissingJob, type Bericht, type ScheduledJob } from '../domain/jobs';
import { opvolgpunten, PUNTEN_VERSIE, type Opvolgpunt, type PuntPagina, type PuntVraag } from '../domain/opvolgpunten';
import { afgerond, geclaimd, markeerVerouderd, uitgesteld, type Afronding, type Weergavemarkering } from '../domain/weergave';
import { zaakregel, type Verdiepingszaak, type Zaakregel, type ZaakEvent } from '../domain/zaak';
import { datasync, WalSync } from './wal-sync';
import { berichtenVan, closedAt, ConcurrencyError, DuplicateReferenceError, type Inzage, type Leerregel, type OpenCaseCounts, type Store, type StoreHealth, type TeamRecord } from './store';

/** The day counts of the follow-up points, counted from the points themselves. */
const DAGEN_GETELD = 'INSERT INTO follow_up_days (team_id, soort, dag, n) SELECT team_id, soort, substr(op, 1, 10), COUNT(*) FROM follow_ups GROUP BY 1, 2, 3';

/** Versioned schema migrations; applied in order, each once, recorded in schema_migrations. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE teams (
     team_id TEXT PRIMARY KEY,
     doc TEXT NOT NULL
   );
   CREATE TABLE cases (
     team_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     reference TEXT NOT NULL,
     open INTEGER NOT NULL,
     flagged_at TEXT NOT NULL,
     version INTEGER NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (team_id, case_id),
     UNIQUE (team_id, reference)
   );
   CREATE INDEX cases_open ON cases (team_id, open, flagged_at);
   CREATE TABLE events (
     team_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (team_id, case_id, seq)
   );`,
  `CREATE TABLE jobs (
     team_id TEXT NOT NULL,
     job_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     status TEXT NOT NULL,
     due_at TEXT NOT NULL,
     lease_until TEXT,
     version INTEGER NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (team_id, job_id)
   );
   CREATE INDEX jobs_due ON jobs (status, due_at);
   CREATE INDEX jobs_case ON jobs (team_id, case_id);`,
  `ALTER TABLE cases ADD COLUMN closed_at TEXT;
   UPDATE cases SET closed_at = json_extract(doc, '$.updatedAt') WHERE open = 0;
   CREATE INDEX cases_closed ON cases (closed_at) WHERE closed_at IS NOT NULL;`,
  `CREATE TABLE messages (
     team_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     PRIMARY KEY (team_id, case_id, conversation_id, message_id)
   );`,
  `CREATE TABLE inzage (
     team_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     id TEXT NOT NULL,
     op TEXT NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (team_id, case_id, id)
   );
   CREATE INDEX inzage_case ON inzage (team_id, case_id, op);`,
  // The case list and the digest count and page open cases per phase and type from these, without reading the documents.
  `CREATE INDEX cases_open_fase ON cases (team_id, open, doc ->> '$.fase', flagged_at);
   CREATE INDEX cases_open_types ON cases (team_id, open, doc ->> '$.fase', doc ->> '$.types');`,
  `CREATE TABLE stale_views (
     team_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     status TEXT NOT NULL,
     due_at TEXT NOT NULL,
     lease_until TEXT,
     doc TEXT NOT NULL,
     PRIMARY KEY (team_id, case_id)
   );
   CREATE INDEX stale_views_due ON stale_views (status, due_at);`,
  `CREATE TABLE leerregels (
     team_id TEXT NOT NULL,
     id TEXT NOT NULL,
     maand TEXT NOT NULL,
     doc TEXT NOT NULL,
     PRIMARY KEY (team_id, id)
   );
   CREATE INDEX leerregels_maand ON leerregels (maand);`,
  // The digest counts and pages these per kind (filled for existing cases right after this migration).
  `CREATE TABLE follow_ups (
     team_id TEXT NOT NULL,
     case_id TEXT NOT NULL,
     soort TEXT NOT NULL,
     sleutel TEXT NOT NULL,
     op TEXT NOT NULL,
     reference TEXT NOT NULL,
     wat TEXT,
     doc TEXT NOT NULL,
     PRIMARY KEY (team_id, case_id, soort, sleutel)
   );
   CREATE INDEX follow_ups_op ON follow_ups (team_id, soort, op, reference, sleutel);`,
  // Open cases counted per phase and types, kept with every write: counting costs the same at any size.
  `CREATE TABLE open_counts (
     team_id TEXT NOT NULL,
     fase TEXT NOT NULL,
     types TEXT NOT NULL,
     n INTEGER NOT NULL,
     PRIMARY KEY (team_id, fase, types)
   );
   INSERT INTO open_counts (team_id, fase, types, n)
     SELECT team_id, doc ->> '$.fase', doc ->> '$.types', COUNT(*) FROM cases WHERE open = 1 GROUP BY 1, 2, 3;`,
  // No schema change: the cases' follow-up points are recomputed right after it (see FOLLOW_UPS_MIGRATIONS).
  `${puntenVersie(2)}: the verdiepingsoverleg's "te bespreken" kinds`,
  `${puntenVersie(3)}: the besluit's afdoening and interventions, and the partners' duiding`,
  `CREATE INDEX follow_ups_wat ON follow_ups (team_id, soort, wat); ${puntenVersie(4)}: betrokkenen by SKN hash`,
  // Each case's line (zaakregel) kept beside it: lists read and parse that, not the whole case.
  `ALTER TABLE cases ADD COLUMN regel TEXT;
   UPDATE cases SET regel = CASE WHEN doc -> '$.thread' IS NULL
     THEN json_object('id', case_id, 'reference', reference, 'types', doc -> '$.types', 'fase', doc ->> '$.fase', 'flaggedAt', flagged_at)
     ELSE json_object('id', case_id, 'reference', reference, 'types', doc -> '$.types', 'fase', doc ->> '$.fase', 'flaggedAt', flagged_at, 'thread', doc -> '$.thread') END;`,
  // The phase index reads the small line, so a change does not parse the whole case for it; open_counts made the types index unused.
  `DROP INDEX cases_open_types;
   DROP INDEX cases_open_fase;
   CREATE INDEX cases_open_regel_fase ON cases (team_id, open, regel ->> '$.fase', flagged_at);`,
  `${puntenVersie(5)}: open actions and questions by whom they wait for`,
  `${puntenVersie(6)}: open actions and questions by their holder, one point each`,
  // Points looked up by value (wat) are counted and paged from the index alone: someone's few among a team's many.
  `DROP INDEX follow_ups_wat;
   CREATE INDEX follow_ups_wat_op ON follow_ups (team_id, soort, wat, op, reference, sleutel);`,
  // Points counted per kind and day (the op's first ten characters), kept by triggers on every
  // write: a count over many days reads a row per day, not a row per point (see telPunten).
  `CREATE TABLE follow_up_days (
     team_id TEXT NOT NULL,
     soort TEXT NOT NULL,
     dag TEXT NOT NULL,
     n INTEGER NOT NULL,
     PRIMARY KEY (team_id, soort, dag)
   ) WITHOUT ROWID;
   ${DAGEN_GETELD};
   CREATE TRIGGER follow_ups_dag_erbij AFTER INSERT ON follow_ups BEGIN
     INSERT INTO follow_up_days (team_id, soort, dag, n) VALUES (new.team_id, new.soort, substr(new.op, 1, 10), 1)
       ON CONFLICT (team_id, soort, dag) DO UPDATE SET n = n + 1;
   END;
   CREATE TRIGGER follow_ups_dag_eraf AFTER DELETE ON follow_ups BEGIN
     UPDATE follow_up_days SET n = n - 1 WHERE team_id = old.team_id AND soort = old.soort AND dag = substr(old.op, 1, 10);
     DELETE FROM follow_up_days WHERE team_id = old.team_id AND soort = old.soort AND dag = substr(old.op, 1, 10) AND n = 0;
   END;
   CREATE TRIGGER follow_ups_dag_verschoven AFTER UPDATE OF op ON follow_ups WHEN substr(old.op, 1, 10) <> substr(new.op, 1, 10) BEGIN
     UPDATE follow_up_days SET n = n - 1 WHERE team_id = old.team_id AND soort = old.soort AND dag = substr(old.op, 1, 10);
     DELETE FROM follow_up_days WHERE team_id = old.team_id AND soort = old.soort AND dag = substr(old.op, 1, 10) AND n = 0;
     INSERT INTO follow_up_days (team_id, soort, dag, n) VALUES (new.team_id, new.soort, substr(new.op, 1, 10), 1)
       ON CONFLICT (team_id, soort, dag) DO UPDATE SET n = n + 1;
   END;`,
];
/** The schema version of the migration whose SQL holds `tekst` (0 when none does). */
export function migratieMet(tekst: string): number {
  return MIGRATIONS.findIndex((sql) => sql.includes(tekst)) + 1;
}

/** The migration that created follow_ups: cases stored before it get their points when it is applied. */
export const FOLLOW_UPS_MIGRATION = migratieMet('CREATE TABLE follow_ups');
/** The migrations after which every stored case's follow-up points are recomputed: the one that created follow_ups, and one per PUNTEN_VERSIE after it. */
const FOLLOW_UPS_MIGRATIONS = new Set(
  ['CREATE TABLE follow_ups', ...Array.from({ length: PUNTEN_VERSIE - 1 }, (_, i) => puntenVersie(i + 2))].map((marker) => {
    const versie = migratieMet(marker);
    if (versie === 0) throw new Error(`no migration recomputes the follow-up points for "${marker}"`);
    return versie;
  }),
);

export function puntenVersie(versie: number): string {
  return `-- follow-up points version ${versie}`;
}

/** SQLite's value of PRAGMA auto_vacuum for INCREMENTAL. */
const AUTO_VACUUM_INCREMENTAL = 2;

/** The data file and its -wal and -shm companions exist owner-only (SQLite gives the companions the file's mode). */
function ownerOnlyFile(path: string): void {
  const created = mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (created) chmodSync(created, 0o700);
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/** How long a statement waits for another process's write lock before it fails. */
const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteOptions {
  /** How the WAL file (given its descriptor) is synced, and the clock that times the in-line syncs; tests hold and time them. */
  syncWal?: { onPool?: (fd: number) => Promise<void>; inline?: (fd: number) => void; now?: () => number };
}

/**
 * The embedded store. Several processes on one host may share the file: WAL lets readers go on
 * beside a writer, and every write transaction takes the write lock when it begins
 * (BEGIN IMMEDIATE) and waits up to BUSY_TIMEOUT_MS for it, so a read-then-write never fails
 * half-way with "database is locked"; a lost version check is a ConcurrencyError, retried above.
 *
 * Durability: a write resolves only once its commit is synced to disk, so a power loss does not
 * roll back a change the bot has answered or a send it has recorded. SQLite commits without
 * syncing (synchronous = NORMAL, which still syncs around checkpoints); the store then syncs the
 * WAL file itself (WalSync): in-line at the end of the event loop's turn, one sync for that turn's
 * commits, while that blocks the loop well under a millisecond per commit; otherwise on the thread
 * pool, shared by the commits that land meanwhile, so a slow disk never blocks the event loop.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** The WAL file's descriptor and its syncer; none for an in-memory database. */
  private readonly wal: { fd: number; sync: WalSync } | undefined;
  /**
   * The last answer to each list of case lines, for five minutes at most (emptied by a purge): a
   * list whose lines are unchanged is that same frozen answer, not parsed again.
   */
  private readonly lijsten = new LRUCache<string, { regels: readonly string[]; zaken: readonly Zaakregel[] }>({ max: 256, ttl: 5 * 60_000 });
  /** Stops dropping the lists past their five minutes (see ruimVerlopenOp). */
  private readonly stopOpruimen = ruimVerlopenOp(this.lijsten);
  /** One transaction wrapper for every write: better-sqlite3 builds four functions for each new one. */
  private readonly inTransactie: Database.Transaction<(fn: () => unknown) => unknown>;

  constructor(path: string, options: SqliteOptions = {}) {
    if (path !== ':memory:') ownerOnlyFile(path);
    this.db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    this.inTransactie = this.db.transaction((fn: () => unknown) => fn());
    // Deleted content is overwritten, and free pages can be given back to the file system.
    this.db.exec('PRAGMA secure_delete = ON;');
    this.incrementalVacuum();
    // exec, not pragma(): pragma() prepares a statement that is then dropped (see prepared()).
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;');
    const wal = (this.prepared('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode === 'wal';
    // Without WAL (in memory, or a file system that cannot share memory) SQLite syncs each commit itself.
    this.db.exec(`PRAGMA synchronous = ${wal ? 'NORMAL' : 'FULL'};`);
    try {
      this.migrate();
    } catch (err) {
      this.db.close();
      throw err;
    }
    if (!wal) return;
    // The migration's write opened the WAL file; SQLite keeps it (same inode) while the store is open.
    const fd = openSync(`${path}-wal`, 'r');
    fdatasyncSync(fd);
    const { onPool = datasync, inline = fdatasyncSync, now } = options.syncWal ?? {};
    this.wal = { fd, sync: new WalSync({ onPool: () => onPool(fd), inline: () => inline(fd) }, now) };
  }

  /** auto_vacuum takes effect before the first table, or on an existing file after one VACUUM. */
  private incrementalVacuum(): void {
    if (this.pragma('auto_vacuum') === AUTO_VACUUM_INCREMENTAL) return;
    this.db.exec('PRAGMA auto_vacuum = INCREMENTAL;');
    if ((this.prepared("SELECT COUNT(*) AS n FROM sqlite_master").get() as { n: number }).n > 0) this.db.exec('VACUUM');
  }

  /** The data file's auto_vacuum mode (2 = incremental) and secure_delete setting, for tests. */
  erasureSettings(): { autoVacuum: number; secureDelete: number } {
    return { autoVacuum: this.pragma('auto_vacuum'), secureDelete: this.pragma('secure_delete') };
  }

  /** The connection's synchronous setting (1 = NORMAL: SQLite leaves the commit's sync to the store; 2 = FULL without WAL), for tests. */
  synchronous(): number {
    return this.pragma('synchronous');
  }

  /**
   * One prepared statement per SQL text, kept for the store's life. better-sqlite3 12 on Node 24
   * can abort the process when a statement is garbage-collected (its ObjectWrap cleanup hook);
   * statements that are never dropped are never collected while the store is open.
   */
  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A numeric pragma's value, through a kept statement. */
  private pragma(name: 'auto_vacuum' | 'secure_delete' | 'synchronous'): number {
    return (this.prepared(`PRAGMA ${name}`).get() as Record<string, number>)[name]!;
  }

  /** Runs `fn` as one write transaction that holds the write lock from its start. */
  private transaction<T>(fn: () => T): T {
    return this.inTransactie.immediate(fn) as T;
  }

  /** A write transaction that resolves once its commit is on disk. */
  private async write<T>(fn: () => T): Promise<T> {
    const result = this.transaction(fn);
    if (this.wal) await this.wal.sync.flushed();
    return result;
  }

  /** Pending migrations, read and applied under the write lock, so processes starting together apply each once. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    this.transaction(() => {
      const applied = (this.prepared('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
      // A file a newer build has migrated: this build would write around what it added (the day counts' triggers cannot see an INSERT OR REPLACE).
      if (applied > MIGRATIONS.length) throw new Error(`the data file has schema version ${applied}, this build knows up to ${MIGRATIONS.length}: run the newer build (or a copy of the file from before it)`);
      MIGRATIONS.slice(applied).forEach((sql, i) => {
        this.db.exec(sql);
        this.prepared('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(applied + i + 1, new Date().toISOString());
        if (FOLLOW_UPS_MIGRATIONS.has(applied + i + 1)) for (const r of this.prepared('SELECT doc FROM cases').all() as { doc: string }[]) this.keepFollowUps(JSON.parse(r.doc) as Verdiepingszaak);
      });
    });
  }

  schemaVersion(): number {
    return (this.prepared('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
  }

  async health(): Promise<StoreHealth> {
    try {
      this.prepared('SELECT 1').get();
      return { ok: true, kind: this.kind };
    } catch (err) {
      return { ok: false, kind: this.kind, detail: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    this.stopOpruimen();
    if (!this.db.open) return;
    if (this.wal) {
      await this.wal.sync.idle();
      closeSync(this.wal.fd);
    }
    this.db.close();
  }

  async saveTeam(team: TeamRecord): Promise<void> {
    await this.write(() => this.prepared('INSERT INTO teams (team_id, doc) VALUES (?, ?) ON CONFLICT (team_id) DO UPDATE SET doc = excluded.doc').run(team.teamId, JSON.stringify(team)));
  }

  async listTeams(): Promise<TeamRecord[]> {
    return (this.prepared('SELECT doc FROM teams ORDER BY team_id').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as TeamRecord);
  }

  async getTeam(teamId: string): Promise<TeamRecord | undefined> {
    const row = this.prepared('SELECT doc FROM teams WHERE team_id = ?').get(teamId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as TeamRecord) : undefined;
  }

  async createCase(zaak: Verdiepingszaak, events: ZaakEvent[], jobs: ScheduledJob[] = []): Promise<void> {
    try {
      await this.write(() => {
        this.prepared('INSERT INTO cases (team_id, case_id, reference, open, flagged_at, version, doc, closed_at, regel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          zaak.teamId, zaak.id, zaak.reference, zaak.fase === 'gesloten' ? 0 : 1, zaak.flaggedAt, zaak.version, JSON.stringify(zaak), closedAt(zaak, events) ?? null, JSON.stringify(zaakregel(zaak)),
        );
        this.countOpen(zaak, 1);
        this.insertEvents(events);
        this.insertJobs(jobs);
        this.markViewsStale(zaak);
        this.keepFollowUps(zaak);
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateReferenceError(zaak.reference);
      throw err;
    }
  }

  async appendEvents(zaak: Verdiepingszaak, expectedVersion: number, events: ZaakEvent[], jobs: ScheduledJob[] = [], leerregel?: Leerregel): Promise<void> {
    await this.write(() => {
      const previous = this.prepared('SELECT open, closed_at, regel FROM cases WHERE team_id = ? AND case_id = ?').get(zaak.teamId, zaak.id) as
        | { open: number; closed_at: string | null; regel: string }
        | undefined;
      const open = zaak.fase === 'gesloten' ? 0 : 1;
      const kolommen = { open, closed_at: closedAt(zaak, events, previous?.closed_at ?? undefined) ?? null, regel: JSON.stringify(zaakregel(zaak)) };
      // Only the indexed columns that changed: SQLite rewrites the entries of every index on a column an UPDATE sets.
      const gewijzigd = (['open', 'closed_at', 'regel'] as const).filter((k) => previous?.[k] !== kolommen[k]);
      const result = this.prepared(`UPDATE cases SET version = ?, doc = ?${gewijzigd.map((k) => `, ${k} = ?`).join('')} WHERE team_id = ? AND case_id = ? AND version = ?`).run(
        zaak.version, JSON.stringify(zaak), ...gewijzigd.map((k) => kolommen[k]), zaak.teamId, zaak.id, expectedVersion,
      );
      if (result.changes !== 1) throw new ConcurrencyError(`case ${zaak.id}`);
      // The case's phase and types are in its line: counted anew only when the line or openness changed.
      const voor = previous?.open ? (previous.regel === kolommen.regel ? zaak : (JSON.parse(previous.regel) as Zaakregel)) : undefined;
      if (!voor || !open || voor.fase !== zaak.fase || JSON.stringify(voor.types) !== JSON.stringify(zaak.types)) {
        if (voor) this.countOpen({ teamId: zaak.teamId, fase: voor.fase, types: voor.types }, -1);
        this.countOpen(zaak, 1);
      }
      this.insertEvents(events);
      this.insertJobs(jobs);
      this.markViewsStale(zaak);
      if (leerregel) {
        this.prepared('INSERT INTO leerregels (team_id, id, maand, doc) VALUES (?, ?, ?, ?) ON CONFLICT (team_id, id) DO UPDATE SET maand = excluded.maand, doc = excluded.doc').run(
          leerregel.teamId, leerregel.id, leerregel.maand, JSON.stringify(leerregel),
        );
      }
      this.keepFollowUps(zaak);
    });
  }

  /** Inside a change's transaction: adds `by` to the open cases of the case's phase and types (nothing for a closed case). */
  private countOpen(zaak: Pick<Verdiepingszaak, 'teamId' | 'fase' | 'types'>, by: 1 | -1): void {
    if (zaak.fase === 'gesloten') return;
    this.prepared('INSERT INTO open_counts (team_id, fase, types, n) VALUES (?, ?, ?, ?) ON CONFLICT (team_id, fase, types) DO UPDATE SET n = n + excluded.n').run(zaak.teamId, zaak.fase, JSON.stringify(zaak.types), by);
  }

  /** Inside a change's transaction: the case's follow-up points as it now stands (only those that changed are written). */
  private keepFollowUps(zaak: Verdiepingszaak): void {
    const stored = new Map((this.prepared('SELECT soort, sleutel, doc FROM follow_ups WHERE team_id = ? AND case_id = ?').all(zaak.teamId, zaak.id) as { soort: string; sleutel: string; doc: string }[]).map((r) => [`${r.soort}\u0000${r.sleutel}`, r.doc]));
    // An update, not a REPLACE: a REPLACE's delete would not fire the day-count trigger.
    const upsert = this.prepared(
      'INSERT INTO follow_ups (team_id, case_id, soort, sleutel, op, reference, wat, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, case_id, soort, sleutel) DO UPDATE SET op = excluded.op, reference = excluded.reference, wat = excluded.wat, doc = excluded.doc',
    );
    for (const p of opvolgpunten(zaak)) {
      const k = `${p.soort}\u0000${p.sleutel}`;
      const doc = JSON.stringify(p);
      if (stored.get(k) !== doc) upsert.run(p.teamId, p.caseId, p.soort, p.sleutel, p.op, p.reference, p.wat ?? null, doc);
      stored.delete(k);
    }
    const remove = this.prepared('DELETE FROM follow_ups WHERE team_id = ? AND case_id = ? AND soort = ? AND sleutel = ?');
    for (const k of stored.keys()) remove.run(zaak.teamId, zaak.id, ...k.split('\u0000'));
  }

  /** Inside a change's transaction: the case's thread views are stale from this version on. */
  private markViewsStale(zaak: Verdiepingszaak): void {
    const bestaand = this.staleViews(zaak.teamId, zaak.id);
    const marker = markeerVerouderd(bestaand, zaak.teamId, zaak.id, zaak.version, zaak.updatedAt);
    if (!bestaand) {
      this.prepared('INSERT INTO stale_views (team_id, case_id, status, due_at, lease_until, doc) VALUES (?, ?, ?, ?, ?, ?)').run(
        marker.teamId, marker.caseId, marker.status, marker.dueAt, marker.leaseUntil ?? null, JSON.stringify(marker),
      );
    } else if (marker.status === bestaand.status && marker.dueAt === bestaand.dueAt && marker.leaseUntil === bestaand.leaseUntil) {
      // Its state stays (it only learns the newer version): the row alone, not the due index.
      this.prepared('UPDATE stale_views SET doc = ? WHERE team_id = ? AND case_id = ?').run(JSON.stringify(marker), marker.teamId, marker.caseId);
    } else this.saveStaleViews(marker);
  }

  private staleViews(teamId: string, caseId: string): Weergavemarkering | undefined {
    const row = this.prepared('SELECT doc FROM stale_views WHERE team_id = ? AND case_id = ?').get(teamId, caseId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Weergavemarkering) : undefined;
  }

  private saveStaleViews(marker: Weergavemarkering): void {
    this.prepared('UPDATE stale_views SET status = ?, due_at = ?, lease_until = ?, doc = ? WHERE team_id = ? AND case_id = ?').run(
      marker.status, marker.dueAt, marker.leaseUntil ?? null, JSON.stringify(marker), marker.teamId, marker.caseId,
    );
  }

  async claimStaleViews(now: string, owner: string, leaseUntil: string, limit: number): Promise<Weergavemarkering[]> {
    return this.write(() => {
      const rows = this.prepared(
        `SELECT doc FROM stale_views
         WHERE (status = 'verouderd' AND due_at <= ?) OR (status = 'bijwerken' AND lease_until <= ?)
         ORDER BY due_at LIMIT ?`,
      ).all(now, now, limit) as { doc: string }[];
      return rows.map((r) => {
        const marker = JSON.parse(r.doc) as Weergavemarkering;
        const claimed = geclaimd(marker, owner, leaseUntil);
        this.saveStaleViews(claimed);
        return claimed;
      });
    });
  }

  /** The stored marker when `marker`'s holder still holds it. */
  private heldStaleViews(marker: Weergavemarkering): Weergavemarkering | undefined {
    const stored = this.staleViews(marker.teamId, marker.caseId);
    return stored?.status === 'bijwerken' && stored.leaseOwner === marker.leaseOwner && stored.leaseUntil === marker.leaseUntil ? stored : undefined;
  }

  async finishStaleViews(marker: Weergavemarkering, totVersie: number, getoond?: Readonly<Record<string, string>>): Promise<Afronding> {
    return this.write((): Afronding => {
      const stored = this.heldStaleViews(marker);
      if (!stored) return { soort: 'kwijt' };
      if (stored.versie > totVersie) return { soort: 'opnieuw', markering: stored };
      this.saveStaleViews(afgerond(stored, getoond));
      return { soort: 'klaar' };
    });
  }

  async putOffStaleViews(marker: Weergavemarkering, dueAt: string, lastError: string, vooruitgang = false, getoond?: Readonly<Record<string, string>>): Promise<void> {
    await this.write(() => {
      const stored = this.heldStaleViews(marker);
      if (stored) this.saveStaleViews(uitgesteld(stored, dueAt, lastError, vooruitgang, getoond));
    });
  }

  async listLeerregels(teamId: string, options: { vanaf?: string } = {}): Promise<Leerregel[]> {
    const rows = this.prepared('SELECT doc FROM leerregels WHERE team_id = ? AND maand >= ? ORDER BY maand, id').all(teamId, options.vanaf ?? '') as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Leerregel);
  }

  async purgeLeerregels(voor: string): Promise<number> {
    const purged = await this.write(() => this.prepared('DELETE FROM leerregels WHERE maand < ?').run(voor).changes);
    if (purged > 0) this.db.exec('PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);');
    return purged;
  }

  private insertJobs(jobs: ScheduledJob[]): void {
    const insert = this.prepared(
      'INSERT OR IGNORE INTO jobs (team_id, job_id, case_id, status, due_at, lease_until, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const j of jobs) insert.run(j.teamId, j.id, j.caseId, j.status, j.dueAt, j.leaseUntil ?? null, j.version, JSON.stringify(j));
  }

  async listJobs(teamId: string, options: { caseId?: string } = {}): Promise<ScheduledJob[]> {
    const rows = options.caseId
      ? this.prepared('SELECT doc FROM jobs WHERE team_id = ? AND case_id = ? ORDER BY due_at, job_id').all(teamId, options.caseId)
      : this.prepared('SELECT doc FROM jobs WHERE team_id = ? ORDER BY due_at, job_id').all(teamId);
    return (rows as { doc: string }[]).map((r) => JSON.parse(r.doc) as ScheduledJob);
  }

  private insertEvents(events: ZaakEvent[]): void {
    const insert = this.prepared('INSERT INTO events (team_id, case_id, seq, type, at, doc) VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of events) insert.run(e.teamId, e.caseId, e.seq, e.type, e.at, JSON.stringify(e));
  }

  async getCase(teamId: string, caseId: string): Promise<Verdiepingszaak | undefined> {
    return this.one('SELECT doc FROM cases WHERE team_id = ? AND case_id = ?', teamId, caseId);
  }

  async findCaseByReference(teamId: string, reference: string): Promise<Verdiepingszaak | undefined> {
    return this.one('SELECT doc FROM cases WHERE team_id = ? AND reference = ?', teamId, reference);
  }

  async listCases(teamId: string, options: { includeClosed?: boolean } = {}): Promise<Verdiepingszaak[]> {
    const sql = options.includeClosed
      ? 'SELECT doc FROM cases WHERE team_id = ? ORDER BY flagged_at DESC'
      : 'SELECT doc FROM cases WHERE team_id = ? AND open = 1 ORDER BY flagged_at DESC';
    return (this.prepared(sql).all(teamId) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Verdiepingszaak);
  }

  async listOpenCases(teamId: string, options: { limit: number; fase?: Fase; oldestFirst?: boolean }): Promise<{ total: number; zaken: readonly Zaakregel[] }> {
    const total = options.fase
      ? (this.prepared('SELECT COALESCE(SUM(n), 0) AS n FROM open_counts WHERE team_id = ? AND fase = ?').get(teamId, options.fase) as { n: number }).n
      : (this.prepared('SELECT COALESCE(SUM(n), 0) AS n FROM open_counts WHERE team_id = ?').get(teamId) as { n: number }).n;
    const rows = options.fase
      ? this.prepared(`SELECT regel FROM cases WHERE team_id = ? AND open = 1 AND regel ->> '$.fase' = ? ORDER BY flagged_at ${options.oldestFirst ? 'ASC' : 'DESC'} LIMIT ?`).all(teamId, options.fase, options.limit)
      : this.prepared(`SELECT regel FROM cases WHERE team_id = ? AND open = 1 ORDER BY flagged_at ${options.oldestFirst ? 'ASC' : 'DESC'} LIMIT ?`).all(teamId, options.limit);
    const regels = (rows as { regel: string }[]).map((r) => r.regel);
    const vraag = `${teamId}\u0000${options.fase ?? ''}\u0000${options.oldestFirst ? 'oud' : 'nieuw'}\u0000${options.limit}`;
    const vorige = this.lijsten.get(vraag);
    if (vorige && vorige.regels.length === regels.length && regels.every((r, i) => r === vorige.regels[i])) return { total, zaken: vorige.zaken };
    const zaken = bevroren(regels.map((r) => JSON.parse(r) as Zaakregel));
    this.lijsten.set(vraag, { regels, zaken });
    return { total, zaken };
  }

  async countOpenCases(teamId: string): Promise<OpenCaseCounts> {
    const groups = this.prepared('SELECT fase, types, n FROM open_counts WHERE team_id = ? AND n > 0').all(teamId) as { fase: Fase; types: string; n: number }[];
    const counts: OpenCaseCounts = { open: 0, perFase: {}, perType: {} };
    for (const g of groups) {
      counts.open += g.n;
      counts.perFase[g.fase] = (counts.perFase[g.fase] ?? 0) + g.n;
      for (const t of JSON.parse(g.types) as Zaaktype[]) counts.perType[t] = (counts.perType[t] ?? 0) + g.n;
    }
    return counts;
  }

  async listFollowUps(teamId: string, vraag: PuntVraag): Promise<PuntPagina> {
    // By value, always through its index: ordered by op, the planner would walk every point of the kind instead.
    const where = vraag.wat
      ? 'INDEXED BY follow_ups_wat_op WHERE team_id = ? AND soort = ? AND op >= ? AND op < ? AND wat IN (SELECT value FROM json_each(?))'
      : 'WHERE team_id = ? AND soort = ? AND op >= ? AND op < ?';
    const params = [teamId, vraag.soort, vraag.van ?? '', vraag.tot ?? '\uffff', ...(vraag.wat ? [JSON.stringify(vraag.wat)] : [])];
    const rows = vraag.limit > 0 ? (this.prepared(`SELECT doc FROM follow_ups ${where} ORDER BY op, reference, sleutel LIMIT ?`).all(...params, vraag.limit) as { doc: string }[]) : [];
    // A page that is not full holds them all: counted only when there may be more.
    const total =
      rows.length < vraag.limit ? rows.length
      : vraag.wat ? (this.prepared(`SELECT COUNT(*) AS n FROM follow_ups ${where}`).get(...params) as { n: number }).n
      : this.telPunten(teamId, vraag.soort, vraag.van ?? '', vraag.tot ?? '\uffff');
    return { total, punten: rows.map((r) => JSON.parse(r.doc) as Opvolgpunt) };
  }

  /**
   * The points of a kind with van <= op < tot, from the day counts: the days from van's through
   * the one before tot's, less the points of van's day before van, plus those of tot's day before
   * tot. A day is an op's first ten characters (its date), so only two days' points are read.
   */
  private telPunten(teamId: string, soort: string, van: string, tot: string): number {
    if (van >= tot) return 0;
    const row = this.prepared(
      `SELECT (SELECT COALESCE(SUM(n), 0) FROM follow_up_days WHERE team_id = @teamId AND soort = @soort AND dag >= @vanDag AND dag < @totDag)
            - (SELECT COUNT(*) FROM follow_ups WHERE team_id = @teamId AND soort = @soort AND op >= @vanDag AND op < @van)
            + (SELECT COUNT(*) FROM follow_ups WHERE team_id = @teamId AND soort = @soort AND op >= @totDag AND op < @tot) AS n`,
    ).get({ teamId, soort, van, tot, vanDag: van.slice(0, 10), totDag: tot.slice(0, 10) }) as { n: number };
    return row.n;
  }

  async countFollowUps(teamId: string, vraag: Omit<PuntVraag, 'limit'>, waarden: readonly string[]): Promise<Record<string, number>> {
    const rows = this.prepared('SELECT wat, COUNT(*) AS n FROM follow_ups WHERE team_id = ? AND soort = ? AND op >= ? AND op < ? GROUP BY wat').all(teamId, vraag.soort, vraag.van ?? '', vraag.tot ?? '\uffff') as {
      wat: string | null;
      n: number;
    }[];
    return Object.fromEntries(waarden.map((w) => [w, rows.find((r) => r.wat === w)?.n ?? 0]));
  }

  async listEvents(teamId: string, caseId: string): Promise<ZaakEvent[]> {
    return (this.prepared('SELECT doc FROM events WHERE team_id = ? AND case_id = ? ORDER BY seq').all(teamId, caseId) as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as ZaakEvent,
    );
  }

  /** In one write: a view of many cases (mijn acties) records them together. */
  async recordInzage(inzagen: readonly Omit<Inzage, 'id'>[]): Promise<Inzage[]> {
    const records: Inzage[] = inzagen.map((inzage) => ({ id: randomUUID(), ...inzage }));
    const insert = this.prepared('INSERT INTO inzage (team_id, case_id, id, op, doc) VALUES (?, ?, ?, ?, ?)');
    await this.write(() => {
      for (const r of records) insert.run(r.teamId, r.caseId, r.id, r.op, JSON.stringify(r));
    });
    return records;
  }

  async listInzage(teamId: string, caseId: string, limit: number): Promise<Inzage[]> {
    const rows = this.prepared('SELECT doc FROM inzage WHERE team_id = ? AND case_id = ? ORDER BY op DESC, rowid DESC LIMIT ?').all(teamId, caseId, limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Inzage);
  }

  async getJob(teamId: string, jobId: string): Promise<ScheduledJob | undefined> {
    const row = this.prepared('SELECT doc FROM jobs WHERE team_id = ? AND job_id = ?').get(teamId, jobId) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as ScheduledJob) : undefined;
  }

  async scheduleJobs(jobs: ScheduledJob[]): Promise<void> {
    await this.write(() => this.insertJobs(jobs));
  }

  async claimDueJobs(now: string, owner: string, leaseUntil: string, limit: number): Promise<ScheduledJob[]> {
    return this.write(() => {
      const rows = this.prepared(
        `SELECT doc FROM jobs
         WHERE (status = 'gepland' AND due_at <= ?) OR (status = 'geclaimd' AND lease_until <= ?)
         ORDER BY due_at, job_id LIMIT ?`,
      ).all(now, now, limit) as { doc: string }[];
      const update = this.prepared('UPDATE jobs SET status = ?, lease_until = ?, version = ?, doc = ? WHERE team_id = ? AND job_id = ? AND version = ?');
      return rows.flatMap((r) => {
        const job = JSON.parse(r.doc) as ScheduledJob;
        const claimed: ScheduledJob = { ...job, status: 'geclaimd', leaseOwner: owner, leaseUntil, attempts: job.attempts + 1, version: job.version + 1 };
        const result = update.run(claimed.status, leaseUntil, claimed.version, JSON.stringify(claimed), job.teamId, job.id, job.version);
        return result.changes === 1 ? [claimed] : [];
      });
    });
  }

  async updateJob(job: ScheduledJob, expectedVersion: number): Promise<void> {
    const result = await this.write(() =>
      this.prepared('UPDATE jobs SET status = ?, due_at = ?, lease_until = ?, version = ?, doc = ? WHERE team_id = ? AND job_id = ? AND version = ?').run(
        job.status, job.dueAt, job.leaseUntil ?? null, job.version, JSON.stringify(job), job.teamId, job.id, expectedVersion,
      ),
    );
    if (result.changes !== 1) throw new ConcurrencyError(`job ${job.id}`);
  }

  async recordMessages(teamId: string, caseId: string, berichten: Bericht[], now: string): Promise<void> {
    const insert = this.prepared('INSERT OR IGNORE INTO messages (team_id, case_id, conversation_id, message_id) VALUES (?, ?, ?, ?)');
    await this.write(() => {
      if (!this.prepared('SELECT 1 FROM cases WHERE team_id = ? AND case_id = ?').get(teamId, caseId)) {
        if (berichten.length > 0) this.insertJobs([nawissingJob(teamId, caseId, berichten, now)]);
        return;
      }
      for (const b of berichten) insert.run(teamId, caseId, b.conversationId, b.messageId);
    });
  }

  async purgeClosedCases(closedBefore: string, now: string): Promise<number> {
    const purged = await this.write(() => {
      const due = this.prepared('SELECT team_id AS t, case_id AS c, doc FROM cases WHERE open = 0 AND closed_at < ?').all(closedBefore) as { t: string; c: string; doc: string }[];
      const recorded = this.prepared('SELECT conversation_id AS conversationId, message_id AS messageId FROM messages WHERE team_id = ? AND case_id = ? ORDER BY rowid');
      const deletes = [
        'DELETE FROM events WHERE team_id = ? AND case_id = ?',
        'DELETE FROM jobs WHERE team_id = ? AND case_id = ?',
        'DELETE FROM messages WHERE team_id = ? AND case_id = ?',
        'DELETE FROM inzage WHERE team_id = ? AND case_id = ?',
        'DELETE FROM stale_views WHERE team_id = ? AND case_id = ?',
        'DELETE FROM follow_ups WHERE team_id = ? AND case_id = ?',
        'DELETE FROM cases WHERE team_id = ? AND case_id = ?',
      ].map((sql) => this.prepared(sql));
      for (const { t, c, doc } of due) {
        const berichten = berichtenVan(JSON.parse(doc) as Verdiepingszaak, recorded.all(t, c) as Bericht[]);
        if (berichten.length > 0) this.insertJobs([wissingJob(t, c, berichten, now)]);
        for (const statement of deletes) statement.run(t, c);
      }
      this.dagenOpnieuwGeteld();
      return due.length;
    });
    if (purged > 0) {
      this.lijsten.clear();
      // secure_delete zeroed the rows in the pages; give the free pages back and rewrite the
      // data file from the WAL, then empty the WAL, so no old copy stays on disk.
      this.db.exec('PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);');
    }
    return purged;
  }

  /**
   * Inside a write (each retention pass): the day counts anew from the points, so a writer that
   * went around their triggers (an older build sharing the file in a rolling restart) leaves them
   * wrong until the next pass at most.
   */
  private dagenOpnieuwGeteld(): void {
    this.prepared('DELETE FROM follow_up_days').run();
    this.prepared(DAGEN_GETELD).run();
  }

  private one(sql: string, ...params: string[]): Verdiepingszaak | undefined {
    const row = this.prepared(sql).get(...params) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Verdiepingszaak) : undefined;
  }
}
