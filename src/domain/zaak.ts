import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import { VOLGENDE_STAP } from './catalogue';
import type { Afdoening, Fase, Interventiesoort, Stopreden, Instrument, Leeftijdsklasse, Partner, Patroon, Rol, Strafafdoening, Vrijheidsbeneming, Zaaktype } from './catalogue';

/**
 * Who did something: a Teams user. `id` is the AAD object id when known, else the Teams user id;
 * `teamsId` (29:…) is what mentions and user-specific card views need.
 */
export interface Actor {
  id: string;
  name: string;
  teamsId?: string;
}

/** A team member the bot can @mention and show a personal card view to. */
export interface Lid extends Actor {
  teamsId: string;
}

export interface Betrokkene {
  /** The first role; stored cases from before multiple roles have only this. */
  rol: Rol;
  /** Further roles of the same person (two-sided partner violence: verdachte and slachtoffer). */
  ookRollen?: Rol[];
  initialen?: string;
  leeftijd: Leeftijdsklasse;
  /** HMAC-SHA256 of the betrokkene's strafrechtsketennummer under PSEUDONIEM_SLEUTEL; never the number. */
  sknHash?: string;
}

/** Where the case lives in Teams: its thread in the channel and the case card at its root. */
export interface CaseThread {
  channelId: string;
  conversationId: string;
  rootMessageId: string;
}

/** One of the nine leidende principes as recorded: filled in, or not applicable with a reason. */
export interface PrincipeStand {
  stap: number;
  status: 'ingevuld' | 'nvt';
  antwoorden: Record<string, string>;
  reden?: string;
  door: Actor;
  op: string;
  /** 1 for the first record of this step, +1 for each revision (the history is in the events). */
  versie: number;
}

export type Bekendheid = 'ja' | 'nee' | 'onbekend';
export type Afwijzing = 'geen_informatie' | 'mag_niet_delen' | 'geen_rol';

/** A need-to-know question to one partner (uitvraag), asked in the case thread. */
export interface Uitvraag {
  id: string;
  invitee: Lid;
  organisatie: Partner;
  vraag: string;
  waarom: string;
  deadline: string;
  gevraagdDoor: Actor;
  gevraagdOp: string;
  /** The prompt card's message id in the case thread, once posted. */
  messageId?: string;
  /** ingetrokken: taken back by the casusregisseur (or an officier); the invitee is off the case, a response given stays on record. */
  status: 'open' | 'beantwoord' | 'afgewezen' | 'ingetrokken';
  /** `gedeeld`: the partner allows the other betrokken professionals to read it (else lead and officieren only). */
  /** `duiding`: how the partner interprets it from their organisation's view (optional). */
  antwoord?: { tekst: string; bron: string; bekend: Bekendheid; gedeeld?: boolean; duiding?: string; door: Actor; op: string; versie: number };
  afwijzing?: { soort: Afwijzing; reden: string; door: Actor; op: string };
  intrekking?: { reden: string; door: Actor; op: string };
}

export type Veiligheid = 'veilig' | 'zorgelijk' | 'onveilig' | 'onbekend';

/** The joint interpretation; every recording is a new version, the old ones stay. */
export interface Duiding {
  versie: number;
  patronen: Patroon[];
  patroonAnders?: string;
  perspectieven: { organisatie: Partner; tekst: string }[];
  tegenstrijdigheden: string;
  hypothesen: string[];
  instrumenten: { instrument: Instrument; uitkomst: string }[];
  /** Per betrokkene (index into the case's betrokkenen): how safe now and after the decision. */
  veiligheid: { betrokkene: number; nu: Veiligheid; straks: Veiligheid; toelichting?: string }[];
  door: Actor;
  op: string;
}

export type Tijdstrategie = 'versnellen' | 'vertragen' | 'intensiveren' | 'geen';

export interface Doel {
  wat: string;
  voorWie: string;
  /** ISO date (yyyy-mm-dd) by which it should be different. */
  wanneer: string;
  /** Set when the team confirmed a goal the bot flagged as too general. */
  algemeenBevestigd?: boolean;
}

export interface Actie {
  id: string;
  wat: string;
  /** The team member accountable (who gets the due card); with `organisatie`, a partner carries it out. */
  eigenaar: Lid;
  /** The partner organisation that carries it out (the wijkagent, the gezinsvoogd, team mensenhandel). */
  organisatie?: Partner;
  /** ISO date (yyyy-mm-dd). */
  datum: string;
  status: 'open' | 'gereed' | 'vervallen';
  toelichting?: string;
  /** Who last updated it and when (from its last actie.bijgewerkt). */
  bijgewerkt?: { door: string; op: string };
}

