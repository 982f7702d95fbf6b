import { bewaarVanaf } from '../domain/leerregel';
import type { Clock } from '../domain/ports';
import type { Logger } from '../log';
import type { Store } from './store';

const DAY_MS = 86_400_000;
/** How often each instance purges; every instance may run it, deletes are idempotent. */
export const RETENTION_INTERVAL_MS = 6 * 3_600_000;
const FIRST_RUN_MS = 60_000;

export interface Retention {
  /** Purges now; resolves with the number of cases purged (0 when it failed; it logs why). Learning records past their own term go too. */
  run(): Promise<number>;
  stop(): void;
}

/** How long learning records are kept: `dagen` counted from the end of their month, in `timeZone`. */
export interface LeerregelTermijn {
  dagen: number;
  timeZone: string;
}

/**
 * Retention of closed cases, enforced by the app (not by Cosmos TTL): every few hours, cases
 * closed more than `days` ago go, with their events and jobs; the dispatcher then replaces the
 * messages the bot posted for them in Teams (a wissing job per case). Learning records outlive
 * their case and go after their own term. Logs ids and counts only. `naWissen` runs after a pass
 * that purged cases (the process forgets the cards it expanded).
 */
export function startRetention(store: Store, clock: Clock, days: number, log: Logger, options: { timers?: boolean; leerregels?: LeerregelTermijn; naWissen?: () => void } = {}): Retention {
  let running: Promise<number> | undefined;
  const run = () => {
    running ??= (async () => {
      const now = clock.now();
      const closedBefore = new Date(now.getTime() - days * DAY_MS).toISOString();
      if (options.leerregels) await purgeLeerregels(store, now, options.leerregels, log);
      try {
        const purged = await store.purgeClosedCases(closedBefore, now.toISOString());
        if (purged > 0) {
          log.info({ purged, closedBefore, bewaartermijnDagen: days }, 'retention: closed cases purged');
          options.naWissen?.();
        }
        return purged;
      } catch (err) {
        log.warn({ err: (err as Error).message, closedBefore }, 'retention: purge failed, next run tries again');
        return 0;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  if (options.timers === false) return { run, stop() {} };
  const first = setTimeout(() => void run(), FIRST_RUN_MS).unref();
  const every = setInterval(() => void run(), RETENTION_INTERVAL_MS).unref();
  return {
    run,
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}

async function purgeLeerregels(store: Store, now: Date, termijn: LeerregelTermijn, log: Logger): Promise<void> {
  const voor = bewaarVanaf(now, termijn.dagen, termijn.timeZone);
  try {
    const purged = await store.purgeLeerregels(voor);
    if (purged > 0) log.info({ purged, voor, leerregelBewaartermijnDagen: termijn.dagen }, 'retention: learning records purged');
  } catch (err) {
    log.warn({ err: (err as Error).message, voor }, 'retention: learning record purge failed, next run tries again');
  }
}
