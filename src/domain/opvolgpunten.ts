import { besluitKeten } from './besluit';
import { geldend, sknHashes, type CaseThread, type Verdiepingszaak } from './zaak';

/**
 * The follow-up points of a case: one small record per thing the digest counts or lists, derived
 * from the case as stored, so the store can count and page them per kind with an index instead
 * of reading every case. `op` orders them: an ISO date (actions, monitoring) or an ISO instant.
 *
 *   vraag       an open question of an open case, at its deadline (wat: the partner)
 *   actie       an open action of an open case, on its date
 *   monitoring  a planned monitoring check of an open case not yet reported, on its date
 *   plandatum   the postponed decision of an open case, at its instant
 *   gesloten    a closed case, at its closing
 *   patroon     a pattern named in the case's duidingen, at the newest duiding naming it (wat: the pattern)
 *   hermelding  a monitoring check that reported a hermelding or recidive, when it was reported
 *   afdoening   the strafrechtelijke afdoening of the case's besluit, at that besluit (wat: the afdoening)
 *   interventie an intervention of the case's besluit, at that besluit (wat: its kind, once per kind)
 *   partnerduiding  a partner organisation that gave its own duiding with its answer, at the newest such answer (wat: the organisation)
 *   betrokkene  a betrokkene known by the keyed hash of an SKN, of any case, at its flagging (wat: that hash): "oude bekenden"
 *   actiehouder an open action of an open case, on its date (wat: its holder's id; AAD when known): "mijn acties"
 *   vraaghouder an open partner question of an open case, at its deadline (wat: the invitee's id)
 *
 * and for the verdiepingsoverleg's "te bespreken", of open cases only:
 *   zonderduiding  a case with no duiding yet, at its flagging
 *   onveilig       a case whose latest duiding marks a betrokkene onveilig (now or after the besluit), at that duiding
 *   nietpassend    a case whose latest monitoring check found the course niet passend, at that check
 *   doel           a goal of the besluit, on its date
 */
export type PuntSoort =
  | 'vraag'
  | 'actie'
  | 'monitoring'
  | 'plandatum'
  | 'gesloten'
  | 'patroon'
  | 'hermelding'
  | 'afdoening'
  | 'interventie'
  | 'partnerduiding'
  | 'betrokkene'
  | 'actiehouder'
  | 'vraaghouder'
  | 'zonderduiding'
  | 'onveilig'
  | 'nietpassend'
  | 'doel';

/** Raised whenever opvolgpunten derives points a stored case may not have yet: the stores then recompute them for every case. */
export const PUNTEN_VERSIE = 6;

export interface Opvolgpunt {
  teamId: string;
  caseId: string;
  reference: string;
  soort: PuntSoort;
  op: string;
  wat?: string;
  thread?: CaseThread;
  /** Unique within the case (with the soort). */
  sleutel: string;
}

/** A page of one kind of points of a team: those with `op` in [van, tot) (and `wat` one of these, when given), first by `op` then reference. */
export interface PuntVraag {
  soort: PuntSoort;
  van?: string;
  tot?: string;
  wat?: readonly string[];
  limit: number;
}

export interface PuntPagina {
  total: number;
  punten: Opvolgpunt[];
}

/** An instant in toISOString's form, so instants compare as strings (left as it is when unreadable). */
function instant(op: string): string {
  const t = Date.parse(op);
  return Number.isNaN(t) ? op : new Date(t).toISOString();
}