/** One intervention of the besluit, carried out by a partner organisation. */
export interface Interventie {
  soort: Interventiesoort;
  organisatie: Partner;
  /** What exactly (required for "anders"): "brief in het Arabisch", "via de gemeente Haarlem". */
  toelichting?: string;
}

export interface Besluit {
  versie: number;
  vrijheidsbeneming?: Vrijheidsbeneming;
  /** The officier's criminal-law disposal; `toelichting` holds the voorwaarden, or what "anders" is. */
  strafrechtelijk?: { afdoening: Strafafdoening; toelichting?: string };
  interventies?: Interventie[];
  /** Besluiten stored before the three fields above had one afdoening instead; read through `besluitKeten`. */
  afdoening?: Afdoening;
  afdoeningAnders?: string;
  zorg: string;
  waaromMix: string;
  tijdstrategie: { keuze: Tijdstrategie; reden: string };
  doelen: Doel[];
  acties: Actie[];
  /** ISO dates (yyyy-mm-dd) of the monitoring checks. */
  monitoring: string[];
  /** Uitstel (spelen met tijd: vertragen): the decision itself is postponed to this date (ISO instant) for this reason. */
  plandatum?: { op: string; reden: string };
  door: Actor;
  op: string;
  /** When the first version was recorded (days to besluit count to here). */
  eersteOp?: string;
}

export interface Afsluiting {
  /** Why the verdieping stopped; cases closed before stop reasons existed have none. */
  stopreden?: Stopreden;
  leeropbrengst: string;
  /** Does it resemble other cases, and how does it differ (casusoverstijgend leren). */
  vergelijking?: string;
  uitkomst: string;
  door: Actor;
  op: string;
}

export interface MonitoringCheck {
  datum: string;
  hermelding: Bekendheid;
  hermeldingWat?: string;
  koersPassend: boolean;
  toelichting?: string;
  /** Asked at the last check of the besluit: were the goals reached? */
  doelenBereikt?: 'ja' | 'deels' | 'nee';
  door: Actor;
  op: string;
}

/** A follow-up card the dispatcher posted: what it is about, so its view can be shown again as the case changes. */
export type Opvolgkaartsoort = 'herinnering' | 'verlopen' | 'plandatum' | 'actie' | 'monitoring';

/**
 * A follow-up card in Teams: `ref` is the uitvraag or actie id, or the monitoring date; `basis` the
 * date the card asked about (an action's date, a postponed decision's instant); `lead` the case lead
 * it mentioned, if any.
 */
export interface Opvolgkaart {
  soort: Opvolgkaartsoort;
  ref: string;
  basis?: string;
  lead?: Lid;
  conversationId: string;
  messageId: string;
}

export interface Verdiepingszaak {
  teamId: string;
  id: string;
  reference: string;
  types: Zaaktype[];
  signaal: string;
  betrokkenen: Betrokkene[];
  deadline?: string;
  fase: Fase;
  /** The phase before the current one, so a closed case can be reopened where it was. */
  vorigeFase?: Fase;
  flaggedBy: Actor;
  flaggedAt: string;
  lead: Actor;
  thread?: CaseThread;
  /** Message id of the verdiepingskaart (the principles overview) in the case thread. */
  verdiepingskaartId?: string;
  principes: Record<number, PrincipeStand>;
  uitvragen: Uitvraag[];
  duidingen: Duiding[];
  besluit?: Besluit;
  monitoring: MonitoringCheck[];
  afsluiting?: Afsluiting;
  heropeningen: { reden: string; door: Actor; op: string }[];
  /** Team members the casusregisseur gave access to the case's content, and who asked for it. */
  toegang?: { leden: Lid[]; verzoeken: Lid[] };
  /** The follow-up cards posted for the case (reminders, deadline notices, due actions, monitoring, plandatum), kept up to date. */
  opvolgkaarten?: Opvolgkaart[];
  /** Cards the bot posted in the case thread besides the case card, verdiepingskaart and prompts (summaries, notices). */
  berichten?: string[];
  /** The random id of the case's learning record (the record does not point back). */
  leerregelId?: string;
  /** The earlier case this one repeats (started after a hermelding there). */
  herhaalVan?: string;
  updatedAt: string;
  /** Number of events applied: the optimistic-concurrency token. */
  version: number;
}

