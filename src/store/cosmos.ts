import { CosmosClient, type Container, type ContainerRequest, type CosmosClientOptions, type Database, type IndexingPolicy, type JSONValue, type PartitionKeyDefinition, type Resource } from '@azure/cosmos';
import { createHash, randomUUID } from 'node:crypto';
import type { Agent } from 'node:http';
import { FASEN, ZAAKTYPES, type Fase, type Zaaktype } from '../domain/catalogue';
import { berichtSleutel, nawissingJob, wissingJob, type Bericht, type ScheduledJob } from '../domain/jobs';
import { opvolgpunten, PUNTEN_VERSIE, type Opvolgpunt, type PuntPagina, type PuntSoort, type PuntVraag } from '../domain/opvolgpunten';
import { afgerond, geclaimd, markeerVerouderd, uitgesteld, type Afronding, type Weergavemarkering } from '../domain/weergave';
import { applyEvent, ZAAKREGEL_VELDEN, type Verdiepingszaak, type Zaakregel, type ZaakEvent } from '../domain/zaak';
import type { Logger } from '../log';
import { berichtenVan, closedAt, ConcurrencyError, DuplicateReferenceError, type Inzage, type Leerregel, type OpenCaseCounts, type Store, type StoreHealth, type TeamRecord } from './store';

/*
 * Data model (Azure Cosmos DB, NoSQL API). Every container is partitioned by /teamId, so all a
 * team's reads on a user's turn stay in one logical partition and every query names it.
 *
 *   teams  kind 'team'        id = teamId            the install record (listTeams: dispatcher only)
 *          kind 'leerregel'   id = leerregel:<random id>
 *                                                    a learning record; outlives the case (no case id in it)
 *   zaken  kind 'zaak'        id = zaak:<caseId>     the case snapshot, replaced with ETag IfMatch
 *          kind 'events'      id = events:<caseId>:<seq of its first event>
 *                                                    one change: its events and the jobs they plan;
 *                                                    append-only, a 409 on create is a lost race
 *          kind 'referentie'  id = ref:<reference>   makes a case reference unique in the team
 *          kind 'bericht'     id = bericht:<caseId>:<hash>
 *                                                    a message posted for the case (ids only), for retention
 *          kind 'inzage'      id = inzage:<caseId>:<id> who saw which content when (audit; not an event)
 *          kind 'opvolgpunt'  id = punt:<caseId>:<hash of the point>
 *                                                    a follow-up point of the case (see opvolgpunten), for
 *                                                    the digest's counts and pages; the snapshot lists the ids
 *   jobs   kind 'job'         id = <jobId>           scheduled jobs, claimed with ETag IfMatch;
 *                                                    the dispatcher's claim scans status + dueAt
 *          kind 'weergave'    id = weergave:<caseId> the case's thread views: stale (the outbox) or
 *                                                    up to date with what they show; statuses
 *                                                    verouderd/bijwerken/getoond, never a job's
 *
 * Write order (the stand-in, like a cross-container change, has no transaction): a change writes
 * its 'events' document first (the commit point: one document, so atomic), then its jobs, then
 * the snapshot. The stale-views marker is armed just before the events document: a crash between
 * the two leaves a marker for a version that never came (the dispatcher waits a moment, then
 * renders what is there), never a change without its marker. The follow-up points are brought
 * to the new state just before the snapshot (content-addressed ids: created when new, removed
 * when no longer listed), so a reader that rolls a snapshot forward also repairs them. A crash in between leaves the snapshot behind its events, never ahead; getCase
 * rolls such a snapshot forward from the events (and creates their jobs), so the next reader
 * repairs it. A writer whose events document won but whose snapshot replace lost (a reader
 * repaired it first) accepts the repaired snapshot instead of reporting a conflict.
 */

export const CONTAINERS = { teams: 'teams', zaken: 'zaken', jobs: 'jobs' } as const;

const PARTITION_KEY = { paths: ['/teamId'] };

/** Only the properties the queries filter or sort on are indexed; case content is not. */
const CONTAINER_DEFINITIONS: readonly ContainerRequest[] = [
  { id: CONTAINERS.teams, partitionKey: PARTITION_KEY },
  {
    id: CONTAINERS.zaken,
    partitionKey: PARTITION_KEY,
    indexingPolicy: {
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: ['/kind/?', '/caseId/?', '/firstSeq/?', '/open/?', '/flaggedAt/?', '/closedAt/?', '/op/?', '/soort/?', '/volgorde/?', '/wat/?'].map((path) => ({ path })),
      excludedPaths: [{ path: '/*' }],
    },
  },
  {
    id: CONTAINERS.jobs,
    partitionKey: PARTITION_KEY,
    indexingPolicy: {
      indexingMode: 'consistent',
      automatic: true,
      includedPaths: ['/caseId/?', '/status/?', '/dueAt/?', '/leaseUntil/?'].map((path) => ({ path })),
      excludedPaths: [{ path: '/*' }],
      compositeIndexes: [
        [
          { path: '/status', order: 'ascending' },
          { path: '/dueAt', order: 'ascending' },
        ],
      ],
    },
  },
];

/**
 * A container made by an earlier version lacks paths its queries now filter on (Cosmos refuses a
 * filter on a path excluded from indexing): its indexing policy is replaced with the current one
 * (Cosmos re-indexes in the background). Only with a key: an AAD identity may not change containers.
 */
async function indexeerBij(container: Container, definition: ContainerRequest, huidig: IndexingPolicy | undefined, log?: Logger): Promise<void> {
  const ontbreekt = ontbrekendePaden(definition, huidig);
  if (ontbreekt.length === 0) return;
  await container.replace({ id: definition.id!, partitionKey: definition.partitionKey as PartitionKeyDefinition, indexingPolicy: definition.indexingPolicy });
  log?.warn({ container: definition.id, paths: ontbreekt }, 'Cosmos container indexing policy updated for new queries');
}

