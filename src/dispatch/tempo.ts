/**
 * The dispatcher's pace: Teams allows a bot about 7 messages a second into one conversation (8 in
 * 2 s, 60 in 30 s, 1,800 an hour) and about 30 requests a second per tenant. Each send reserves
 * the first moment at which no limit of its conversation or of its tenant would be exceeded in
 * any window, and waits until then; right before the call, the sends that really went are checked
 * against the same windows (the tenant's 5 % wider), so late timers cannot bunch them up. Sliding
 * windows rather than refilling buckets: a bucket of 7 that refills at 7/s lets 13 through in one
 * second; a window never does. The dispatcher keeps 25 a second per tenant, under Teams' 30.
 */

export interface Grens {
  aantal: number;
  vensterMs: number;
}

/** The short windows are 15 % wider than Teams counts them: sends reserved just inside a second can arrive just inside the next. */
export const GESPREK_GRENZEN: readonly Grens[] = [
  { aantal: 7, vensterMs: 1_150 },
  { aantal: 8, vensterMs: 2_300 },
  { aantal: 60, vensterMs: 30_000 },
  { aantal: 1_800, vensterMs: 3_600_000 },
];
export const TENANT_GRENZEN: readonly Grens[] = [{ aantal: 25, vensterMs: 1_000 }];
/** The tenant's window for the sends that really went, 5 % wider: a send that starts a little late still arrives inside Teams' second. */
export const ECHTE_TENANT_GRENZEN: readonly Grens[] = [{ aantal: 25, vensterMs: 1_050 }];

/** A 429 halves a conversation's limits (at most three times: an eighth); each quiet half minute undoes one halving. */
const MAX_BOETE = 3;
const HERSTEL_MS = 30_000;

interface Stroom {
  /** Reserved send moments (ms), ascending; only as far back as the longest window. */
  momenten: number[];
  /** When sends really went (ms), ascending: a wait that ended late must not bunch sends up. */
  echt: number[];
  boete: number;
  boeteSinds: number;
}

export class Tempo {
  private readonly gesprekken = new Map<string, Stroom>();
  private readonly tenants = new Map<string, Stroom>();
  private readonly langsteMs: { gesprek: number; tenant: number };
  private opgeruimd = 0;

  constructor(
    private readonly gesprekGrenzen: readonly Grens[] = GESPREK_GRENZEN,
    private readonly tenantGrenzen: readonly Grens[] = TENANT_GRENZEN,
    private readonly echteGrenzen: readonly Grens[] = ECHTE_TENANT_GRENZEN,
  ) {
    const langste = (grenzen: readonly Grens[]) => Math.max(...grenzen.map((g) => g.vensterMs));
    this.langsteMs = { gesprek: langste(gesprekGrenzen), tenant: langste([...tenantGrenzen, ...echteGrenzen]) };
  }

  /** Reserves the next allowed moment for a send into `gesprek` of `tenant` at `nu`; returns how long to wait for it. */
  reserveer(gesprek: string, tenant: string, nu: number): number {
    this.ruimOp(nu);
    const g = stroom(this.gesprekken, gesprek);
    const t = stroom(this.tenants, tenant);
    let moment = this.gesprekMoment(g, nu);
    for (let vorig = -1; vorig !== moment; ) {
      vorig = moment;
      for (const grens of this.tenantGrenzen) moment = ruimte(t.momenten, grens, moment);
    }
    g.momenten.push(moment);
    t.momenten.splice(plek(t.momenten, moment), 0, moment);
    return moment - nu;
  }

  /** The first moment from `nu` at which the conversation's limits would let one more send be reserved (the tenant's not counted). */
  vroegst(gesprek: string, nu: number): number {
    const g = this.gesprekken.get(gesprek);
    return g ? this.gesprekMoment(g, nu) : nu;
  }

  private gesprekMoment(g: Stroom, nu: number): number {
    const boete = this.boete(g, nu);
    // A conversation's sends keep their order; the tenant's moments may fill gaps left by a slow conversation.
    let moment = Math.max(nu, g.momenten.at(-1) ?? nu);
    for (const grens of this.gesprekGrenzen) moment = Math.max(moment, vrij(g.momenten, Math.max(1, Math.floor(grens.aantal / 2 ** boete)), grens.vensterMs));
    return moment;
  }

  /**
   * Right before a send (its reserved moment has come): the first moment from `nu` at which the
   * sends that really went keep within the conversation's windows (`gesprek`, asked by the one send
   * of that conversation under way) or the tenant's (`tenant`, asked one send at a time). A timer
   * that fires late, or a slow store write before the send, can otherwise let reserved sends go out
   * together. The send is then recorded with `gegaan`.
   */
  echteBeurt(wat: { gesprek: string } | { tenant: string }, nu: number): number {
    const gesprek = 'gesprek' in wat;
    const s = gesprek ? stroom(this.gesprekken, wat.gesprek) : stroom(this.tenants, wat.tenant);
    vergeet(s.echt, nu - (gesprek ? this.langsteMs.gesprek : this.langsteMs.tenant));
    const boete = gesprek ? this.boete(s, nu) : 0;
    const grenzen = gesprek ? this.gesprekGrenzen.map((g) => ({ aantal: Math.max(1, Math.floor(g.aantal / 2 ** boete)), vensterMs: g.vensterMs })) : this.echteGrenzen;
    let moment = nu;
    for (let vorig = -1; vorig !== moment; ) {
      vorig = moment;
      for (const grens of grenzen) moment = ruimte(s.echt, grens, moment);
    }
    return moment;
  }