/** The keyed SKN hashes of a case's betrokkenen, each once. */
export function sknHashes(zaak: Pick<Verdiepingszaak, 'betrokkenen'>): string[] {
  return [...new Set(zaak.betrokkenen.flatMap((b) => (b.sknHash ? [b.sknHash] : [])))];
}

/** The fields of a case's line (zaakregel); a store that projects the line from the case reads these. */
export const ZAAKREGEL_VELDEN = ['id', 'reference', 'types', 'fase', 'flaggedAt', 'thread'] as const;

/** A case as a list shows it: what the store reads for `zaken` and the digest's lists, without the rest of the case. */
export type Zaakregel = Pick<Verdiepingszaak, (typeof ZAAKREGEL_VELDEN)[number]>;

export function zaakregel(zaak: Verdiepingszaak): Zaakregel {
  return { id: zaak.id, reference: zaak.reference, types: zaak.types, fase: zaak.fase, flaggedAt: zaak.flaggedAt, ...(zaak.thread ? { thread: zaak.thread } : {}) };
}

interface EventBase {
  teamId: string;
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
}

export type ZaakEvent = EventBase &
  (
    | {
        type: 'zaak.gemarkeerd';
        data: {
          reference: string;
          types: Zaaktype[];
          signaal: string;
          betrokkenen: Betrokkene[];
          deadline?: string;
          herhaalVan?: string;
        };
      }
    | { type: 'zaak.thread_geopend'; data: CaseThread }
    | { type: 'zaak.fase_gewijzigd'; data: { van: Fase; naar: Fase; reden?: string } }
    | { type: 'zaak.verdiepingskaart_geplaatst'; data: { messageId: string } }
    | { type: 'zaak.casusregie_overgedragen'; data: { naar: Actor } }
    | { type: 'principe.vastgelegd'; data: { stap: number; status: 'ingevuld' | 'nvt'; antwoorden: Record<string, string>; reden?: string } }
    | { type: 'uitvraag.verstuurd'; data: Omit<Uitvraag, 'status' | 'antwoord' | 'afwijzing' | 'intrekking' | 'messageId' | 'gevraagdDoor' | 'gevraagdOp'> }
    | { type: 'uitvraag.kaart_geplaatst'; data: { uitvraagId: string; messageId: string } }
    | { type: 'uitvraag.beantwoord'; data: { uitvraagId: string; tekst: string; bron: string; bekend: Bekendheid; gedeeld?: boolean; duiding?: string } }
    | { type: 'uitvraag.afgewezen'; data: { uitvraagId: string; soort: Afwijzing; reden: string } }
    | { type: 'uitvraag.ingetrokken'; data: { uitvraagId: string; reden: string } }
    | { type: 'duiding.vastgelegd'; data: Omit<Duiding, 'versie' | 'door' | 'op'> }
    | { type: 'besluit.vastgelegd'; data: Omit<Besluit, 'versie' | 'door' | 'op' | 'eersteOp'> }
    | { type: 'actie.bijgewerkt'; data: { actieId: string; status: Actie['status']; datum?: string; toelichting?: string } }
    | { type: 'monitoring.vastgelegd'; data: Omit<MonitoringCheck, 'door' | 'op'> }
    | { type: 'zaak.gesloten'; data: { stopreden?: Stopreden; leeropbrengst: string; vergelijking?: string; uitkomst: string } }
    | { type: 'zaak.heropend'; data: { reden: string } }
    | { type: 'toegang.gevraagd'; data: { lid: Lid } }
    | { type: 'toegang.verleend'; data: { lid: Lid } }
    | { type: 'toegang.geweigerd'; data: { lid: Lid } }
    | { type: 'toegang.ingetrokken'; data: { lid: Lid } }
    | { type: 'zaak.bericht_geplaatst'; data: { messageId: string } }
    | { type: 'opvolging.kaart_geplaatst'; data: Opvolgkaart }
    | { type: 'leerregel.aangemaakt'; data: { id: string } }
  );

export type ZaakEventType = ZaakEvent['type'];

/** Distributes Omit over the event union so each variant keeps its own data shape. */
export type NewZaakEvent = ZaakEvent extends infer E ? (E extends ZaakEvent ? Omit<E, keyof EventBase> : never) : never;

