import { actie } from '../src/bot/toegang';
import type { TurnContext } from 'botbuilder';
import { huidigeInvoer, principeStapCard } from '../cards/principe-stap';
import type { AdaptiveCard } from '../cards/render';
import type { Melding } from '../cards/verdiepingskaart';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { actorOf, teamScope } from '../src/bot/teams';
import { rollenOpZaak, toegangTotZaak } from '../src/bot/toegang';
import { refreshThreadViews, zaakweergave } from '../src/bot/views';
import { magZien } from '../src/domain/toegang';
import { GESLOTEN_MESSAGE, StapGewijzigd, principeHistorie, readPrincipeInvoer, readStapVerwijzing, validatePrincipe, vastleggen } from '../src/domain/principes';
import { DomainError, isOpen, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { z } from 'zod';

const NOT_IN_CHANNEL = 'De leidende principes werken in het zaakgesprek in het kanaal van je team.';
const UNREADABLE = 'Deze kaart kon niet worden gelezen. Vraag de zaak opnieuw op met "@Verdiep zaak [zaaknummer]".';
const NOT_FOUND = 'Deze zaak bestaat niet (meer) in dit team.';

const caseOnly = z.object({ caseId: z.string().min(1).max(100) });

/** The case a card action is about, read in the team the action comes from (never another team's). */
export async function caseOfAction(context: TurnContext, deps: Deps, caseId: string): Promise<Verdiepingszaak | string> {
  const scope = teamScope(context.activity);
  if (!scope) return NOT_IN_CHANNEL;
  const zaak = await deps.store.getCase(scope.teamId, caseId);
  if (!zaak) {
    deps.log.warn({ teamId: scope.teamId, caseId }, 'card action on an unknown case');
    return NOT_FOUND;
  }
  return toegangTotZaak(context, deps, zaak) ?? zaak;
}

/** The verdiepingskaart for the acting user (content only when they may see it), with an optional notice. */
export function overview(context: TurnContext, zaak: Verdiepingszaak, deps: Deps, melding?: Melding): AdaptiveCard {
  const kijker = magZien('inhoud', rollenOpZaak(context, zaak)) ? 'betrokken' : 'beperkt';
  return zaakweergave(zaak, 'verdiepingskaart', deps.config.timeZone, kijker, melding);
}

/** Updates the thread's cards for everyone; a failure is logged, the change itself is already stored. */
export async function refreshViews(context: TurnContext, deps: Deps, zaak: Verdiepingszaak): Promise<void> {
  try {
    await refreshThreadViews(context, deps, zaak.teamId, zaak.id);
  } catch (err) {
    deps.log.error({ teamId: zaak.teamId, caseId: zaak.id, err: (err as Error).message }, 'could not update the thread cards');
  }
}

/**
 * The leidende principes walkthrough: the verdiepingskaart in the case thread opens one step's
 * form in place for the acting user (invoke response only); saving records the step and updates
 * the verdiepingskaart in place for everyone.
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.principeOpenen, async (context, data) => {
    const ref = readStapVerwijzing(data);
    if (!ref) return unreadable(context, deps);
    const zaak = await caseOfAction(context, deps, ref.caseId);
    if (typeof zaak === 'string') return zaak;
    const historie = principeHistorie(await deps.store.listEvents(zaak.teamId, zaak.id), ref.stap);
    return principeStapCard(zaak, ref.stap, huidigeInvoer(zaak, ref.stap), historie, deps.config.timeZone, isOpen(zaak) ? {} : { melding: GESLOTEN_MESSAGE });
  });

  actie(app, Verb.principeOpslaan, async (context, data) => {
    const ref = readStapVerwijzing(data);
    if (!ref) return unreadable(context, deps);
    const zaak = await caseOfAction(context, deps, ref.caseId);
    if (typeof zaak === 'string') return zaak;
    const invoer = readPrincipeInvoer(data, ref.stap, zaak);
    const log = { teamId: zaak.teamId, caseId: zaak.id, stap: ref.stap };
    const form = async (current: Verdiepingszaak, opties: Parameters<typeof principeStapCard>[5]) =>
      principeStapCard(current, ref.stap, invoer, principeHistorie(await deps.store.listEvents(current.teamId, current.id), ref.stap), deps.config.timeZone, opties);

    if (!isOpen(zaak)) {
      deps.log.info(log, 'principle step refused: case closed');
      return form(zaak, { melding: GESLOTEN_MESSAGE });
    }
    const result = validatePrincipe(zaak, ref.stap, invoer, deps.clock.now(), deps.config.timeZone);
    if (!result.ok) {
      deps.log.info({ ...log, fields: Object.keys(result.errors) }, 'principle step refused');
      return form(zaak, { errors: result.errors, basisVersie: ref.basisVersie });
    }

    let saved: Verdiepingszaak;
    let changed = false;
    try {
      saved = await deps.zaken.change(zaak.teamId, zaak.id, actorOf(context.activity), (current) => {
        const events = vastleggen(current, result.value, ref.basisVersie);
        changed = events.length > 0;
        return events;
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const current = (await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak;
      deps.log.info({ ...log, reason: err.name }, 'principle step refused');
      // On a conflict the form keeps what was typed and is now based on the newest version.
      return form(current, { melding: err.userMessage, ...(err instanceof StapGewijzigd ? { basisVersie: err.stand.versie } : {}) });
    }

    if (changed) {
      deps.log.info({ ...log, versie: saved.principes[ref.stap]?.versie }, 'principle step recorded');
      await refreshViews(context, deps, saved);
    }
    const stand = saved.principes[ref.stap];
    const tekst = changed && stand ? `Stap ${ref.stap} is opgeslagen (versie ${stand.versie}).` : `Stap ${ref.stap}: er is niets gewijzigd.`;
    return overview(context, saved, deps, { tekst, soort: 'goed' });
  });

  actie(app, Verb.verdiepingskaartTonen, async (context, data) => {
    const parsed = caseOnly.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const zaak = await caseOfAction(context, deps, parsed.data.caseId);
    return typeof zaak === 'string' ? zaak : overview(context, zaak, deps);
  });
}

function unreadable(context: TurnContext, deps: Deps): string {
  deps.log.warn({ activityId: context.activity.id, verb: (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb }, 'unreadable card payload');
  return UNREADABLE;
}
