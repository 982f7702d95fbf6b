import { besluitPlanning } from './besluit';
import type { PlanningPolicy, PlanningRule, ScheduledJob } from './jobs';
import { uitvraagPlanning } from './uitvraag';
import type { Verdiepingszaak, ZaakEvent } from './zaak';

/** Every feature's scheduling rule, in one list. */
const RULES: readonly PlanningRule[] = [besluitPlanning, uitvraagPlanning];

/** The jobs that a change (the case after it, and its new events) schedules. */
export function plannedJobs(zaak: Verdiepingszaak, events: ZaakEvent[], policy: PlanningPolicy): ScheduledJob[] {
  return events.flatMap((event) => RULES.flatMap((rule) => rule(zaak, event, policy)));
}
