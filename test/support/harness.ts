import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/log';
import { startBot, type DispatchOptions, type RunningBot } from '../../src/bot/process';
import type { Clock } from '../../src/domain/ports';
import type { EdgeOptions } from '../../src/http/server';
import type { Store } from '../../src/store/store';
import { cosmosStoreFor, TEST_STORE_KIND } from './cosmos';
import { FakeConnector } from './fake-connector';
import { OFFICIER, TENANT, VEILIG_THUIS, type Env } from './activities';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Harness extends Env {
  bot: RunningBot;
  connector: FakeConnector;
  clock: TestClock;
  config: Config;
  store: Store;
  logs: any[];
  sqlitePath: string;
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const parsed = parseConfig({
    VERDIEP_ENV: 'local',
    PORT: '0',
    LOG_LEVEL: 'info',
    ALLOWED_TENANT_IDS: TENANT,
    SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'verdiep-')), 'verdiep.db'),
    // The flows run on a Saturday; office-hour deadlines have their own tests (test/domain/werktijden.test.ts).
    WERKTIJDEN: 'ma-zo 00:00-23:59',
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.config;
}

/**
 * Starts the real bot (HTTP edge, teams-ai, SQLite) on an ephemeral port, talking to a fake connector.
 * With VERDIEP_TEST_STORE=cosmos the bot gets a Cosmos store on an in-process stand-in instead.
 */
export async function startHarness(
  options: { config?: Record<string, string>; now?: string; store?: Store; connector?: FakeConnector; /** Default: built but not polling (drive it with bot.dispatcher.tick()). */ dispatch?: DispatchOptions; edge?: Partial<EdgeOptions> } = {},
): Promise<Harness> {
  const connector = options.connector ?? (await new FakeConnector().start());
  // The team's roster as Teams answers member look-ups (404 for anyone else); tests add partners.
  if (connector.members.length === 0) connector.members = [OFFICIER, VEILIG_THUIS].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
  const config = testConfig(options.config);
  const clock = new TestClock(new Date(options.now ?? '2026-11-28T10:00:00Z'));
  const logs: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  let n = 0;
  const store = options.store ?? (TEST_STORE_KIND === 'cosmos' ? await cosmosStoreFor(config.store.sqlitePath) : undefined);
  const bot = await startBot(config, createLogger('info', sink), { clock, ids: { next: () => `zaak-${++n}` }, ...(store ? { store } : {}), dispatch: options.dispatch ?? { mode: 'manual' }, ...(options.edge ? { edge: options.edge } : {}) });
  const url = `http://127.0.0.1:${bot.port}/api/messages`;
  return {
    bot,
    connector,
    clock,
    config,
    store: bot.store,
    logs,
    sqlitePath: config.store.sqlitePath,
    serviceUrl: connector.url,
    async post(activity, headers = {}) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      const text = await res.text();
      // The thread views follow a change through the outbox: wait until this process's dispatcher has done them.
      await bot.dispatcher?.rustig();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await bot.stop();
      if (!options.connector) await connector.stop();
    },
  };
}
