import { INSTRUMENTEN, LEEFTIJDEN, PATRONEN, ROLLEN, ZAAKTYPES } from './catalogue';
import { afdoeningLabel, hermeldingVan, type Leerregel } from './leerregel';
import type { Verdiepingszaak } from './zaak';

/** Weights per kind of overlap: what the case is about counts more than who is in it. */
export const GEWICHTEN = { zaaktype: 3, patroon: 3, instrument: 2, rol: 1, leeftijd: 1 } as const;
export const MAX_LIJKT_OP = 3;

export interface LijktOp {
  regel: Leerregel;
  score: number;
  /** The overlap in words, most weighty first: "ook: jeugd, combinatieproblematiek". */
  uitleg: string;
  /** One line: what was decided, hermelding, leeropbrengst. */
  regelTekst: string;
}

const HERMELDING_TEKST = { ja: 'hermelding: ja', nee: 'hermelding: nee', onbekend: 'hermelding: onbekend' } as const;

/**
 * Up to three of the team's learning records that share the most with this case (zaaktypes,
 * patterns of its latest duiding, roles, age bands, instruments), best first; ties go to the
 * newer month. The case's own record and records sharing nothing are left out.
 */
export function lijktOp(zaak: Verdiepingszaak, regels: readonly Leerregel[]): LijktOp[] {
  const duiding = zaak.duidingen.at(-1);
  const eigen = {
    zaaktype: new Set<string>(zaak.types),
    patroon: new Set<string>(duiding?.patronen ?? []),
    instrument: new Set<string>((duiding?.instrumenten ?? []).map((i) => i.instrument)),
    rol: new Set<string>(zaak.betrokkenen.map((b) => b.rol)),
    leeftijd: new Set<string>(zaak.betrokkenen.map((b) => b.leeftijd).filter((l) => l !== 'onbekend')),
  };
  const labels: Record<keyof typeof GEWICHTEN, Record<string, string>> = { zaaktype: ZAAKTYPES, patroon: PATRONEN, instrument: INSTRUMENTEN, rol: ROLLEN, leeftijd: LEEFTIJDEN };
  return regels
    .filter((r) => r.id !== zaak.leerregelId && r.gesloten)
    .map((r) => {
      const van: Record<keyof typeof GEWICHTEN, string[]> = {
        zaaktype: r.zaaktypes,
        patroon: r.patronen,
        instrument: r.instrumenten.map((i) => i.instrument),
        rol: r.betrokkenen.map((b) => b.rol),
        leeftijd: r.betrokkenen.map((b) => b.leeftijd),
      };
      const gedeeld = (Object.keys(GEWICHTEN) as (keyof typeof GEWICHTEN)[]).flatMap((soort) =>
        [...new Set(van[soort])].filter((x) => eigen[soort].has(x)).map((x) => ({ soort, label: labels[soort][x]!.toLowerCase() })),
      );
      const score = gedeeld.reduce((s, g) => s + GEWICHTEN[g.soort], 0);
      gedeeld.sort((a, b) => GEWICHTEN[b.soort] - GEWICHTEN[a.soort]);
      return { regel: r, score, uitleg: `ook: ${gedeeld.map((g) => g.label).join(', ')}`, regelTekst: regelTekst(r) };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || (a.regel.maand < b.regel.maand ? 1 : a.regel.maand > b.regel.maand ? -1 : 0))
    .slice(0, MAX_LIJKT_OP);
}

function regelTekst(r: Leerregel): string {
  const label = afdoeningLabel(r);
  const besluit = label ? `${label}${r.interventies?.zorg ? ' met zorg' : ''}` : 'geen besluit';
  return `${besluit}; ${HERMELDING_TEKST[hermeldingVan(r)]}${r.leeropbrengst ? `; geleerd: ${r.leeropbrengst}` : ''}`;
}
