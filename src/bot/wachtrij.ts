import type { TeamsAdapter } from '@microsoft/teams-ai';
import { createHash } from 'node:crypto';
import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import { berichtCard } from '../../cards/bericht';
import type { ScheduledJob } from '../domain/jobs';
import type { Verdiepingszaak } from '../domain/zaak';
import { classify, zekerNietGeplaatst } from '../dispatch/fouten';
import type { Deps } from './deps';
import { teamScope } from './teams';

/** Never sooner than this after Teams said it was busy. */
const MIN_WACHT_MS = 1_000;
const ZAAK_VAN_BEURT = Symbol('verdiep.zaakVanBeurt');

/** The case the turn's answer is about: a queued answer is then erased with it (retention). */
export function zaakVanBeurt(context: TurnContext, zaak: Pick<Verdiepingszaak, 'id'>): void {
  context.turnState.set(ZAAK_VAN_BEURT, zaak.id);
}

/**
 * When Teams certainly did not post a message because it is busy (429) or failing (5xx, no
 * connection made), why and how long to wait before it is sent again; otherwise undefined (the error stands).
 */
export function drukte(err: unknown): { reden: string; wachtMs: number } | undefined {
  const fout = classify(err);
  if (fout.soort !== 'opnieuw' || !zekerNietGeplaatst(err)) return undefined;
  return { reden: fout.reden, wachtMs: Math.max(MIN_WACHT_MS, fout.wachtMs ?? 0) };
}

/** Stores messages Teams was too busy to take as `antwoord` jobs, due after `wachtMs`, delivered in order by the dispatcher. */
export async function zetInWachtrij(
  deps: Pick<Deps, 'store' | 'clock' | 'wekOver'>,
  doel: { teamId: string; caseId: string; naar: string; ref: string; vanaf: number },
  kaartenPerBericht: object[][],
  wachtMs: number,
): Promise<void> {
  const nu = deps.clock.now();
  const gesprek = createHash('sha256').update(doel.naar).digest('base64url').slice(0, 16);
  const jobs = kaartenPerBericht.map((kaarten, i): ScheduledJob => ({
    teamId: doel.teamId,
    // Teams' message ids are unique per conversation: the conversation is in the id (a resend is the same job).
    id: `antwoord:${gesprek}:${doel.ref}:${String(doel.vanaf + i).padStart(3, '0')}`,
    caseId: doel.caseId,
    kind: 'antwoord',
    ref: doel.ref,
    dueAt: new Date(nu.getTime() + wachtMs).toISOString(),
    status: 'gepland',
    attempts: 0,
    createdAt: nu.toISOString(),
    antwoord: { naar: doel.naar, kaarten },
    version: 1,
  }));
  await deps.store.scheduleJobs(jobs);
  deps.wekOver(wachtMs);
}

/**
 * A user's turn does not wait on a busy Teams. The connector library's retries are off for the
 * turn; when Teams refuses an answer of the bot while busy (see drukte), that answer and every
 * later one of the turn are queued (zetInWachtrij) and the turn ends at once, without an apology.
 * Without a team (a personal chat) there is nowhere to queue: the error goes to the turn as before.
 */
export function wachtrijBijDrukte(adapter: TeamsAdapter, deps: Pick<Deps, 'store' | 'clock' | 'log' | 'wekOver'>): void {
  adapter.use(async (context, next) => {
    let volgnummer = 0;
    let wachtMs: number | undefined;
    context.onSendActivities(async (ctx, activities, send) => {
      const berichten = activities.filter((a) => a.type === 'message');
      const scope = teamScope(ctx.activity);
      if (wachtMs === undefined || berichten.length === 0 || !scope) {
        try {
          return await send();
        } catch (err) {
          const busy = berichten.length > 0 && scope ? drukte(err) : undefined;
          if (!busy) throw err;
          wachtMs = busy.wachtMs;
          deps.log.warn({ teamId: scope!.teamId, activityId: ctx.activity.id, reden: busy.reden, retryInMs: wachtMs }, 'Teams is busy; the answer goes through the outbox');
        }
      }
      const ref = ctx.activity.id ?? `${deps.clock.now().getTime()}`;
      await zetInWachtrij(deps, { teamId: scope!.teamId, caseId: ctx.turnState.get<string>(ZAAK_VAN_BEURT) ?? '', naar: ctx.activity.conversation.id, ref, vanaf: volgnummer }, berichten.map(kaarten), wachtMs);
      volgnummer += berichten.length;
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
