import { randomUUID } from 'node:crypto';
import { createAdapter, createApp } from './app';
import type { Config } from '../config';
import { systemClock, type Clock, type IdSource } from '../domain/ports';
import { ZaakService } from '../domain/service';
import { createServer, listen } from '../http/server';
import type { Logger } from '../log';
import { CosmosStore } from '../store/cosmos';
import { startRetention, type Retention } from '../store/retention';
import { SqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';

export interface RunningBot {
  port: number;
  store: Store;
  retention: Retention;
  stop(): Promise<void>;
}

/** The configured store: SQLite on this machine, or Cosmos DB (key, or managed identity without one). */
export async function openStore(config: Config, log?: Logger): Promise<Store> {
  const cosmos = config.store.cosmos;
  if (config.store.kind !== 'cosmos' || !cosmos) return new SqliteStore(config.store.sqlitePath);
  const credential = cosmos.key ? undefined : new (await import('@azure/identity')).DefaultAzureCredential();
  return CosmosStore.open({ endpoint: cosmos.endpoint, key: cosmos.key, credential, databaseId: cosmos.databaseId, createIfMissing: cosmos.createIfMissing, ...(log ? { log } : {}) });
}

/** Builds the whole bot on one port; used by src/index.ts and by the HTTP tests. */
export async function startBot(
  config: Config,
  log: Logger,
  options: { clock?: Clock; ids?: IdSource; store?: Store } = {},
): Promise<RunningBot> {
  const store = options.store ?? (await openStore(config, log));
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? { next: () => randomUUID() };
  const deps = { config, log, store, clock, ids, zaken: new ZaakService(store, clock, ids, { timeZone: config.timeZone, reminderBeforeMs: config.zsm.herinneringVoorMs }), botName: 'Verdiep' };
  const adapter = createAdapter(deps);
  const app = createApp(adapter, deps);
  const server = createServer(adapter, app, store, log);
  const port = await listen(server, config.port, config.host);
  const retention = startRetention(store, clock, config.retention.bewaartermijnDagen, log);
  return {
    port,
    store,
    retention,
    async stop() {
      retention.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
