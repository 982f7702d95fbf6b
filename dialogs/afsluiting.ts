import { actie } from '../src/bot/toegang';
import type { TurnContext } from 'botbuilder';
import { afsluitingFormCard, afsluitingSamenvattingCard, heropenenFormCard } from '../cards/afsluiting-form';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { eigenIds } from '../src/bot/leden';
import { actorOf } from '../src/bot/teams';
import { afsluitingPayload, heropeningPayload, recordHeropening, recordSluiting, redenFout, validateAfsluiting } from '../src/domain/afsluiting';
import { magBeslissen, weigering } from '../src/domain/besluit';
import { basisVan, DomainError, VerouderdeInvoer, type NewZaakEvent, type Verdiepingszaak } from '../src/domain/zaak';
import type { AdaptiveCard } from '../cards/render';
import { Verb } from '../src/verbs';
import { caseIdOf, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Het formulier kon niet worden gelezen. Open het opnieuw vanaf de zaakkaart.';
const AL_GESLOTEN = 'Deze zaak is al gesloten.';
const NIET_GESLOTEN = 'Deze zaak is niet gesloten.';

/**
 * Closing a case with its leeropbrengst and outcome (the case lead or an officier), and reopening
 * a closed case with a reason (the same people). Both forms open for the acting user only, in place.
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.afsluitingOpenen, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, caseId);
    if (!found.ok) return found.notice;
    if (found.zaak.fase === 'gesloten') return AL_GESLOTEN;
    if (!magSluiten(context, deps, found.zaak)) return weigering(found.zaak, 'de zaak sluiten');
    return afsluitingFormCard(found.zaak, { stopreden: '', leeropbrengst: '', vergelijking: '', uitkomst: '' }, {});
  });

  actie(app, Verb.afsluitingVastleggen, async (context, data) => {
    const parsed = afsluitingPayload.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    if (found.zaak.fase === 'gesloten') return AL_GESLOTEN;
    if (!magSluiten(context, deps, found.zaak)) return weigering(found.zaak, 'de zaak sluiten');
    const invoer = { stopreden: parsed.data.stopreden, leeropbrengst: parsed.data.leeropbrengst, vergelijking: parsed.data.vergelijking, uitkomst: parsed.data.uitkomst };
    const result = validateAfsluiting(invoer);
    if (!result.ok) {
      deps.log.info({ teamId: found.zaak.teamId, caseId: found.zaak.id, fields: Object.keys(result.errors) }, 'closing refused');
      return afsluitingFormCard(found.zaak, invoer, result.errors, { basisVersie: parsed.data.basisVersie });
    }
    const basis = basisVan(parsed.data.basisVersie, deps.config.timeZone, deps.clock.now());
    return vastleggen(context, deps, found.zaak, (z) => recordSluiting(z, result.value, basis), 'case closed', (err, current) =>
      afsluitingFormCard(current, invoer, {}, { basisVersie: err.versie, melding: err.userMessage }),
    );
  });

  actie(app, Verb.heropeningOpenen, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, caseId);
    if (!found.ok) return found.notice;
    if (found.zaak.fase !== 'gesloten') return NIET_GESLOTEN;
    return heropenenFormCard(found.zaak, '', '');
  });

  actie(app, Verb.heropeningVastleggen, async (context, data) => {
    const parsed = heropeningPayload.safeParse(data ?? {});
    if (!parsed.success) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, parsed.data.caseId);
    if (!found.ok) return found.notice;
    if (found.zaak.fase !== 'gesloten') return NIET_GESLOTEN;
    const fout = redenFout(parsed.data.reden);
    if (fout) return heropenenFormCard(found.zaak, parsed.data.reden, fout);
    return vastleggen(context, deps, found.zaak, (z) => recordHeropening(z, parsed.data.reden), 'case reopened');
  });
}

function magSluiten(context: TurnContext, deps: Deps, zaak: Verdiepingszaak): boolean {
  if (magBeslissen(zaak, eigenIds(context), deps.config.zsm.officieren)) return true;
  deps.log.warn({ teamId: zaak.teamId, caseId: zaak.id, userId: context.activity.from?.id }, 'closing refused: not the case lead or an officier');
  return false;
}

/** Records the change; a stale form is shown again by `opnieuw` (with the typed values and why). */
async function vastleggen(
  context: TurnContext,
  deps: Deps,
  zaak: Verdiepingszaak,
  decide: (z: Verdiepingszaak) => NewZaakEvent[],
  logMessage: string,
  opnieuw?: (err: VerouderdeInvoer, current: Verdiepingszaak) => AdaptiveCard,
) {
  let after: Verdiepingszaak;
  try {
    after = await deps.zaken.change(zaak.teamId, zaak.id, actorOf(context.activity), decide, { gelezen: zaak });
  } catch (err) {
    if (err instanceof VerouderdeInvoer && opnieuw) {
      deps.log.info({ teamId: zaak.teamId, caseId: zaak.id, versie: err.versie, change: logMessage }, 'change refused: stale form');
      return opnieuw(err, (await deps.store.getCase(zaak.teamId, zaak.id)) ?? zaak);
    }
    if (err instanceof DomainError) return err.userMessage;
    throw err;
  }
  deps.log.info({ teamId: after.teamId, caseId: after.id, fase: after.fase }, logMessage);
  return afsluitingSamenvattingCard(after, deps.config.timeZone);
}

function unreadable(context: TurnContext, deps: Deps): string {
  deps.log.warn({ activityId: context.activity.id }, 'unreadable closing payload');
  return UNREADABLE;
}