/** The paths the queries filter on that a container's indexing policy does not include. */
function ontbrekendePaden(definition: ContainerRequest, huidig: IndexingPolicy | undefined): string[] {
  if (!definition.indexingPolicy || !huidig) return [];
  const paden = new Set((huidig.includedPaths ?? []).map((p) => p.path));
  return (definition.indexingPolicy.includedPaths ?? []).map((p) => p.path).filter((p) => !paden.has(p));
}

type TeamDoc = { id: string; teamId: string; kind: 'team'; team: TeamRecord };
type ZaakDoc = {
  id: string;
  teamId: string;
  kind: 'zaak';
  caseId: string;
  reference: string;
  open: boolean;
  flaggedAt: string;
  /** When the case was closed (retention counts from here); null while open. */
  closedAt: string | null;
  version: number;
  zaak: Verdiepingszaak;
  /** The ids of the case's follow-up points as this snapshot stands (absent in snapshots written before they existed). */
  punten?: string[];
  /** The PUNTEN_VERSIE they were derived under (absent before version 2). */
  puntenVersie?: number;
};
type EventsDoc = { id: string; teamId: string; kind: 'events'; caseId: string; firstSeq: number; lastSeq: number; events: ZaakEvent[]; jobs: ScheduledJob[]; leerregel?: Leerregel };
type LeerregelDoc = { id: string; teamId: string; kind: 'leerregel'; maand: string; leerregel: Leerregel };
type ReferenceDoc = { id: string; teamId: string; kind: 'referentie'; reference: string; caseId: string; createdAt: string };
type BerichtDoc = { id: string; teamId: string; kind: 'bericht'; caseId: string; bericht: Bericht };
const REGEL = ZAAKREGEL_VELDEN.map((veld) => `c.zaak.${veld}`).join(', ');
type PuntDoc = { id: string; teamId: string; kind: 'opvolgpunt'; caseId: string; soort: PuntSoort; op: string; volgorde: string; wat: string | null; punt: Opvolgpunt };
type InzageDoc = { id: string; teamId: string; kind: 'inzage'; caseId: string; op: string; inzage: Inzage };
type WeergaveDoc = { id: string; teamId: string; kind: 'weergave'; caseId: string; status: Weergavemarkering['status']; dueAt: string; leaseUntil: string | null; weergave: Weergavemarkering };
type JobDoc = { id: string; teamId: string; kind: 'job'; caseId: string; status: ScheduledJob['status']; dueAt: string; leaseUntil: string | null; job: ScheduledJob };
type Stored<T> = T & Resource;

/** What a writer needs of the stored case: its recorded version, the snapshot's etag (none when absent) and when it was closed. */
type StoredState = { version: number; etag: string | undefined; closedAt: string | null; punten: string[] };

/** A change recorded longer ago than this whose snapshot was not written: its writer stopped; a reader writes it. */
const REPAIR_AFTER_MS = 5_000;
/** A reference held by a creator that never wrote its case can be taken over after this long. */
const ABANDONED_REFERENCE_MS = 120_000;
/** Parallel writes per call (jobs of a change, a dispatcher's claims). */
const PARALLEL = 16;

export interface CosmosStoreOptions {
  endpoint: string;
  databaseId: string;
  /** The account key; without it `credential` signs in (e.g. DefaultAzureCredential, managed identity). */
  key?: string;
  credential?: CosmosClientOptions['aadCredentials'];
  /** Create the database and containers when missing; otherwise check that they exist. */
  createIfMissing: boolean;
  /** Multi-region endpoint discovery; off for a loopback emulator or stand-in. Default: on unless the endpoint is loopback. */
  endpointDiscovery?: boolean;
  /** Only for a local stand-in with a self-signed or expired certificate. */
  agent?: Agent;
  requestTimeoutMs?: number;
  log?: Logger;
}

/** Cosmos DB implementation of the Store. Open it with `CosmosStore.open`. */
export class CosmosStore implements Store {
  readonly kind = 'cosmos';
  private closed = false;
  private readonly versions = new EtagCache<StoredState>();

  private constructor(
    private readonly client: CosmosClient,
    private readonly database: Database,
    private readonly teams: Container,
    private readonly zaken: Container,
    private readonly jobs: Container,
    private readonly log?: Logger,
  ) {}