export class DomainError extends Error {
  constructor(public readonly userMessage: string) {
    super(userMessage);
    this.name = 'DomainError';
  }
}

/**
 * A save based on an older version of what it changes: refused, so nothing is overwritten unseen.
 * `versie` is the current version, for the form to be based on when it is shown again.
 */
export class VerouderdeInvoer extends DomainError {
  constructor(
    userMessage: string,
    public readonly versie: number,
  ) {
    super(userMessage);
    this.name = 'VerouderdeInvoer';
  }
}

/** The version a form was opened on, with what the refusal needs to say when it was. */
export interface Basis {
  versie: number;
  timeZone: string;
  now: Date;
}

/** A form's basis, when the form said which version it showed (forms posted before it did, did not). */
export function basisVan(versie: number | undefined, timeZone: string, now: Date): Basis | undefined {
  return versie === undefined ? undefined : { versie, timeZone, now };
}

/** When something happened, as a refusal says it: "om 14:05" today, else with the day. */
export function tijdstip(iso: string, basis: Pick<Basis, 'timeZone' | 'now'>): string {
  const at = DateTime.fromISO(iso, { zone: 'utc' }).setZone(basis.timeZone).setLocale('nl');
  const vandaag = DateTime.fromJSDate(basis.now).setZone(basis.timeZone).hasSame(at, 'day');
  return vandaag ? `om ${at.toFormat('HH:mm')}` : `op ${at.toFormat('d LLLL')} om ${at.toFormat('HH:mm')}`;
}

const VOLGORDE: Fase[] = ['gemarkeerd', 'contextinformatie', 'duiding', 'besluit', 'monitoring', 'gesloten'];

/**
 * Phases move forward one step or more (a step may be skipped), back when the course changes
 * (to contextinformatie or duiding), and a closed case can only be reopened.
 */
export function canTransition(van: Fase, naar: Fase): boolean {
  if (van === naar) return false;
  if (van === 'gesloten') return naar !== 'gemarkeerd';
  if (VOLGORDE.indexOf(naar) > VOLGORDE.indexOf(van)) return true;
  return naar === 'contextinformatie' || naar === 'duiding';
}

export function isOpen(zaak: Verdiepingszaak): boolean {
  return zaak.fase !== 'gesloten';
}

/** What the team should do next: the phase's step, or the besluit once the duiding is recorded. */
export function volgendeStap(zaak: Pick<Verdiepingszaak, 'fase' | 'duidingen'>): string {
  return zaak.fase === 'duiding' && zaak.duidingen.length > 0 ? VOLGENDE_STAP.besluit : VOLGENDE_STAP[zaak.fase];
}

