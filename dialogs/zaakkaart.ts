import { z } from 'zod';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { legInzageVast } from '../src/bot/inzage';
import { actie, rollenOpZaak } from '../src/bot/toegang';
import { zaakweergave } from '../src/bot/views';
import { magZien } from '../src/domain/toegang';
import { Verb } from '../src/verbs';
import { zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Deze kaart kon niet worden gelezen. Vraag de zaak opnieuw op met "@Verdiep zaak [zaaknummer]".';
const payload = z.object({ caseId: z.string().min(1).max(200), kaart: z.enum(['zaakkaart', 'verdiepingskaart']) });

/**
 * "Bekijken" and the automatic refresh of the case card and the verdiepingskaart: each asker gets
 * their own view, decided anew on every call — content for the people on the case, the status and
 * a way to ask for access for any other team member.
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.zaakBekijken, async (context, data) => {
    const parsed = payload.safeParse(data ?? {});
    if (!parsed.success) {
      deps.log.warn({ activityId: context.activity.id }, 'unreadable case view payload');
      return UNREADABLE;
    }
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    const inhoud = magZien('inhoud', rollenOpZaak(context, found.zaak));
    if (inhoud) await legInzageVast(context, deps, [found.zaak], parsed.data.kaart);
    deps.log.info({ teamId: found.zaak.teamId, caseId: found.zaak.id, kaart: parsed.data.kaart, inhoud }, 'case view shown');
    return zaakweergave(found.zaak, parsed.data.kaart, deps.config.timeZone, inhoud ? 'betrokken' : 'beperkt');
  });
}
