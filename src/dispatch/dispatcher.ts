import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config';
import { digestJob, volgendeTeamDigest } from '../domain/digest';
import { DUBBEL_BOVEN_VERLIES, opZaakVastgelegd, type ScheduledJob } from '../domain/jobs';
import { betrouwbaarGetoond, type Weergavemarkering } from '../domain/weergave';
import { draadWeergaven, geplaatsteKaart, nieuwZaakgesprek, onthoudGeplaatst, VERDIEP, vingerafdruk, weergaveSleutel, type Draadweergave } from '../bot/views';
import { kaartGeplaatst } from '../domain/uitvraag';
import type { ZaakService } from '../domain/service';
import type { CaseThread, NewZaakEvent, Verdiepingszaak } from '../domain/zaak';
import type { Clock } from '../domain/ports';
import type { Logger } from '../log';
import { ConcurrencyError, type Store, type TeamRecord } from '../store/store';
import { misluktMelding, plan, verdiepingskaartPlan, type Plan } from './bezorging';
import { backoffMs, classify, statusVan, type Fout } from './fouten';
import { Beurtrij, Tempo } from './tempo';
import { BACKOFF_BASIS_MS, BACKOFF_MAX_MS, realSleep, Verzender, type Sleep } from './verzender';
import type { TeamsApi, TeamsPort } from './teams-port';

/** Runs `fn` after `ms`; returns a cancel function. Injected so tests can drive the dispatcher by hand. */
export interface Scheduler {
  schedule(fn: () => void, ms: number): () => void;
}

