/**
 * "Wie ziet wat": the README's table of who may see and do what, generated from the access policy
 * (BELEID, ZICHT and magAntwoordZien in src/domain/toegang.ts). `npm run wie-ziet-wat` prints it;
 * test/wie-ziet-wat.test.ts checks that the README holds exactly this table.
 */
import { BELEID, mag, magAntwoordZien, magZien, ROL_NAMEN, type Handeling, type Onderdeel, type Rol } from '../src/domain/toegang';
import type { Uitvraag } from '../src/domain/zaak';
import { Command, Opdracht, Verb } from '../src/verbs';

/** A column: someone with this role, and the roles that come with it (as rollenVan gives them). */
const KOLOMMEN: { rol: Rol; rollen: Rol[] }[] = [
  { rol: 'niet_lid', rollen: ['niet_lid'] },
  { rol: 'teamlid', rollen: ['teamlid'] },
  { rol: 'genodigde', rollen: ['teamlid', 'genodigde', 'betrokken'] },
  { rol: 'betrokken', rollen: ['teamlid', 'betrokken'] },
  { rol: 'casusregisseur', rollen: ['teamlid', 'casusregisseur', 'betrokken'] },
  { rol: 'officier', rollen: ['teamlid', 'officier', 'betrokken'] },
  { rol: 'beheerder', rollen: ['teamlid', 'beheerder'] },
];

const ZIEN: { wat: string; onderdeel: Onderdeel }[] = [
  { wat: 'Status van een zaak (zaaknummer, type, fase, aantallen, volgende stap, wie, wanneer)', onderdeel: 'status' },
  { wat: 'Inhoud (signaal, betrokkenen, principes, duiding, besluit, historie, ketenkaart)', onderdeel: 'inhoud' },
  { wat: 'Inzage: wie zag wat en wanneer', onderdeel: 'inzage' },
];

/** What one can do, grouped; the rows of a line must share one policy rule. */
export const GROEPEN: { groep: string; regels: { wat: string; handelingen: Handeling[] }[] }[] = [
  {
    groep: 'Opdrachten',
    regels: [
      { wat: '`help`', handelingen: [Opdracht.help] },
      { wat: '`verdiep`, **Verdiepen** en het markeerformulier', handelingen: [Opdracht.verdiep, `extensie:${Command.verdiepen}`, Verb.markeringBetrokkeneToevoegen, Verb.markeringIndienen] },
      { wat: '`zaken`, `zaak <nr>`, `overzicht`, `weekoverzicht`, `mijn acties`, `leerbeeld`', handelingen: [Opdracht.zaken, Opdracht.zaak, Opdracht.overzicht, Opdracht.digestTonen, Opdracht.mijnActies, Opdracht.leerbeeld] },
      { wat: '`weekoverzicht <dag> <tijd>` (het schema van het team)', handelingen: [Opdracht.digestWijzigen] },
      { wat: '`ketenkaart <nr>`', handelingen: [Opdracht.ketenkaart] },
      { wat: '`inzage <nr>`', handelingen: [Opdracht.inzage] },
    ],
  },
  {
    groep: 'Kaarten bekijken (inhoud alleen voor wie mag)',
    regels: [
      { wat: 'Bekijken: zaakkaart, verdiepingskaart, uitvraag, opvolging, persoonlijke weergave', handelingen: [Verb.zaakBekijken, Verb.verdiepingskaartTonen, Verb.uitvraagVernieuwen, Verb.opvolgingBekijken, Verb.persoonlijkBekijken] },
      { wat: 'Toegang vragen', handelingen: [Verb.toegangVragen] },
    ],
  },
  {
    groep: 'Werken aan een zaak',
    regels: [
      { wat: 'Leidende principes invullen', handelingen: [Verb.principeOpenen, Verb.principeOpslaan] },
      { wat: 'Duiding vastleggen', handelingen: [Verb.duidingOpenen, Verb.duidingDoorgaan, Verb.duidingTerug, Verb.duidingVastleggen] },
      { wat: 'Eigen actie bijwerken', handelingen: [Verb.actieBijwerken] },
      { wat: 'Besluit, sluiten, heropenen, monitoring, herhaalzaak starten', handelingen: [Verb.besluitOpenen, Verb.besluitRijToevoegen, Verb.besluitVastleggen, Verb.afsluitingOpenen, Verb.afsluitingVastleggen, Verb.heropeningOpenen, Verb.heropeningVastleggen, Verb.monitoringVastleggen, Verb.herhaalzaakOpenen] },
      { wat: 'Casusregie overdragen, partners uitnodigen en een vraag intrekken, toegang verlenen en intrekken', handelingen: [Verb.casusregieKiezen, Verb.casusregieOverdragen, Verb.uitvraagNieuw, Verb.uitvraagVersturen, Verb.uitvraagAnnuleren, Verb.uitvraagIntrekken, Verb.toegangBeslissen] },
      { wat: 'Een gestelde vraag beantwoorden, afwijzen, corrigeren', handelingen: [Verb.uitvraagBeantwoorden, Verb.uitvraagAfwijzen, Verb.uitvraagCorrigeren] },
    ],
  },
];

const JA = '✓';
const NEE = '—';

/** A partner's answer, for the column's user (the genodigde column is the one it was asked of). */
function antwoordCel(rol: Rol, rollen: Set<Rol>): string {
  const uitvraag = (gedeeld: boolean, vanMij: boolean) => ({ invitee: { id: vanMij ? 'ik' : 'ander', name: '' }, antwoord: { gedeeld } }) as unknown as Uitvraag;
  const eigen = rol === 'genodigde' && magAntwoordZien(uitvraag(false, true), ['ik'], rollen);
  if (magAntwoordZien(uitvraag(false, false), ['ik'], rollen)) return JA;
  if (magAntwoordZien(uitvraag(true, false), ['ik'], rollen)) return eigen ? 'eigen; andere als gedeeld' : 'als gedeeld';
  return eigen ? 'eigen' : NEE;
}

export function wieZietWat(): string {
  const rij = (cellen: string[]) => `| ${cellen.join(' | ')} |`;
  const lines = [rij(['', ...KOLOMMEN.map((k) => ROL_NAMEN[k.rol])]), rij(['---', ...KOLOMMEN.map(() => ':---:')])];
  lines.push(rij(['**Zien**', ...KOLOMMEN.map(() => '')]));
  for (const { wat, onderdeel } of ZIEN) lines.push(rij([wat, ...KOLOMMEN.map((k) => (magZien(onderdeel, new Set(k.rollen)) ? JA : NEE))]));
  lines.push(rij(['Antwoord van een partner', ...KOLOMMEN.map((k) => antwoordCel(k.rol, new Set(k.rollen)))]));
  for (const { groep, regels } of GROEPEN) {
    lines.push(rij([`**${groep}**`, ...KOLOMMEN.map(() => '')]));
    for (const { wat, handelingen } of regels) {
      const [eerste, ...rest] = handelingen;
      const wie = JSON.stringify(BELEID[eerste!].wie);
      const anders = rest.find((h) => JSON.stringify(BELEID[h].wie) !== wie);
      if (anders) throw new Error(`"${wat}": ${anders} has another rule than ${eerste}`);
      lines.push(rij([wat, ...KOLOMMEN.map((k) => (mag(eerste!, new Set(k.rollen)) ? JA : NEE))]));
    }
  }
  return lines.join('\n');
}

if (require.main === module) process.stdout.write(`${wieZietWat()}\n`);
