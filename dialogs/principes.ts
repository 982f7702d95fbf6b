import { actie, rollenOpZaak } from '../src/bot/toegang';
import { legInzageVast } from '../src/bot/inzage';
import { magZien } from '../src/domain/toegang';
import type { TurnContext } from 'botbuilder';
import { huidigeInvoer, principeStapCard } from '../cards/principe-stap';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { actorOf } from '../src/bot/teams';
import { GESLOTEN_MESSAGE, StapGewijzigd, principeHistorie, readPrincipeInvoer, readStapVerwijzing, stapFormulier, validatePrincipe, vastleggen } from '../src/domain/principes';
import { DomainError, isOpen, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { caseIdOf, overview, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Deze kaart kon niet worden gelezen. Vraag de zaak opnieuw op met "@Verdiep zaak [zaaknummer]".';

/**
 * The leidende principes walkthrough: the verdiepingskaart in the case thread opens one step's
 * form in place for the acting user (invoke response only); saving records the step (the
 * dispatcher then updates the thread's cards for everyone, through the outbox).
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.principeOpenen, async (context, data) => {
    const ref = readStapVerwijzing(data);
    if (!ref) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, ref.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const historie = principeHistorie(await deps.store.listEvents(zaak.teamId, zaak.id), ref.stap, zaak);
    const eerder = await eerdereZaak(context, deps, zaak, ref.stap);
    await legInzageVast(context, deps, [zaak], `principe:${ref.stap}`);
    if (eerder.eerder) await legInzageVast(context, deps, [eerder.eerder], 'eerdere-zaak');
    return principeStapCard(zaak, ref.stap, huidigeInvoer(zaak, ref.stap), historie, deps.config.timeZone, { ...eerder, ...(isOpen(zaak) ? {} : { melding: GESLOTEN_MESSAGE }) });
  });

  actie(app, Verb.principeOpslaan, async (context, data) => {
    const ref = readStapVerwijzing(data);
    if (!ref) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, ref.caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const invoer = readPrincipeInvoer(data, ref.stap, zaak);
    if (!invoer) return unreadable(context, deps);
    const log = { teamId: zaak.teamId, caseId: zaak.id, stap: ref.stap };
    const form = async (current: Verdiepingszaak, opties: Parameters<typeof principeStapCard>[5]) =>
      principeStapCard(current, ref.stap, invoer, principeHistorie(await deps.store.listEvents(current.teamId, current.id), ref.stap, current), deps.config.timeZone, { ...(await eerdereZaak(context, deps, current, ref.stap)), ...opties });

    if (!isOpen(zaak)) {
      deps.log.info(log, 'principle step refused: case closed');
      return form(zaak, { melding: GESLOTEN_MESSAGE });
    }
    const result = validatePrincipe(zaak, ref.stap, invoer, deps.clock.now(), deps.config.timeZone);
    if (!result.ok) {
      deps.log.info({ ...log, fields: Object.keys(result.errors) }, 'principle step refused');
      return form(zaak, { errors: result.errors, basisVersie: ref.basisVersie });
    }

    let changed = false;
    try {
      const { zaak: saved, antwoord } = await deps.zaken.changeMetAntwoord(
        zaak.teamId,
        zaak.id,
        actorOf(context.activity),
        (current) => {
          const events = vastleggen(current, result.value, ref.basisVersie);
          changed = events.length > 0;
          return events;
        },
        (opgeslagen) => {
          const stand = opgeslagen.principes[ref.stap];
          const tekst = changed && stand ? `Stap ${ref.stap} is opgeslagen (versie ${stand.versie}).` : `Stap ${ref.stap}: er is niets gewijzigd.`;
          return overview(context, opgeslagen, deps, { tekst, soort: 'goed' });
        },
        { gelezen: zaak },
      );
      if (changed) deps.log.info({ ...log, versie: saved.principes[ref.stap]?.versie }, 'principle step recorded');
      return antwoord;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const current = (await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak;
      deps.log.info({ ...log, reason: err.name }, 'principle step refused');
      // On a conflict the form keeps what was typed and is now based on the newest version.
      return form(current, { melding: err.userMessage, ...(err instanceof StapGewijzigd ? { basisVersie: err.stand.versie } : {}) });
    }
  });

  actie(app, Verb.verdiepingskaartTonen, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, caseId);
    if (!found.ok) return found.notice;
    if (magZien('inhoud', rollenOpZaak(context, found.zaak))) await legInzageVast(context, deps, [found.zaak], 'verdiepingskaart');
    return overview(context, found.zaak, deps);
  });
}

/**
 * The step asking why a repeat case repeated (6) shows the earlier case (same team), while that
 * case is kept, to whoever may read that case's content too (being on this one is not enough).
 */
async function eerdereZaak(context: TurnContext, deps: Deps, zaak: Verdiepingszaak, stap: number): Promise<{ eerder?: Verdiepingszaak }> {
  if (!stapFormulier(stap)?.bijHerhaling || !zaak.herhaalVan) return {};
  const eerder = await deps.store.getCase(zaak.teamId, zaak.herhaalVan);
  return eerder && magZien('inhoud', rollenOpZaak(context, eerder)) ? { eerder } : {};
}

function unreadable(context: TurnContext, deps: Deps): string {
  deps.log.warn({ activityId: context.activity.id, verb: (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb }, 'unreadable card payload');
  return UNREADABLE;
}
