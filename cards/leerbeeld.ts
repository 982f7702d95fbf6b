import type { Leerbeeld, Telling } from '../src/domain/leerbeeld';
import { MIN_ZAKEN_VOOR_PERCENTAGE } from '../src/domain/leerbeeld';
import { metHoofdletter } from '../src/domain/woorden';
import template from './leerbeeld.json';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';

interface Rij {
  label: string;
  aantal: number;
  tekst: string;
}

export interface LeerbeeldCardData {
  team: string;
  periode: string;
  aantalZaken: number;
  patronen: Rij[];
  /** Mixes with enough cases: the chart shows the percentage, its fallback the counts. */
  mixen: Rij[];
  /** Mixes with fewer than MIN_ZAKEN_VOOR_PERCENTAGE cases: their count only. */
  teWeinig: Rij[];
  dagen: Rij[];
  mediaan: string;
  overgeslagen: Rij[];
  doelen: Rij[];
  doelenTekst: string;
}

const zaken = (n: number) => `${n} ${n === 1 ? 'zaak' : 'zaken'}`;
const rij = (t: Telling): Rij => ({ label: t.label, aantal: t.aantal, tekst: zaken(t.aantal) });

/**
 * The leerbeeld for the verdiepingsoverleg: native Teams charts, each with a FactSet fallback
 * holding the same numbers (hosts without charts show that). Counts and categories only; its
 * size is bounded by the catalogues (at most 20 mixes), far under 28 KB.
 */
export function leerbeeldCard(beeld: Leerbeeld, team: string): AdaptiveCard {
  const mixen = beeld.hermeldingPerMix.map((m) => ({
    label: m.mix,
    aantal: m.percentage ?? 0,
    tekst: m.percentage === undefined ? `${zaken(m.aantal)}: te weinig zaken` : `${m.metHermelding} van ${m.aantal} (${m.percentage}%)`,
  }));
  const { aantal, algemeen, percentage } = beeld.doelen;
  return render<LeerbeeldCardData>(template, {
    team: plainText(team),
    periode: metHoofdletter(beeld.periode.label),
    aantalZaken: beeld.aantalZaken,
    patronen: beeld.patronen.map(rij),
    mixen: mixen.filter((_, i) => beeld.hermeldingPerMix[i]!.aantal >= MIN_ZAKEN_VOOR_PERCENTAGE),
    teWeinig: mixen.filter((_, i) => beeld.hermeldingPerMix[i]!.aantal < MIN_ZAKEN_VOOR_PERCENTAGE),
    dagen: beeld.dagenTotDuiding.map(rij),
    mediaan: beeld.mediaanDagenTotDuiding === undefined ? '' : ` (mediaan ${String(beeld.mediaanDagenTotDuiding).replace('.', ',')})`,
    overgeslagen: beeld.overgeslagen.map(rij),
    doelen: aantal > 0 ? [{ label: 'Te algemeen (bevestigd)', aantal: algemeen, tekst: `${algemeen} van ${aantal}` }, { label: 'Concreet', aantal: aantal - algemeen, tekst: `${aantal - algemeen} van ${aantal}` }] : [],
    doelenTekst: percentage === undefined ? 'nog geen doelen' : `${algemeen} van ${aantal} (${percentage}%)`,
  });
}
