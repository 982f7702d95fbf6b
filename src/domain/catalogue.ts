import { WOORDEN } from './woorden';

/** The field's vocabulary from domain.md, as data. Keys are stable ids; labels are Dutch UI text. */

export const ZAAKTYPES = {
  jeugd: 'Jeugd',
  huiselijk_geweld: 'Huiselijk geweld',
  zeden: 'Zeden',
  verward_persoon: 'Verward persoon',
  lvb: 'LVB (licht verstandelijk beperkt)',
} as const;
export type Zaaktype = keyof typeof ZAAKTYPES;

export const ROLLEN = {
  verdachte: 'Verdachte',
  slachtoffer: 'Slachtoffer',
  kind: 'Kind',
  ouder: 'Ouder',
  ex_partner: '(Ex-)partner',
  getuige: 'Getuige',
  anders: 'Anders',
} as const;
export type Rol = keyof typeof ROLLEN;

export const LEEFTIJDEN = {
  '0-11': '0–11 jaar',
  '12-17': '12–17 jaar',
  '18-22': '18–22 jaar',
  '23-64': '23–64 jaar',
  '65+': '65 jaar of ouder',
  onbekend: 'Onbekend',
} as const;
export type Leeftijdsklasse = keyof typeof LEEFTIJDEN;

export const FASEN = {
  gemarkeerd: 'Gemarkeerd',
  contextinformatie: 'Contextinformatie',
  duiding: 'Duiding',
  besluit: 'Besluit',
  monitoring: 'Monitoring',
  gesloten: 'Gesloten',
} as const;
export type Fase = keyof typeof FASEN;

/** What the team should do next, per phase. */
export const VOLGENDE_STAP: Record<Fase, string> = {
  gemarkeerd: 'Loop de leidende principes door en bepaal welke contextinformatie nodig is.',
  contextinformatie: 'Verzamel gerichte contextinformatie bij de partners: alleen wat nodig is om te beslissen.',
  duiding: 'Duid gezamenlijk: patronen, tegenstrijdigheden en toetsbare hypothesen.',
  besluit: 'Neem een besluit: een passende mix van zorg en straf met concrete doelen.',
  monitoring: 'Volg de zaak: hermelding of recidive? Is de koers nog passend?',
  gesloten: 'Zaak gesloten: er is niets meer te doen.',
};

export interface Principe {
  nummer: number;
  key: string;
  titel: string;
  vragen: readonly string[];
}

export const PRINCIPES: readonly Principe[] = [
  { nummer: 1, key: 'signaal', titel: 'Signaal / buikpijn', vragen: ['Wat baart ons hier zorgen?', 'Welke feiten spreken elkaar tegen?', 'Wat levert buikpijn in deze casus?'] },
  { nummer: 2, key: 'betrokkenen', titel: 'Alle betrokkenen in beeld', vragen: ['Is het perspectief van iedere betrokkene aanwezig (verdachte, slachtoffer, kinderen, (ex-)partner, ouders, derden)?', 'Wie spreekt direct met wie, ook met de kinderen?'] },
  { nummer: 3, key: 'contextinformatie', titel: 'Gerichte contextinformatie', vragen: ['Welke vragen moeten beantwoord zijn om goed te kunnen beslissen?', 'Welke partner heeft die informatie?', 'Is dit wat we nodig hebben om een goede beslissing te kunnen nemen?'] },
  { nummer: 4, key: 'veiligheid', titel: 'Veiligheid', vragen: ['Hoe veilig is iedere betrokkene nu?', 'Hoe veilig is iedere betrokkene na het besluit?'] },
  { nummer: 5, key: 'kwetsbaarheid', titel: 'Kwetsbaarheid en veerkracht', vragen: ['Wat maakt de betrokkenen kwetsbaar?', 'Wat draagt hen (netwerk)?'] },
  { nummer: 6, key: 'patronen', titel: 'Patronen in plaats van incidenten', vragen: ['Welke patronen zien we?', 'Is de situatie eerder bekend?', 'Zijn risicotaxatie-instrumenten gebruikt?'] },
  { nummer: 7, key: 'duiden', titel: 'Gezamenlijk duiden', vragen: ['Welke perspectieven liggen naast elkaar?', 'Welke tegenstrijdigheden zien we?', 'Welke toetsbare hypothesen stellen we?', 'Lijkt deze zaak op andere zaken die we behandelden? Waarin verschilt ze?'] },
  { nummer: 8, key: 'tijd', titel: 'Spelen met tijd', vragen: ['Versnellen, vertragen of intensiveren?', 'Wat gebeurt er over drie maanden?'] },
  { nummer: 9, key: 'besluit', titel: 'Besluit en volgen', vragen: ['Welke mix van zorg en straf past?', 'Wat is er nodig om hermelding of recidive te voorkomen?', 'Wanneer kijken we opnieuw?'] },
];

