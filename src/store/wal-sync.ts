/**
 * Makes commits durable off the main thread: each waiter resolves once a disk sync that started
 * after its commit has finished. Commits that land while a sync runs share the next one (group
 * commit), so eight saves at once cost two syncs, not eight, and none blocks the event loop.
 */
export class WalSync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly sync: () => Promise<void>) {}

  /** Resolves when everything committed before this call is on disk; rejects when the sync fails. */
  flushed(): Promise<void> {
    if (!this.running) return this.start();
    // The running sync may have begun before this commit: only the one after it covers it.
    this.next ??= this.running.then(
      () => this.startNext(),
      () => this.startNext(),
    );
    return this.next;
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
    const sync = this.sync().finally(() => {
      if (this.running === sync) this.running = undefined;
    });
    this.running = sync;
    return sync;
  }
}
