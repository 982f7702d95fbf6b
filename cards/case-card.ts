import { FASEN, LEEFTIJDEN, ROLLEN, VOLGENDE_STAP, ZAAKTYPES, type Fase } from '../src/domain/catalogue';
import { uitvraagTelling, type Verdiepingszaak } from '../src/domain/zaak';
import template from './case-card.json';
import { formatMoment, labels } from './format';
import { afdoeningTekst, formatDag } from './besluit-samenvatting';
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
  caseId: string;
  /** One line on the besluit once there is one: afdoening and the next follow-up. */
  besluitSamenvatting: string;
  knoppen: { duiding: boolean; besluit: boolean; sluiten: boolean; heropenen: boolean; uitnodigen: boolean };
  /** Prompts to partners: "2 open · 1 beantwoord · 0 afgewezen", empty when none were sent. */
  uitvragen: string;
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
    caseId: zaak.id,
    besluitSamenvatting: besluitRegel(zaak, timeZone),
    knoppen: {
      duiding: zaak.fase !== 'gesloten',
      besluit: zaak.fase !== 'gesloten' && zaak.duidingen.length > 0,
      sluiten: zaak.fase !== 'gesloten',
      heropenen: zaak.fase === 'gesloten',
      uitnodigen: zaak.fase !== 'gesloten',
    },
    uitvragen: uitvraagRegel(zaak),
  });
}

/** "Halt-interventie · volgende monitoring: di 1 dec 2026" (or the plandatum when postponed). */
function besluitRegel(zaak: Verdiepingszaak, timeZone: string): string {
  const b = zaak.besluit;
  if (!b) return '';
  if (b.plandatum) return `${afdoeningTekst(b)} tot ${formatMoment(b.plandatum.op, timeZone)}`;
  const volgende = b.monitoring.find((d) => !zaak.monitoring.some((m) => m.datum === d));
  const open = b.acties.filter((a) => a.status === 'open').length;
  return [afdoeningTekst(b), `${open} open ${open === 1 ? 'actie' : 'acties'}`, ...(volgende ? [`volgende monitoring: ${formatDag(volgende)}`] : [])].join(' · ');
}

/** How many prompts to partners are open, answered and declined. */
function uitvraagRegel(zaak: Verdiepingszaak): string {
  if (zaak.uitvragen.length === 0) return '';
  const t = uitvraagTelling(zaak);
  return `${t.open} open · ${t.beantwoord} beantwoord · ${t.afgewezen} afgewezen`;
}