  static async open(options: CosmosStoreOptions): Promise<CosmosStore> {
    if (!options.key && !options.credential) throw new Error('Cosmos DB needs a key or a credential');
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(options.endpoint).hostname);
    const client = new CosmosClient({
      endpoint: options.endpoint,
      ...(options.key ? { key: options.key } : { aadCredentials: options.credential }),
      ...(options.agent ? { agent: options.agent } : {}),
      connectionPolicy: {
        enableEndpointDiscovery: options.endpointDiscovery ?? !loopback,
        requestTimeout: options.requestTimeoutMs ?? 10_000,
        // 429: the SDK waits as the service's x-ms-retry-after-ms says, up to these bounds
        // (short enough that a user's turn still answers).
        retryOptions: { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 10 },
      },
      userAgentSuffix: 'verdiep',
    });
    try {
      const database = client.database(options.databaseId);
      if (options.createIfMissing) {
        await client.databases.createIfNotExists({ id: options.databaseId });
        for (const definition of CONTAINER_DEFINITIONS) {
          const { resource } = await database.containers.createIfNotExists(definition);
          await indexeerBij(database.container(definition.id!), definition, resource?.indexingPolicy, options.log);
        }
      } else {
        for (const definition of CONTAINER_DEFINITIONS) {
          const found = await database
            .container(definition.id!)
            .read()
            .then(({ resource }) => resource)
            .catch((err: unknown) => {
              if (statusOf(err) === 404) return undefined;
              throw err;
            });
          const ontbreekt = found ? ontbrekendePaden(definition, found.indexingPolicy) : [];
          if (ontbreekt.length > 0) options.log?.error({ container: definition.id, paths: ontbreekt }, 'Cosmos container lacks index paths the queries need: add them to its indexing policy (an identity without a key may not)');
          if (!found) {
            throw new Error(
              `Cosmos DB container ${definition.id} is missing in database ${options.databaseId}: create the database and the containers ${Object.values(CONTAINERS).join(', ')} (partition key /teamId), or set COSMOS_CREATE_IF_MISSING=true with a key`,
            );
          }
        }
      }
      const store = new CosmosStore(
        client,
        database,
        database.container(CONTAINERS.teams),
        database.container(CONTAINERS.zaken),
        database.container(CONTAINERS.jobs),
        options.log,
      );
      await store.fillFollowUps();
      return store;
    } catch (err) {
      client.dispose();
      throw err;
    }
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { ok: false, kind: this.kind, detail: 'closed' };
    try {
      await this.database.read({ abortSignal: AbortSignal.timeout(5_000) });
      return { ok: true, kind: this.kind };
    } catch (err) {
      return { ok: false, kind: this.kind, detail: describe(err) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.dispose();
  }

  // --- teams -------------------------------------------------------------------------------

  async saveTeam(team: TeamRecord): Promise<void> {
    this.live();
    const doc: TeamDoc = { id: key(team.teamId), teamId: team.teamId, kind: 'team', team };
    await this.teams.items.upsert(doc);
  }

  async getTeam(teamId: string): Promise<TeamRecord | undefined> {
    this.live();
    return (await read<TeamDoc>(this.teams, key(teamId), teamId))?.team;
  }

  async listTeams(): Promise<TeamRecord[]> {
    this.live();
    const teams = await query<TeamRecord>(this.teams, "SELECT VALUE c.team FROM c WHERE c.kind = 'team'", {});
    return teams.sort((a, b) => (a.teamId < b.teamId ? -1 : a.teamId > b.teamId ? 1 : 0));
  }

  // --- cases -------------------------------------------------------------------------------

  async createCase(zaak: Verdiepingszaak, events: ZaakEvent[], jobs: ScheduledJob[] = []): Promise<void> {
    this.live();
    const { teamId, id: caseId } = zaak;
    await this.claimReference(teamId, zaak.reference, caseId);
    await this.markViewsStale(zaak);
    if (events.length > 0) await createOrLoseRace(this.zaken, eventsDoc(teamId, caseId, events, jobs), caseId);
    await this.createJobs(jobs);
    await this.writeSnapshot(zaakDoc(zaak, closedAt(zaak, events)), undefined, []);
  }

  async appendEvents(zaak: Verdiepingszaak, expectedVersion: number, events: ZaakEvent[], jobs: ScheduledJob[] = [], leerregel?: Leerregel): Promise<void> {
    this.live();
    const { teamId, id: caseId } = zaak;
    const stored = await this.storedAt(teamId, caseId, expectedVersion);
    if (events.length === 0) {
      // Nothing to record: only a snapshot still at that version may be replaced.
      try {
        await this.writeSnapshot(zaakDoc(zaak, stored.closedAt ?? undefined), stored.etag, stored.punten, true);
      } catch (err) {
        if (statusOf(err) === 412 || statusOf(err) === 404 || statusOf(err) === 409) throw new ConcurrencyError(`case ${caseId}`);
        throw err;
      }
      return;
    }
    if (events[0]!.seq !== expectedVersion + 1) throw new Error(`events of case ${caseId} must continue at ${expectedVersion + 1}`);
    await this.markViewsStale(zaak);
    await createOrLoseRace(this.zaken, { ...eventsDoc(teamId, caseId, events, jobs), ...(leerregel ? { leerregel } : {}) }, caseId);
    // From here the change is recorded: finish it, never report it as a lost race.
    await this.createJobs(jobs);
    if (leerregel) await this.saveLeerregel(leerregel);
    await this.writeSnapshot(zaakDoc(zaak, closedAt(zaak, events, stored.closedAt ?? undefined)), stored.etag, stored.punten);
  }

  async getCase(teamId: string, caseId: string): Promise<Verdiepingszaak | undefined> {
    this.live();
    return (await this.load(teamId, caseId))?.zaak;
  }

  async findCaseByReference(teamId: string, reference: string): Promise<Verdiepingszaak | undefined> {
    this.live();
    const ref = await read<ReferenceDoc>(this.zaken, referenceId(reference), teamId);
    return ref ? this.getCase(teamId, ref.caseId) : undefined;
  }

  async listCases(teamId: string, options: { includeClosed?: boolean } = {}): Promise<Verdiepingszaak[]> {
    this.live();
    const open = options.includeClosed ? '' : ' AND c.open = true';
    return query<Verdiepingszaak>(
      this.zaken,
      `SELECT VALUE c.zaak FROM c WHERE c.teamId = @teamId AND c.kind = 'zaak'${open} ORDER BY c.flaggedAt DESC`,
      { '@teamId': teamId },
      teamId,
    );
  }

  /** A case's line (zaakregel) projected from its snapshot: lists read that, not the whole case (an absent thread stays absent). */
  async listOpenCases(teamId: string, options: { limit: number; fase?: Fase; oldestFirst?: boolean }): Promise<{ total: number; zaken: Zaakregel[] }> {
    this.live();
    const where = `WHERE c.teamId = @teamId AND c.kind = 'zaak' AND c.open = true${options.fase ? ' AND c.zaak.fase = @fase' : ''}`;
    const params = { '@teamId': teamId, ...(options.fase ? { '@fase': options.fase } : {}) };
    const [total, zaken] = await Promise.all([
      query<number>(this.zaken, `SELECT VALUE COUNT(1) FROM c ${where}`, params, teamId),
      query<Zaakregel>(this.zaken, `SELECT TOP @top ${REGEL} FROM c ${where} ORDER BY c.flaggedAt ${options.oldestFirst ? 'ASC' : 'DESC'}`, { ...params, '@top': options.limit }, teamId),
    ]);
    return { total: total[0] ?? 0, zaken };
  }

  /** One COUNT per phase and per type (no GROUP BY: the test stand-in lacks it), within the team's partition. */
  async countOpenCases(teamId: string): Promise<OpenCaseCounts> {
    this.live();
    const open = "c.teamId = @teamId AND c.kind = 'zaak' AND c.open = true";
    const count = async (sql: string, value: string) => (await query<number>(this.zaken, sql, { '@teamId': teamId, '@v': value }, teamId))[0] ?? 0;
    const fasen = (Object.keys(FASEN) as Fase[]).filter((f) => f !== 'gesloten');
    const types = Object.keys(ZAAKTYPES) as Zaaktype[];
    const [perFase, perType] = await Promise.all([
      Promise.all(fasen.map((f) => count(`SELECT VALUE COUNT(1) FROM c WHERE ${open} AND c.zaak.fase = @v`, f))),
      Promise.all(types.map((t) => count(`SELECT VALUE COUNT(1) FROM c WHERE ${open} AND ARRAY_CONTAINS(c.zaak.types, @v)`, t))),
    ]);
    const nonZero = <K extends string>(keys: K[], values: number[]) => Object.fromEntries(keys.flatMap((k, i) => (values[i] ? [[k, values[i]]] : []))) as Partial<Record<K, number>>;
    return { open: perFase.reduce((a, b) => a + b, 0), perFase: nonZero(fasen, perFase), perType: nonZero(types, perType) };
  }

  async listFollowUps(teamId: string, vraag: PuntVraag): Promise<PuntPagina> {
    this.live();
    const where = `WHERE c.teamId = @teamId AND c.kind = 'opvolgpunt' AND c.soort = @soort AND c.op >= @van AND c.op < @tot${vraag.wat ? ' AND ARRAY_CONTAINS(@wat, c.wat)' : ''}`;
    const params = { '@teamId': teamId, '@soort': vraag.soort, '@van': vraag.van ?? '', '@tot': vraag.tot ?? '\uffff', ...(vraag.wat ? { '@wat': [...vraag.wat] } : {}) };
    const [total, punten] = await Promise.all([
      query<number>(this.zaken, `SELECT VALUE COUNT(1) FROM c ${where}`, params, teamId),
      vraag.limit > 0 ? query<Opvolgpunt>(this.zaken, `SELECT TOP @top VALUE c.punt FROM c ${where} ORDER BY c.volgorde`, { ...params, '@top': vraag.limit }, teamId) : [],
    ]);
    return { total: total[0] ?? 0, punten };
  }

  /** One COUNT per value (no GROUP BY: the test stand-in lacks it), within the team's partition. */
  async countFollowUps(teamId: string, vraag: Omit<PuntVraag, 'limit'>, waarden: readonly string[]): Promise<Record<string, number>> {
    this.live();
    const sql = "SELECT VALUE COUNT(1) FROM c WHERE c.teamId = @teamId AND c.kind = 'opvolgpunt' AND c.soort = @soort AND c.wat = @wat AND c.op >= @van AND c.op < @tot";
    const counts = await Promise.all(
      waarden.map(async (wat) => (await query<number>(this.zaken, sql, { '@teamId': teamId, '@soort': vraag.soort, '@wat': wat, '@van': vraag.van ?? '', '@tot': vraag.tot ?? '\uffff' }, teamId))[0] ?? 0),
    );
    return Object.fromEntries(waarden.map((w, i) => [w, counts[i]!]));
  }

  async listEvents(teamId: string, caseId: string): Promise<ZaakEvent[]> {
    this.live();
    const changes = await query<ZaakEvent[]>(
      this.zaken,
      "SELECT VALUE c.events FROM c WHERE c.teamId = @teamId AND c.kind = 'events' AND c.caseId = @caseId ORDER BY c.firstSeq",
      { '@teamId': teamId, '@caseId': caseId },
      teamId,
    );
    return changes.flat();
  }

  async recordInzage(inzagen: readonly Omit<Inzage, 'id'>[]): Promise<Inzage[]> {
    this.live();
    const records: Inzage[] = inzagen.map((inzage) => ({ id: randomUUID(), ...inzage }));
    await Promise.all(
      records.map((r) => this.zaken.items.create<InzageDoc>({ id: `inzage:${key(r.caseId)}:${r.id}`, teamId: r.teamId, kind: 'inzage', caseId: r.caseId, op: r.op, inzage: r })),
    );
    return records;
  }

  async listInzage(teamId: string, caseId: string, limit: number): Promise<Inzage[]> {
    this.live();
    return query<Inzage>(
      this.zaken,
      "SELECT TOP @top VALUE c.inzage FROM c WHERE c.teamId = @teamId AND c.kind = 'inzage' AND c.caseId = @caseId ORDER BY c.op DESC",
      { '@top': limit, '@teamId': teamId, '@caseId': caseId },
      teamId,
    );
  }

  // --- jobs --------------------------------------------------------------------------------

  async listJobs(teamId: string, options: { caseId?: string } = {}): Promise<ScheduledJob[]> {
    this.live();
    const jobs = await query<ScheduledJob>(
      this.jobs,
      `SELECT VALUE c.job FROM c WHERE c.teamId = @teamId${options.caseId !== undefined ? ' AND c.caseId = @caseId' : ''}`,
      { '@teamId': teamId, ...(options.caseId !== undefined ? { '@caseId': options.caseId } : {}) },
      teamId,
    );
    // The container also holds the stale-views markers, which have no job.
    return jobs.filter((j) => !!j).sort(byDue);
  }

  async getJob(teamId: string, jobId: string): Promise<ScheduledJob | undefined> {
    this.live();
    return (await read<JobDoc>(this.jobs, key(jobId), teamId))?.job;
  }

  async scheduleJobs(jobs: ScheduledJob[]): Promise<void> {
    this.live();
    await this.createJobs(jobs);
  }

  /**
   * The one query across teams on the dispatcher's path: due jobs by status and dueAt (indexed,
   * composite status + dueAt). Candidates are taken by ETag IfMatch; a 412 means another
   * instance claimed it first. A few more candidates than `limit` are read so racing instances
   * still fill their batch.
   */
  async claimDueJobs(now: string, owner: string, leaseUntil: string, limit: number): Promise<ScheduledJob[]> {
    this.live();
    if (limit <= 0) return [];
    const candidates = await query<Stored<JobDoc>>(
      this.jobs,
      "SELECT TOP @top * FROM c WHERE (c.status = 'gepland' AND c.dueAt <= @now) OR (c.status = 'geclaimd' AND c.leaseUntil <= @now) ORDER BY c.dueAt",
      { '@top': limit * 3, '@now': now },
    );
    const claimed: ScheduledJob[] = [];
    for (let i = 0; i < candidates.length && claimed.length < limit; ) {
      const batch = candidates.slice(i, i + Math.min(PARALLEL, limit - claimed.length));
      i += batch.length;
      const results = await Promise.all(
        batch.map(async (doc) => {
          const job: ScheduledJob = { ...doc.job, status: 'geclaimd', leaseOwner: owner, leaseUntil, attempts: doc.job.attempts + 1, version: doc.job.version + 1 };
          try {
            await this.jobs.item(doc.id, doc.teamId).replace(jobDoc(job), { accessCondition: { type: 'IfMatch', condition: doc._etag } });
            return job;
          } catch (err) {
            if (statusOf(err) === 412 || statusOf(err) === 404) return undefined;
            throw err;
          }
        }),
      );
      claimed.push(...results.filter((j): j is ScheduledJob => j !== undefined));
    }
    return claimed.sort(byDue);
  }

  async updateJob(job: ScheduledJob, expectedVersion: number): Promise<void> {
    this.live();
    const stored = await read<JobDoc>(this.jobs, key(job.id), job.teamId);
    if (!stored || stored.job.version !== expectedVersion) throw new ConcurrencyError(`job ${job.id}`);
    try {
      await this.jobs.item(stored.id, job.teamId).replace(jobDoc(job), { accessCondition: { type: 'IfMatch', condition: stored._etag } });
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) throw new ConcurrencyError(`job ${job.id}`);
      throw err;
    }
  }

