import { z } from 'zod';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { teamScope } from '../bot/teams';
import { actie } from '../bot/toegang';
import { normaliseReference } from '../domain/markering';
import { Verb } from '../verbs';
import { mijnActiesInhoud } from './digest';
import { inzageInhoud } from './inzage';
import { ketenkaartInhoud } from './ketenkaart';

const ONLY_IN_TEAM = 'Dit werkt in het kanaal van je ZSM-team.';
const ONGELDIG = 'Deze knop klopt niet (meer). Vraag het opnieuw op met een opdracht aan @Verdiep.';

const Gegevens = z.object({
  soort: z.enum(['ketenkaart', 'mijn-acties', 'inzage']),
  reference: z.string().max(100).optional(),
  deel: z.coerce.number().int().min(1).max(99).optional(),
});

/**
 * `persoonlijk.bekijken` (Bekijken, or a user-specific refresh): re-runs the query for whoever asks,
 * re-checked against the policy; the content goes only into the invoke response to that user.
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.persoonlijkBekijken, async (context, data) => {
    const scope = teamScope(context.activity);
    if (!scope) return ONLY_IN_TEAM;
    const parsed = Gegevens.safeParse(data ?? {});
    if (!parsed.success) {
      deps.log.warn({ teamId: scope.teamId, activityId: context.activity.id }, 'personal view with invalid data');
      return ONGELDIG;
    }
    const { soort, deel } = parsed.data;
    const reference = normaliseReference(parsed.data.reference ?? '');
    if (soort === 'mijn-acties') return mijnActiesInhoud(context, deps, scope);
    if (soort === 'inzage') return inzageInhoud(context, deps, scope, reference);
    return ketenkaartInhoud(context, deps, scope, reference, deel);
  });
}