export function opvolgpunten(zaak: Verdiepingszaak): Opvolgpunt[] {
  const basis = { teamId: zaak.teamId, caseId: zaak.id, reference: zaak.reference, ...(zaak.thread ? { thread: zaak.thread } : {}) };
  const punten: Opvolgpunt[] = [];
  const punt = (soort: PuntSoort, sleutel: string, op: string, wat?: string) => punten.push({ ...basis, soort, sleutel, op, ...(wat !== undefined ? { wat } : {}) });
  if (zaak.fase === 'gesloten') {
    punt('gesloten', 'gesloten', instant(zaak.afsluiting?.op ?? zaak.updatedAt));
  } else {
    for (const u of zaak.uitvragen) {
      if (u.status !== 'open') continue;
      punt('vraag', u.id, instant(u.deadline), u.organisatie);
      punt('vraaghouder', u.id, instant(u.deadline), u.invitee.id);
    }
    const b = zaak.besluit;
    if (b) {
      for (const a of b.acties) {
        if (a.status !== 'open') continue;
        punt('actie', a.id, a.datum);
        punt('actiehouder', a.id, a.datum, a.eigenaar.id);
      }
      for (const d of new Set(b.monitoring)) if (!zaak.monitoring.some((m) => m.datum === d)) punt('monitoring', d, d);
      if (b.plandatum) punt('plandatum', 'plandatum', instant(b.plandatum.op));
      b.doelen.forEach((d, i) => punt('doel', String(i), d.wanneer));
    }
    const duiding = zaak.duidingen.at(-1);
    if (!duiding) punt('zonderduiding', 'zonderduiding', instant(zaak.flaggedAt));
    else if (duiding.veiligheid.some((v) => v.nu === 'onveilig' || v.straks === 'onveilig')) punt('onveilig', 'onveilig', instant(duiding.op));
    const check = zaak.monitoring.at(-1);
    if (check && !check.koersPassend) punt('nietpassend', 'nietpassend', instant(check.op));
  }
  const patronen = new Map<string, string>();
  for (const d of zaak.duidingen) {
    for (const p of [...d.patronen, ...(d.patroonAnders?.trim() ? ['anders'] : [])]) if ((patronen.get(p) ?? '') < d.op) patronen.set(p, d.op);
  }
  for (const [p, op] of patronen) punt('patroon', p, instant(op), p);
  if (zaak.besluit) {
    const keten = besluitKeten(zaak.besluit);
    const op = instant(zaak.besluit.op);
    if (keten.strafrechtelijk.afdoening !== 'nog_te_bepalen') punt('afdoening', 'afdoening', op, keten.strafrechtelijk.afdoening);
    for (const soort of new Set(keten.interventies.map((i) => i.soort))) punt('interventie', soort, op, soort);
  }
  const duiders = new Map<string, string>();
  for (const u of zaak.uitvragen.filter(geldend)) if (u.antwoord?.duiding?.trim() && (duiders.get(u.organisatie) ?? '') < u.antwoord.op) duiders.set(u.organisatie, u.antwoord.op);
  for (const [organisatie, op] of duiders) punt('partnerduiding', organisatie, instant(op), organisatie);
  zaak.monitoring.forEach((m, i) => {
    if (m.hermelding === 'ja') punt('hermelding', String(i), instant(m.op));
  });
  for (const hash of sknHashes(zaak)) punt('betrokkene', hash, instant(zaak.flaggedAt), hash);
  return punten;
}

/** Ordered as the store pages them: by `op`, then reference, then key. */
export function puntVolgorde(a: Opvolgpunt, b: Opvolgpunt): number {
  return a.op < b.op ? -1 : a.op > b.op ? 1 : a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : a.sleutel < b.sleutel ? -1 : a.sleutel > b.sleutel ? 1 : 0;
}

const binnen = (p: Opvolgpunt, v: Omit<PuntVraag, 'limit'>) => p.soort === v.soort && (v.van === undefined || p.op >= v.van) && (v.tot === undefined || p.op < v.tot);

/** The store's page, computed over points in memory. */
export function puntPagina(punten: readonly Opvolgpunt[], vraag: PuntVraag): PuntPagina {
  const gevonden = punten.filter((p) => binnen(p, vraag)).sort(puntVolgorde);
  return { total: gevonden.length, punten: gevonden.slice(0, vraag.limit) };
}

/** How many points of the kind in [van, tot) have each of `waarden` as `wat`. */
export function puntTelling(punten: readonly Opvolgpunt[], vraag: Omit<PuntVraag, 'limit'>, waarden: readonly string[]): Record<string, number> {
  const gevonden = punten.filter((p) => binnen(p, vraag));
  return Object.fromEntries(waarden.map((w) => [w, gevonden.filter((p) => p.wat === w).length]));
}
