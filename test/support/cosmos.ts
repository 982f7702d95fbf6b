import { createHttpServer, createHttpsServer } from '@zeit/cosmosdb-server';
import { Agent } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { CosmosClient } from '@azure/cosmos';
import { CONTAINERS, CosmosStore } from '../../src/store/cosmos';

/** The stand-in does not check keys; any base64 string will do. */
export const STAND_IN_KEY = Buffer.from('verdiep-stand-in-key').toString('base64');

/**
 * `@zeit/cosmosdb-server` in this process on loopback (memory only). Its bundled certificate
 * has expired, so clients get an agent that skips the check. Plain HTTP (`tls: false`) is about
 * twice as fast and serves the long HTTP flow tests; the store tests keep TLS. `throttle` answers the next
 * document requests with 429 and a retry-after, as Cosmos does when a partition is too busy.
 */
export class CosmosStandIn {
  endpoint = '';
  readonly agent = new Agent({ rejectUnauthorized: false, keepAlive: false });
  /** Document requests seen (reads, writes, queries), for the throttling test. */
  documentRequests = 0;
  /** The Authorization header of the last request (a key signature, or an AAD token). */
  lastAuthorization = '';
  private throttled = 0;
  private databases = 0;
  private server?: ReturnType<typeof createHttpsServer> | ReturnType<typeof createHttpServer>;

  constructor(private readonly tls = true) {}

  async start(port = 0): Promise<this> {
    const server = this.tls ? createHttpsServer() : createHttpServer();
    const [handler] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.lastAuthorization = decodeURIComponent(String(req.headers.authorization ?? ''));
      if (/\/docs(\/|$)/.test(req.url ?? '')) {
        this.documentRequests++;
        if (this.throttled > 0) {
          this.throttled--;
          res.writeHead(429, { 'content-type': 'application/json', 'x-ms-retry-after-ms': '20', 'x-ms-substatus': '3200', connection: 'close' });
          res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large.' }));
          req.resume();
          return;
        }
      }
      handler!(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.endpoint = `${this.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return this;
  }

  get port(): number {
    return Number(new URL(this.endpoint).port);
  }

  throttle(requests: number): void {
    this.throttled = requests;
  }

  /** A store on a fresh database of its own (created with its containers). */
  open(databaseId = `verdiep-${process.pid}-${++this.databases}`): Promise<CosmosStore> {
    return CosmosStore.open({ endpoint: this.endpoint, key: STAND_IN_KEY, databaseId, createIfMissing: true, ...(this.tls ? { agent: this.agent } : {}) });
  }

  /** Every document in a database's containers, as JSON: what a store really left behind. */
  async documents(databaseId: string): Promise<string[]> {
    const client = new CosmosClient({ endpoint: this.endpoint, key: STAND_IN_KEY, connectionPolicy: { enableEndpointDiscovery: false }, ...(this.tls ? { agent: this.agent } : {}) });
    try {
      const database = client.database(databaseId);
      const all = await Promise.all(Object.values(CONTAINERS).map((id) => database.container(id).items.query('SELECT * FROM c').fetchAll()));
      return all.flatMap(({ resources }) => resources.map((doc) => JSON.stringify(doc)));
    } finally {
      client.dispose();
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function startCosmosStandIn(port = 0, options: { tls?: boolean } = {}): Promise<CosmosStandIn> {
  return new CosmosStandIn(options.tls ?? true).start(port);
}

/** Which store the HTTP flow tests run against: `VERDIEP_TEST_STORE=cosmos` selects Cosmos. */
export const TEST_STORE_KIND: 'sqlite' | 'cosmos' = process.env.VERDIEP_TEST_STORE === 'cosmos' ? 'cosmos' : 'sqlite';

let shared: Promise<CosmosStandIn> | undefined;

/**
 * A Cosmos store for a test bot: one stand-in per test file (started on first use, stopped by
 * test/support/cosmos-setup.ts), one database per SQLite path the test would have used, so a
 * test that restarts the bot on the same path finds the same data.
 */
export async function cosmosStoreFor(sqlitePath: string): Promise<CosmosStore> {
  shared ??= startCosmosStandIn(0, { tls: false });
  return (await shared).open(await databaseFor(sqlitePath));
}

async function databaseFor(sqlitePath: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return `verdiep-${createHash('sha256').update(sqlitePath).digest('hex').slice(0, 16)}`;
}

/** What the test bot's store left behind: its SQLite file and WAL, or its documents in the Cosmos stand-in. */
export async function storedBytes(sqlitePath: string): Promise<Buffer> {
  if (TEST_STORE_KIND === 'sqlite') return Buffer.concat([sqlitePath, `${sqlitePath}-wal`].filter(existsSync).map((f) => readFileSync(f)));
  if (!shared) return Buffer.alloc(0);
  return Buffer.from((await (await shared).documents(await databaseFor(sqlitePath))).join('\n'));
}

export async function stopSharedStandIn(): Promise<void> {
  const running = shared;
  shared = undefined;
  if (running) await (await running).stop();
}
