import { randomUUID } from 'node:crypto';
import { vergeetKaarten } from '../../cards/render';
import { wachtrijBijDrukte } from './wachtrij';
import { createAdapter, createApp } from './app';
import { Rooster } from './toegang';
import type { Config } from '../config';
import type { ScheduledJob } from '../domain/jobs';
import { Dispatcher, type Scheduler } from '../dispatch/dispatcher';
import type { Sleep } from '../dispatch/verzender';
import { teamsPort } from '../dispatch/teams-port';
import { systemClock, type Clock, type IdSource } from '../domain/ports';
import { defaultRetryPolicy, ZaakService } from '../domain/service';
import { createServer, listen, type EdgeOptions } from '../http/server';
import type { Logger } from '../log';
import { CosmosStore } from '../store/cosmos';
import { startRetention, type Retention } from '../store/retention';
import { SqliteStore } from '../store/sqlite';
import type { Store } from '../store/store';

export interface RunningBot {
  port: number;
  store: Store;
  retention: Retention;
  /** Delivers follow-ups and digests; absent when switched off. */
  dispatcher?: Dispatcher;
  stop(): Promise<void>;
}

/**
 * How this process runs its dispatcher: `auto` polls (the default when DISPATCH_ENABLED), `manual`
 * builds it without polling (tests call tick()), `off` has none.
 */
export interface DispatchOptions {
  mode?: 'auto' | 'manual' | 'off';
  owner?: string;
  scheduler?: Scheduler;
  sleep?: Sleep;
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
  options: { clock?: Clock; ids?: IdSource; store?: Store; dispatch?: DispatchOptions; edge?: Partial<EdgeOptions> } = {},
): Promise<RunningBot> {
  const store = options.store ?? (await openStore(config, log));
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? { next: () => randomUUID() };
  let dispatcher: Dispatcher | undefined;
  // A stored change nudges this process's dispatcher, which updates the case's thread views and posts what the change posts at once (the outbox).
  const zaken = new ZaakService(store, clock, ids, { timeZone: config.timeZone, reminderBeforeMs: config.zsm.herinneringVoorMs }, defaultRetryPolicy, (_team, _zaak, direct) => dispatcher?.wek(direct));
  const deps = { config, log, store, clock, ids, zaken, botName: 'Verdiep', rooster: new Rooster(() => clock.now().getTime(), log), wekOver: (ms: number) => dispatcher?.binnenkort(ms), bezorgNu: (jobs: readonly ScheduledJob[]) => dispatcher?.wek(jobs) };
  const adapter = createAdapter(deps);
  wachtrijBijDrukte(adapter, deps);
  const app = createApp(adapter, deps);
  const server = createServer(adapter, app, store, log, { authRequired: Boolean(config.auth.MicrosoftAppId), edge: options.edge });
  const port = await listen(server, config.port, config.host);
  // Background work (retention, like the dispatcher) runs on instances with DISPATCH_ENABLED.
  const retention = startRetention(store, clock, config.retention.bewaartermijnDagen, log, {
    timers: config.dispatch.enabled,
    leerregels: { dagen: config.retention.leerregelDagen, timeZone: config.timeZone },
    naWissen: vergeetKaarten,
  });
  const mode = options.dispatch?.mode ?? (config.dispatch.enabled ? 'auto' : 'off');
  dispatcher =
    mode === 'off'
      ? undefined
      : new Dispatcher(deps, { teams: teamsPort(adapter, config.botId), owner: options.dispatch?.owner, scheduler: options.dispatch?.scheduler, sleep: options.dispatch?.sleep });
  // After listen: a job missed while no instance ran goes out now, once.
  if (mode === 'auto') dispatcher?.start();
  return {
    port,
    store,
    retention,
    ...(dispatcher ? { dispatcher } : {}),
    async stop() {
      await dispatcher?.stop();
      retention.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/**
 * Last line of defence for the whole process: an error that escapes a request or a timer is
 * logged with a correlation id and the bot keeps serving the other requests.
 */
export function guardProcess(log: Logger, target: NodeJS.EventEmitter = process): void {
  const report = (kind: string) => (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    log.error({ correlationId: randomUUID().slice(0, 8), kind, err: { name: e.name, message: e.message, stack: e.stack } }, 'error outside a request');
  };
  target.on('uncaughtException', report('uncaughtException'));
  target.on('unhandledRejection', report('unhandledRejection'));
}
