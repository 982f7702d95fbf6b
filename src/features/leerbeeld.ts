import { CardFactory } from 'botbuilder';
import { leerbeeldCard } from '../../cards/leerbeeld';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { teamScope } from '../bot/teams';
import { leerbeeld, leesPeriode } from '../domain/leerbeeld';

const ONLY_IN_TEAM = 'Deze opdracht werkt in het kanaal van je ZSM-team: daar staan de verdiepingszaken.';

/** `leerbeeld [periode]`: the team's learning picture from its anonymised learning records. */
export function register(app: App, deps: Deps): void {
  app.message(/^\s*leerbeeld(\s+.*)?$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const rest = (context.activity.text ?? '').trim().replace(/^leerbeeld/i, '');
    const periode = leesPeriode(rest, deps.clock.now(), deps.config.timeZone);
    if ('fout' in periode) {
      deps.log.info({ teamId: scope.teamId }, 'leerbeeld refused: period');
      return void (await context.sendActivity(periode.fout));
    }
    const beeld = leerbeeld(await deps.store.listLeerregels(scope.teamId, { vanaf: periode.vanaf }), periode);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(leerbeeldCard(beeld, scope.teamName ?? 'dit team'))] });
    deps.log.info({ teamId: scope.teamId, vanaf: periode.vanaf, tot: periode.tot, zaken: beeld.aantalZaken }, 'leerbeeld shown');
  });
}