export const timerScheduler: Scheduler = {
  schedule(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

export interface DispatchDeps {
  config: Pick<Config, 'dispatch' | 'timeZone'>;
  log: Logger;
  store: Store;
  clock: Clock;
  /** Records a new thread when Teams lost a case's thread. */
  zaken: Pick<ZaakService, 'change'>;
}

export interface DispatcherOptions {
  teams: TeamsPort;
  /** This instance's name on its claims. */
  owner?: string;
  scheduler?: Scheduler;
  sleep?: Sleep;
  random?: () => number;
  /** Jobs claimed at once, and delivered side by side. */
  batch?: number;
  concurrency?: number;
  /** The pace of sends per conversation and per tenant (one per process). */
  tempo?: Tempo;
}

export interface TickResult {
  verzonden: number;
  vervallen: number;
  mislukt: number;
  /** Put off to a later tick (rate limit or trouble that outlasted this claim's budget). */
  uitgesteld: number;
}

type Uitkomst = keyof TickResult | 'overgenomen';

/** A claimed job was taken over by another instance (our lease ran out): stop touching it. */
class Overgenomen extends Error {}

/** Attempts (claims) before a job is given up. */
export const MAX_POGINGEN = 8;
/** Digest occurrences are planned at most this often. */
const DIGEST_PLANNING_MS = 60_000;
const MAX_RONDES = 50;
/**
 * A marker that asks for a case version the store does not show yet: a change on Cosmos armed it
 * just before writing its events. Waited for this long (after which its writer must have stopped
 * or lost its race, and the views are rendered as they are).
 */
const WACHT_OP_WIJZIGING_MS = 10_000;
const WACHT_KORT_MS = 250;
/** Why a job is not sent again: it may have been posted, and for this kind a duplicate is worse than a loss. */
const MISSCHIEN_GEPLAATST = (reden: string) => `misschien geplaatst (${reden}); niet opnieuw verstuurd om een dubbel bericht te voorkomen`;

/**
 * Conversations a round should span before it starts, so the tenant's rate (25/s) is reached
 * while each conversation stays at Teams' sustained rate (60 per 30 s); at most MAX_VENSTER claimed jobs wait.
 */
const SPREIDING = 13;
const MAX_VENSTER = 400;
/** Jobs one tick claims at most; the next tick goes on. */
const MAX_PER_TICK = 20_000;

/**
 * Delivers due jobs, in every bot process: claims them in the store with a lease (one instance
 * at a time holds a job; see the README for when a message may go twice), posts each proactively in the case thread or the team
 * channel, retries what Teams asks to retry within the lease, gives up (and tells the case lead)
 * when Teams refuses for good, and marks jobs whose reason is gone as vervallen. It also plans
 * each team's next weekly digest as a team-level job, delivered through the same claims. And it
 * works off the outbox of the thread views: every change marks its case's views stale in the
 * same write; the dispatcher claims the marker, PUTs the cards from a fresh read and removes the
 * marker once what it rendered is the newest version.
 */
export class Dispatcher {
  readonly owner: string;
  private readonly scheduler: Scheduler;
  private readonly verzender: Verzender;
  private readonly random: () => number;
  private readonly batch: number;
  private readonly concurrency: number;
  private readonly tempo: Tempo;
  private cancelTimer?: () => void;
  private running?: Promise<TickResult>;
  private stopping = false;
  private gestart = false;
  private laatstGepland?: number;
  /** During a round: the Teams conversation each case's jobs go to, once one was planned (to pick the conversation that may send soonest). */
  private readonly naarVan = new Map<string, string>();
  /** The round of thread-view updates and notices running now, and whether another was asked for meanwhile. */
  private weergaveRonde?: Promise<void>;
  /** Jobs changes in this process wrote to post at once, for the next round. */
  private readonly direct: ScheduledJob[] = [];
  private nogEens = false;

  constructor(
    private readonly deps: DispatchDeps,
    private readonly options: DispatcherOptions,
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.scheduler = options.scheduler ?? timerScheduler;
    this.random = options.random ?? Math.random;
    this.concurrency = options.concurrency ?? 4;
    this.batch = options.batch ?? this.concurrency * 2;
    this.tempo = options.tempo ?? new Tempo();
    this.verzender = new Verzender({ clock: deps.clock, log: deps.log, tempo: this.tempo, sleep: options.sleep ?? realSleep, random: this.random, settings: deps.config.dispatch });
  }

  private get settings() {
    return this.deps.config.dispatch;
  }

  /** Delivers what is due now (jobs missed while no instance ran go out once), then polls. */
  start(): void {
    this.gestart = true;
    this.deps.log.info({ owner: this.owner, pollMs: this.settings.pollMs, leaseMs: this.settings.leaseMs }, 'dispatcher started');
    const loop = () => {
      if (this.stopping) return;
      // Stale views left by a change in another instance (or before a restart) are taken up on each poll.
      this.wek();
      this.tick()
        .catch((err: Error) => this.deps.log.error({ err: err.message }, 'dispatcher tick failed'))
        .finally(() => {
          if (!this.stopping) this.cancelTimer = this.scheduler.schedule(loop, this.settings.pollMs);
        });
    };
    loop();
  }

  /**
   * A turn queued a job (Teams was busy): run a round when it is due, not at the next poll. Only
   * for a dispatcher that polls by itself (started); a hand-driven one is ticked by its owner.
   */
  binnenkort(ms: number): void {
    if (this.stopping || !this.gestart) return;
    this.scheduler.schedule(() => {
      this.tick().catch((err: Error) => this.deps.log.error({ err: err.message }, 'dispatcher tick failed'));
    }, ms);
  }

  /**
   * A change was just stored in this process: bring stale thread views up to date and post what it
   * wrote to post at once (`direct`: its notice, a question's card) now instead of at the next
   * poll. A call while a round runs queues one more round (it reads the newest state).
   */
  wek(direct: readonly ScheduledJob[] = []): void {
    if (this.stopping) return;
    for (const job of direct) this.direct.push(job);
    if (this.weergaveRonde) {
      this.nogEens = true;
      return;
    }
    const weergaven = this.werkWeergavenBij().catch((err: Error) => this.deps.log.error({ err: err.message }, 'thread views could not be updated'));
    this.weergaveRonde = Promise.all([weergaven, this.bezorgDirect()])
      .then(() => undefined)
      .finally(() => {
        this.weergaveRonde = undefined;
        if (this.nogEens) {
          this.nogEens = false;
          this.wek();
        }
      });
  }

  /** Resolves when no round of thread-view updates is running or queued in this process. */
  async rustig(): Promise<void> {
    while (this.weergaveRonde) await this.weergaveRonde;
  }

  /** Stops polling; a send in flight finishes (bounded by the timeout), waiting retries end at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelTimer?.();
    this.verzender.stop();
    await this.running?.catch(() => undefined);
    await this.rustig();
    this.deps.log.info({ owner: this.owner }, 'dispatcher stopped');
  }

  /** One round: plan digests, then claim and deliver due jobs until none are left. A tick already running is shared. */
  tick(): Promise<TickResult> {
    this.running ??= this.ronde().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async ronde(): Promise<TickResult> {
    const result: TickResult = { verzonden: 0, vervallen: 0, mislukt: 0, uitgesteld: 0 };
    await this.planDigests().catch((err: Error) => this.deps.log.error({ err: err.message }, 'could not plan the weekly digests'));
    // Claims go on while jobs are sent, up to MAX_VENSTER waiting: the jobs claimed last are not
    // left to end the round one conversation at a time, at that conversation's own slow pace.
    const rij = new Beurtrij<ScheduledJob>(gesprekVan);
    let geclaimd = 0;
    let meer = true;
    let claim: Promise<void> | undefined;
    let claimFout: unknown;
    const vul = (ruimte: number) => {
      claim ??= this.claimVenster(ruimte)
        .then(
          ({ jobs, vol }) => {
            rij.voegToe(jobs);
            meer = vol && (geclaimd += jobs.length) < MAX_PER_TICK;
          },
          (err: unknown) => {
            claimFout = err;
            meer = false;
          },
        )
        .finally(() => {
          claim = undefined;
          rij.seintje();
        });
    };
    const werker = async () => {
      for (;;) {
        if (meer && !this.stopping && rij.wachtend <= MAX_VENSTER - this.batch) vul(MAX_VENSTER - rij.wachtend);
        const nu = this.deps.clock.now().getTime();
        const beurt = rij.neem((k) => {
          const naar = this.naarVan.get(k);
          return naar ? this.tempo.vroegst(naar, nu) : nu;
        });
        if (beurt) {
          try {
            const uitkomst = this.stopping ? await this.laatLos(beurt.item) : await this.verwerk(beurt.item);
            if (uitkomst !== 'overgenomen') result[uitkomst]++;
          } finally {
            beurt.klaar();
          }
        } else if (claim || rij.gesprekken > 0) await rij.verandering();
        else return;
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, werker)).finally(() => this.naarVan.clear());
    if (claimFout) throw claimFout;
    if (result.verzonden + result.vervallen + result.mislukt + result.uitgesteld > 0) this.deps.log.info({ owner: this.owner, ...result }, 'dispatcher tick');
    return result;
  }

  /**
   * Posts what changes in this process just wrote to post at once, each job claimed first like any
   * due job (a poll of another instance may have it). One try each, at the thread's pace: when
   * Teams is busy the job is put off as it asks and a round is asked for then, so it never holds
   * up the thread views. One not claimed or not posted here stays in the outbox.
   */
  private async bezorgDirect(): Promise<void> {
    const jobs = this.direct.splice(0);
    await pool(jobs, this.concurrency, async (job) => {
      try {
        const geclaimd = await this.bewaar(job, { status: 'geclaimd', leaseOwner: this.owner, leaseUntil: this.leaseTot(), attempts: job.attempts + 1 });
        if ((await this.verwerk(geclaimd, true)) !== 'uitgesteld') return;
        const tot = (await this.deps.store.getJob(job.teamId, job.id))?.leaseUntil;
        if (tot) this.binnenkort(Date.parse(tot) - this.deps.clock.now().getTime());
      } catch (err) {
        if (!(err instanceof Overgenomen)) this.deps.log.error({ ...this.logOf(job), err: (err as Error).message }, 'not posted now; left to the outbox');
      }
    });
  }

  /** Claims due stale-views markers and brings their thread cards up to date, until none are left. */
  private async werkWeergavenBij(): Promise<void> {
    for (let ronde = 0; ronde < MAX_RONDES && !this.stopping; ronde++) {
      const markers = await this.deps.store.claimStaleViews(this.deps.clock.now().toISOString(), this.owner, this.leaseTot(), this.batch);
      if (markers.length === 0) return;
      await pool(markers, this.concurrency, (m) => this.ververs(m));
      if (markers.length < this.batch) return;
    }
  }

  /**
   * One case: render every thread view from a fresh read and PUT those that differ from what the
   * marker records its messages show (all of them when no record can be relied on, see
   * betrouwbaarGetoond); done only when the marker asks for no newer version than the one rendered
   * (else render again), recording what the messages show now. Faults put the marker off with the
   * same backoff as jobs; a view Teams refuses for good (403, 404) is left as it is.
   */
  private async ververs(marker: Weergavemarkering): Promise<void> {
    const log = { teamId: marker.teamId, caseId: marker.caseId, attempt: marker.attempts, owner: this.owner };
    const record = betrouwbaarGetoond(marker);
    // What each message shows as far as this round knows: the record, then the cards this process posted (no round put those since).
    const getoond = new Map(Object.entries(record ?? {}));
    const bekend = (sleutel: string) => getoond.get(sleutel) ?? (record ? geplaatsteKaart(sleutel) : undefined);
    // Handed on at a put-off only when it covers every message (a record to start from), not just those put so far.
    const doorgeven = () => (record ? Object.fromEntries(getoond) : undefined);
    let current = marker;
    try {
      const team = await this.deps.store.getTeam(marker.teamId);
      for (let ronde = 0; ronde < MAX_RONDES && !this.stopping; ronde++) {
        const zaak = await this.deps.store.getCase(current.teamId, current.caseId);
        let totVersie = zaak?.version ?? Number.MAX_SAFE_INTEGER;
        if (zaak && zaak.version < current.versie) {
          if (this.deps.clock.now().getTime() - Date.parse(current.sinds) < WACHT_OP_WIJZIGING_MS) {
            await this.deps.store.putOffStaleViews(current, new Date(this.deps.clock.now().getTime() + WACHT_KORT_MS).toISOString(), 'de wijziging is nog niet zichtbaar', false, doorgeven());
            return;
          }
          this.deps.log.warn({ ...log, versie: zaak.version, gevraagd: current.versie }, 'stale views asked for a case version that never came; rendered as it is');
          totVersie = current.versie;
        }
        const views = (zaak && team ? draadWeergaven(zaak, this.deps.config.timeZone) : []).map((view) => ({ ...view, sleutel: weergaveSleutel(view.conversationId, view.messageId), vingerafdruk: vingerafdruk(view.card) }));
        const anders = views.filter((view) => bekend(view.sleutel) !== view.vingerafdruk);
        if (anders.length > 0) {
          const fout = await this.options.teams.withTeam(team!, (api) => this.zetWeergaven(api, anders, getoond, log, zaak!, team!));
          if (fout === 'nieuw_gesprek') continue;
          if (fout) {
            if (current.attempts >= MAX_POGINGEN && fout.gezet === 0) {
              this.deps.log.error({ ...log, reden: fout.reden }, 'thread views not updated after too many attempts; left until the next change');
              await this.deps.store.finishStaleViews(current, Number.MAX_SAFE_INTEGER);
              return;
            }
            // A round that put some cards is no failed attempt: a case with many cards gets there under steady faults.
            const wachtMs = fout.gezet > 0 ? BACKOFF_BASIS_MS : fout.wachtMs;
            const tot = new Date(this.deps.clock.now().getTime() + wachtMs).toISOString();
            await this.deps.store.putOffStaleViews(current, tot, fout.reden, fout.gezet > 0, doorgeven());
            this.deps.log.info({ ...log, reden: fout.reden, retryAt: tot }, 'thread views put off');
            return;
          }
        }
        // Every view of this version now shows what the record says; a message no longer among them keeps its entry.
        for (const view of views) getoond.set(view.sleutel, bekend(view.sleutel) ?? '');
        const afronding = await this.deps.store.finishStaleViews(current, totVersie, Object.fromEntries(getoond));
        if (afronding.soort !== 'opnieuw') {
          if (anders.length > 0) this.deps.log.info({ ...log, versie: zaak?.version, views: views.length, gezet: anders.length }, 'thread views updated');
          return;
        }
        current = afronding.markering;
      }
    } catch (err) {
      // The store or the proactive turn failed: the marker's lease runs out and any instance takes it.
      this.deps.log.error({ ...log, err: (err as Error).message }, 'thread views could not be updated; trying later');
    }
  }

  /**
   * PUTs each view (retried as Teams asks within the claim), noting in `getoond` what its message
   * shows after ('' when Teams refused it for good); the fault that outlasted the retries, if any.
   * When Teams no longer knows the case card (404: the thread is gone), a fresh case card opens a
   * new thread in the channel and the case records it: 'nieuw_gesprek', render again.
   */
  private async zetWeergaven(
    api: TeamsApi,
    views: readonly (Draadweergave & { sleutel: string; vingerafdruk: string })[],
    getoond: Map<string, string>,
    log: object,
    zaak: Verdiepingszaak,
    team: TeamRecord,
  ): Promise<{ reden: string; wachtMs: number; gezet: number } | 'nieuw_gesprek' | undefined> {
    let gezet = 0;
    for (const view of views) {
      const r = await this.verzender.vervangBericht(api, view.conversationId, view.messageId, view.card, performance.now(), log);
      if (r.ok) {
        getoond.set(view.sleutel, view.vingerafdruk);
        gezet++;
        continue;
      }
      if (r.definitief && r.status === 404 && view.messageId === zaak.thread?.rootMessageId) {
        const nieuw = await this.nieuwGesprek(api, zaak, team, log);
        if (!('fout' in nieuw)) return 'nieuw_gesprek';
        const { fout } = nieuw;
        return { reden: fout.reden, wachtMs: Math.max(fout.soort === 'opnieuw' ? (fout.wachtMs ?? 0) : 0, BACKOFF_BASIS_MS), gezet };
      }
      if (r.definitief) {
        getoond.set(view.sleutel, '');
        this.deps.log.warn({ ...log, reden: r.reden }, 'thread view could not be updated; left as it is');
      } else return { reden: r.reden, wachtMs: Math.max(r.wachtMs, BACKOFF_BASIS_MS), gezet };
    }
    return undefined;
  }

  /** Posts a fresh case card in the team channel (a new thread) and records its ids on the case: the case with its new thread, or the fault. */
  private async nieuwGesprek(api: TeamsApi, zaak: Verdiepingszaak, team: TeamRecord, log: object): Promise<{ zaak: Verdiepingszaak } | { fout: Fout }> {
    try {
      return { zaak: await nieuwZaakgesprek((kanaal, kaart) => api.openThread(kanaal, kaart, AbortSignal.timeout(this.deps.config.dispatch.leaseMs)), { zaken: this.deps.zaken, store: this.deps.store, log: this.deps.log, clock: this.deps.clock, timeZone: this.deps.config.timeZone }, zaak, team.channelId) };
    } catch (err) {
      if (statusVan(err) === 429) this.tempo.vertraag(team.channelId, this.deps.clock.now().getTime());
      const fout = classify(err);
      this.deps.log.warn({ ...log, reden: fout.reden }, 'a new case thread could not be opened');
      return { fout };
    }
  }

  /**
   * Claims due jobs, batch after batch, until they span SPREIDING conversations, `ruimte` are
   * claimed, none are left, or three batches in a row brought no new conversation (then there are
   * few: leave the rest to others).
   */
  private async claimVenster(ruimte: number): Promise<{ jobs: ScheduledJob[]; vol: boolean }> {
    const jobs: ScheduledJob[] = [];
    const gesprekken = new Set<string>();
    for (let zonderNieuw = 0; ; ) {
      const now = this.deps.clock.now();
      const claimed = await this.deps.store.claimDueJobs(now.toISOString(), this.owner, new Date(now.getTime() + this.settings.leaseMs).toISOString(), this.batch);
      const voor = gesprekken.size;
      jobs.push(...claimed);
      for (const job of claimed) gesprekken.add(gesprekVan(job));
      zonderNieuw = gesprekken.size > voor ? 0 : zonderNieuw + 1;
      if (claimed.length < this.batch) return { jobs, vol: false };
      if (gesprekken.size >= SPREIDING || jobs.length >= ruimte || zonderNieuw >= 3) return { jobs, vol: true };
    }
  }

  /** Schedules each team's next digest occurrence (insert-if-absent: every instance may do it). */
  private async planDigests(): Promise<void> {
    const now = this.deps.clock.now();
    if (this.laatstGepland !== undefined && Math.abs(now.getTime() - this.laatstGepland) < DIGEST_PLANNING_MS) return;
    this.laatstGepland = now.getTime();
    const jobs: ScheduledJob[] = [];
    for (const team of await this.deps.store.listTeams()) {
      const next = volgendeTeamDigest(team.digestCron, this.settings.digestCron, this.deps.config.timeZone, now);
      if (next) jobs.push(digestJob(team.teamId, next, now.toISOString()));
    }
    if (jobs.length) await this.deps.store.scheduleJobs(jobs);
  }

  private logOf(job: ScheduledJob) {
    return { jobId: job.id, teamId: job.teamId, caseId: job.caseId || undefined, kind: job.kind, attempt: job.attempts, owner: this.owner };
  }

  /** Writes the job's next state; throws Overgenomen when another instance holds it now. */
  private async bewaar(job: ScheduledJob, change: Partial<ScheduledJob>): Promise<ScheduledJob> {
    const next: ScheduledJob = { ...job, ...change, version: job.version + 1 };
    try {
      await this.deps.store.updateJob(next, job.version);
      return next;
    } catch (err) {
      if (err instanceof ConcurrencyError) throw new Overgenomen();
      throw err;
    }
  }

  /** Hands a claimed job back at once (stopping before it was started). */
  private async laatLos(job: ScheduledJob): Promise<Uitkomst> {
    try {
      await this.bewaar(job, { leaseUntil: this.deps.clock.now().toISOString(), attempts: Math.max(0, job.attempts - 1) });
    } catch {
      /* taken over meanwhile */
    }
    return 'overgenomen';
  }

  /** Delivers a claimed job; `eenPoging`: a retryable fault puts it off at once instead of retrying within the claim. */
  private async verwerk(job: ScheduledJob, eenPoging = false): Promise<Uitkomst> {
    const log = this.logOf(job);
    try {
      // Sent before, but the process stopped before it could mark the job: not again.
      if (job.sentMessageId && !job.sentMessageIds) {
        if (opZaakVastgelegd(job)) await this.opZaakVastleggen(job, job.sentMessageId);
        await this.bewaar(job, { status: 'verzonden' });
        this.deps.log.info(log, 'job was already sent; marked done');
        return 'verzonden';
      }
      // A send was started and its outcome never recorded (its sender stopped, or Teams never answered).
      const poging = job.verzendpoging;
      if (poging && poging.deel >= (job.sentMessageIds?.length ?? 0)) {
        const { deel, owner: sender } = poging;
        if (!DUBBEL_BOVEN_VERLIES[job.kind]) {
          await this.bewaar(job, { status: 'mislukt', lastError: MISSCHIEN_GEPLAATST('de verzender stopte tijdens het versturen') });
          this.deps.log.warn({ ...log, deel, sender }, 'job may have been posted by a send whose outcome is unknown; not sent again');
          return 'mislukt';
        }
        this.deps.log.warn({ ...log, deel, sender }, 'job may have been posted by a send whose outcome is unknown; sending again (a duplicate is preferred over a loss)');
      }
      const team = await this.deps.store.getTeam(job.teamId);
      if (!team) {
        await this.bewaar(job, { status: 'mislukt', lastError: 'Verdiep kent het kanaal van dit team niet' });
        this.deps.log.error(log, 'job failed: no team record to post with');
        return 'mislukt';
      }
      return await this.options.teams.withTeam(team, (api) => this.bezorg(job, team, api, eenPoging));
    } catch (err) {
      if (err instanceof Overgenomen) {
        this.deps.log.warn(log, 'job taken over by another instance (lease ran out)');
        return 'overgenomen';
      }
      // The store or the proactive turn itself failed: try again later.
      this.deps.log.error({ ...log, err: (err as Error).message }, 'job could not be handled; trying later');
      try {
        return await this.stelUit(job, (err as Error).message, backoffMs(job.attempts, BACKOFF_BASIS_MS * 4, BACKOFF_MAX_MS * 4, this.random));
      } catch {
        return 'overgenomen';
      }
    }
  }

  private leaseTot(): string {
    return new Date(this.deps.clock.now().getTime() + this.settings.leaseMs).toISOString();
  }

  /** Puts the job off for `wachtMs` (or gives up after MAX_POGINGEN); `change` is recorded with it. */
  private async stelUit(job: ScheduledJob, reden: string, wachtMs: number, change: Partial<ScheduledJob> = {}): Promise<Uitkomst> {
    if (job.attempts >= MAX_POGINGEN) {
      await this.bewaar(job, { ...change, status: 'mislukt', lastError: `niet bezorgd na ${job.attempts} pogingen: ${reden}` });
      this.deps.log.error(this.logOf(job), 'job failed: too many attempts');
      return 'mislukt';
    }
    const tot = new Date(this.deps.clock.now().getTime() + Math.max(0, wachtMs)).toISOString();
    await this.bewaar(job, { ...change, leaseUntil: tot, lastError: reden });
    this.deps.log.info({ ...this.logOf(job), retryAt: tot }, 'job put off');
    return 'uitgesteld';
  }

  private async bezorg(job: ScheduledJob, team: TeamRecord, api: TeamsApi, eenPoging: boolean): Promise<Uitkomst> {
    const log = this.logOf(job);
    let p = await plan(job, team, api, { store: this.deps.store, timeZone: this.deps.config.timeZone, defaultDigestCron: this.settings.digestCron, duidingDagen: this.settings.teBesprekenDuidingDagen, now: this.deps.clock.now() });
    const gestuurd = [...(job.sentMessageIds ?? [])];
    if (p.soort === 'vervallen') {
      if (gestuurd.length > 0) {
        await this.bewaar(job, { status: 'verzonden' });
        return 'verzonden';
      }
      await this.bewaar(job, { status: 'vervallen', lastError: p.reden });
      this.deps.log.info({ ...log, reden: p.reden }, 'job no longer needed');
      return 'vervallen';
    }
    if (p.soort === 'vervangen') return this.vervang(job, p, api, eenPoging);
    let current = job;
    if (p.soort === 'zaakgesprek') {
      const geopend = await this.openZaakgesprek(job, p.zaak, team, api);
      if ('uitkomst' in geopend) return geopend.uitkomst;
      current = geopend.job;
      p = verdiepingskaartPlan(geopend.zaak, geopend.zaak.thread, this.deps.config.timeZone);
    }
    const verleng = async () => {
      current = await this.bewaar(current, { leaseUntil: this.leaseTot() });
    };
    let doel = p.naar;
    this.naarVan.set(gesprekVan(job), doel);
    let heropend = false;
    for (let i = gestuurd.length; i < p.kaarten.length; i++) {
      // Later parts of a long digest go as replies under the first.
      const naar = i === 0 ? doel : `${doel.split(';')[0]};messageid=${gestuurd[0]}`;
      // Wait for this conversation's and tenant's turn first, then, right before sending: renew the
      // lease (a job that waited may have lost it to another instance; then this write fails and
      // nothing is sent) and record the attempt, so whoever finds the job after a crash knows this
      // part may have been posted.
      await this.verzender.wachtBeurt(naar, team.tenantId);
      current = await this.bewaar(current, { leaseOwner: this.owner, leaseUntil: this.leaseTot(), verzendpoging: { deel: i, at: this.deps.clock.now().toISOString(), owner: this.owner } });
      const r = await this.verzender.verstuur(api, naar, p.kaarten[i]!, performance.now(), log, team.tenantId, true, verleng, eenPoging);
      if (!r.ok) {
        if (r.onzeker) return this.onzeker(current, r.reden);
        // The case's thread is gone (404): a fresh case card opens a new one, and the follow-up goes there
        // (not a verdiepingskaart: the new thread gets its own with it, see nieuwZaakgesprek).
        if (r.definitief && r.status === 404 && !heropend && job.kind !== 'zaakgesprek' && p.zaak?.thread && naar === p.zaak.thread.conversationId) {
          heropend = true;
          const nieuw = await this.nieuwGesprek(api, p.zaak, team, log);
          if ('fout' in nieuw || !nieuw.zaak.thread) return this.geefOp(current, team, api, p, r.reden);
          doel = nieuw.zaak.thread.conversationId;
          i--;
          continue;
        }
        if (r.definitief) return this.geefOp(current, team, api, p, r.reden);
        const uitkomst = await this.stelUit(current, r.reden, r.wachtMs, { verzendpoging: undefined });
        if (uitkomst === 'mislukt') await this.meld(api, team, p, `niet bezorgd na ${current.attempts} pogingen: ${r.reden}`, false);
        return uitkomst;
      }
      gestuurd.push(r.id);
      if (p.zaak) await this.onthoud(p.zaak, naar, r.id);
      const opvolgkaart = p.opvolging && { ...p.opvolging, conversationId: naar };
      if (opZaakVastgelegd(job) || opvolgkaart) {
        // Known before the case records it, so the views round that follows does not PUT the same card.
        onthoudGeplaatst(naar, r.id, p.kaarten[i]!);
        current = await this.bewaar(current, { sentMessageId: r.id, verzendpoging: undefined, ...(opvolgkaart ? { opvolgkaart } : {}) });
        await this.opZaakVastleggen(current, r.id, naar);
      }
      if (i < p.kaarten.length - 1) current = await this.bewaar(current, { sentMessageId: gestuurd[0], sentMessageIds: [...gestuurd], verzendpoging: undefined });
    }
    await this.bewaar(current, { status: 'verzonden', sentMessageId: gestuurd[0], ...(gestuurd.length > 1 ? { sentMessageIds: gestuurd } : {}), lastError: undefined, verzendpoging: undefined });
    this.deps.log.info({ ...log, messages: gestuurd.length }, 'job delivered');
    return 'verzonden';
  }

  /**
   * A flagged case its turn left without a thread (Teams was busy, or the process stopped): a fresh
   * case card in the channel opens it, at the channel's pace, and the case records it. Then the
   * job carries on as a post of the verdiepingskaart, or is done when another instance posted it.
   */
  private async openZaakgesprek(job: ScheduledJob, zaak: Verdiepingszaak, team: TeamRecord, api: TeamsApi): Promise<{ job: ScheduledJob; zaak: Verdiepingszaak & { thread: CaseThread } } | { uitkomst: Uitkomst }> {
    const kanaal = team.channelId;
    this.naarVan.set(gesprekVan(job), kanaal);
    await this.verzender.wachtBeurt(kanaal, team.tenantId);
    await this.verzender.nuVersturen(kanaal, team.tenantId);
    const current = await this.bewaar(job, { leaseOwner: this.owner, leaseUntil: this.leaseTot(), verzendpoging: { deel: 0, at: this.deps.clock.now().toISOString(), owner: this.owner } });
    const nieuw = await this.nieuwGesprek(api, zaak, team, this.logOf(job));
    if ('fout' in nieuw) {
      const { fout } = nieuw;
      if (fout.soort === 'definitief') return { uitkomst: await this.geefOp(current, team, api, { soort: 'versturen', naar: kanaal, kaarten: [], wat: 'Het zaakgesprek', zaak }, fout.reden) };
      return { uitkomst: await this.stelUit(current, fout.reden, this.verzender.wachttijd(fout, current.attempts), { verzendpoging: undefined }) };
    }
    const { thread } = nieuw.zaak;
    if (!thread || nieuw.zaak.verdiepingskaartId) {
      await this.bewaar(current, { status: 'verzonden', lastError: undefined, verzendpoging: undefined });
      return { uitkomst: 'verzonden' };
    }
    return { job: current, zaak: { ...nieuw.zaak, thread } };
  }

  /**
   * The message may have been posted (Teams never answered, or the connection dropped mid-request).
   * Kinds for which a duplicate beats a loss are put off and sent again (the attempt stays
   * recorded); the others are marked failed, not sent again.
   */
  private async onzeker(job: ScheduledJob, reden: string): Promise<Uitkomst> {
    if (DUBBEL_BOVEN_VERLIES[job.kind]) return this.stelUit(job, `${reden}; misschien geplaatst`, backoffMs(job.attempts, BACKOFF_BASIS_MS, BACKOFF_MAX_MS, this.random));
    await this.bewaar(job, { status: 'mislukt', lastError: MISSCHIEN_GEPLAATST(reden) });
    this.deps.log.warn({ ...this.logOf(job), reden }, 'job may have been posted; not sent again');
    return 'mislukt';
  }

  /**
   * The case records a posted message of its own (see opZaakVastgelegd), unless it did already: a
   * question's card or a follow-up card (its view is kept up to date from then on), or a card
   * someone acts on later.
   */
  private async opZaakVastleggen(job: ScheduledJob, messageId: string, naar?: string): Promise<void> {
    await this.deps.zaken.change(job.teamId, job.caseId, VERDIEP, (z): NewZaakEvent[] => {
      if (job.opvolgkaart) return z.opvolgkaarten?.some((o) => o.messageId === messageId) ? [] : [{ type: 'opvolging.kaart_geplaatst', data: { ...job.opvolgkaart, messageId } }];
      if (job.kind === 'uitvraag.kaart') return z.uitvragen.some((u) => u.id === job.ref && !u.messageId) ? kaartGeplaatst(z, job.ref, messageId) : [];
      const op = job.antwoord?.opZaak;
      // A verdiepingskaart posted in a thread the case has left since is not the case's.
      if (job.kind === 'zaakgesprek' || op === 'verdiepingskaart') return z.verdiepingskaartId || (naar !== undefined && z.thread?.conversationId !== naar) ? [] : [{ type: 'zaak.verdiepingskaart_geplaatst', data: { messageId } }];
      if (typeof op === 'object') return z.uitvragen.some((u) => u.id === op.uitvraag && !u.messageId) ? kaartGeplaatst(z, op.uitvraag, messageId) : [];
      return z.berichten?.includes(messageId) ? [] : [{ type: 'zaak.bericht_geplaatst', data: { messageId } }];
    });
  }

  /** A follow-up posted for a case is recorded with it, so retention erases it too. */
  private async onthoud(zaak: Verdiepingszaak, conversationId: string, messageId: string): Promise<void> {
    try {
      await this.deps.store.recordMessages(zaak.teamId, zaak.id, [{ conversationId, messageId }], this.deps.clock.now().toISOString());
    } catch (err) {
      this.deps.log.error({ teamId: zaak.teamId, caseId: zaak.id, err: (err as Error).message }, 'could not record a posted message for retention');
    }
  }

  /**
   * Replaces each message in turn (retention's erasure of a purged case, or a card showing a
   * decision). A message replaced, or gone for good (403, 404), is dropped from the job at once, so
   * no instance replaces it twice; the ids are forgotten when the last one is done. Replacing is
   * idempotent, so an unanswered call is retried.
   */
  private async vervang(job: ScheduledJob, p: Extract<Plan, { soort: 'vervangen' }>, api: TeamsApi, eenPoging: boolean): Promise<Uitkomst> {
    const log = this.logOf(job);
    const lease = () => new Date(this.deps.clock.now().getTime() + this.settings.leaseMs).toISOString();
    let current = await this.bewaar(job, { leaseOwner: this.owner, leaseUntil: lease() });
    let rest = p.berichten;
    for (const bericht of p.berichten) {
      const r = await this.verzender.vervangBericht(api, bericht.conversationId, bericht.messageId, p.kaart, performance.now(), log, eenPoging);
      if (!r.ok && !r.definitief) return this.stelUit(current, r.reden, r.wachtMs);
      if (!r.ok) this.deps.log.warn({ ...log, reden: r.reden }, 'message could not be replaced; left as it is');
      rest = rest.slice(1);
      current = await this.bewaar(current, { berichten: rest, leaseUntil: lease() });
    }
    await this.bewaar(current, { status: 'verzonden', berichten: undefined, lastError: undefined });
    this.deps.log.info({ ...log, messages: p.berichten.length }, 'messages replaced');
    return 'verzonden';
  }

  /** Teams refused for good (403, 404, a bad request): mark the job failed, then tell the case lead in the channel. */
  private async geefOp(job: ScheduledJob, team: TeamRecord, api: TeamsApi, p: Extract<Plan, { soort: 'versturen' }>, reden: string): Promise<Uitkomst> {
    await this.bewaar(job, { status: 'mislukt', lastError: reden, verzendpoging: undefined });
    this.deps.log.warn({ ...this.logOf(job), reden }, 'job failed: Teams refused it');
    await this.meld(api, team, p, reden, true);
    return 'mislukt';
  }

  /** The notice to the case lead: in the thread unless that is what failed, else in the channel. */
  private async meld(api: TeamsApi, team: TeamRecord, p: Extract<Plan, { soort: 'versturen' }>, reden: string, plekWeigert: boolean): Promise<void> {
    const card = await misluktMelding(p, reden, api);
    const log = { teamId: team.teamId, caseId: p.zaak?.id };
    if (!card || !p.zaak) return;
    const plekken = [...new Set([...(plekWeigert ? [] : [p.naar]), team.channelId])];
    if (plekWeigert && p.naar === team.channelId) plekken.length = 0;
    for (const naar of plekken) {
      const r = await this.verzender.verstuur(api, naar, card, performance.now(), log, team.tenantId);
      if (r.ok || r.onzeker) {
        if (r.ok) await this.onthoud(p.zaak, naar, r.id);
        this.deps.log.info({ ...log, inChannel: naar === team.channelId, zeker: r.ok }, 'case lead told of a failed follow-up');
        return;
      }
    }
    this.deps.log.error(log, 'could not tell the case lead of a failed follow-up');
  }

}

/** The conversation a job posts into, as far as the claim tells: its case's thread, or the team channel. */
function gesprekVan(job: ScheduledJob): string {
  return job.caseId ? `${job.teamId}/${job.caseId}` : job.teamId;
}

/** Runs `work` over the items with at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
