import { fdatasync } from 'node:fs';
import { promisify } from 'node:util';

/** Syncs a file's data (given its descriptor) on the thread pool. */
export const datasync = promisify(fdatasync);

/** The two ways to sync the WAL file: on the thread pool, or in-line, blocking the event loop. */
export interface WalSyncs {
  onPool: () => Promise<void>;
  inline: () => void;
}

/** In-line syncs measured to judge the disk: the last this many (a rare slow one moves their mean little). */
const WINDOW = 32;
/** Blocking the event loop this long per commit, on average, costs other turns more than the thread pool's round trip. */
const INLINE_BELOW_MS = 0.5;
/** On the thread pool, one commit a second at most syncs in-line to see whether the disk is fast again. */
const PROBE_EVERY_MS = 1000;

/**
 * Makes commits durable: each commit resolves only once a disk sync that started after it has
 * finished. While the disk syncs fast (the last WINDOW in-line syncs blocked the event loop under
 * INLINE_BELOW_MS per commit on average), the sync runs in-line at the end of the event loop's
 * turn (`setImmediate`), one for the commits made in that turn, without a round trip through the
 * thread pool (with 8 saves at a time the two ways measured alike: see the README). On a slower disk syncs run on the
 * thread pool, shared by the commits that land meanwhile (group commit), so none blocks the event
 * loop; then one commit a second at most syncs in-line to measure the disk again.
 */
export class WalSync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** The in-line sync at the end of this event-loop turn, and how many commits it covers. */
  private gedeeld: { klaar: Promise<void>; commits: number } | undefined;
  /** The last in-line syncs: how long each blocked the event loop (ms), and for how many commits. */
  private readonly gemeten: { ms: number; commits: number }[] = [];
  /** When the last in-line sync was planned. */
  private laatste = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly syncs: WalSyncs,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves when everything committed before this call is on disk; rejects when the sync fails. */
  flushed(): Promise<void> {
    if (this.gedeeld) {
      this.gedeeld.commits++;
      return this.gedeeld.klaar;
    }
    const now = this.now();
    if (this.inlineBeurt(now)) {
      this.laatste = now;
      return this.inline();
    }
    if (!this.running) return this.start();
    // The running sync may have begun before this commit: only the one after it covers it.
    this.next ??= this.running.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  /** How this commit syncs: in-line while that is cheap per commit (or not yet measured), and as a probe now and then. */
  private inlineBeurt(now: number): boolean {
    const ms = this.gemeten.reduce((som, m) => som + m.ms, 0);
    const commits = this.gemeten.reduce((som, m) => som + m.commits, 0);
    return ms < INLINE_BELOW_MS * Math.max(1, commits) || now - this.laatste >= PROBE_EVERY_MS;
  }

  /** One in-line sync once this event-loop turn's callbacks have run, for the commits made until then. */
  private inline(): Promise<void> {
    const klaar = new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        // Until now every commit joined this sync; from here on they plan the next one.
        const { commits } = this.gedeeld!;
        this.gedeeld = undefined;
        const start = this.now();
        try {
          this.syncs.inline();
        } catch (err) {
          reject(err);
          return;
        }
        this.gemeten.push({ ms: this.now() - start, commits });
        if (this.gemeten.length > WINDOW) this.gemeten.shift();
        resolve();
      }),
    );
    this.gedeeld = { klaar, commits: 1 };
    return klaar;
  }

  /** Resolves when no sync is running or waiting (before the file is closed). */
  async idle(): Promise<void> {
    while (this.running || this.next || this.gedeeld) await Promise.allSettled([this.running, this.next, this.gedeeld?.klaar]);
  }

  private startNext(): Promise<void> {
    this.next = undefined;
    // A sync begun since the last one ended also started after these commits.
    return this.running ?? this.start();
  }

  private start(): Promise<void> {
    const sync = this.syncs.onPool().finally(() => {
      if (this.running === sync) this.running = undefined;
    });
    this.running = sync;
    return sync;
  }
}
