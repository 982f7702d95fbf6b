import type { Config } from '../config';
import type { ScheduledJob } from '../domain/jobs';
import type { Clock, IdSource } from '../domain/ports';
import type { ZaakService } from '../domain/service';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import type { Rooster } from './toegang';

/** Everything a feature registrar needs; built once per process in src/index.ts. */
export interface Deps {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  ids: IdSource;
  zaken: ZaakService;
  botName: string;
  /** Team membership, cached briefly (the access policy's first question). */
  rooster: Rooster;
  /** A job was queued by a turn (Teams was busy): have this process's dispatcher run when it is due. */
  wekOver(ms: number): void;
  /** Jobs a turn stored outside a case change to post at once: this process's dispatcher posts them now. */
  bezorgNu(jobs: readonly ScheduledJob[]): void;
}
