import type { TurnContext } from 'botbuilder';
import { INZAGE_IN_LIJST, inzageCard } from '../../cards/inzage';
import { alsPersoonlijk } from '../../cards/persoonlijk';
import type { AdaptiveCard } from '../../cards/render';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { legInzageVast } from '../bot/inzage';
import { stuurPersoonlijk } from '../bot/persoonlijk';
import { teamScope, type TeamScope } from '../bot/teams';
import { toegangTotZaak } from '../bot/toegang';
import { normaliseReference } from '../domain/markering';
import { Opdracht } from '../verbs';
import { zaakVanOpdracht } from './ketenkaart';

const ONLY_IN_TEAM = 'De inzage is alleen te zien in het kanaal van je ZSM-team: noem daar @Verdiep met "inzage [zaaknummer]".';

/** Who saw what of the case and when (newest 50), for the casusregisseur and officieren only, as the asker's own view. */
export async function inzageInhoud(context: TurnContext, deps: Deps, scope: TeamScope, reference: string): Promise<AdaptiveCard | string> {
  const zaak = await zaakVanOpdracht(deps, scope, reference, 'inzage');
  if (typeof zaak === 'string') return zaak;
  const nee = toegangTotZaak(context, deps, zaak, Opdracht.inzage);
  if (nee) return nee;
  await legInzageVast(context, deps, [zaak], 'inzage');
  const inzage = await deps.store.listInzage(scope.teamId, zaak.id, INZAGE_IN_LIJST);
  deps.log.info({ teamId: scope.teamId, caseId: zaak.id, regels: inzage.length }, 'inzage shown');
  return alsPersoonlijk(inzageCard(zaak, inzage, deps.config.timeZone), context.activity.from?.id ?? '', { soort: 'inzage', reference: zaak.reference });
}

/** `inzage [zaaknummer]`: a status card in the channel; the list itself is the asker's own view. */
export function register(app: App, deps: Deps): void {
  app.message(/^\s*inzage(\s+.*)?$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const zaak = await zaakVanOpdracht(deps, scope, normaliseReference((context.activity.text ?? '').replace(/^\s*inzage/i, '')), 'inzage');
    if (typeof zaak === 'string') return void (await context.sendActivity(zaak));
    const nee = toegangTotZaak(context, deps, zaak, Opdracht.inzage);
    if (nee) return void (await context.sendActivity(nee));
    await stuurPersoonlijk(context, `Inzage zaak ${zaak.reference}`, { soort: 'inzage', reference: zaak.reference });
  });
}