export const PATRONEN = {
  combinatieproblematiek: 'Combinatieproblematiek',
  oude_bekenden: 'Oude bekenden',
  partnerrelatie: 'Partnerrelatiepatronen',
  geweld_ouder_kind: 'Geweld tussen ouder en kind (beide richtingen)',
  afwachten: 'Afwachten met ingrijpen',
  vele_professionals: 'Vele professionals betrokken',
} as const;
export type Patroon = keyof typeof PATRONEN;

/** The chain partners at the ZSM table and those who join a verdiepingszaak. Keys are stored: never rename one. */
export const PARTNERS = {
  om: 'OM (officier van justitie)',
  politie: 'Politie',
  veilig_thuis: 'Veilig Thuis',
  halt: 'Halt',
  rvdk: 'Raad voor de Kinderbescherming',
  reclassering: 'Reclassering',
  gi_wsg: 'GI / WSG (gezinsvoogd)',
  shn: 'Slachtofferhulp Nederland',
  veiligheidshuis: 'Veiligheidshuis',
  wijkteam: 'Gemeente / wijkteam / WMO',
  leerplicht: 'Leerplicht / school',
  ggz: 'GGZ',
  verslavingszorg: 'Verslavingszorg',
  anders: 'Anders',
} as const;
export type Partner = keyof typeof PARTNERS;

/** A partner's name without the explanation in brackets: "OM", "GI / WSG". */
export function partnerKort(partner: Partner): string {
  return PARTNERS[partner].replace(/ \(.*\)$/, '');
}

export const INSTRUMENTEN = {
  b_safer: 'B-SAFER',
  das: 'DAS (Danger Assessment)',
  masic: 'MASIC',
  arij: 'ARIJ',
  rihg: 'RiHG',
  anders: 'Anders',
} as const;
export type Instrument = keyof typeof INSTRUMENTEN;

/** Deprivation of liberty after arrest: the OM's decision at the ZSM table. */
export const VRIJHEIDSBENEMING = {
  nvt: 'Niet van toepassing',
  heenzenden: 'Heenzenden',
  inverzekeringstelling: 'In verzekering stellen',
  voorgeleiden: 'Voorgeleiden',
} as const;
export type Vrijheidsbeneming = keyof typeof VRIJHEIDSBENEMING;

/** The criminal-law disposal: the officier's decision. Keys are stored: never rename one. */
export const STRAFAFDOENINGEN = {
  nog_te_bepalen: 'Nog te bepalen',
  beleidssepot: 'Beleidssepot',
  technisch_sepot: 'Technisch sepot',
  voorwaardelijk_sepot: 'Voorwaardelijk sepot',
  strafbeschikking: 'OM-strafbeschikking',
  halt: 'Halt-interventie',
  dagvaarden: 'Dagvaarden',
  anders: 'Anders',
} as const;
export type Strafafdoening = keyof typeof STRAFAFDOENINGEN;

/**
 * Interventions from the report, each with the partners that carry it out (the first is the
 * usual one). Keys are stored: never rename one. "anders" is described in words, with any partner.
 */