/** The projection of a case from its events: the only way a case's state changes. */
export function applyEvent(zaak: Verdiepingszaak | undefined, event: ZaakEvent): Verdiepingszaak {
  if (event.type === 'zaak.gemarkeerd') {
    if (zaak) throw new Error(`case ${event.caseId} already exists`);
    return {
      teamId: event.teamId,
      id: event.caseId,
      ...event.data,
      fase: 'gemarkeerd',
      flaggedBy: event.actor,
      flaggedAt: event.at,
      lead: event.actor,
      principes: {},
      uitvragen: [],
      duidingen: [],
      monitoring: [],
      heropeningen: [],
      updatedAt: event.at,
      version: event.seq,
    };
  }
  if (!zaak) throw new Error(`event ${event.type} before the case was flagged`);
  const next: Verdiepingszaak = { ...zaak, updatedAt: event.at, version: event.seq };
  switch (event.type) {
    case 'zaak.thread_geopend':
      // A new thread after the old one was lost: the cards posted in the old one are gone with it.
      if (zaak.thread) {
        const weg = zaak.thread.conversationId;
        const opvolgkaarten = zaak.opvolgkaarten?.filter((o) => o.conversationId !== weg);
        return { ...next, thread: event.data, verdiepingskaartId: undefined, uitvragen: zaak.uitvragen.map(({ messageId: _, ...u }) => u), ...(opvolgkaarten ? { opvolgkaarten } : {}) };
      }
      return { ...next, thread: event.data };
    case 'zaak.fase_gewijzigd':
      return { ...next, fase: event.data.naar, vorigeFase: event.data.van };
    case 'zaak.verdiepingskaart_geplaatst':
      return { ...next, verdiepingskaartId: event.data.messageId };
    case 'zaak.casusregie_overgedragen':
      return { ...next, lead: event.data.naar };
    case 'principe.vastgelegd': {
      const versie = (zaak.principes[event.data.stap]?.versie ?? 0) + 1;
      return { ...next, principes: { ...zaak.principes, [event.data.stap]: { ...event.data, door: event.actor, op: event.at, versie } } };
    }
    case 'uitvraag.verstuurd':
      return { ...next, uitvragen: [...zaak.uitvragen, { ...event.data, gevraagdDoor: event.actor, gevraagdOp: event.at, status: 'open' }] };
    case 'uitvraag.kaart_geplaatst':
      return { ...next, uitvragen: withUitvraag(zaak, event.data.uitvraagId, (u) => ({ ...u, messageId: event.data.messageId })) };
    case 'uitvraag.beantwoord': {
      const { uitvraagId, ...antwoord } = event.data;
      return {
        ...next,
        uitvragen: withUitvraag(zaak, uitvraagId, (u) => ({
          ...u,
          status: 'beantwoord',
          antwoord: { ...antwoord, door: event.actor, op: event.at, versie: (u.antwoord?.versie ?? 0) + 1 },
          afwijzing: undefined,
        })),
      };
    }
    case 'uitvraag.afgewezen': {
      const { uitvraagId, ...afwijzing } = event.data;
      return { ...next, uitvragen: withUitvraag(zaak, uitvraagId, (u) => ({ ...u, status: 'afgewezen', afwijzing: { ...afwijzing, door: event.actor, op: event.at } })) };
    }
    case 'uitvraag.ingetrokken': {
      const { uitvraagId, reden } = event.data;
      return { ...next, uitvragen: withUitvraag(zaak, uitvraagId, (u) => ({ ...u, status: 'ingetrokken', intrekking: { reden, door: event.actor, op: event.at } })) };
    }
    case 'duiding.vastgelegd':
      return { ...next, duidingen: [...zaak.duidingen, { ...event.data, versie: zaak.duidingen.length + 1, door: event.actor, op: event.at }] };
    case 'besluit.vastgelegd':
      return { ...next, besluit: { ...event.data, versie: (zaak.besluit?.versie ?? 0) + 1, door: event.actor, op: event.at, eersteOp: zaak.besluit?.eersteOp ?? zaak.besluit?.op ?? event.at } };
    case 'actie.bijgewerkt': {
      if (!zaak.besluit) throw new Error('actie.bijgewerkt without a besluit');
      const { actieId, ...change } = event.data;
      const acties = zaak.besluit.acties.map((a) => (a.id === actieId ? { ...a, ...change, bijgewerkt: { door: event.actor.name, op: event.at } } : a));
      return { ...next, besluit: { ...zaak.besluit, acties } };
    }
    case 'monitoring.vastgelegd':
      return { ...next, monitoring: [...zaak.monitoring, { ...event.data, door: event.actor, op: event.at }] };
    case 'zaak.gesloten':
      return { ...next, afsluiting: { ...event.data, door: event.actor, op: event.at } };
    case 'zaak.heropend':
      return { ...next, heropeningen: [...zaak.heropeningen, { reden: event.data.reden, door: event.actor, op: event.at }] };
    case 'toegang.gevraagd': {
      const t = toegangVan(zaak);
      return { ...next, toegang: { ...t, verzoeken: [...t.verzoeken.filter((l) => l.id !== event.data.lid.id), event.data.lid] } };
    }
    case 'toegang.verleend': {
      const t = toegangVan(zaak);
      return { ...next, toegang: { leden: [...t.leden.filter((l) => l.id !== event.data.lid.id), event.data.lid], verzoeken: t.verzoeken.filter((l) => l.id !== event.data.lid.id) } };
    }
    case 'toegang.geweigerd': {
      const t = toegangVan(zaak);
      return { ...next, toegang: { ...t, verzoeken: t.verzoeken.filter((l) => l.id !== event.data.lid.id) } };
    }
    case 'toegang.ingetrokken': {
      const t = toegangVan(zaak);
      return { ...next, toegang: { ...t, leden: t.leden.filter((l) => l.id !== event.data.lid.id) } };
    }
    case 'zaak.bericht_geplaatst':
      return { ...next, berichten: [...(zaak.berichten ?? []), event.data.messageId] };
    case 'opvolging.kaart_geplaatst':
      return { ...next, opvolgkaarten: [...(zaak.opvolgkaarten ?? []).filter((o) => o.messageId !== event.data.messageId), event.data] };
    case 'leerregel.aangemaakt':
      return { ...next, leerregelId: event.data.id };
  }
}

