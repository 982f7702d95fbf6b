import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { berichtCard } from '../../cards/bericht';
import type { ScheduledJob } from '../domain/jobs';
import type { Verdiepingszaak } from '../domain/zaak';
import { classify, zekerNietGeplaatst } from '../dispatch/fouten';
import type { Deps } from './deps';
import { teamScope, zonderSdkHerhaling } from './teams';

/** Never sooner than this after Teams said it was busy. */
const MIN_WACHT_MS = 1_000;
const ZAAK_VAN_BEURT = Symbol('verdiep.zaakVanBeurt');

/** The case the turn's answer is about: a queued answer is then erased with it (retention). */
export function zaakVanBeurt(context: TurnContext, zaak: Pick<Verdiepingszaak, 'id'>): void {
  context.turnState.set(ZAAK_VAN_BEURT, zaak.id);
}

/**
 * A user's turn does not wait on a busy Teams. The connector library's retries are off for the
 * turn; when Teams answers an answer of the bot with 429 or a server error (so it certainly did
 * not post it), that answer and every later one of the turn are stored as `antwoord` jobs, and
 * the dispatcher delivers them in order at Teams' pace (`wek`: when they are due). The turn ends
 * at once, without an apology. Without a team (a personal chat) there is nowhere to queue: the
 * error goes to the turn as before.
 */
export function wachtrijBijDrukte(adapter: TeamsAdapter, deps: Pick<Deps, 'store' | 'clock' | 'log'>, wek: (ms: number) => void): void {
  adapter.use(async (context, next) => {
    zonderSdkHerhaling(context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey));
    let volgnummer = 0;
    let wachtMs: number | undefined;
    context.onSendActivities(async (ctx, activities, send) => {
      const berichten = activities.filter((a) => a.type === 'message');
      const scope = teamScope(ctx.activity);
      if (wachtMs === undefined || berichten.length === 0 || !scope) {
        try {
          return await send();
        } catch (err) {
          const fout = classify(err);
          if (berichten.length === 0 || !scope || fout.soort !== 'opnieuw' || !zekerNietGeplaatst(err)) throw err;
          wachtMs = Math.max(MIN_WACHT_MS, fout.wachtMs ?? 0);
          deps.log.warn({ teamId: scope.teamId, activityId: ctx.activity.id, reden: fout.reden, retryInMs: wachtMs }, 'Teams is busy; the answer goes through the outbox');
        }
      }
      const nu = deps.clock.now();
      const jobs = berichten.map((a): ScheduledJob => {
        const ref = ctx.activity.id ?? `${nu.getTime()}`;
        return {
          teamId: scope.teamId,
          id: `antwoord:${ref}:${String(volgnummer++).padStart(3, '0')}`,
          caseId: ctx.turnState.get<string>(ZAAK_VAN_BEURT) ?? '',
          kind: 'antwoord',
          ref,
          dueAt: new Date(nu.getTime() + wachtMs!).toISOString(),
          status: 'gepland',
          attempts: 0,
          createdAt: nu.toISOString(),
          antwoord: { naar: ctx.activity.conversation.id, kaarten: kaarten(a) },
          version: 1,
        };
      });
      await deps.store.scheduleJobs(jobs);
      wek(wachtMs!);
      return activities.map((): ResourceResponse => ({ id: '' }));
    });
    await next();
  });
}

/** What a message shows, as cards: its Adaptive Cards, or its text as a card. */
function kaarten(activity: Partial<Activity>): object[] {
  const cards = (activity.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as object);
  return activity.text ? [berichtCard(activity.text), ...cards] : cards;
}
