/**
 * The dispatcher's pace: Teams allows a bot about 7 messages a second into one conversation (8 in
 * 2 s, 60 in 30 s, 1,800 an hour) and about 30 requests a second per tenant. Each send reserves
 * the first moment at which no limit of its conversation or of its tenant would be exceeded in
 * any window, and waits until then. Sliding windows rather than refilling buckets: a bucket of 7
 * that refills at 7/s lets 13 through in one second; a window never does.
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
  ) {
    const langste = (grenzen: readonly Grens[]) => Math.max(...grenzen.map((g) => g.vensterMs));
    this.langsteMs = { gesprek: langste(gesprekGrenzen), tenant: langste(tenantGrenzen) };
  }

  /** Reserves the next allowed moment for a send into `gesprek` of `tenant` at `nu`; returns how long to wait for it. */
  reserveer(gesprek: string, tenant: string, nu: number): number {
    this.ruimOp(nu);
    const g = stroom(this.gesprekken, gesprek);
    const t = stroom(this.tenants, tenant);
    const boete = this.boete(g, nu);
    // A conversation's sends keep their order; the tenant's moments may fill gaps left by a slow conversation.
    let moment = Math.max(nu, g.momenten.at(-1) ?? nu);
    for (const grens of this.gesprekGrenzen) moment = Math.max(moment, vrij(g.momenten, Math.max(1, Math.floor(grens.aantal / 2 ** boete)), grens.vensterMs));
    for (let vorig = -1; vorig !== moment; ) {
      vorig = moment;
      for (const grens of this.tenantGrenzen) moment = ruimte(t.momenten, grens, moment);
    }
    g.momenten.push(moment);
    t.momenten.splice(plek(t.momenten, moment), 0, moment);
    return moment - nu;
  }

  /**
   * Right before a send (its reserved moment has come): how much longer to wait so that the sends
   * that really went keep within the tenant's windows too. A timer that fires late, or a slow round
   * before it, can otherwise let reserved sends go out together.
   */
  nogWachten(tenant: string, nu: number): number {
    const t = stroom(this.tenants, tenant);
    const oud = t.echt.findIndex((m) => m > nu - this.langsteMs.tenant);
    t.echt.splice(0, oud === -1 ? t.echt.length : oud);
    return Math.max(0, ...this.tenantGrenzen.map((g) => (t.echt.length >= g.aantal ? t.echt[t.echt.length - g.aantal]! + g.vensterMs - nu : 0)));
  }

  /** A send into the tenant really goes now. */
  verstuurd(tenant: string, nu: number): void {
    const t = stroom(this.tenants, tenant);
    t.echt.splice(plek(t.echt, nu), 0, nu);
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
        const oud = s.momenten.findIndex((m) => m > nu - langste);
        if (oud === -1 && this.boete(s, nu) === 0) streams.delete(key);
        else if (oud > 0) s.momenten.splice(0, oud);
      }
    }
  }
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

/** Orders jobs round-robin across their conversations, keeping each conversation's own order. */
export function rondgang<T>(items: readonly T[], sleutel: (item: T) => string): T[] {
  const rijen = new Map<string, T[]>();
  for (const item of items) {
    const k = sleutel(item);
    const rij = rijen.get(k);
    if (rij) rij.push(item);
    else rijen.set(k, [item]);
  }
  const uit: T[] = [];
  for (let i = 0; uit.length < items.length; i++) for (const rij of rijen.values()) if (i < rij.length) uit.push(rij[i]!);
  return uit;
}
