import { rollenLabel } from '../src/domain/principes';
import { INSTRUMENTEN, PARTNERS, PATRONEN } from '../src/domain/catalogue';
import { VEILIGHEID } from '../src/domain/duiding';
import type { Duiding, Verdiepingszaak } from '../src/domain/zaak';
import template from './duiding-samenvatting.json';
import { formatMoment, labels } from './format';
import { render } from './render';
import { plainText } from './text';

export interface DuidingSamenvattingData {
  titel: string;
  caseId: string;
  door: string;
  op: string;
  hypothesen: { tekst: string }[];
  patronen: string;
  perspectieven: string;
  tegenstrijdigheden: string;
  instrumenten: string;
  veiligheid: { rol: string; oordeel: string }[];
  opmerking: string;
  toonBesluit: boolean;
  /** false: only the title, where the form was (the full summary is posted in the thread). */
  volledig: boolean;
}

export function kort(tekst: string, max = 300): string {
  return tekst.length <= max ? tekst : `${tekst.slice(0, max - 1)}…`;
}

/** A compact summary of one duiding version, posted in the case thread. */
export function duidingSamenvattingCard(zaak: Verdiepingszaak, duiding: Duiding, timeZone: string, volledig = true) {
  const patronen = [labels(PATRONEN, duiding.patronen), duiding.patroonAnders ? plainText(duiding.patroonAnders) : ''].filter(Boolean).join(', ');
  const naBesluit = zaak.besluit !== undefined;
  return render<DuidingSamenvattingData>(template, {
    titel: duiding.versie === 1 ? `Duiding ${zaak.reference} vastgelegd` : `Duiding ${zaak.reference} herzien (versie ${duiding.versie})`,
    caseId: zaak.id,
    door: plainText(duiding.door.name),
    op: formatMoment(duiding.op, timeZone),
    hypothesen: duiding.hypothesen.map((h) => ({ tekst: plainText(h) })),
    patronen: patronen || 'Geen benoemd',
    perspectieven: duiding.perspectieven.length ? [...new Set(duiding.perspectieven.map((p) => PARTNERS[p.organisatie]))].join(', ') : 'Geen',
    tegenstrijdigheden: plainText(kort(duiding.tegenstrijdigheden)),
    instrumenten: duiding.instrumenten.map((i) => `${INSTRUMENTEN[i.instrument]}: ${plainText(kort(i.uitkomst, 120))}`).join('; '),
    veiligheid: duiding.veiligheid.map((v) => {
      const b = zaak.betrokkenen[v.betrokkene];
      return { rol: b ? `${rollenLabel(b)} (${v.betrokkene + 1})` : `Betrokkene ${v.betrokkene + 1}`, oordeel: `${VEILIGHEID[v.nu]} → ${VEILIGHEID[v.straks]}` };
    }),
    opmerking: naBesluit && duiding.versie > 1 ? 'Er ligt al een besluit. Past het nog bij deze duiding? Herzie het besluit als de koers verandert.' : '',
    toonBesluit: zaak.fase !== 'gesloten',
    volledig,
  });
}
