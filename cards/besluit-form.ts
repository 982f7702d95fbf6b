import { choices, INTERVENTIES, interventieNaam, PARTNERS, STRAFAFDOENINGEN, VRIJHEIDSBENEMING, type Interventiesoort, type Partner, TIJDSTRATEGIEEN } from '../src/domain/catalogue';
import { BESLUIT_MAX, besluitVersie, MAX_ACTIES, MAX_DOELEN, MAX_MONITORING, type BesluitInvoer } from '../src/domain/besluit';
import type { FieldErrors } from '../src/domain/markering';
import { geldend, type Lid, type Verdiepingszaak } from '../src/domain/zaak';
import template from './besluit-form.json';
import { render } from './render';
import { plainText } from './text';

type Choice = { title: string; value: string };

export interface BesluitFormData {
  titel: string;
  caseId: string;
  /** The besluit's version the form is based on: a save on an older one is refused. */
  basisVersie: number;
  melding: string;
  hasErrors: boolean;
  duidingVersie: number;
  hypothesen: { tekst: string }[];
  values: Pick<BesluitInvoer, 'vrijheidsbeneming' | 'strafrechtelijk' | 'afdoeningToelichting' | 'zorg' | 'waaromMix' | 'tijdstrategie' | 'tijdstrategieReden' | 'plandatum' | 'plandatumReden'> & {
    /** The chosen "soort:organisatie" pairs, comma-separated. */
    interventies: string;
    interventieAnders: string;
  };
  errors: Record<'vrijheidsbeneming' | 'strafrechtelijk' | 'afdoeningToelichting' | 'interventies' | 'zorg' | 'waaromMix' | 'tijdstrategie' | 'doelen' | 'acties' | 'plandatum', string>;
  doelen: { index: number; nummer: number; wat: string; voorWie: string; wanneer: string; error: string; bevestigbaar: boolean; bevestigd: string }[];
  acties: { index: number; nummer: number; wat: string; eigenaar: string; naam: string; datum: string; organisatie: string; error: string }[];
  monitoring: { index: number; nummer: number; datum: string; error: string }[];
  counts: { doelen: number; acties: number; monitoring: number };
  actieIds: string[];
  canAddDoel: boolean;
  canAddActie: boolean;
  options: { vrijheidsbeneming: Choice[]; strafrechtelijk: Choice[]; interventies: Choice[]; tijdstrategieen: Choice[]; leden: Choice[] };
  max: typeof BESLUIT_MAX;
  /** A big team: the owner pickers list only likely owners, anyone else is found by typing a name. */
  zoeken: boolean;
  ledenNotitie: string;
}

/** One choice per intervention and partner that carries it out: "Contactverbod (OM)". */
function interventieKeuzes(extra: readonly { soort: string; organisatie: string }[]): Choice[] {
  const paren = (Object.keys(INTERVENTIES) as Interventiesoort[]).flatMap((soort) => INTERVENTIES[soort].organisaties.map((organisatie: Partner) => ({ soort, organisatie })));
  // A pair chosen before but not in the catalogue (a partner picked for it earlier) stays choosable.
  for (const x of extra) if (x.soort !== 'anders' && !paren.some((p) => p.soort === x.soort && p.organisatie === x.organisatie) && x.soort in INTERVENTIES && x.organisatie in PARTNERS) paren.push(x as { soort: Interventiesoort; organisatie: Partner });
  return paren.map(({ soort, organisatie }) => ({ title: interventieNaam(soort, organisatie), value: keuzeWaarde(soort, organisatie) }));
}

/** The choice's value: the intervention alone when its usual partner carries it out, else "soort:organisatie". */
function keuzeWaarde(soort: string, organisatie: string): string {
  const vast = soort in INTERVENTIES ? INTERVENTIES[soort as Interventiesoort].organisaties[0] : undefined;
  return !organisatie || organisatie === vast ? soort : `${soort}:${organisatie}`;
}

/** Up to this many members are listed in each owner picker; in a bigger team others are found by name. */
export const VASTE_KEUZES_MAX = 15;

/** Who is likely to own an action: already chosen, owners before, the partners asked (not withdrawn), the case lead. */
function voorgesteld(zaak: Verdiepingszaak, invoer: BesluitInvoer, leden: readonly Lid[]): Lid[] {
  const bekend = new Map(leden.map((l) => [l.id, l]));
  for (const a of zaak.besluit?.acties ?? []) if (!bekend.has(a.eigenaar.id)) bekend.set(a.eigenaar.id, a.eigenaar);
  const ids = [
    ...invoer.acties.map((a) => a.eigenaar),
    ...(zaak.besluit?.acties ?? []).map((a) => a.eigenaar.id),
    ...zaak.uitvragen.filter(geldend).map((u) => u.invitee.id),
    zaak.lead.id,
  ];
  const gekozen = [...new Set(ids)].flatMap((id) => bekend.get(id) ?? []);
  return (gekozen.length > 0 ? gekozen : [...leden]).slice(0, VASTE_KEUZES_MAX);
}

/** What a form shown again keeps: the version it was opened on, and a notice (e.g. why a save was refused). */
export interface FormOpties {
  basisVersie?: number | undefined;
  melding?: string;
}