  /** A send into the conversation of the tenant really went at `moment`. */
  gegaan(gesprek: string, tenant: string, moment: number): void {
    for (const s of [stroom(this.gesprekken, gesprek), stroom(this.tenants, tenant)]) s.echt.splice(plek(s.echt, moment), 0, moment);
  }

  /** Teams answered 429 for this conversation: slow it down. */
  vertraag(gesprek: string, nu: number): void {
    const g = stroom(this.gesprekken, gesprek);
    g.boete = Math.min(MAX_BOETE, this.boete(g, nu) + 1);
    g.boeteSinds = nu;
  }

  /** The halvings still in force for a conversation (they wear off one per quiet half minute). */
  private boete(g: Stroom, nu: number): number {
    return Math.max(0, g.boete - Math.floor((nu - g.boeteSinds) / HERSTEL_MS));
  }

  /** Forgets moments older than the longest window, and conversations without any (at most once a second). */
  private ruimOp(nu: number): void {
    if (nu - this.opgeruimd < 1_000) return;
    this.opgeruimd = nu;
    for (const [streams, langste] of [[this.gesprekken, this.langsteMs.gesprek], [this.tenants, this.langsteMs.tenant]] as const) {
      for (const [key, s] of streams) {
        vergeet(s.momenten, nu - langste);
        vergeet(s.echt, nu - langste);
        if (s.momenten.length === 0 && s.echt.length === 0 && this.boete(s, nu) === 0) streams.delete(key);
      }
    }
  }
}

/** Drops the moments before `tot` from a sorted list. */
function vergeet(momenten: number[], tot: number): void {
  const oud = momenten.findIndex((m) => m > tot);
  momenten.splice(0, oud === -1 ? momenten.length : oud);
}

function stroom(map: Map<string, Stroom>, key: string): Stroom {
  let s = map.get(key);
  if (!s) {
    s = { momenten: [], echt: [], boete: 0, boeteSinds: 0 };
    map.set(key, s);
  }
  return s;
}

/** The first moment at which one more send keeps at most `aantal` in every window of `vensterMs`. */
function vrij(momenten: readonly number[], aantal: number, vensterMs: number): number {
  return momenten.length >= aantal ? momenten[momenten.length - aantal]! + vensterMs : 0;
}

/** Index of the first moment after `m` (or, `vanaf`, at or after it) in a sorted list. */
function plek(momenten: readonly number[], m: number, vanaf = false): number {
  let lo = 0;
  let hi = momenten.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (momenten[mid]! < m || (!vanaf && momenten[mid] === m)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first moment from `m` on at which one more send keeps at most `aantal` in every window of
 * `vensterMs` of a sorted list that may hold later moments too: each window that would overflow
 * moves the candidate past its start.
 */
function ruimte(momenten: readonly number[], { aantal, vensterMs }: Grens, m: number): number {
  for (;;) {
    const tot = plek(momenten, m);
    let te = -1;
    // Windows [a, a + venster) holding m start at m itself or at a moment a in (m - venster, m].
    for (let i = plek(momenten, m - vensterMs); i <= tot; i++) {
      const a = i < tot ? momenten[i]! : m;
      if (plek(momenten, a + vensterMs, true) - plek(momenten, a, true) + 1 > aantal) {
        te = a;
        break;
      }
    }
    if (te === -1) return m;
    m = Math.max(m, te + vensterMs);
  }
}

/**
 * Claimed jobs waiting for their turn, per conversation in their own order. The next comes from
 * the conversation that may send soonest and, of those, the one with the most left, so
 * conversations drain together (a round does not end on one long conversation at its own slow
 * pace); a conversation with a send under way waits for it, so its jobs go one after the other.
 */
export class Beurtrij<T> {
  private readonly rijen = new Map<string, T[]>();
  private readonly bezig = new Set<string>();
  private wachtenden: (() => void)[] = [];

  constructor(private readonly sleutel: (item: T) => string) {}

  /** Conversations with jobs waiting. */
  get gesprekken(): number {
    return this.rijen.size;
  }

  /** Jobs waiting. */
  get wachtend(): number {
    let n = 0;
    for (const rij of this.rijen.values()) n += rij.length;
    return n;
  }

  voegToe(items: readonly T[]): void {
    for (const item of items) {
      const k = this.sleutel(item);
      const rij = this.rijen.get(k);
      if (rij) rij.push(item);
      else this.rijen.set(k, [item]);
    }
    this.seintje();
  }

  /** The next job (`vroegst`: a conversation's first allowed moment) and the call that ends its turn, or undefined when every waiting conversation has a send under way. */
  neem(vroegst: (gesprek: string) => number): { item: T; klaar: () => void } | undefined {
    let beste: [string, T[]] | undefined;
    let besteMoment = Infinity;
    for (const e of this.rijen) {
      if (this.bezig.has(e[0])) continue;
      const moment = vroegst(e[0]);
      if (moment < besteMoment || (moment === besteMoment && e[1].length > beste![1].length)) [beste, besteMoment] = [e, moment];
    }
    if (!beste) return undefined;
    const [k, rij] = beste;
    const item = rij.shift()!;
    if (rij.length === 0) this.rijen.delete(k);
    this.bezig.add(k);
    return {
      item,
      klaar: () => {
        this.bezig.delete(k);
        this.seintje();
      },
    };
  }

  /** Resolves at the next change: jobs added, a turn ended, or `seintje` called. */
  verandering(): Promise<void> {
    return new Promise((r) => this.wachtenden.push(r));
  }

  seintje(): void {
    for (const w of this.wachtenden.splice(0)) w();
  }
}
