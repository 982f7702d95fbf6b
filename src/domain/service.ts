import type { Store } from '../store/store';
import { ConcurrencyError } from '../store/store';
import type { PlanningPolicy } from './jobs';
import type { Markering } from './markering';
import { plannedJobs } from './planning';
import type { Clock, IdSource } from './ports';
import { record, type Actor, type NewZaakEvent, type Verdiepingszaak } from './zaak';

const MAX_ATTEMPTS = 20;

/** Application service for cases: every change goes through here as events, with optimistic retry. */
export class ZaakService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly policy: PlanningPolicy,
  ) {}

  /** Flags a new verdiepingszaak. Throws DuplicateReferenceError when the reference is taken. */
  async flag(teamId: string, markering: Markering, actor: Actor): Promise<Verdiepingszaak> {
    const caseId = this.ids.next();
    const { zaak, events } = record(undefined, { teamId, caseId }, actor, this.clock.now(), [{ type: 'zaak.gemarkeerd', data: markering }]);
    await this.store.createCase(zaak, events, plannedJobs(zaak, events, this.policy));
    return zaak;
  }

  /**
   * Read-modify-write of one case: `decide` sees the current case and returns the events to add
   * (it may throw a DomainError). Retries from a fresh read when another writer won the race.
   */
  async change(teamId: string, caseId: string, actor: Actor, decide: (zaak: Verdiepingszaak) => NewZaakEvent[]): Promise<Verdiepingszaak> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.getCase(teamId, caseId);
      if (!current) throw new Error(`case ${caseId} not found in team ${teamId}`);
      const changes = decide(current);
      if (changes.length === 0) return current;
      const { zaak, events } = record(current, { teamId, caseId }, actor, this.clock.now(), changes);
      try {
        await this.store.appendEvents(zaak, current.version, events, plannedJobs(zaak, events, this.policy));
        return zaak;
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }
}