/**
 * The besluit form as a card in the case thread. `teBevestigen`: goals flagged as too general,
 * which get a "toch zo vastleggen" toggle. Owners are picked from `leden` (the team's members).
 */
export function besluitFormCard(zaak: Verdiepingszaak, invoer: BesluitInvoer, errors: FieldErrors, leden: readonly Lid[], teBevestigen: readonly number[] = [], opties: FormOpties = {}) {
  const duiding = zaak.duidingen.at(-1);
  const anders = invoer.interventies.find((x) => x.soort === 'anders');
  const gekozen = invoer.interventies.filter((x) => x.soort && x.soort !== 'anders');
  const doelen = invoer.doelen.slice(0, MAX_DOELEN);
  if (doelen.length === 0) doelen.push({ wat: '', voorWie: '', wanneer: '', bevestigd: false });
  const acties = invoer.acties.slice(0, MAX_ACTIES);
  if (acties.length === 0) acties.push({ id: '', wat: '', eigenaar: '', naam: '', datum: '' });
  const monitoring = invoer.monitoring.slice(0, MAX_MONITORING);
  while (monitoring.length < Math.min(MAX_MONITORING, Math.max(2, invoer.monitoring.length + 1))) monitoring.push('');
  // Owners are chosen by their (short) AAD id; one who left the team stays choosable for the actions already theirs.
  const zoeken = leden.length > VASTE_KEUZES_MAX;
  const kiesbaar = new Map((zoeken ? voorgesteld(zaak, invoer, leden) : leden).map((l) => [l.id, l.name]));
  for (const a of zaak.besluit?.acties ?? []) if (!zoeken && !kiesbaar.has(a.eigenaar.id)) kiesbaar.set(a.eigenaar.id, a.eigenaar.name);
  const versie = (zaak.besluit?.versie ?? 0) + 1;
  return render<BesluitFormData>(template, {
    titel: versie === 1 ? `Besluit ${zaak.reference}` : `Besluit ${zaak.reference} herzien (versie ${versie})`,
    caseId: zaak.id,
    basisVersie: opties.basisVersie ?? besluitVersie(zaak),
    melding: opties.melding ? plainText(opties.melding) : '',
    hasErrors: Object.keys(errors).length > 0,
    duidingVersie: duiding?.versie ?? 0,
    hypothesen: (duiding?.hypothesen ?? []).map((h) => ({ tekst: plainText(h) })),
    values: {
      vrijheidsbeneming: invoer.vrijheidsbeneming,
      strafrechtelijk: invoer.strafrechtelijk,
      afdoeningToelichting: invoer.afdoeningToelichting,
      interventies: gekozen.map((x) => keuzeWaarde(x.soort, x.organisatie)).join(','),
      interventieAnders: anders?.toelichting ?? '',
      zorg: invoer.zorg,
      waaromMix: invoer.waaromMix,
      tijdstrategie: invoer.tijdstrategie,
      tijdstrategieReden: invoer.tijdstrategieReden,
      plandatum: invoer.plandatum,
      plandatumReden: invoer.plandatumReden,
    },
    errors: {
      vrijheidsbeneming: errors.vrijheidsbeneming ?? '',
      strafrechtelijk: errors.strafrechtelijk ?? '',
      afdoeningToelichting: errors.afdoeningToelichting ?? '',
      interventies: errors.interventies ?? '',
      zorg: errors.zorg ?? '',
      waaromMix: errors.waaromMix ?? '',
      tijdstrategie: errors.tijdstrategie ?? '',
      doelen: errors.doelen ?? '',
      acties: errors.acties ?? '',
      plandatum: errors.plandatum ?? '',
    },
    doelen: doelen.map((d, index) => ({
      index,
      nummer: index + 1,
      wat: d.wat,
      voorWie: d.voorWie,
      wanneer: d.wanneer,
      error: errors[`doel_${index}`] ?? '',
      bevestigbaar: teBevestigen.includes(index) || d.bevestigd,
      bevestigd: d.bevestigd ? 'true' : 'false',
    })),
    acties: acties.map((a, index) => ({ index, nummer: index + 1, wat: a.wat, eigenaar: a.eigenaar, naam: a.naam, datum: a.datum, organisatie: a.organisatie ?? '', error: errors[`actie_${index}`] ?? '' })),
    monitoring: monitoring.map((datum, index) => ({ index, nummer: index + 1, datum, error: errors[`monitoring_${index}`] ?? '' })),
    counts: { doelen: doelen.length, acties: acties.length, monitoring: monitoring.length },
    actieIds: acties.map((a) => a.id),
    canAddDoel: doelen.length < MAX_DOELEN,
    canAddActie: acties.length < MAX_ACTIES,
    options: {
      vrijheidsbeneming: choices(VRIJHEIDSBENEMING),
      strafrechtelijk: choices(STRAFAFDOENINGEN),
      interventies: interventieKeuzes(gekozen),
      tijdstrategieen: choices(TIJDSTRATEGIEEN),
      leden: [...kiesbaar].map(([value, title]) => ({ title, value })),
    },
    max: BESLUIT_MAX,
    zoeken,
    ledenNotitie: zoeken ? `Het team heeft ${leden.length} leden. De keuzelijst toont wie al bij de zaak betrokken is; typ voor iemand anders de naam.` : '',
  });
}
