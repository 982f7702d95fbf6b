import { performance } from 'node:perf_hooks';
import type { AdaptiveCard } from '../../cards/render';
import type { Config } from '../config';
import type { Clock } from '../domain/ports';
import type { Logger } from '../log';
import { backoffMs, classify, statusVan, zekerNietGeplaatst } from './fouten';
import type { Tempo } from './tempo';
import type { TeamsApi } from './teams-port';

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

type Verzending =
  | { ok: true; id: string }
  | { ok: false; onzeker: false; definitief: boolean; reden: string; wachtMs: number; status?: number }
  /** Teams never answered, or the connection dropped mid-request: the message may have been posted. */
  | { ok: false; onzeker: true; reden: string };

type Afloop = { ok: true; id: string } | { ok: false; err: unknown; afgebroken: boolean };

/** Sends within one claim before the job is put off to a later tick. */
const MAX_PER_CLAIM = 6;
export const BACKOFF_BASIS_MS = 500;
export const BACKOFF_MAX_MS = 30_000;

export interface VerzendDeps {
  clock: Clock;
  log: Logger;
  /** The pace of sends per conversation and per tenant (one per process). */
  tempo: Tempo;
  sleep: Sleep;
  random: () => number;
  settings: Pick<Config['dispatch'], 'timeoutMs' | 'leaseMs'>;
}

/**
 * The dispatcher's calls to Teams: each post or replacement at the pace Teams allows (the tempo of
 * its conversation and tenant), retried within a claim's budget as Teams asks, and never sent a
 * second time while an earlier try may still land.
 */
export class Verzender {
  private readonly stopper = new AbortController();
  /** Per tenant, the gate the next send waits at (see nuVersturen). */
  private readonly poorten = new Map<string, Promise<void>>();

  constructor(private readonly d: VerzendDeps) {}

  /** Waiting retries end at once; a call Teams has not answered is given up. */
  stop(): void {
    this.stopper.abort();
  }

  /** How long to wait before try `poging + 1`: Teams' Retry-After with a little jitter (so instances do not come back together), else backoff. */
  wachttijd(fout: Extract<ReturnType<typeof classify>, { soort: 'opnieuw' }>, poging: number): number {
    return fout.wachtMs !== undefined ? fout.wachtMs + Math.round(this.d.random() * Math.min(1000, fout.wachtMs / 10 + 50)) : backoffMs(poging, BACKOFF_BASIS_MS, BACKOFF_MAX_MS, this.d.random);
  }

  /** Reserves the next send into a conversation of a tenant at the pace Teams allows, and waits for it. */
  async wachtBeurt(naar: string, tenant: string): Promise<void> {
    const beurt = this.d.tempo.reserveer(naar, tenant, this.d.clock.now().getTime());
    if (beurt > 0) await this.d.sleep(beurt, this.stopper.signal);
  }

  /**
   * Right before the call to Teams: the sends that really went keep within the conversation's and
   * the tenant's windows too (a late timer or a slow store write must not bunch them up). A
   * conversation has one send under way at a time; one send of a tenant at a time passes the
   * tenant's gate, so none can take the moment another was given.
   */
  async nuVersturen(naar: string, tenant: string): Promise<void> {
    const wachtTot = async (moment: number) => {
      const wacht = moment - this.d.clock.now().getTime();
      if (wacht > 0) await this.d.sleep(wacht, this.stopper.signal);
    };
    await wachtTot(this.d.tempo.echteBeurt({ gesprek: naar }, this.d.clock.now().getTime()));
    const vorige = this.poorten.get(tenant) ?? Promise.resolve();
    let open!: () => void;
    const deze = vorige.then(() => new Promise<void>((r) => (open = r)));
    this.poorten.set(tenant, deze);
    await vorige;
    try {
      const moment = this.d.tempo.echteBeurt({ tenant }, this.d.clock.now().getTime());
      await wachtTot(moment);
      this.d.tempo.gegaan(naar, tenant, Math.max(moment, this.d.clock.now().getTime()));
    } finally {
      open();
      if (this.poorten.get(tenant) === deze) this.poorten.delete(tenant);
    }
  }

