import { randomUUID } from 'node:crypto';
import { createAdapter, createApp } from './app';
import type { Config } from '../config';
import { systemClock, type Clock, type IdSource } from '../domain/ports';
import { ZaakService } from '../domain/service';
import { createServer, listen } from '../http/server';
import type { Logger } from '../log';
import { SqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';

export interface RunningBot {
  port: number;
  store: Store;
  stop(): Promise<void>;
}

export function openStore(config: Config): Store {
  return new SqliteStore(config.store.sqlitePath);
}

/** Builds the whole bot on one port; used by src/index.ts and by the HTTP tests. */
export async function startBot(
  config: Config,
  log: Logger,
  options: { clock?: Clock; ids?: IdSource; store?: Store } = {},
): Promise<RunningBot> {
  const store = options.store ?? openStore(config);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? { next: () => randomUUID() };
  const deps = { config, log, store, clock, ids, zaken: new ZaakService(store, clock, ids, { timeZone: config.timeZone, reminderBeforeMs: config.zsm.herinneringVoorMs }), botName: 'Verdiep' };
  const adapter = createAdapter(deps);
  const app = createApp(adapter, deps);
  const server = createServer(adapter, app, store, log);
  const port = await listen(server, config.port, config.host);
  return {
    port,
    store,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
