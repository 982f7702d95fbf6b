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
 * Makes commits durable: each commit returns only once a disk sync that started after it has
 * finished. While the disk syncs fast (the last WINDOW in-line syncs under INLINE_BELOW_MS on average),
 * the commit syncs in-line: on a busy event loop, waiting for a thread-pool callback costs a turn
 * more than the sync itself. On a slower disk syncs run on the thread pool, shared by the commits
 * that land meanwhile (group commit), so eight saves at once cost two syncs and none blocks the
 * event loop; then one commit a second at most syncs in-line to measure the disk again.
 */
export class WalSync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** Durations of the last in-line syncs, in ms. */
  private readonly gemeten: number[] = [];
  /** When the last in-line sync started. */
  private laatste = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly syncs: WalSyncs,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Undefined when everything committed before this call is on disk (synced in-line); otherwise a
   * promise that resolves when it is. Throws or rejects when the sync fails.
   */
  flushed(): Promise<void> | undefined {
    const start = this.now();
    if (this.inlineBeurt(start)) {
      this.laatste = start;
      this.syncs.inline();
      this.gemeten.push(this.now() - start);
      if (this.gemeten.length > WINDOW) this.gemeten.shift();
      return undefined;
    }
    if (!this.running) return this.start();
    // The running sync may have begun before this commit: only the one after it covers it.
    this.next ??= this.running.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
  }

  /** How this commit syncs: in-line while the disk is fast (or not yet measured), and as a probe now and then. */
  private inlineBeurt(now: number): boolean {
    return this.gemeten.reduce((a, b) => a + b, 0) < INLINE_BELOW_MS * Math.max(1, this.gemeten.length) || now - this.laatste >= PROBE_EVERY_MS;
  }

  /** Resolves when no sync is running or waiting (before the file is closed). */
  async idle(): Promise<void> {
    while (this.running || this.next) await Promise.allSettled([this.running, this.next]);
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