  /**
   * One message, retried within this claim's budget (half the lease) as Teams asks — but only
   * after an answer that says it was not posted: a request Teams has not answered is waited for
   * (renewing the lease with `verleng`), never sent a second time beside it. Each try waits for
   * its turn at the pace Teams allows (the first not when the caller did that already).
   */
  async verstuur(api: TeamsApi, naar: string, card: AdaptiveCard, since: number, log: object, tenant: string, eersteBeurtGenomen = false, verleng?: () => Promise<void>, eenPoging = false): Promise<Verzending> {
    const { timeoutMs, leaseMs } = this.d.settings;
    for (let poging = 0; ; poging++) {
      if (poging > 0 || !eersteBeurtGenomen) await this.wachtBeurt(naar, tenant);
      await this.nuVersturen(naar, tenant);
      const afloop = await this.wachtOpTeams(api, naar, card, log, verleng);
      if (afloop.ok) return afloop;
      if (statusVan(afloop.err) === 429) this.d.tempo.vertraag(naar, this.d.clock.now().getTime());
      if (afloop.afgebroken || !zekerNietGeplaatst(afloop.err)) {
        return { ok: false, onzeker: true, reden: afloop.afgebroken ? 'Teams antwoordde niet' : classify(afloop.err).reden };
      }
      const fout = classify(afloop.err);
      if (fout.soort === 'definitief') return { ok: false, onzeker: false, definitief: true, reden: fout.reden, wachtMs: 0, status: fout.status };
      const wachtMs = this.wachttijd(fout, poging);
      const verstreken = performance.now() - since;
      if (eenPoging || this.stopper.signal.aborted || poging + 1 >= MAX_PER_CLAIM || verstreken + wachtMs + timeoutMs > leaseMs / 2) return { ok: false, onzeker: false, definitief: false, reden: fout.reden, wachtMs };
      this.d.log.info({ ...log, reden: fout.reden, waitMs: wachtMs, poging: poging + 1 }, 'send failed; retrying');
      await this.d.sleep(wachtMs, this.stopper.signal);
    }
  }

  /** One replacement of a message, retried within this claim's budget as Teams asks (not with `eenPoging`). */
  async vervangBericht(api: TeamsApi, conversationId: string, messageId: string, card: AdaptiveCard, since: number, log: object, eenPoging = false): Promise<{ ok: true } | { ok: false; definitief: boolean; reden: string; wachtMs: number; status?: number }> {
    const { timeoutMs, leaseMs } = this.d.settings;
    for (let poging = 0; ; poging++) {
      try {
        await api.update(conversationId, messageId, card, AbortSignal.timeout(timeoutMs));
        return { ok: true };
      } catch (err) {
        const fout = classify(err);
        if (fout.soort === 'definitief') return { ok: false, definitief: true, reden: fout.reden, wachtMs: 0, status: fout.status };
        const wachtMs = this.wachttijd(fout, poging);
        if (eenPoging || this.stopper.signal.aborted || poging + 1 >= MAX_PER_CLAIM || performance.now() - since + wachtMs + timeoutMs > leaseMs / 2) return { ok: false, definitief: false, reden: fout.reden, wachtMs };
        this.d.log.info({ ...log, reden: fout.reden, waitMs: wachtMs, poging: poging + 1 }, 'replacing a message failed; retrying');
        await this.d.sleep(wachtMs, this.stopper.signal);
      }
    }
  }

  /**
   * One call to Teams, waited for: every DISPATCH_TIMEOUT_MS without an answer the lease is renewed.
   * Only when stopping, or after a whole lease's time, is the call given up (aborted).
   */
  private async wachtOpTeams(api: TeamsApi, naar: string, card: AdaptiveCard, log: object, verleng?: () => Promise<void>): Promise<Afloop> {
    const { timeoutMs, leaseMs } = this.d.settings;
    const abort = new AbortController();
    const started = performance.now();
    const sending: Promise<Afloop> = api.send(naar, card, abort.signal).then(
      (id) => ({ ok: true, id }),
      (err: unknown) => ({ ok: false, err, afgebroken: abort.signal.aborted }),
    );
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const traag = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
      const afloop = await Promise.race([sending, traag]);
      clearTimeout(timer);
      if (afloop) return afloop;
      if (this.stopper.signal.aborted || performance.now() - started >= leaseMs) {
        abort.abort();
        return sending;
      }
      this.d.log.warn({ ...log, waitedMs: Math.round(performance.now() - started) }, 'Teams is slow to answer; waiting for it and keeping the claim');
      await verleng?.();
    }
  }
}
