import { Application, type TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, ConfigurationServiceClientCredentialFactory, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { register as registerAfsluiting } from '../../dialogs/afsluiting';
import { register as registerBesluit } from '../../dialogs/besluit';
import { register as registerCasusregie } from '../../dialogs/casusregie';
import { register as registerDuiding } from '../../dialogs/duiding';
import { register as registerFlag } from '../../dialogs/flag';
import { register as registerOpvolging } from '../../dialogs/opvolging';
import { register as registerPrincipes } from '../../dialogs/principes';
import { register as registerUitvraag } from '../../dialogs/uitvraag';
import { register as registerZaakkaart } from '../../dialogs/zaakkaart';
import { register as registerCases } from '../features/cases';
import { register as registerDigest } from '../features/digest';
import { register as registerInzage } from '../features/inzage';
import { register as registerKetenkaart } from '../features/ketenkaart';
import { register as registerLeerbeeld } from '../features/leerbeeld';
import { register as registerPersoonlijk } from '../features/persoonlijk';
import { register as registerToegang } from '../features/toegang';
import { register as registerWelcome } from '../features/welcome';
import { VerdiepAdapter } from './adapter';
import type { Deps } from './deps';
import { tenantOf } from './teams';
import { deelVerbindingen } from './verbindingen';
import { replyWithNotice } from './reply';
import { toegangspoort } from './toegang';

export type App = Application<TurnState>;

export function createAdapter(deps: Pick<Deps, 'config'>): VerdiepAdapter {
  return deelVerbindingen(new VerdiepAdapter({}, new ConfigurationServiceClientCredentialFactory(deps.config.auth)));
}

/** The Teams application: guards first, then one registrar per feature (order matters: fallback last). */
export function createApp(adapter: TeamsAdapter, deps: Deps): App {
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.config.botId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  app.turn('beforeTurn', async (context) => (await allowTenant(context, deps)) && (await toegangspoort(context, deps)));
  app.error(async (context, err) => reportTurnError(context, err, deps));

  registerWelcome(app, deps);
  registerFlag(app, deps);
  registerZaakkaart(app, deps);
  registerPrincipes(app, deps);
  registerUitvraag(app, deps);
  registerCasusregie(app, deps);
  registerDuiding(app, deps);
  registerBesluit(app, deps);
  registerAfsluiting(app, deps);
  registerKetenkaart(app, deps);
  registerInzage(app, deps);
  registerPersoonlijk(app, deps);
  registerToegang(app, deps);
  registerOpvolging(app, deps);
  registerDigest(app, deps);
  registerLeerbeeld(app, deps);
  registerCases(app, deps);
  return app;
}

async function allowTenant(context: TurnContext, deps: Deps): Promise<boolean> {
  const tenantId = tenantOf(context.activity);
  if (tenantId && deps.config.allowedTenantIds.includes(tenantId)) return true;
  deps.log.warn({ tenantId: tenantId ?? null, activityType: context.activity.type, name: context.activity.name }, 'refused activity from a tenant that is not served');
  if (context.activity.type === ActivityTypes.Message || context.activity.type === ActivityTypes.Invoke) {
    await replyWithNotice(context, 'Verdiep is niet beschikbaar voor jouw organisatie. Neem contact op met de beheerder van Verdiep als je denkt dat dit niet klopt.');
  }
  return false;
}

async function reportTurnError(context: TurnContext, err: Error, deps: Deps): Promise<void> {
  const correlationId = randomUUID().slice(0, 8);
  deps.log.error({ correlationId, err: { name: err.name, message: err.message, stack: err.stack }, activityType: context.activity.type, name: context.activity.name, activityId: context.activity.id }, 'turn failed');
  try {
    await replyWithNotice(context, `Sorry, er ging iets mis. Probeer het opnieuw. Blijft het misgaan, geef dan deze referentie door aan de beheerder: ${correlationId}.`);
  } catch (sendErr) {
    deps.log.error({ correlationId, err: (sendErr as Error).message }, 'could not send the apology');
  }
}
