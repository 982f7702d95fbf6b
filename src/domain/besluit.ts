import { DateTime } from 'luxon';
import { z } from 'zod';
import { AFDOENINGEN, INTERVENTIES, PARTNERS, STRAFAFDOENINGEN, TIJDSTRATEGIEEN, VRIJHEIDSBENEMING, type Afdoening, type Fase, type Interventiesoort, type Partner, type Strafafdoening, type Vrijheidsbeneming } from './catalogue';
import { privacyFout, schoon } from './privacy';
import { newJob, type PlanningRule, type ScheduledJob } from './jobs';
import type { FieldErrors } from './markering';
import { canTransition, changePhase, DomainError, tijdstip, VerouderdeInvoer, type Actie, type Basis, type Besluit, type Doel, type Interventie, type Lid, type NewZaakEvent, type Tijdstrategie, type Verdiepingszaak } from './zaak';
import { zoekLid } from './teamlid';


export const MAX_DOELEN = 4;
export const MAX_ACTIES = 5;
export const MAX_MONITORING = 4;
/** At most this many interventions are read from one form. */
export const MAX_INTERVENTIES = 12;

/** Text limits per field, chosen so the whole form stays within Teams' card size at its largest. */
export const BESLUIT_MAX = {
  afdoeningToelichting: 200,
  interventie: 200,
  zorg: 1000,
  waaromMix: 1000,
  reden: 500,
  doel: 300,
  voorWie: 100,
  actie: 300,
} as const;

/** Follow-ups (action due dates, monitoring, plandatum) are due at this local hour on their day. */
export const OPVOLGUUR = 9;

/** What a besluit records, before version, author and time are stamped on it. */
export type BesluitData = Omit<Besluit, 'versie' | 'door' | 'op' | 'eersteOp'>;

/** The besluit form as typed in: strings, as Adaptive Card inputs send them. */
export interface BesluitInvoer {
  vrijheidsbeneming: string;
  strafrechtelijk: string;
  /** The voorwaarden, or what "anders" is. */
  afdoeningToelichting: string;
  /** `organisatie` empty: the partner that usually carries it out. */
  interventies: { soort: string; organisatie: string; toelichting: string }[];
  zorg: string;
  waaromMix: string;
  tijdstrategie: string;
  tijdstrategieReden: string;
  doelen: { wat: string; voorWie: string; wanneer: string; bevestigd: boolean }[];
  /**
   * `id` is set for an action that was in the previous besluit, so its follow-up is not planned twice.
   * `eigenaar` is the chosen member's id; `naam`, when typed, names another member of a big team.
   * `organisatie`, when chosen, is the partner that carries the action out; the member is accountable.
   */
  acties: { id: string; wat: string; eigenaar: string; naam: string; datum: string; organisatie?: string }[];
  monitoring: string[];
  /** Filled in with tijdstrategie "vertragen": the decision itself waits until this date. */
  plandatum: string;
  plandatumReden: string;
}

export interface BesluitContext {
  now: Date;
  timeZone: string;
  monitoringDagen: readonly number[];
  /** The team's members: action owners are picked from them (by Teams id). */
  leden: readonly Lid[];
  newId: () => string;
  /** The besluit being revised: its actions keep their id and state, unchanged dates may lie in the past. */
  vorige?: Besluit;
}

export type BesluitUitkomst =
  | { ok: true; value: BesluitData }
  /** `teBevestigen`: goals flagged as too general; the form offers to confirm them as they are. */
  | { ok: false; errors: FieldErrors; teBevestigen: number[] };

function isKey<T extends Record<string, unknown>>(catalogue: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}

function tekstFout(tekst: string, max: number): string | undefined {
  if (tekst.length > max) return `Te lang (${tekst.length} tekens, maximaal ${max}).`;
  return privacyFout(tekst);
}

/** Today's date (yyyy-mm-dd) in the team's time zone. */
export function vandaag(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now).setZone(timeZone).toISODate()!;
}

/** A valid yyyy-mm-dd date, or undefined. */
function datum(raw: string): string | undefined {
  const value = raw.trim().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return DateTime.fromISO(value).isValid ? value : undefined;
}