/** Who was given access to the case's content and who asked (empty for cases from before access requests). */
export function toegangVan(zaak: Verdiepingszaak): { leden: Lid[]; verzoeken: Lid[] } {
  return zaak.toegang ?? { leden: [], verzoeken: [] };
}

function withUitvraag(zaak: Verdiepingszaak, id: string, change: (u: Uitvraag) => Uitvraag): Uitvraag[] {
  if (!zaak.uitvragen.some((u) => u.id === id)) throw new Error(`uitvraag ${id} not found`);
  return zaak.uitvragen.map((u) => (u.id === id ? change(u) : u));
}

/** Prompt counts as shown on the case card. */
export function uitvraagTelling(zaak: Verdiepingszaak): { open: number; beantwoord: number; afgewezen: number; ingetrokken: number } {
  const count = (status: Uitvraag['status']) => zaak.uitvragen.filter((u) => u.status === status).length;
  return { open: count('open'), beantwoord: count('beantwoord'), afgewezen: count('afgewezen'), ingetrokken: count('ingetrokken') };
}

/** A question that counts: not withdrawn (a withdrawn one was asked of the wrong partner, or no longer needed). */
export function geldend(u: Pick<Uitvraag, 'status'>): boolean {
  return u.status !== 'ingetrokken';
}

/** The prompt counts in words, as the case card and the verdiepingskaart show them. */
export function uitvraagStand(zaak: Verdiepingszaak): string {
  const t = uitvraagTelling(zaak);
  return `${t.open} open · ${t.beantwoord} beantwoord · ${t.afgewezen} afgewezen${t.ingetrokken > 0 ? ` · ${t.ingetrokken} ingetrokken` : ''}`;
}

/** Stamps new events with sequence numbers, actor and time, and applies them. */
export function record(
  zaak: Verdiepingszaak | undefined,
  ids: { teamId: string; caseId: string },
  actor: Actor,
  at: Date,
  changes: NewZaakEvent[],
): { zaak: Verdiepingszaak; events: ZaakEvent[] } {
  let current = zaak;
  const events: ZaakEvent[] = [];
  for (const change of changes) {
    const event = { ...change, ...ids, seq: (current?.version ?? 0) + 1, at: at.toISOString(), actor } as ZaakEvent;
    current = applyEvent(current, event);
    events.push(event);
  }
  if (!current) throw new Error('record needs at least one event');
  return { zaak: current, events };
}

/** A phase change as an event, refused when the step is not allowed. */
export function changePhase(zaak: Verdiepingszaak, naar: Fase, reden?: string): NewZaakEvent {
  if (!canTransition(zaak.fase, naar)) {
    throw new DomainError(`De zaak kan niet van fase "${zaak.fase}" naar "${naar}".`);
  }
  return { type: 'zaak.fase_gewijzigd', data: { van: zaak.fase, naar, ...(reden ? { reden } : {}) } };
}

/** Local calendar days since an instant, as shown to users ("3 dagen"); never negative. */
export function ageInDays(since: string, now: Date, timeZone: string): number {
  return dagTeller(now, timeZone)(since);
}

const DAG_MS = 86_400_000;

/**
 * ageInDays for a whole list at one `now`: the local starts of today and of the days before it
 * are worked out once each (with luxon, so daylight-saving days count as one day), and each item
 * only compares its instant with them. Only an instant in the hour a day starts twice (clocks set
 * back across midnight) has its own local date looked up.
 */
export function dagTeller(now: Date, timeZone: string): (since: string) => number {
  const { dag } = kalender(now.getTime(), timeZone);
  const vandaag = dag(0);
  // Day k (days back) holds t from its last start; between its two starts, t may still be on the day before.
  const binnen = (t: number, k: number) => {
    const d = dag(k);
    return t >= d.laatste || lokaleDag(new Date(t), timeZone) === d.datum ? k : k + 1;
  };
  return (since) => {
    const t = Date.parse(since);
    if (t >= vandaag.eerste) return binnen(t, 0);
    // Days are 23 to 25 hours long: start from the 24-hour estimate and step to the last day that starts at or before t.
    let k = Math.max(1, Math.ceil((vandaag.eerste - t) / DAG_MS));
    while (dag(k).eerste > t) k++;
    while (k > 1 && dag(k - 1).eerste <= t) k--;
    return binnen(t, k);
  };
}

