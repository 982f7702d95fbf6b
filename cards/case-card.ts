import { FASEN, LEEFTIJDEN, ROLLEN, VOLGENDE_STAP, ZAAKTYPES, type Fase } from '../src/domain/catalogue';
import type { Verdiepingszaak } from '../src/domain/zaak';
import template from './case-card.json';
import { formatMoment, labels } from './format';
import { render } from './render';
import { plainText } from './text';

export interface CaseCardData {
  reference: string;
  types: string;
  fase: string;
  faseColor: 'Accent' | 'Good' | 'Warning' | 'Default';
  signaal: string;
  betrokkenen: { rol: string; leeftijd: string }[];
  flaggedBy: string;
  flaggedAt: string;
  lead: string;
  deadline: string;
  volgendeStap: string;
}

const FASE_KLEUR: Record<Fase, CaseCardData['faseColor']> = {
  gemarkeerd: 'Warning',
  contextinformatie: 'Accent',
  duiding: 'Accent',
  besluit: 'Accent',
  monitoring: 'Good',
  gesloten: 'Default',
};

/** The case card at the root of the case thread: roles only, never initials, in the channel. */
export function caseCard(zaak: Verdiepingszaak, timeZone: string) {
  return render<CaseCardData>(template, {
    reference: zaak.reference,
    types: labels(ZAAKTYPES, zaak.types),
    fase: FASEN[zaak.fase],
    faseColor: FASE_KLEUR[zaak.fase],
    signaal: plainText(zaak.signaal),
    betrokkenen: zaak.betrokkenen.map((b) => ({ rol: ROLLEN[b.rol], leeftijd: LEEFTIJDEN[b.leeftijd] })),
    flaggedBy: plainText(zaak.flaggedBy.name),
    flaggedAt: formatMoment(zaak.flaggedAt, timeZone),
    lead: plainText(zaak.lead.name),
    deadline: zaak.deadline ? formatMoment(zaak.deadline, timeZone) : '',
    volgendeStap: VOLGENDE_STAP[zaak.fase],
  });
}
