import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import { beperktCard } from '../../cards/beperkt';
import { ketenkaartCards } from '../../cards/ketenkaart';
import { alsPersoonlijk } from '../../cards/persoonlijk';
import type { AdaptiveCard } from '../../cards/render';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { legInzageVast } from '../bot/inzage';
import { stuurPersoonlijk } from '../bot/persoonlijk';
import { teamScope, type TeamScope } from '../bot/teams';
import { rollenOpZaak, toegangTotZaak } from '../bot/toegang';
import { eigenIds } from '../bot/leden';
import { magReactieZien } from '../domain/uitvraag';
import { isValidReference, normaliseReference, REFERENCE_HINT } from '../domain/markering';
import type { Verdiepingszaak } from '../domain/zaak';
import { Opdracht, Verb } from '../verbs';

const ONLY_IN_TEAM = 'De ketenkaart is alleen te zien in het kanaal van je ZSM-team: noem daar @Verdiep met "ketenkaart [zaaknummer]".';

/** The case a typed command names, in the team; a Dutch notice when the reference is missing, invalid or unknown. */
export async function zaakVanOpdracht(deps: Deps, scope: TeamScope, reference: string, opdracht: string): Promise<Verdiepingszaak | string> {
  if (!reference) return `Noem het zaaknummer, bijvoorbeeld: ${opdracht} 13/123456-24`;
  if (!isValidReference(reference)) {
    deps.log.info({ teamId: scope.teamId, opdracht }, 'invalid case reference');
    return `Dat is geen geldig zaaknummer. ${REFERENCE_HINT}`;
  }
  const zaak = await deps.store.findCaseByReference(scope.teamId, reference);
  return zaak ?? `Er is geen verdiepingszaak met zaaknummer ${reference} in dit team.`;
}

/**
 * The ketenkaart for this turn's actor, re-checked against the policy: part `deel` of the cards
 * (with Vorige / Volgende deel), as their own view; a teamlid without access gets the restricted
 * status card with "Toegang vragen". The inzage is recorded before the content is returned.
 */
export async function ketenkaartInhoud(context: TurnContext, deps: Deps, scope: TeamScope, reference: string, deel = 1): Promise<AdaptiveCard | string> {
  const zaak = await zaakVanOpdracht(deps, scope, reference, 'ketenkaart');
  if (typeof zaak === 'string') return zaak;
  if (toegangTotZaak(context, deps, zaak, Opdracht.ketenkaart)) return beperktCard({ caseId: zaak.id, reference: zaak.reference, lead: zaak.lead.name });
  const [events, jobs] = await Promise.all([deps.store.listEvents(scope.teamId, zaak.id), deps.store.listJobs(scope.teamId, { caseId: zaak.id })]);
  const rollen = rollenOpZaak(context, zaak);
  const cards = ketenkaartCards(zaak, events, jobs, deps.config.timeZone, deps.clock.now(), (u) => magReactieZien(u, eigenIds(context), rollen));
  const n = Math.min(Math.max(deel, 1), cards.length);
  const naar = (d: number, title: string) => ({ type: 'Action.Execute', title, verb: Verb.persoonlijkBekijken, data: { soort: 'ketenkaart', reference: zaak.reference, deel: d } });
  const actions = [...(n > 1 ? [naar(n - 1, 'Vorige deel')] : []), ...(n < cards.length ? [naar(n + 1, 'Volgende deel')] : [])];
  await legInzageVast(context, deps, [zaak], 'ketenkaart');
  deps.log.info({ teamId: scope.teamId, caseId: zaak.id, deel: n, delen: cards.length }, 'ketenkaart shown');
  return alsPersoonlijk({ ...cards[n - 1]!, actions }, context.activity.from?.id ?? '', { soort: 'ketenkaart', reference: zaak.reference, deel: n });
}

/** `ketenkaart [zaaknummer]`: the whole case record, as a personal view for those the policy allows. */
export function register(app: App, deps: Deps): void {
  app.message(/^\s*ketenkaart(\s+.*)?$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const reference = normaliseReference((context.activity.text ?? '').replace(/^\s*ketenkaart/i, ''));
    const zaak = await zaakVanOpdracht(deps, scope, reference, 'ketenkaart');
    if (typeof zaak === 'string') return void (await context.sendActivity(zaak));
    if (toegangTotZaak(context, deps, zaak, Opdracht.ketenkaart)) {
      return void (await context.sendActivity({ attachments: [CardFactory.adaptiveCard(beperktCard({ caseId: zaak.id, reference: zaak.reference, lead: zaak.lead.name }))] }));
    }
    await stuurPersoonlijk(context, `Ketenkaart ${zaak.reference}`, { soort: 'ketenkaart', reference: zaak.reference });
  });
}