  // --- thread views (outbox) ----------------------------------------------------------------

  /** Arms the case's stale-views marker for `zaak.version` (read, then replace with IfMatch; a lost race reads again). */
  private async markViewsStale(zaak: Verdiepingszaak): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const stored = await read<WeergaveDoc>(this.jobs, weergaveId(zaak.id), zaak.teamId);
      if (stored && stored.weergave.versie >= zaak.version) return;
      const doc = weergaveDoc(markeerVerouderd(stored?.weergave, zaak.teamId, zaak.id, zaak.version, zaak.updatedAt));
      try {
        if (stored) await this.jobs.item(doc.id, doc.teamId).replace(doc, { accessCondition: { type: 'IfMatch', condition: stored._etag } });
        else await this.jobs.items.create(doc);
        return;
      } catch (err) {
        const status = statusOf(err);
        if ((status !== 412 && status !== 409 && status !== 404) || attempt >= 20) throw err;
      }
    }
  }

  async claimStaleViews(now: string, owner: string, leaseUntil: string, limit: number): Promise<Weergavemarkering[]> {
    this.live();
    if (limit <= 0) return [];
    const candidates = await query<Stored<WeergaveDoc>>(
      this.jobs,
      "SELECT TOP @top * FROM c WHERE (c.status = 'verouderd' AND c.dueAt <= @now) OR (c.status = 'bijwerken' AND c.leaseUntil <= @now) ORDER BY c.dueAt",
      { '@top': limit * 3, '@now': now },
    );
    const claimed: Weergavemarkering[] = [];
    for (const doc of candidates) {
      if (claimed.length >= limit) break;
      const marker = geclaimd(doc.weergave, owner, leaseUntil);
      try {
        await this.jobs.item(doc.id, doc.teamId).replace(weergaveDoc(marker), { accessCondition: { type: 'IfMatch', condition: doc._etag } });
        claimed.push(marker);
      } catch (err) {
        if (statusOf(err) !== 412 && statusOf(err) !== 404) throw err;
      }
    }
    return claimed;
  }

  /** The stored marker when `marker`'s holder still holds it. */
  private async heldStaleViews(marker: Weergavemarkering): Promise<Stored<WeergaveDoc> | undefined> {
    const stored = await read<WeergaveDoc>(this.jobs, weergaveId(marker.caseId), marker.teamId);
    const w = stored?.weergave;
    return w?.status === 'bijwerken' && w.leaseOwner === marker.leaseOwner && w.leaseUntil === marker.leaseUntil ? stored : undefined;
  }

  async finishStaleViews(marker: Weergavemarkering, totVersie: number, getoond?: Readonly<Record<string, string>>): Promise<Afronding> {
    this.live();
    for (let attempt = 0; ; attempt++) {
      const stored = await this.heldStaleViews(marker);
      if (!stored) return { soort: 'kwijt' };
      if (stored.weergave.versie > totVersie) return { soort: 'opnieuw', markering: stored.weergave };
      try {
        await this.jobs.item(stored.id, stored.teamId).replace(weergaveDoc(afgerond(stored.weergave, getoond)), { accessCondition: { type: 'IfMatch', condition: stored._etag } });
        return { soort: 'klaar' };
      } catch (err) {
        if (statusOf(err) === 404) return { soort: 'klaar' };
        if (statusOf(err) !== 412 || attempt >= 20) throw err;
      }
    }
  }

  async putOffStaleViews(marker: Weergavemarkering, dueAt: string, lastError: string, vooruitgang = false, getoond?: Readonly<Record<string, string>>): Promise<void> {
    this.live();
    for (let attempt = 0; ; attempt++) {
      const stored = await this.heldStaleViews(marker);
      if (!stored) return;
      try {
        await this.jobs.item(stored.id, stored.teamId).replace(weergaveDoc(uitgesteld(stored.weergave, dueAt, lastError, vooruitgang, getoond)), { accessCondition: { type: 'IfMatch', condition: stored._etag } });
        return;
      } catch (err) {
        if ((statusOf(err) !== 412 && statusOf(err) !== 404) || attempt >= 20) throw err;
      }
    }
  }

  // --- retention ---------------------------------------------------------------------------

  async recordMessages(teamId: string, caseId: string, berichten: Bericht[], now: string): Promise<void> {
    this.live();
    await inBatches(berichten, async (bericht) => {
      const doc: BerichtDoc = { id: berichtId(caseId, bericht), teamId, kind: 'bericht', caseId, bericht };
      await this.zaken.items.upsert(doc);
    });
    // Written first, checked after: a purge that deletes the case later finds them in its final sweep.
    if (berichten.length > 0 && !(await read<ZaakDoc>(this.zaken, zaakId(caseId), teamId))) await this.nawissen(teamId, caseId, berichten, now);
  }

  /** The messages recorded for a case. */
  private berichtDocs(teamId: string, caseId: string): Promise<BerichtDoc[]> {
    return query<BerichtDoc>(this.zaken, "SELECT * FROM c WHERE c.teamId = @teamId AND c.kind = 'bericht' AND c.caseId = @caseId", { '@teamId': teamId, '@caseId': caseId }, teamId);
  }

  /** Messages recorded for a case that is purged: an erasure job of their own, then the records go. */
  private async nawissen(teamId: string, caseId: string, berichten: Bericht[], now: string): Promise<void> {
    await this.createJobs([nawissingJob(teamId, caseId, berichten, now)]);
    await inBatches(berichten, (b) => remove(this.zaken, berichtId(caseId, b), teamId));
  }

  /**
   * Across teams (a background task). Per case: the erasure job, then events, jobs and recorded messages, then the reference, the
   * snapshot last, so an interrupted purge is found and finished by the next run; a final sweep
   * removes events and inzage records written by a change or a view that raced the purge.
   */
  async purgeClosedCases(closedBefore: string, now: string): Promise<number> {
    this.live();
    const due = await query<{ teamId: string; caseId: string }>(
      this.zaken,
      "SELECT c.teamId, c.caseId FROM c WHERE c.kind = 'zaak' AND c.open = false AND c.closedAt < @before",
      { '@before': closedBefore },
    );
    let purged = 0;
    for (const { teamId, caseId } of due) {
      const doc = await read<ZaakDoc>(this.zaken, zaakId(caseId), teamId);
      if (!doc || doc.open || !doc.closedAt || doc.closedAt >= closedBefore) continue;
      const recorded = await this.berichtDocs(teamId, caseId);
      const berichten = berichtenVan(doc.zaak, recorded.map((r) => r.bericht));
      // The erasure job first: a purge interrupted after it is finished by the next run, and the job stays.
      if (berichten.length > 0) await this.createJobs([wissingJob(teamId, caseId, berichten, now)]);
      await this.deleteEvents(teamId, caseId);
      await this.deleteInzage(teamId, caseId);
      const jobIds = await query<string>(this.jobs, 'SELECT VALUE c.id FROM c WHERE c.teamId = @teamId AND c.caseId = @caseId', { '@teamId': teamId, '@caseId': caseId }, teamId);
      await inBatches(jobIds, (id) => remove(this.jobs, id, teamId));
      await inBatches(recorded, (r) => remove(this.zaken, r.id, teamId));
      const ref = await read<ReferenceDoc>(this.zaken, referenceId(doc.reference), teamId);
      if (ref?.caseId === caseId) await remove(this.zaken, ref.id, teamId);
      await remove(this.zaken, doc.id, teamId);
      await this.deleteEvents(teamId, caseId);
      await this.deleteInzage(teamId, caseId);
      const laat = await this.berichtDocs(teamId, caseId);
      if (laat.length > 0) await this.nawissen(teamId, caseId, laat.map((r) => r.bericht), now);
      this.versions.delete(`${teamId}\u0000${caseId}`);
      purged++;
    }
    return purged;
  }

  // --- learning records --------------------------------------------------------------------

  async listLeerregels(teamId: string, options: { vanaf?: string } = {}): Promise<Leerregel[]> {
    this.live();
    const docs = await query<Leerregel>(
      this.teams,
      "SELECT VALUE c.leerregel FROM c WHERE c.teamId = @teamId AND c.kind = 'leerregel' AND c.maand >= @vanaf",
      { '@teamId': teamId, '@vanaf': options.vanaf ?? '' },
      teamId,
    );
    return docs.sort((a, b) => (a.maand === b.maand ? (a.id < b.id ? -1 : 1) : a.maand < b.maand ? -1 : 1));
  }

  /** Across teams (a background task, like the case purge). */
  async purgeLeerregels(voor: string): Promise<number> {
    this.live();
    const due = await query<{ id: string; teamId: string }>(this.teams, "SELECT c.id, c.teamId FROM c WHERE c.kind = 'leerregel' AND c.maand < @voor", { '@voor': voor });
    await inBatches(due, (d) => remove(this.teams, d.id, d.teamId));
    return due.length;
  }

  /** Idempotent: the record with its id is replaced by the newer state. */
  private async saveLeerregel(leerregel: Leerregel): Promise<void> {
    const doc: LeerregelDoc = { id: `leerregel:${leerregel.id}`, teamId: leerregel.teamId, kind: 'leerregel', maand: leerregel.maand, leerregel };
    await this.teams.items.upsert(doc);
  }

  // --- internals ---------------------------------------------------------------------------

  private live(): void {
    if (this.closed) throw new Error('the Cosmos DB store is closed');
  }

  private remember(teamId: string, caseId: string, state: StoredState): void {
    this.versions.set(`${teamId}\u0000${caseId}`, state);
  }

  /** The etag of the stored snapshot if the case is still at `version` (from the cache when it can be); ConcurrencyError otherwise. */
  private async storedAt(teamId: string, caseId: string, version: number): Promise<StoredState> {
    const cached = this.versions.get(`${teamId}\u0000${caseId}`);
    if (cached?.version === version) return cached;
    const loaded = await this.load(teamId, caseId);
    if (!loaded || loaded.state.version !== version) throw new ConcurrencyError(`case ${caseId}`);
    return loaded.state;
  }

  /**
   * The case as recorded: the snapshot with every change the snapshot does not show yet applied
   * (a writer between its events and its snapshot, or one that stopped there). Their jobs are
   * created (idempotent). The snapshot itself is repaired only when the newest such change is
   * older than REPAIR_AFTER_MS: right after a commit its writer is about to write it, and readers
   * racing it to the same document would only make each other (and the writer) retry.
   */
  private async load(teamId: string, caseId: string): Promise<{ zaak: Verdiepingszaak; state: StoredState } | undefined> {
    const found = await read<ZaakDoc>(this.zaken, zaakId(caseId), teamId);
    let zaak = found?.zaak;
    let closed = found?.closedAt ?? null;
    let newest: Stored<EventsDoc> | undefined;
    let leerregel: Leerregel | undefined;
    for (let guard = 0; guard < 1_000; guard++) {
      const next = await read<EventsDoc>(this.zaken, eventsId(caseId, (zaak?.version ?? 0) + 1), teamId);
      if (!next) break;
      await this.createJobs(next.jobs);
      leerregel = next.leerregel ?? leerregel;
      zaak = next.events.reduce<Verdiepingszaak | undefined>((z, e) => applyEvent(z, e), zaak)!;
      closed = closedAt(zaak, next.events, closed ?? undefined) ?? null;
      newest = next;
    }
    if (!zaak) return undefined;
    let state: StoredState = { version: zaak.version, etag: found?._etag, closedAt: closed, punten: found?.punten ?? [] };
    if (newest && Date.now() - newest._ts * 1000 > REPAIR_AFTER_MS) {
      this.log?.warn({ teamId, caseId, version: zaak.version }, 'case snapshot rolled forward from its events');
      if (leerregel) await this.saveLeerregel(leerregel);
      const doc = zaakDoc(zaak, closed ?? undefined);
      state = { ...state, etag: await this.writeSnapshot(doc, state.etag, state.punten), punten: doc.punten! };
    }
    this.remember(teamId, caseId, state);
    return { zaak, state };
  }

  /**
   * Brings the snapshot up to `doc` (a case that includes every change before it): replaced with
   * IfMatch on `etag` (created when there is none); when another writer got there first, it is
   * replaced only while it still shows an older version, so it never goes back. With `exact`, a
   * lost race is not retried but thrown. Returns the new etag (undefined when a newer one stands).
   */
  private async writeSnapshot(doc: ZaakDoc, etag: string | undefined, vorige: readonly string[], exact = false): Promise<string | undefined> {
    await this.keepFollowUps(doc, vorige);
    let condition = etag;
    for (let attempt = 0; ; attempt++) {
      try {
        const { resource } = condition
          ? await this.zaken.item(doc.id, doc.teamId).replace(doc, { accessCondition: { type: 'IfMatch', condition } })
          : await this.zaken.items.create(doc);
        this.remember(doc.teamId, doc.caseId, { version: doc.version, etag: resource?._etag, closedAt: doc.closedAt, punten: doc.punten ?? [] });
        return resource?._etag;
      } catch (err) {
        const status = statusOf(err);
        if (exact || (status !== 412 && status !== 409 && status !== 404) || attempt >= 20) throw err;
        // Gone (purged meanwhile): not brought back.
        const current = await read<ZaakDoc>(this.zaken, doc.id, doc.teamId);
        if (!current) throw err;
        if (current.version >= doc.version) return undefined;
        condition = current._etag;
      }
    }
  }

  /** Makes the reference unique in the team; takes over one whose creator never wrote its case. */
  private async claimReference(teamId: string, reference: string, caseId: string): Promise<void> {
    const doc: ReferenceDoc = { id: referenceId(reference), teamId, kind: 'referentie', reference, caseId, createdAt: new Date().toISOString() };
    try {
      await this.zaken.items.create(doc);
      return;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const held = await read<ReferenceDoc>(this.zaken, doc.id, teamId);
    const abandoned =
      held &&
      Date.now() - Date.parse(held.createdAt) > ABANDONED_REFERENCE_MS &&
      !(await read<ZaakDoc>(this.zaken, zaakId(held.caseId), teamId)) &&
      !(await read<EventsDoc>(this.zaken, eventsId(held.caseId, 1), teamId));
    if (!abandoned) throw new DuplicateReferenceError(reference);
    try {
      await this.zaken.item(doc.id, teamId).replace(doc, { accessCondition: { type: 'IfMatch', condition: held._etag } });
      this.log?.warn({ teamId, caseId, abandonedCaseId: held.caseId }, 'took over an abandoned case reference');
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) throw new DuplicateReferenceError(reference);
      throw err;
    }
  }

  /** Snapshots written before follow-up points existed, or under an older PUNTEN_VERSIE, get today's (across teams, once: at start). */
  private async fillFollowUps(): Promise<void> {
    const without = await query<{ teamId: string; caseId: string }>(
      this.zaken,
      "SELECT c.teamId, c.caseId FROM c WHERE c.kind = 'zaak' AND (NOT IS_DEFINED(c.puntenVersie) OR c.puntenVersie < @versie)",
      { '@versie': PUNTEN_VERSIE },
    );
    for (const { teamId, caseId } of without) {
      const loaded = await this.load(teamId, caseId);
      if (loaded) await this.writeSnapshot(zaakDoc(loaded.zaak, loaded.state.closedAt ?? undefined), loaded.state.etag, loaded.state.punten);
    }
    if (without.length > 0) this.log?.info({ cases: without.length }, 'follow-up points written for cases stored before them');
  }

  /** Creates the follow-up points `doc` lists that `vorige` did not, and removes those it no longer lists. */
  private async keepFollowUps(doc: ZaakDoc, vorige: readonly string[]): Promise<void> {
    const nu = opvolgpunten(doc.zaak).map(puntDoc);
    doc.punten = nu.map((p) => p.id);
    doc.puntenVersie = PUNTEN_VERSIE;
    const blijft = new Set(doc.punten);
    const had = new Set(vorige);
    await inBatches(nu.filter((p) => !had.has(p.id)), async (p) => {
      try {
        await this.zaken.items.create(p);
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    });
    await inBatches(vorige.filter((id) => !blijft.has(id)), (id) => remove(this.zaken, id, doc.teamId));
  }

  /** A job whose id exists already is left as it is. */
  private async createJobs(jobs: readonly ScheduledJob[]): Promise<void> {
    await inBatches(jobs, async (job) => {
      try {
        await this.jobs.items.create(jobDoc(job));
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    });
  }

  /** The case's inzage records and follow-up points. */
  private async deleteInzage(teamId: string, caseId: string): Promise<void> {
    const ids = await query<string>(this.zaken, "SELECT VALUE c.id FROM c WHERE c.teamId = @teamId AND (c.kind = 'inzage' OR c.kind = 'opvolgpunt') AND c.caseId = @caseId", { '@teamId': teamId, '@caseId': caseId }, teamId);
    await inBatches(ids, (id) => remove(this.zaken, id, teamId));
  }

  private async deleteEvents(teamId: string, caseId: string): Promise<void> {
    const ids = await query<string>(
      this.zaken,
      "SELECT VALUE c.id FROM c WHERE c.teamId = @teamId AND c.kind = 'events' AND c.caseId = @caseId ORDER BY c.firstSeq",
      { '@teamId': teamId, '@caseId': caseId },
      teamId,
    );
    // In order, so the first change (which could recreate the case) goes first.
    for (const id of ids) await remove(this.zaken, id, teamId);
  }
}

// --- documents ---------------------------------------------------------------------------------

/** Cosmos ids may not hold / \ ? #; anything outside a plain alphabet is encoded (and marked by ~). */
function key(value: string): string {
  return /^[A-Za-z0-9._:@-]{1,200}$/.test(value) ? value : `~${Buffer.from(value, 'utf8').toString('base64url')}`;
}

const zaakId = (caseId: string) => `zaak:${key(caseId)}`;
const eventsId = (caseId: string, firstSeq: number) => `events:${key(caseId)}:${firstSeq}`;
const berichtId = (caseId: string, b: Bericht) => `bericht:${key(caseId)}:${createHash('sha256').update(berichtSleutel(b)).digest('base64url').slice(0, 32)}`;
const puntId = (p: Opvolgpunt) => `punt:${key(p.caseId)}:${createHash('sha256').update(JSON.stringify(p)).digest('base64url').slice(0, 32)}`;
const referenceId = (reference: string) => `ref:${Buffer.from(reference, 'utf8').toString('base64url')}`;

function zaakDoc(zaak: Verdiepingszaak, closed: string | undefined): ZaakDoc {
  return {
    id: zaakId(zaak.id),
    teamId: zaak.teamId,
    kind: 'zaak',
    caseId: zaak.id,
    reference: zaak.reference,
    open: zaak.fase !== 'gesloten',
    flaggedAt: zaak.flaggedAt,
    closedAt: closed ?? null,
    version: zaak.version,
    zaak,
  };
}

function puntDoc(p: Opvolgpunt): PuntDoc {
  return { id: puntId(p), teamId: p.teamId, kind: 'opvolgpunt', caseId: p.caseId, soort: p.soort, op: p.op, volgorde: `${p.op}\u0000${p.reference}\u0000${p.sleutel}`, wat: p.wat ?? null, punt: p };
}

function eventsDoc(teamId: string, caseId: string, events: ZaakEvent[], jobs: ScheduledJob[]): EventsDoc {
  const firstSeq = events[0]!.seq;
  return { id: eventsId(caseId, firstSeq), teamId, kind: 'events', caseId, firstSeq, lastSeq: events.at(-1)!.seq, events, jobs };
}

function jobDoc(job: ScheduledJob): JobDoc {
  return { id: key(job.id), teamId: job.teamId, kind: 'job', caseId: job.caseId, status: job.status, dueAt: job.dueAt, leaseUntil: job.leaseUntil ?? null, job };
}

const weergaveId = (caseId: string) => `weergave:${key(caseId)}`;

function weergaveDoc(marker: Weergavemarkering): WeergaveDoc {
  return { id: weergaveId(marker.caseId), teamId: marker.teamId, kind: 'weergave', caseId: marker.caseId, status: marker.status, dueAt: marker.dueAt, leaseUntil: marker.leaseUntil ?? null, weergave: marker };
}

function byDue(a: ScheduledJob, b: ScheduledJob): number {
  return a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// --- Cosmos calls ------------------------------------------------------------------------------

/** The HTTP status of a Cosmos error (ErrorResponse.code), if it has one. */
export function statusOf(err: unknown): number | undefined {
  const { code, statusCode } = (err ?? {}) as { code?: unknown; statusCode?: unknown };
  return typeof code === 'number' ? code : typeof statusCode === 'number' ? statusCode : undefined;
}

function describe(err: unknown): string {
  const status = statusOf(err);
  const code = (err as { code?: unknown })?.code;
  const message = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
  return `${status ?? code ?? 'error'}: ${message}`;
}

/** A point read; undefined when absent (404). */
async function read<T extends object>(container: Container, id: string, partitionKey: string): Promise<Stored<T> | undefined> {
  try {
    const { resource } = await container.item(id, partitionKey).read<T & { id: string }>();
    return resource as Stored<T> | undefined;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** A parameterized query; with `partitionKey` it is routed to that partition (the WHERE clause names it too). */
async function query<T>(container: Container, sql: string, parameters: Record<string, JSONValue>, partitionKey?: string): Promise<T[]> {
  const spec = { query: sql, parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })) };
  const { resources } = await container.items.query<T>(spec, partitionKey === undefined ? {} : { partitionKey }).fetchAll();
  return resources;
}

async function createOrLoseRace<T extends { id: string }>(container: Container, doc: T, caseId: string) {
  try {
    return await container.items.create(doc);
  } catch (err) {
    if (statusOf(err) === 409) throw new ConcurrencyError(`case ${caseId}`);
    throw err;
  }
}

async function remove(container: Container, id: string, partitionKey: string): Promise<void> {
  try {
    await container.item(id, partitionKey).delete();
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(run));
}

/** Last known etag per case, so a change after a read needs no second read. Bounded. */
class EtagCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max = 5_000) {}
  get(k: string): V | undefined {
    return this.entries.get(k);
  }
  set(k: string, v: V): void {
    this.entries.delete(k);
    this.entries.set(k, v);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
  delete(k: string): void {
    this.entries.delete(k);
  }
}
