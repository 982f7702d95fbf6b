import { rollenLabel } from '../src/domain/principes';
import { INSTRUMENTEN, LEEFTIJDEN, PARTNERS, PATRONEN, choices } from '../src/domain/catalogue';
import { DUIDING_MAX, MAX_HYPOTHESEN, MAX_INSTRUMENTEN, MAX_PERSPECTIEVEN, VEILIGHEID, type DuidingInvoer, type PartnerDuiding } from '../src/domain/duiding';
import type { LijktOp } from '../src/domain/lijkt-op';
import type { FieldErrors } from '../src/domain/markering';
import { geldend, type Verdiepingszaak } from '../src/domain/zaak';
import type { FormOpties } from './besluit-form';
import template from './duiding-form.json';
import { render } from './render';
import { plainText } from './text';

type Choice = { title: string; value: string };

export interface DuidingFormData {
  titel: string;
  caseId: string;
  /** The duiding's version the form is based on (0 before the first): a save on an older one is refused. */
  basisVersie: number;
  melding: string;
  hasErrors: boolean;
  voorgevuld: boolean;
  values: { patronen: string; patroonAnders: string; tegenstrijdigheden: string };
  errors: Record<'patronen' | 'patroonAnders' | 'tegenstrijdigheden' | 'hypothesen', string>;
  perspectieven: { index: number; organisatie: string; tekst: string; error: string }[];
  hypothesen: { index: number; nummer: number; tekst: string; error: string }[];
  instrumenten: { index: number; instrument: string; uitkomst: string; error: string }[];
  veiligheid: { index: number; rol: string; nu: string; straks: string; toelichting: string; error: string }[];
  counts: { perspectieven: number; hypothesen: number; instrumenten: number; betrokkenen: number };
  options: { patronen: Choice[]; partners: Choice[]; instrumenten: Choice[]; veiligheid: Choice[] };
  max: typeof DUIDING_MAX;
  /** Earlier cases of the team that share the most with this one ("lijkt deze zaak op een eerdere?"). */
  lijktOp: { regel: string; uitleg: string }[];
  heeftLijktOp: boolean;
  /** Each partner's own interpretation, one row per organisation. */
  partnerDuidingen: { organisatie: string; tekst: string }[];
  heeftPartnerDuidingen: boolean;
}

export interface DuidingFormOpties extends FormOpties {
  lijktOp?: readonly LijktOp[];
  /** The partners' interpretations as far as the viewer may read them (partnerDuidingen). */
  partners?: readonly PartnerDuiding[];
}

/** Filled rows plus blank ones to add to, up to the maximum. */
function rijen<T>(filled: T[], blank: T, extra: number, min: number, max: number): T[] {
  const rows = filled.slice(0, max);
  while (rows.length < Math.min(max, Math.max(min, filled.length + extra))) rows.push(blank);
  return rows;
}

/** The duiding form as a card in the case thread (Action.Execute, refreshed in place). */
export function duidingFormCard(zaak: Verdiepingszaak, invoer: DuidingInvoer, errors: FieldErrors, opties: DuidingFormOpties = {}) {
  const versie = zaak.duidingen.length + 1;
  const perspectieven = rijen(invoer.perspectieven, { organisatie: '', tekst: '' }, 1, 2, MAX_PERSPECTIEVEN);
  const hypothesen = rijen(invoer.hypothesen, '', 1, 2, MAX_HYPOTHESEN);
  const instrumenten = rijen(invoer.instrumenten, { instrument: '', uitkomst: '' }, 1, 1, MAX_INSTRUMENTEN);
  return render<DuidingFormData>(template, {
    titel: versie === 1 ? `Duiding ${zaak.reference}` : `Duiding ${zaak.reference} herzien (versie ${versie})`,
    caseId: zaak.id,
    basisVersie: opties.basisVersie ?? zaak.duidingen.length,
    melding: opties.melding ? plainText(opties.melding) : '',
    hasErrors: Object.keys(errors).length > 0,
    voorgevuld: versie === 1 && zaak.uitvragen.some(geldend),
    values: { patronen: invoer.patronen, patroonAnders: invoer.patroonAnders, tegenstrijdigheden: invoer.tegenstrijdigheden },
    errors: {
      patronen: errors.patronen ?? '',
      patroonAnders: errors.patroonAnders ?? '',
      tegenstrijdigheden: errors.tegenstrijdigheden ?? '',
      hypothesen: errors.hypothesen ?? '',
    },
    perspectieven: perspectieven.map((p, index) => ({ index, ...p, error: errors[`perspectief_${index}`] ?? '' })),
    hypothesen: hypothesen.map((tekst, index) => ({ index, nummer: index + 1, tekst, error: errors[`hypothese_${index}`] ?? '' })),
    instrumenten: instrumenten.map((r, index) => ({ index, ...r, error: errors[`instrument_${index}`] ?? '' })),
    veiligheid: zaak.betrokkenen.map((b, index) => {
      const rij = invoer.veiligheid[index] ?? { nu: '', straks: '', toelichting: '' };
      return { index, rol: `Betrokkene ${index + 1}: ${rollenLabel(b)}, ${LEEFTIJDEN[b.leeftijd]}`, ...rij, error: errors[`veiligheid_${index}`] ?? '' };
    }),
    counts: { perspectieven: perspectieven.length, hypothesen: hypothesen.length, instrumenten: instrumenten.length, betrokkenen: zaak.betrokkenen.length },
    options: { patronen: choices(PATRONEN), partners: choices(PARTNERS), instrumenten: choices(INSTRUMENTEN), veiligheid: choices(VEILIGHEID) },
    max: DUIDING_MAX,
    lijktOp: (opties.lijktOp ?? []).map((l) => ({ regel: l.regelTekst, uitleg: l.uitleg })),
    heeftLijktOp: (opties.lijktOp ?? []).length > 0,
    partnerDuidingen: (opties.partners ?? []).map((p) => ({ organisatie: PARTNERS[p.organisatie], tekst: p.duidingen.map((d) => plainText(d)).join('\n\n') })),
    heeftPartnerDuidingen: (opties.partners ?? []).length > 0,
  });
}