/** The local days around `now`: the one `k` days before today (after it when `k` is negative), with its date and starts. */
export function lokaleDagen(now: Date, timeZone: string): (k: number) => Dag {
  return kalender(now.getTime(), timeZone).dag;
}

/** Per time zone, a formatter of local dates (Intl's, kept: building one costs more than using it). */
const datumFormaten = new Map<string, Intl.DateTimeFormat>();

/** Local dates already worked out, by zone and UTC minute (a list shows the same recorded moments on every view). */
const dagen = new LRUCache<string, string>({ max: 10_000 });

/** From here on every zone's offset is whole minutes (Africa/Monrovia's -0:44:30 ended on 7 January 1972). */
const HELE_MINUTEN_VANAF = Date.UTC(1972, 0, 8);

/**
 * A key shared by the instants of one UTC minute in a time zone: they read the same to the minute
 * there, on the same local date. Undefined before every zone's offset was whole minutes.
 */
export function minuutSleutel(ms: number, timeZone: string): string | undefined {
  return ms >= HELE_MINUTEN_VANAF ? `${timeZone} ${Math.floor(ms / 60_000)}` : undefined;
}

/** The local date (yyyy-mm-dd) of an instant in the team's time zone ('' for an unreadable one). */
export function lokaleDag(instant: Date | string, timeZone: string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) return '';
  const sleutel = minuutSleutel(ms, timeZone);
  const bekend = sleutel === undefined ? undefined : dagen.get(sleutel);
  if (bekend !== undefined) return bekend;
  let formaat = datumFormaten.get(timeZone);
  if (!formaat) {
    formaat = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'iso8601', numberingSystem: 'latn' });
    datumFormaten.set(timeZone, formaat);
  }
  const deel = Object.fromEntries(formaat.formatToParts(ms).map((p) => [p.type, p.value]));
  const dag = `${deel.year!.padStart(4, '0')}-${deel.month}-${deel.day}`;
  if (sleutel !== undefined) dagen.set(sleutel, dag);
  return dag;
}

/** A local day and when it starts. */
export interface Dag {
  /** yyyy-mm-dd */
  datum: string;
  /** Its first and last start: the same, unless clocks go back across midnight and the day starts twice. */
  eerste: number;
  laatste: number;
}

interface Kalender {
  /** The instants surely on this local day: from its last start to the next day's first. */
  begin: number;
  eind: number;
  /** The local day `k` days before this one. */
  dag: (k: number) => Dag;
}

/** Per time zone, the local day last asked for: turns on the same day share its day starts (no time-zone maths per turn). */
const kalenders = new Map<string, Kalender>();

/**
 * When the local day of `datum` starts. A day whose midnight is skipped starts at the hour after
 * it. Where clocks go back across midnight (Havana, 1:00 to 0:00), midnight comes twice, under the
 * offset before the change and the one after: each is a start if that offset holds at it.
 */
function dagVan(datum: DateTime): Dag {
  const middernacht = datum.startOf('day');
  const ms = middernacht.toMillis();
  const wandklok = ms + middernacht.offset * 60_000;
  const zone = middernacht.zone;
  const starts = [-3, 3]
    .map((uren) => zone.offset(ms + uren * 3_600_000))
    .map((offset) => ({ offset, t: wandklok - offset * 60_000 }))
    .filter(({ offset, t }) => zone.offset(t) === offset)
    .map(({ t }) => t);
  return { datum: middernacht.toISODate()!, eerste: Math.min(ms, ...starts), laatste: Math.max(ms, ...starts) };
}

function kalender(ms: number, timeZone: string): Kalender {
  const bekend = kalenders.get(timeZone);
  if (bekend && ms >= bekend.begin && ms < bekend.eind) return bekend;
  const vandaag = DateTime.fromMillis(ms, { zone: timeZone }).startOf('day');
  const dagen = new Map<number, Dag>([[0, dagVan(vandaag)]]);
  const k: Kalender = {
    begin: dagen.get(0)!.laatste,
    eind: dagVan(vandaag.plus({ days: 1 })).eerste,
    dag: (n) => {
      let d = dagen.get(n);
      if (!d) {
        d = dagVan(vandaag.minus({ days: n }));
        if (dagen.size < 4_000) dagen.set(n, d);
      }
      return d;
    },
  };
  kalenders.set(timeZone, k);
  return k;
}