/** The moment a follow-up on a date is due: OPVOLGUUR local time that day, right across daylight-saving changes. */
export function opvolgmoment(isoDate: string, timeZone: string): Date {
  return DateTime.fromISO(isoDate, { zone: timeZone }).set({ hour: OPVOLGUUR, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

/** The default monitoring dates: the configured numbers of days after the day of the besluit. */
export function standaardMonitoring(now: Date, timeZone: string, dagen: readonly number[]): string[] {
  const dag = DateTime.fromJSDate(now).setZone(timeZone).startOf('day');
  return dagen.map((d) => dag.plus({ days: d }).toISODate()!);
}

/** Phrases the report found too general to be a goal; a goal made only of such words gets flagged. */
export const ALGEMENE_VOORBEELDEN = ['hulp op gang brengen', 'veiligheid versterken', 'gesprek voeren'] as const;

const ALGEMENE_WOORDEN = new Set(
  (
    'hulp hulpverlening zorg ondersteuning ondersteunen begeleiding begeleiden steun hulptraject traject ' +
    'op gang brengen zetten inzetten starten opstarten regelen organiseren bieden geven aanbieden krijgen ' +
    'veiligheid veilig veiliger versterken vergroten verbeteren verhogen bevorderen waarborgen borgen garanderen ' +
    'gesprek gesprekken voeren aangaan houden in situatie stabiliseren stabiel stabiliteit monitoren volgen ' +
    'vinger aan pols zicht problematiek aanpakken samenwerking samenwerken afstemmen afstemming contact leggen ' +
    'opnemen plan maken verder kijken onderzoeken bespreken signaleren toeleiden toeleiding doorverwijzen verwijzen ' +
    'netwerk hulpvraag verhelderen passende passend adequate adequaat goede goed betere beter meer ' +
    'de het een en of met te van voor naar om bij dat er is wordt worden komt zijn gaat'
  ).split(/\s+/),
);

function woorden(tekst: string): string[] {
  return tekst
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when a goal's "what" is only general wording ("hulp op gang brengen", "veiligheid versterken"). */
export function isAlgemeen(wat: string): boolean {
  const w = woorden(wat);
  return w.length > 0 && w.every((woord) => ALGEMENE_WOORDEN.has(woord));
}

/** ", zoals …" with the general phrases other than the one typed. */
function andereVoorbeelden(wat: string): string {
  const getypt = woorden(wat).join(' ');
  const andere = ALGEMENE_VOORBEELDEN.filter((v) => v !== getypt);
  return `, zoals "${andere.join('", "')}"`;
}

/**
 * Why a goal is not yet concrete, as a Dutch hint, or undefined when it states what should be
 * different, for whom and by when in its own words.
 */
export function doelHint(doel: { wat: string; voorWie: string; wanneer: string }): string | undefined {
  const gebreken: string[] = [];
  if (isAlgemeen(doel.wat)) {
    gebreken.push(
      `"${doel.wat.trim()}" is een algemene formulering${andereVoorbeelden(doel.wat)}. Maak concreet wat er anders moet zijn, bijvoorbeeld: "Hij gaat vanaf 1 december vier dagen per week naar dagbesteding".`,
    );
  }
  if (!doel.voorWie.trim()) gebreken.push('Voor wie moet er iets anders zijn?');
  if (!doel.wanneer.trim()) gebreken.push('Wanneer moet het anders zijn?');
  if (gebreken.length === 0) return undefined;
  return `${gebreken.join(' ')} Scherp het doel aan, of bevestig dat je het zo wilt vastleggen.`;
}

/** Who may record the besluit: the case lead and the configured officieren (by AAD object id or Teams id). */
export function magBeslissen(zaak: Verdiepingszaak, ids: readonly string[], officieren: readonly string[]): boolean {
  const eigen = ids.filter(Boolean);
  return eigen.includes(zaak.lead.id) || (zaak.lead.teamsId !== undefined && eigen.includes(zaak.lead.teamsId)) || eigen.some((id) => officieren.includes(id));
}

export function weigering(zaak: Verdiepingszaak, wat: string): string {
  return `Alleen de casusregisseur (${zaak.lead.name}) of een officier van justitie kan ${wat}. Vraag een van hen dit te doen.`;
}

/** The besluit in the chain's terms: besluiten stored with one afdoening of the old catalogue are mapped on read. */
export interface BesluitKeten {
  /** Undefined for an old besluit that did not say. */
  vrijheidsbeneming?: Vrijheidsbeneming;
  strafrechtelijk: { afdoening: Strafafdoening; toelichting?: string };
  interventies: Interventie[];
  /** The decision waits for a plandatum (spelen met tijd: vertragen). */
  uitgesteld: boolean;
}

/** The partner that usually carries out an intervention ("anders" has none). */
export function vasteUitvoerder(soort: Interventiesoort): Partner {
  const organisaties: readonly Partner[] = INTERVENTIES[soort].organisaties;
  return organisaties[0] ?? 'anders';
}

function interventie(soort: Interventiesoort, toelichting?: string): Interventie {
  return { soort, organisatie: vasteUitvoerder(soort), ...(toelichting ? { toelichting } : {}) };
}

/** An afdoening of the old catalogue in the chain's terms (uitstel is the plandatum, read apart). */
export function oudeAfdoening(afdoening: Afdoening | undefined, anders?: string): Omit<BesluitKeten, 'uitgesteld'> {
  const nogTeBepalen = { afdoening: 'nog_te_bepalen' } as const;
  switch (afdoening) {
    case 'voorgeleiden':
      return { vrijheidsbeneming: 'voorgeleiden', strafrechtelijk: nogTeBepalen, interventies: [] };
    case 'dagvaarden':
    case 'strafbeschikking':
    case 'halt':
    case 'voorwaardelijk_sepot':
      return { strafrechtelijk: { afdoening }, interventies: [] };
    case 'sepot_met_hulp':
      return { strafrechtelijk: { afdoening: 'beleidssepot' }, interventies: [] };
    case 'corrigerend_gesprek':
      return { strafrechtelijk: nogTeBepalen, interventies: [interventie('corrigerend_gesprek')] };
    case 'overdracht_vhh':
      return { strafrechtelijk: nogTeBepalen, interventies: [interventie('casusoverleg_vhh')] };
    case 'anders':
      return { strafrechtelijk: nogTeBepalen, interventies: [interventie('anders', anders)] };
    case 'uitstel':
    case undefined:
      return { strafrechtelijk: nogTeBepalen, interventies: [] };
  }
}

/** The besluit's vrijheidsbeneming, strafrechtelijke afdoening and interventies, whenever it was stored. */
export function besluitKeten(b: Pick<Besluit, 'vrijheidsbeneming' | 'strafrechtelijk' | 'interventies' | 'afdoening' | 'afdoeningAnders' | 'plandatum'>): BesluitKeten {
  const uitgesteld = b.plandatum !== undefined;
  if (!b.strafrechtelijk) return { ...oudeAfdoening(b.afdoening, b.afdoeningAnders), uitgesteld };
  return { ...(b.vrijheidsbeneming ? { vrijheidsbeneming: b.vrijheidsbeneming } : {}), strafrechtelijk: b.strafrechtelijk, interventies: b.interventies ?? [], uitgesteld };
}

/** The strafrechtelijke afdoeningen only an officier chooses: all but "nog te bepalen". */
export const STRAFRECHTELIJKE_AFDOENINGEN: ReadonlySet<Strafafdoening> = new Set((Object.keys(STRAFAFDOENINGEN) as Strafafdoening[]).filter((a) => a !== 'nog_te_bepalen'));

export const ALLEEN_OFFICIER_AFDOENING =
  'Alleen een officier van justitie kiest of wijzigt de strafrechtelijke afdoening en de vrijheidsbeneming. Laat ze zoals ze stonden (of op nog te bepalen en niet van toepassing), of vraag een officier het besluit vast te leggen.';

/**
 * Whether someone who is not an officier may record this vrijheidsbeneming and strafrechtelijke
 * afdoening: exactly as before (an officier's choice, unchanged), or still undecided when nothing
 * was decided before.
 */
export function magAfdoening(keuze: Pick<BesluitKeten, 'vrijheidsbeneming' | 'strafrechtelijk'>, vorige: Pick<BesluitKeten, 'vrijheidsbeneming' | 'strafrechtelijk'> | undefined, officier: boolean): boolean {
  if (officier) return true;
  const was = vorige?.strafrechtelijk ?? { afdoening: 'nog_te_bepalen' };
  const straf = keuze.strafrechtelijk.afdoening === was.afdoening && (keuze.strafrechtelijk.toelichting ?? '') === (was.toelichting ?? '');
  const vrijheid = (keuze.vrijheidsbeneming ?? 'nvt') === (vorige?.vrijheidsbeneming ?? 'nvt');
  return straf && vrijheid;
}

export const EERST_DUIDING = 'Leg eerst de duiding vast: patronen, perspectieven, tegenstrijdigheden en ten minste één toetsbare hypothese. Een besluit zonder gezamenlijke duiding slaat de belangrijkste stap over.';

/** Validates the besluit form; returns the besluit or one Dutch message per field in trouble. */
export function validateBesluit(invoer: BesluitInvoer, ctx: BesluitContext): BesluitUitkomst {
  const errors: FieldErrors = {};
  const teBevestigen: number[] = [];
  const today = vandaag(ctx.now, ctx.timeZone);

  const planRaw = invoer.plandatum.trim();
  const planReden = schoon(invoer.plandatumReden);
  // Uitstel is a choice of spelen met tijd, not an afdoening: a plandatum postpones the decision itself.
  const uitstel = planRaw !== '' || planReden !== '';

  const vrijheidsbeneming = invoer.vrijheidsbeneming.trim() || (uitstel ? 'nvt' : '');
  if (!isKey(VRIJHEIDSBENEMING, vrijheidsbeneming)) errors.vrijheidsbeneming = 'Kies de vrijheidsbeneming, of "niet van toepassing".';
  const strafrechtelijk = invoer.strafrechtelijk.trim() || (uitstel ? 'nog_te_bepalen' : '');
  if (!isKey(STRAFAFDOENINGEN, strafrechtelijk)) errors.strafrechtelijk = 'Kies de strafrechtelijke afdoening, of "nog te bepalen".';
  const afdoeningToelichting = schoon(invoer.afdoeningToelichting);
  if (strafrechtelijk === 'anders' && !afdoeningToelichting) errors.afdoeningToelichting = 'Beschrijf de afdoening.';
  else if (strafrechtelijk === 'voorwaardelijk_sepot' && !afdoeningToelichting) errors.afdoeningToelichting = 'Welke voorwaarden horen bij het sepot?';
  else if (tekstFout(afdoeningToelichting, BESLUIT_MAX.afdoeningToelichting)) errors.afdoeningToelichting = tekstFout(afdoeningToelichting, BESLUIT_MAX.afdoeningToelichting)!;

  const interventies: Interventie[] = [];
  for (const rij of invoer.interventies) {
    const soort = rij.soort.trim();
    const organisatie = rij.organisatie.trim();
    const toelichting = schoon(rij.toelichting);
    if (!soort && !toelichting) continue;
    const fout = !isKey(INTERVENTIES, soort)
      ? soort ? 'Kies de interventie uit de lijst.' : 'Kies bij de interventie ook "Anders".'
      : organisatie && !isKey(PARTNERS, organisatie)
        ? 'Kies de organisatie die de interventie uitvoert.'
        : soort === 'anders' && !toelichting
          ? 'Beschrijf de andere interventie.'
          : tekstFout(toelichting, BESLUIT_MAX.interventie);
    if (fout || !isKey(INTERVENTIES, soort)) {
      errors.interventies ??= fout ?? 'Kies de interventie uit de lijst.';
      continue;
    }
    const door = isKey(PARTNERS, organisatie) ? organisatie : vasteUitvoerder(soort);
    if (interventies.some((x) => x.soort === soort && x.organisatie === door && soort !== 'anders')) continue;
    interventies.push({ soort, organisatie: door, ...(toelichting ? { toelichting } : {}) });
  }

  const zorg = schoon(invoer.zorg);
  if (!zorg && !uitstel && interventies.length === 0) errors.zorg = 'Welke zorg zetten we in? Schrijf "geen" als er bewust geen zorgcomponent is.';
  else if (tekstFout(zorg, BESLUIT_MAX.zorg)) errors.zorg = tekstFout(zorg, BESLUIT_MAX.zorg)!;

  const waaromMix = schoon(invoer.waaromMix);
  if (!waaromMix && !uitstel) errors.waaromMix = 'Leg uit waarom deze mix van zorg en straf past bij de duiding.';
  else if (tekstFout(waaromMix, BESLUIT_MAX.waaromMix)) errors.waaromMix = tekstFout(waaromMix, BESLUIT_MAX.waaromMix)!;

  const keuze = invoer.tijdstrategie.trim();
  const reden = schoon(invoer.tijdstrategieReden);
  if (!isKey(TIJDSTRATEGIEEN, keuze)) errors.tijdstrategie = 'Kies een tijdstrategie: versnellen, vertragen, intensiveren of geen.';
  else if (keuze !== 'geen' && !reden) errors.tijdstrategie = `Waarom ${TIJDSTRATEGIEEN[keuze].toLowerCase()}? Wat gebeurt er over drie maanden?`;
  else if (tekstFout(reden, BESLUIT_MAX.reden)) errors.tijdstrategie = tekstFout(reden, BESLUIT_MAX.reden)!;

  const doelen: Doel[] = [];
  invoer.doelen.forEach((rij, i) => {
    const wat = schoon(rij.wat);
    const voorWie = schoon(rij.voorWie);
    const wanneerRaw = rij.wanneer.trim();
    if (!wat && !voorWie && !wanneerRaw) return;
    const wanneer = wanneerRaw ? datum(wanneerRaw) : '';
    const fout = tekstFout(wat, BESLUIT_MAX.doel) ?? tekstFout(voorWie, BESLUIT_MAX.voorWie);
    if (!wat) errors[`doel_${i}`] = 'Beschrijf wat er anders moet zijn.';
    else if (fout) errors[`doel_${i}`] = fout;
    else if (wanneer === undefined) errors[`doel_${i}`] = 'Vul een geldige datum in.';
    else if (wanneer && wanneer < today && !ctx.vorige?.doelen.some((d) => d.wat === wat && d.wanneer === wanneer)) errors[`doel_${i}`] = 'Die datum ligt in het verleden.';
    else {
      const hint = doelHint({ wat, voorWie, wanneer });
      if (hint && !rij.bevestigd) {
        errors[`doel_${i}`] = hint;
        teBevestigen.push(i);
      } else doelen.push({ wat, voorWie, wanneer, ...(hint ? { algemeenBevestigd: true } : {}) });
    }
  });
  if (doelen.length === 0 && !uitstel && !Object.keys(errors).some((k) => k.startsWith('doel_'))) {
    errors.doelen = 'Stel ten minste één concreet doel: wat moet er anders zijn, voor wie, en wanneer?';
  }

  const acties: Actie[] = [];
  invoer.acties.forEach((rij, i) => {
    const wat = schoon(rij.wat);
    const eigenaarId = rij.eigenaar.trim();
    const naam = schoon(rij.naam);
    const datumRaw = rij.datum.trim();
    const organisatie = (rij.organisatie ?? '').trim();
    const uitvoerder = organisatie ? partnerVan(organisatie) : undefined;
    if (!wat && !eigenaarId && !naam && !datumRaw && !organisatie) return;
    const vorige = rij.id ? ctx.vorige?.acties.find((a) => a.id === rij.id) : undefined;
    const gezocht = naam ? zoekLid(ctx.leden, naam) : undefined;
    const eigenaar = gezocht
      ? 'lid' in gezocht
        ? gezocht.lid
        : undefined
      : (ctx.leden.find((l) => l.id === eigenaarId || l.teamsId === eigenaarId) ?? (vorige && (vorige.eigenaar.id === eigenaarId || vorige.eigenaar.teamsId === eigenaarId) ? vorige.eigenaar : undefined));
    const op = datum(datumRaw);
    if (!wat) errors[`actie_${i}`] = 'Beschrijf de actie.';
    else if (tekstFout(wat, BESLUIT_MAX.actie)) errors[`actie_${i}`] = tekstFout(wat, BESLUIT_MAX.actie)!;
    else if (privacyFout(naam)) errors[`actie_${i}`] = privacyFout(naam)!;
    else if (gezocht && 'fout' in gezocht) errors[`actie_${i}`] = gezocht.fout;
    else if (organisatie && !uitvoerder) errors[`actie_${i}`] = ONBEKENDE_UITVOERDER;
    else if (!eigenaar) errors[`actie_${i}`] = uitvoerder ? `Kies het teamlid dat verantwoordelijk is voor deze actie van ${PARTNERS[uitvoerder]}.` : 'Kies wie de actie uitvoert (een lid van het team).';
    else if (!op) errors[`actie_${i}`] = 'Kies de datum waarop de actie klaar moet zijn.';
    else if (op < today && op !== vorige?.datum) errors[`actie_${i}`] = 'Die datum ligt in het verleden.';
    else {
      const blijft = vorige ? { status: vorige.status, ...(vorige.toelichting ? { toelichting: vorige.toelichting } : {}) } : { status: 'open' as const };
      acties.push({ id: vorige?.id ?? ctx.newId(), wat, eigenaar: { ...eigenaar }, ...(uitvoerder ? { organisatie: uitvoerder } : {}), datum: op, ...blijft });
    }
  });
  if (acties.length === 0 && !uitstel && !Object.keys(errors).some((k) => k.startsWith('actie_'))) {
    errors.acties = 'Leg ten minste één actie vast, met wie hem uitvoert en wanneer.';
  }

  const monitoring: string[] = [];
  invoer.monitoring.forEach((raw, i) => {
    if (!raw.trim()) return;
    const op = datum(raw);
    if (!op) errors[`monitoring_${i}`] = 'Vul een geldige datum in.';
    else if (op <= today) errors[`monitoring_${i}`] = 'Een monitoringmoment ligt na vandaag.';
    else monitoring.push(op);
  });
  if (monitoring.length === 0 && !uitstel) monitoring.push(...standaardMonitoring(ctx.now, ctx.timeZone, ctx.monitoringDagen));

  let plandatum: BesluitData['plandatum'];
  if (uitstel && keuze !== 'vertragen') {
    errors.plandatum = 'Een plandatum hoort bij vertragen: kies bij spelen met tijd "Vertragen", of laat de plandatum leeg.';
  } else if (uitstel) {
    const op = datum(planRaw);
    if (!planRaw || !op) errors.plandatum = 'Kies de plandatum: wanneer nemen we het besluit alsnog?';
    else if (op <= today) errors.plandatum = 'De plandatum ligt na vandaag.';
    else if (!planReden) errors.plandatum = 'Waarop wachten we? Noem de reden van het uitstel (bijvoorbeeld informatie van het Veiligheidshuis).';
    else if (tekstFout(planReden, BESLUIT_MAX.reden)) errors.plandatum = tekstFout(planReden, BESLUIT_MAX.reden)!;
    else plandatum = { op: opvolgmoment(op, ctx.timeZone).toISOString(), reden: planReden };
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors, teBevestigen };
  return {
    ok: true,
    value: {
      vrijheidsbeneming: vrijheidsbeneming as Vrijheidsbeneming,
      strafrechtelijk: { afdoening: strafrechtelijk as Strafafdoening, ...(afdoeningToelichting ? { toelichting: afdoeningToelichting } : {}) },
      interventies,
      zorg,
      waaromMix,
      tijdstrategie: { keuze: keuze as Tijdstrategie, reden },
      doelen,
      acties,
      monitoring: [...new Set(monitoring)].sort(),
      ...(plandatum ? { plandatum } : {}),
    },
  };
}

const VOLGORDE: Fase[] = ['gemarkeerd', 'contextinformatie', 'duiding', 'besluit', 'monitoring', 'gesloten'];

/** The besluit's version a form was opened on: 0 before the first. */
export function besluitVersie(zaak: Pick<Verdiepingszaak, 'besluit'>): number {
  return zaak.besluit?.versie ?? 0;
}

/**
 * The events that record a besluit: it needs a duiding. The case moves on through phase besluit
 * to monitoring; with uitstel it waits in phase besluit for the plandatum. With a `basis`, a
 * besluit recorded meanwhile by someone else is not overwritten.
 */
export function recordBesluit(zaak: Verdiepingszaak, data: BesluitData, basis?: Basis): NewZaakEvent[] {
  if (zaak.fase === 'gesloten') throw new DomainError('Deze zaak is gesloten. Heropen de zaak om het besluit te herzien.');
  if (zaak.duidingen.length === 0) throw new DomainError(EERST_DUIDING);
  const b = zaak.besluit;
  if (basis && b && b.versie !== basis.versie) {
    throw new VerouderdeInvoer(`Intussen heeft ${b.door.name} een nieuw besluit vastgelegd (versie ${b.versie}) ${tijdstip(b.op, basis)}; bekijk dat en sla opnieuw op.`, b.versie);
  }
  const events: NewZaakEvent[] = [{ type: 'besluit.vastgelegd', data }];
  const doel: Fase = data.plandatum ? 'besluit' : 'monitoring';
  let fase = zaak.fase;
  for (const naar of ['besluit', 'monitoring'] as const) {
    if (VOLGORDE.indexOf(naar) > VOLGORDE.indexOf(doel) || VOLGORDE.indexOf(naar) <= VOLGORDE.indexOf(fase) || !canTransition(fase, naar)) continue;
    events.push(changePhase({ ...zaak, fase }, naar));
    fase = naar;
  }
  return events;
}

/** Each action owner once, in the order of the actions. */
export function eigenaren(besluit: Pick<Besluit, 'acties'>): Lid[] {
  const gezien = new Map<string, Lid>();
  for (const a of besluit.acties) if (!gezien.has(a.eigenaar.teamsId)) gezien.set(a.eigenaar.teamsId, a.eigenaar);
  return [...gezien.values()];
}

/** Each owner of an action still open once: the people a besluit asks to act. */
export function openEigenaren(besluit: Pick<Besluit, 'acties'>): Lid[] {
  return eigenaren({ acties: besluit.acties.filter((a) => a.status === 'open') });
}

/**
 * Planning rule: a besluit schedules a follow-up for each open action's due date, each monitoring
 * date and the plandatum; an action that gets a new date schedules one for that date.
 */
export const besluitPlanning: PlanningRule = (zaak, event, policy) => {
  const at = (isoDate: string) => opvolgmoment(isoDate, policy.timeZone);
  if (event.type === 'besluit.vastgelegd') {
    const jobs: ScheduledJob[] = [];
    for (const actie of event.data.acties) if (actie.status === 'open') jobs.push(newJob(zaak, 'actie.vervaldatum', actie.id, at(actie.datum), event.at));
    for (const dag of event.data.monitoring) jobs.push(newJob(zaak, 'monitoring', dag, at(dag), event.at));
    if (event.data.plandatum) {
      const op = new Date(event.data.plandatum.op);
      jobs.push(newJob(zaak, 'plandatum', DateTime.fromJSDate(op).setZone(policy.timeZone).toISODate()!, op, event.at));
    }
    return jobs;
  }
  if (event.type === 'actie.bijgewerkt' && event.data.datum && event.data.status === 'open') {
    return [newJob(zaak, 'actie.vervaldatum', event.data.actieId, at(event.data.datum), event.at)];
  }
  return [];
};

/** Inbound payload of the besluit form (Action.Execute data merged with the inputs). */
export const besluitPayload = z
  .object({
    caseId: z.string().min(1).max(200),
    vrijheidsbeneming: z.string().max(100).default(''),
    strafrechtelijk: z.string().max(100).default(''),
    afdoening_toelichting: z.string().max(10_000).default(''),
    /** A form from before the chain's categories, still open in a thread: one old afdoening. */
    afdoening: z.string().max(100).default(''),
    afdoening_anders: z.string().max(10_000).default(''),
    zorg: z.string().max(10_000).default(''),
    waarom_mix: z.string().max(10_000).default(''),
    tijdstrategie: z.string().max(100).default(''),
    tijdstrategie_reden: z.string().max(10_000).default(''),
    plandatum: z.string().max(40).default(''),
    plandatum_reden: z.string().max(10_000).default(''),
    doelen: z.coerce.number().int().min(0).max(MAX_DOELEN).default(0),
    acties: z.coerce.number().int().min(0).max(MAX_ACTIES).default(0),
    monitoringen: z.coerce.number().int().min(0).max(MAX_MONITORING).default(0),
    /** The multi-select: interventions, each "soort" (its usual partner) or "soort:organisatie", comma-separated. */
    interventies: z.string().max(2_000).default(''),
    /** Another intervention in words, with who carries it out. */
    interventie_anders: z.string().max(10_000).default(''),
    /** Ids of the previous besluit's actions, by row. */
    actieIds: z.array(z.string().max(200)).max(MAX_ACTIES).default([]),
    /** The besluit's version the form was opened on. */
    basisVersie: z.coerce.number().int().min(0).max(1_000_000).optional(),
    /** "Doel toevoegen" / "Actie toevoegen": which kind of row to add. */
    rij: z.enum(['doel', 'actie']).optional(),
  })
  .catchall(z.unknown());

/** Reads the form's flat input ids (doel_<i>_wat, actie_<i>_eigenaar, monitoring_<i>, ...) into a BesluitInvoer. */
export function readBesluit(data: unknown): { caseId: string; rij?: 'doel' | 'actie'; basisVersie?: number; invoer: BesluitInvoer } | undefined {
  const parsed = besluitPayload.safeParse(data ?? {});
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const field = (key: string, max = 10_000) => (typeof d[key] === 'string' ? (d[key] as string).slice(0, max) : '');
  const rows = <T>(n: number, row: (i: number) => T) => Array.from({ length: n }, (_, i) => row(i));
  const gekozen = d.interventies.split(',').filter((v) => v.trim()).slice(0, MAX_INTERVENTIES).map((v) => {
    const [soort = '', organisatie = ''] = v.trim().split(':');
    return { soort, organisatie, toelichting: '' };
  });
  const anders = d.interventie_anders.trim() ? [{ soort: 'anders', organisatie: '', toelichting: d.interventie_anders }] : [];
  const interventies = [...gekozen, ...anders];
  const oud = !d.strafrechtelijk && !d.vrijheidsbeneming && isKey(AFDOENINGEN, d.afdoening) ? oudeAfdoening(d.afdoening, d.afdoening_anders) : undefined;
  return {
    caseId: d.caseId,
    ...(d.rij ? { rij: d.rij } : {}),
    ...(d.basisVersie !== undefined ? { basisVersie: d.basisVersie } : {}),
    invoer: {
      vrijheidsbeneming: oud ? (oud.vrijheidsbeneming ?? 'nvt') : d.vrijheidsbeneming,
      strafrechtelijk: oud ? oud.strafrechtelijk.afdoening : d.strafrechtelijk,
      afdoeningToelichting: d.afdoening_toelichting,
      interventies: [...interventies, ...(oud?.interventies ?? []).map((x) => ({ soort: x.soort, organisatie: x.organisatie, toelichting: x.toelichting ?? '' }))],
      zorg: d.zorg,
      waaromMix: d.waarom_mix,
      tijdstrategie: d.tijdstrategie,
      tijdstrategieReden: d.tijdstrategie_reden,
      plandatum: d.plandatum,
      plandatumReden: d.plandatum_reden,
      doelen: rows(d.doelen, (i) => ({
        wat: field(`doel_${i}_wat`),
        voorWie: field(`doel_${i}_voorwie`, 500),
        wanneer: field(`doel_${i}_wanneer`, 40),
        bevestigd: field(`doel_${i}_bevestigd`, 10) === 'true',
      })),
      acties: rows(d.acties, (i) => ({
        id: d.actieIds[i] ?? '',
        wat: field(`actie_${i}_wat`),
        eigenaar: field(`actie_${i}_eigenaar`, 200),
        naam: field(`actie_${i}_naam`, 200),
        datum: field(`actie_${i}_datum`, 40),
        organisatie: field(`actie_${i}_organisatie`, 100),
      })),
      monitoring: rows(d.monitoringen, (i) => field(`monitoring_${i}`, 40)),
    },
  };
}

/** What people call the partners that carry out actions, besides the catalogue's names. */
const UITVOERDERS: Readonly<Record<string, Partner>> = {
  wijkagent: 'politie',
  mensenhandel: 'politie',
  'team mensenhandel': 'politie',
  gezinsvoogd: 'gi_wsg',
  gi: 'gi_wsg',
  wsg: 'gi_wsg',
  jeugdbescherming: 'gi_wsg',
  raad: 'rvdk',
  gemeente: 'wijkteam',
  wmo: 'wijkteam',
  school: 'leerplicht',
  leerplichtambtenaar: 'leerplicht',
  slachtofferhulp: 'shn',
  om: 'om',
};

export const ONBEKENDE_UITVOERDER = `Die organisatie kennen we niet. Noem een partner (${Object.values(PARTNERS).filter((p) => p !== 'Anders').join(', ')}), of bijvoorbeeld wijkagent of gezinsvoogd; laat het leeg als het teamlid de actie zelf uitvoert.`;

/** The partner a typed organisation names: its key, its catalogue name, or a common word for it (wijkagent, gezinsvoogd). */
export function partnerVan(tekst: string): Partner | undefined {
  const t = tekst.trim().toLocaleLowerCase('nl').replace(/\s+/g, ' ');
  const gevonden = (Object.entries(PARTNERS) as [Partner, string][]).find(([key, naam]) => key !== 'anders' && (key === t || naam.toLocaleLowerCase('nl') === t));
  return gevonden?.[0] ?? UITVOERDERS[t];
}

/** The form's starting values: the current besluit when revising, else empty rows and the default monitoring dates. */
export function besluitVoorstel(zaak: Verdiepingszaak, now: Date, timeZone: string, monitoringDagen: readonly number[]): BesluitInvoer {
  const b = zaak.besluit;
  if (!b) {
    return {
      vrijheidsbeneming: '',
      strafrechtelijk: '',
      afdoeningToelichting: '',
      interventies: [],
      zorg: '',
      waaromMix: '',
      tijdstrategie: '',
      tijdstrategieReden: '',
      doelen: [{ wat: '', voorWie: '', wanneer: '', bevestigd: false }],
      acties: [
        { id: '', wat: '', eigenaar: '', naam: '', datum: '' },
        { id: '', wat: '', eigenaar: '', naam: '', datum: '' },
      ],
      monitoring: standaardMonitoring(now, timeZone, monitoringDagen),
      plandatum: '',
      plandatumReden: '',
    };
  }
  const komend = b.monitoring.filter((d) => d > vandaag(now, timeZone));
  const planDag = b.plandatum ? DateTime.fromISO(b.plandatum.op).setZone(timeZone).toISODate()! : '';
  const keten = besluitKeten(b);
  return {
    vrijheidsbeneming: keten.vrijheidsbeneming ?? '',
    strafrechtelijk: keten.strafrechtelijk.afdoening,
    afdoeningToelichting: keten.strafrechtelijk.toelichting ?? '',
    interventies: keten.interventies.map((x) => ({ soort: x.soort, organisatie: x.organisatie, toelichting: x.toelichting ?? '' })),
    zorg: b.zorg,
    waaromMix: b.waaromMix,
    tijdstrategie: keten.uitgesteld ? 'vertragen' : b.tijdstrategie.keuze,
    tijdstrategieReden: b.tijdstrategie.reden,
    doelen: b.doelen.map((d) => ({ wat: d.wat, voorWie: d.voorWie, wanneer: d.wanneer, bevestigd: d.algemeenBevestigd ?? false })),
    acties: b.acties.map((a) => ({ id: a.id, wat: a.wat, eigenaar: a.eigenaar.id, naam: '', datum: a.datum, organisatie: a.organisatie ? PARTNERS[a.organisatie] : '' })),
    monitoring: komend.length > 0 ? komend : standaardMonitoring(now, timeZone, monitoringDagen),
    plandatum: planDag,
    plandatumReden: b.plandatum?.reden ?? '',
  };
}
