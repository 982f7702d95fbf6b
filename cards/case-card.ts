import { rollenLabel } from '../src/domain/principes';
import { FASEN, LEEFTIJDEN, ZAAKTYPES, type Fase } from '../src/domain/catalogue';
import { uitvraagStand, volgendeStap, type Verdiepingszaak } from '../src/domain/zaak';
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
  /** The content (signaal, betrokkenen, besluit) for someone on the case; else status only. */
  inhoud: boolean;
  /** A team member without access: say so and offer to ask the casusregisseur. */
  beperkt: boolean;
}

/** Who looks at the card: the channel (status only), someone on the case, or a member without access. */
export type Kijker = 'kanaal' | 'betrokken' | 'beperkt';

const FASE_KLEUR: Record<Fase, CaseCardData['faseColor']> = {
  gemarkeerd: 'Warning',
  contextinformatie: 'Accent',
  duiding: 'Accent',
  besluit: 'Accent',
  monitoring: 'Good',
  gesloten: 'Default',
};

/**
 * The case card at the root of the case thread. The channel sees status only (what any team
 * member may know); the signaal, the betrokkenen (roles, never initials) and the besluit only in
 * the view for someone on the case.
 */
export function caseCard(zaak: Verdiepingszaak, timeZone: string, kijker: Kijker = 'kanaal') {
  const inhoud = kijker === 'betrokken';
  return render<CaseCardData>(template, {
    inhoud,
    beperkt: kijker === 'beperkt',
    reference: zaak.reference,
    types: labels(ZAAKTYPES, zaak.types),
    fase: FASEN[zaak.fase],
    faseColor: FASE_KLEUR[zaak.fase],
    signaal: inhoud ? plainText(zaak.signaal) : '',
    betrokkenen: !inhoud ? [] : zaak.betrokkenen.map((b) => ({ rol: rollenLabel(b), leeftijd: LEEFTIJDEN[b.leeftijd] })),
    flaggedBy: plainText(zaak.flaggedBy.name),
    flaggedAt: formatMoment(zaak.flaggedAt, timeZone),
    lead: plainText(zaak.lead.name),
    deadline: zaak.deadline ? formatMoment(zaak.deadline, timeZone) : '',
    volgendeStap: volgendeStap(zaak),
    caseId: zaak.id,
    besluitSamenvatting: inhoud ? besluitRegel(zaak, timeZone) : zaak.besluit ? `vastgelegd (versie ${zaak.besluit.versie}), ${zaak.besluit.acties.filter((a) => a.status === 'open').length} open acties` : '',
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

/** "Halt-interventie, 2 interventies · 3 open acties · volgende monitoring: di 1 dec 2026" (or the plandatum when postponed). */
function besluitRegel(zaak: Verdiepingszaak, timeZone: string): string {
  const b = zaak.besluit;
  if (!b) return '';
  if (b.plandatum) return `Besluit uitgesteld tot ${formatMoment(b.plandatum.op, timeZone)}`;
  const volgende = b.monitoring.find((d) => !zaak.monitoring.some((m) => m.datum === d));
  const open = b.acties.filter((a) => a.status === 'open').length;
  return [afdoeningTekst(b), `${open} open ${open === 1 ? 'actie' : 'acties'}`, ...(volgende ? [`volgende monitoring: ${formatDag(volgende)}`] : [])].join(' · ');
}

/** How many prompts to partners are open, answered and declined. */
function uitvraagRegel(zaak: Verdiepingszaak): string {
  if (zaak.uitvragen.length === 0) return '';
  return uitvraagStand(zaak);
}
