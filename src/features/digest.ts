import { CardFactory, type TurnContext } from 'botbuilder';
import { digestCards } from '../../cards/digest';
import { formatMoment } from '../../cards/format';
import { MAX_ACTIES_IN_LIJST, mijnActiesCard, type MijnActie, type MijnVraag } from '../../cards/mijn-acties';
import { alsPersoonlijk } from '../../cards/persoonlijk';
import type { AdaptiveCard } from '../../cards/render';
import type { App } from '../bot/app';
import type { Deps } from '../bot/deps';
import { legInzageVast } from '../bot/inzage';
import { eigenIds } from '../bot/leden';
import { stuurPersoonlijk } from '../bot/persoonlijk';
import { teamScope, threadUrl, type TeamScope } from '../bot/teams';
import { beschrijfSchema, digestJob, leesDigestBron, leesSchema, volgendeTeamDigest, weekDigestUit } from '../domain/digest';
import { eigenWerk, isEigenaar } from '../domain/opvolging';
import { isGenodigde } from '../domain/uitvraag';
import { isOpen, lokaleDag } from '../domain/zaak';
import { ensureTeam } from './welcome';

const ONLY_IN_TEAM = 'Deze opdracht werkt in het kanaal van je ZSM-team: daar staan de verdiepingszaken.';

async function sendCards(context: TurnContext, cards: AdaptiveCard[]): Promise<void> {
  for (const card of cards) await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
}

/**
 * The open actions of this turn's actor across the team's cases, as their own view; the inzage is
 * recorded on each case whose actions it shows before the card is returned.
 */
export async function mijnActiesInhoud(context: TurnContext, deps: Deps, scope: TeamScope): Promise<AdaptiveCard> {
  const ids = eigenIds(context);
  // The index names what waits for the actor; only the cases of the lines shown are read (and checked again).
  const werk = await eigenWerk(deps.store, scope.teamId, ids, MAX_ACTIES_IN_LIJST);
  const caseIds = [...new Set([...werk.acties.punten, ...werk.vragen.punten].map((p) => p.caseId))];
  const zaken = new Map((await Promise.all(caseIds.map((id) => deps.store.getCase(scope.teamId, id)))).flatMap((z) => (z && isOpen(z) ? [[z.id, z] as const] : [])));
  const acties: MijnActie[] = werk.acties.punten.flatMap(({ caseId, sleutel }) => {
    const zaak = zaken.get(caseId);
    const actie = zaak?.besluit?.acties.find((a) => a.id === sleutel);
    return zaak && actie?.status === 'open' && isEigenaar(actie, ids) ? [{ zaak, wat: actie.wat, datum: actie.datum }] : [];
  });
  const vragen: MijnVraag[] = werk.vragen.punten.flatMap(({ caseId, sleutel }) => {
    const zaak = zaken.get(caseId);
    const uitvraag = zaak?.uitvragen.find((u) => u.id === sleutel);
    return zaak && uitvraag?.status === 'open' && isGenodigde(uitvraag, ids) ? [{ zaak, vraag: uitvraag.vraag, deadline: uitvraag.deadline }] : [];
  });
  const gezien = [...zaken.values()].filter((z) => acties.some((a) => a.zaak === z) || vragen.some((v) => v.zaak === z));
  await legInzageVast(context, deps, gezien, 'mijn-acties');
  const naam = context.activity.from?.name ?? 'jou';
  deps.log.info({ teamId: scope.teamId, acties: werk.acties.total, vragen: werk.vragen.total }, 'own actions listed');
  const nu = deps.clock.now();
  const totaal = { acties: werk.acties.total - (werk.acties.punten.length - acties.length), vragen: werk.vragen.total - (werk.vragen.punten.length - vragen.length) };
  const card = mijnActiesCard(naam, acties, lokaleDag(nu, deps.config.timeZone), (t) => threadUrl(t, scope.tenantId, scope.aadGroupId), { lijst: vragen, nu, timeZone: deps.config.timeZone }, totaal);
  return alsPersoonlijk(card, context.activity.from?.id ?? '', { soort: 'mijn-acties' });
}

/**
 * `overzicht`: the weekly digest now, in the conversation. `digest`: when the weekly digest comes;
 * `digest maandag 08:30` (or a cron line, or `digest standaard`) sets it for the team.
 * `mijn acties`: the asker's open actions and the partner questions waiting for their answer, as their own view.
 */
export function register(app: App, deps: Deps): void {
  const tz = deps.config.timeZone;
  const standaard = deps.config.dispatch.digestCron;

  app.message(/^\s*overzicht\s*$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const now = deps.clock.now();
    const digest = weekDigestUit(await leesDigestBron(deps.store, scope.teamId, now, tz, deps.config.dispatch.teBesprekenDuidingDagen), now, tz);
    const cards = digestCards(digest, { team: scope.teamName, timeZone: tz, threadUrl: (t) => threadUrl(t, scope.tenantId, scope.aadGroupId), soort: 'opvraag' });
    await sendCards(context, cards);
    deps.log.info({ teamId: scope.teamId, open: digest.aantalOpen, messages: cards.length }, 'digest shown on demand');
  });

  app.message(/^\s*(?:digest|weekoverzicht)(\s+.*)?$/i, async (context) => {
    const scope = teamScope(context.activity);
    if (!scope) return void (await context.sendActivity(ONLY_IN_TEAM));
    const now = deps.clock.now();
    const rest = (context.activity.text ?? '').trim().replace(/^(?:digest|weekoverzicht)/i, '').trim();
    await ensureTeam(context, scope, deps);
    const team = (await deps.store.getTeam(scope.teamId))!;
    if (!rest) {
      const next = volgendeTeamDigest(team.digestCron, standaard, tz, now);
      const cron = team.digestCron ?? standaard;
      return void (await context.sendActivity(
        `Het weekoverzicht komt ${beschrijfSchema(cron)}${team.digestCron ? '' : ' (standaard)'}${next ? `; het volgende op ${formatMoment(next.toISOString(), tz)}` : ''}. Wijzig het met bijvoorbeeld: weekoverzicht maandag 08:30.`,
      ));
    }
    const standaardGevraagd = /^standaard$/i.test(rest);
    const gelezen = standaardGevraagd ? { cron: standaard } : leesSchema(rest, tz);
    if ('fout' in gelezen) {
      deps.log.info({ teamId: scope.teamId }, 'digest schedule refused');
      return void (await context.sendActivity(gelezen.fout));
    }
    const { digestCron: _oud, ...zonder } = team;
    await deps.store.saveTeam({ ...zonder, ...(standaardGevraagd ? {} : { digestCron: gelezen.cron }), updatedAt: now.toISOString() });
    const next = volgendeTeamDigest(gelezen.cron, standaard, tz, now);
    // The next occurrence under the new schedule; one planned under the old schedule lapses when due.
    if (next) await deps.store.scheduleJobs([digestJob(scope.teamId, next, now.toISOString())]);
    deps.log.info({ teamId: scope.teamId, cron: gelezen.cron }, 'digest schedule set');
    await context.sendActivity(`Het weekoverzicht komt voortaan ${beschrijfSchema(gelezen.cron)} (${tz})${next ? `; het volgende op ${formatMoment(next.toISOString(), tz)}` : ''}.`);
  });

  app.message(/^\s*mijn(\s+acties)?\s*$/i, async (context) => {
    if (!teamScope(context.activity)) return void (await context.sendActivity(ONLY_IN_TEAM));
    await stuurPersoonlijk(context, 'Mijn acties', { soort: 'mijn-acties' });
  });
}
