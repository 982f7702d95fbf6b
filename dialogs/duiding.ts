import { actie, rollenOpZaak } from '../src/bot/toegang';
import { eigenIds } from '../src/bot/leden';
import type { TurnContext } from 'botbuilder';
import { duidingFormCard, type DuidingFormOpties } from '../cards/duiding-form';
import { duidingSamenvattingCard } from '../cards/duiding-samenvatting';
import { duidingWaarschuwingCard } from '../cards/duiding-waarschuwing';
import type { AdaptiveCard } from '../cards/render';
import type { App } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { legInzageVast } from '../src/bot/inzage';
import { actorOf } from '../src/bot/teams';
import { zaakMeldingCard } from '../cards/zaak-melding';
import { formatMoment } from '../cards/format';
import { plainText } from '../cards/text';
import { duidingDicht, duidingVoorstel, overgeslagenStappen, partnerDuidingen, type Kijker, overslaanWaarschuwing, readDuiding, recordDuiding, STAPPEN_VOOR_DUIDING, stappenTekst, validateDuiding } from '../src/domain/duiding';
import { lijktOp } from '../src/domain/lijkt-op';
import { basisVan, DomainError, VerouderdeInvoer, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { caseIdOf, inZaakgesprek, zaakVanActie } from './zaakbeurt';

const UNREADABLE = 'Het formulier kon niet worden gelezen. Open het opnieuw met "Duiding vastleggen" op de zaakkaart.';

/**
 * The duiding (joint interpretation): "Duiding vastleggen" on the case card opens the form in place
 * for the acting user only (after a confirmation when principle steps 2 and 3 were skipped); once
 * recorded, the actor sees the summary and the thread gets a status notice.
 */
export function register(app: App, deps: Deps): void {
  actie(app, Verb.duidingOpenen, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, caseId);
    if (!found.ok) return found.notice;
    const { zaak } = found;
    const dicht = duidingDicht(zaak);
    if (dicht) return dicht;
    const overgeslagen = zaak.duidingen.length === 0 ? overgeslagenStappen(zaak) : [];
    if (overgeslagen.length > 0) {
      deps.log.info({ teamId: zaak.teamId, caseId: zaak.id, steps: overgeslagen }, 'duiding asked for confirmation: principle steps not looked at');
      return waarschuwing(zaak, overgeslagen, false);
    }
    await legInzageVast(context, deps, [zaak], 'duiding');
    return duidingFormCard(zaak, duidingVoorstel(zaak), {}, await naastHetFormulier(context, deps, zaak));
  });

  actie(app, Verb.duidingDoorgaan, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, caseId);
    if (!found.ok) return found.notice;
    const dicht = duidingDicht(found.zaak);
    if (dicht) return dicht;
    deps.log.info({ teamId: found.zaak.teamId, caseId, steps: overgeslagenStappen(found.zaak) }, 'duiding started without principle steps 2 and 3');
    await legInzageVast(context, deps, [found.zaak], 'duiding');
    return duidingFormCard(found.zaak, duidingVoorstel(found.zaak), {}, await naastHetFormulier(context, deps, found.zaak));
  });

  actie(app, Verb.duidingTerug, async (context, data) => {
    const caseId = caseIdOf(data);
    if (!caseId) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, caseId);
    if (!found.ok) return found.notice;
    const stappen = overgeslagenStappen(found.zaak);
    return waarschuwing(found.zaak, stappen.length > 0 ? stappen : [...STAPPEN_VOOR_DUIDING], true);
  });

  actie(app, Verb.duidingVastleggen, async (context, data) => {
    const read = readDuiding(data);
    if (!read) return unreadable(context, deps);
    const found = await zaakVanActie(context, deps, read.caseId);
    if (!found.ok) return found.notice;
    const result = validateDuiding(read.invoer, found.zaak);
    if (!result.ok) {
      deps.log.info({ teamId: found.zaak.teamId, caseId: found.zaak.id, fields: Object.keys(result.errors) }, 'duiding refused');
      return duidingFormCard(found.zaak, read.invoer, result.errors, { basisVersie: read.basisVersie, ...(await naastHetFormulier(context, deps, found.zaak)) });
    }
    let zaak: Verdiepingszaak;
    try {
      const basis = basisVan(read.basisVersie, deps.config.timeZone, deps.clock.now());
      zaak = await deps.zaken.change(found.scope.teamId, found.zaak.id, actorOf(context.activity), (z) => recordDuiding(z, result.value, basis), {
        gelezen: found.zaak,
        melding: (z) => {
          const { versie, door, op } = z.duidingen.at(-1)!;
          return inZaakgesprek(context, z, zaakMeldingCard(z, 'Duiding vastgelegd', [`Versie ${versie} door ${plainText(door.name)}, ${formatMoment(op, deps.config.timeZone)}.`]));
        },
      });
    } catch (err) {
      if (err instanceof VerouderdeInvoer) {
        deps.log.info({ teamId: found.zaak.teamId, caseId: found.zaak.id, basisVersie: read.basisVersie, versie: err.versie }, 'duiding refused: stale form');
        const current = (await deps.store.getCase(found.zaak.teamId, found.zaak.id)) ?? found.zaak;
        return duidingFormCard(current, read.invoer, {}, { basisVersie: err.versie, melding: err.userMessage, ...(await naastHetFormulier(context, deps, current)) });
      }
      if (err instanceof DomainError) return err.userMessage;
      throw err;
    }
    const duiding = zaak.duidingen.at(-1)!;
    deps.log.info({ teamId: zaak.teamId, caseId: zaak.id, versie: duiding.versie }, 'duiding recorded');
    return duidingSamenvattingCard(zaak, duiding, deps.config.timeZone);
  });
}

/**
 * The team's earlier cases most like this one, from their learning records. Only called after
 * zaakVanActie let the user see this case's content; the lines go back in the invoke answer only.
 */
async function vergelijkbaar(deps: Deps, zaak: Verdiepingszaak): Promise<DuidingFormOpties> {
  const eerder = lijktOp(zaak, await deps.store.listLeerregels(zaak.teamId));
  deps.log.info({ teamId: zaak.teamId, caseId: zaak.id, lijktOp: eerder.length }, 'duiding form: earlier cases compared');
  return { lijktOp: eerder };
}

/** What the form shows beside the inputs: earlier cases, and the partners' own interpretations as far as this user may read them. */
async function naastHetFormulier(context: TurnContext, deps: Deps, zaak: Verdiepingszaak): Promise<DuidingFormOpties> {
  return { ...(await vergelijkbaar(deps, zaak)), partners: partnerDuidingen(zaak, kijkerVan(context, zaak)) };
}

function kijkerVan(context: TurnContext, zaak: Verdiepingszaak): Kijker {
  return { ids: eigenIds(context), rollen: rollenOpZaak(context, zaak) };
}

function waarschuwing(zaak: Verdiepingszaak, stappen: number[], terug: boolean): AdaptiveCard {
  return duidingWaarschuwingCard({ caseId: zaak.id, reference: zaak.reference, tekst: overslaanWaarschuwing(stappen), stappen: stappenTekst(stappen).toLowerCase(), terug });
}

function unreadable(context: TurnContext, deps: Deps): string {
  deps.log.warn({ activityId: context.activity.id }, 'unreadable duiding payload');
  return UNREADABLE;
}