export const INTERVENTIES = {
  corrigerend_gesprek: { titel: 'Corrigerend gesprek', organisaties: ['om'] },
  contactverbod: { titel: 'Contactverbod', organisaties: ['om'] },
  brief_eigen_taal: { titel: 'Brief in eigen taal', organisaties: ['om'] },
  agressietraining: { titel: 'Agressietraining', organisaties: ['reclassering'] },
  reclassering: { titel: 'Gesprekken of toezicht', organisaties: ['reclassering'] },
  maatje_wmo: { titel: 'WMO-maatje', organisaties: ['wijkteam'] },
  gezamenlijk_gesprek: { titel: 'Gezamenlijk gesprek', organisaties: ['wijkteam'] },
  voorlopige_voogdij: { titel: 'Voorlopige voogdij', organisaties: ['rvdk'] },
  gezinsvoogd: { titel: 'Gezinsvoogd', organisaties: ['gi_wsg'] },
  signaal_mensenhandel: { titel: 'Signaal team mensenhandel', organisaties: ['politie'] },
  huisbezoek_wijkagent: { titel: 'Huisbezoek wijkagent', organisaties: ['politie'] },
  casusoverleg_vhh: { titel: 'Casusoverleg', organisaties: ['veiligheidshuis'] },
  school_dagbesteding: { titel: 'School of dagbesteding', organisaties: ['leerplicht'] },
  hulp_veilig_thuis: { titel: 'Hulp of onderzoek', organisaties: ['veilig_thuis'] },
  ggz: { titel: 'Behandeling', organisaties: ['ggz'] },
  verslavingszorg: { titel: 'Behandeling', organisaties: ['verslavingszorg'] },
  slachtofferhulp: { titel: 'Steun slachtoffer', organisaties: ['shn'] },
  anders: { titel: 'Anders', organisaties: [] },
} as const satisfies Record<string, { titel: string; organisaties: readonly Partner[] }>;
export type Interventiesoort = keyof typeof INTERVENTIES;

/** "Contactverbod (OM)": an intervention by its title and the partner that carries it out; the one name every card uses. */
export function interventieNaam(soort: Interventiesoort, organisatie: Partner): string {
  return `${INTERVENTIES[soort].titel} (${partnerKort(organisatie)})`;
}

/** The one afdoening of besluiten stored before the chain's categories; read them through `besluitKeten`. */
export const AFDOENINGEN = {
  voorgeleiden: 'Voorgeleiden',
  dagvaarden: 'Dagvaarden',
  strafbeschikking: 'Strafbeschikking',
  halt: 'Halt-interventie',
  sepot_met_hulp: 'Sepot met hulp',
  voorwaardelijk_sepot: 'Voorwaardelijk sepot',
  corrigerend_gesprek: 'Corrigerend gesprek (OM)',
  uitstel: 'Uitstel / plandatum',
  overdracht_vhh: 'Overdracht Veiligheidshuis',
  anders: 'Anders',
} as const;
export type Afdoening = keyof typeof AFDOENINGEN;

/** Why the team stops the verdieping when it closes a case. */
export const STOPREDENEN = {
  doel_bereikt: 'Doel bereikt',
  overgedragen: 'Overgedragen aan reguliere zorg of een ander overleg',
  geen_meerwaarde: 'Geen meerwaarde meer van verdiepen',
  niet_haalbaar: 'Doel niet haalbaar',
  anders: 'Anders',
} as const;
export type Stopreden = keyof typeof STOPREDENEN;

/** Choices for an Input.ChoiceSet, from one of the catalogues above. */
export function choices(catalogue: Record<string, string>): { title: string; value: string }[] {
  return Object.entries(catalogue).map(([value, title]) => ({ title, value }));
}

/** Spelen met tijd: the four choices, in the principle step and in the besluit. Keys are stored: never rename one. */
export const TIJDSTRATEGIEEN = { versnellen: 'Versnellen', vertragen: 'Vertragen', intensiveren: 'Intensiveren', geen: WOORDEN.geenTijdstrategie } as const;
