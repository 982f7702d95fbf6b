import { STAPPEN, bekekenStappen, elders } from '../src/domain/principes';
import { isOpen, uitvraagStand, type PrincipeStand, type Verdiepingszaak } from '../src/domain/zaak';
import { Verb } from '../src/verbs';
import { afdoeningTekst } from './besluit-samenvatting';
import { formatMoment } from './format';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';
import meldingTemplate from './verdiepingskaart-melding.json';
import stapTemplate from './verdiepingskaart-stap.json';
import template from './verdiepingskaart.json';

type Kleur = 'Default' | 'Good' | 'Warning' | 'Attention';

export interface VerdiepingskaartData {
  caseId: string;
  reference: string;
  lead: string;
  voortgang: string;
  gesloten: boolean;
}

/** The acting user's notice, a template of its own: it changes with every save, the frame above it does not. */
export interface VerdiepingskaartMeldingData {
  tekst: string;
  kleur: Kleur;
}

/** One step's row, a template of its own: a save changes one step, and the other rows come from render's memo. */
export interface VerdiepingskaartStapData {
  caseId: string;
  stap: number;
  titel: string;
  statusTekst: string;
  statusKleur: Kleur;
  detail: string;
  knop: string;
  vastgelegd: string;
  vervolgKnop: string;
  vervolgVerb: string;
}

/** A notice for the acting user only (it is never part of the card everyone sees). */
export interface Melding {
  tekst: string;
  soort: 'goed' | 'let_op';
}

function door(stand: PrincipeStand, timeZone: string): string {
  return `${plainText(stand.door.name)} · ${formatMoment(stand.op, timeZone)} · versie ${stand.versie}`;
}

/**
 * The verdiepingskaart: the nine leidende principes of a case and where each stands. Without
 * `inhoud` (the channel's view) it shows status only: no reasons, hypotheses or decisions.
 */
export function verdiepingskaartCard(zaak: Verdiepingszaak, timeZone: string, melding?: Melding, inhoud = false): AdaptiveCard {
  const open = isOpen(zaak);
  const kaart = render<VerdiepingskaartData>(template, {
    caseId: zaak.id,
    reference: zaak.reference,
    lead: plainText(zaak.lead.name),
    voortgang: `${bekekenStappen(zaak)} van ${STAPPEN.length} stappen bekeken`,
    gesloten: !open,
  });
  const stappen = STAPPEN.map(({ principe }): VerdiepingskaartStapData => {
    const stand = zaak.principes[principe.nummer];
    const base = { caseId: zaak.id, stap: principe.nummer, titel: principe.titel, knop: !open ? 'Bekijken' : stand ? 'Bijwerken' : 'Invullen', ...vervolg(zaak, principe.nummer, timeZone, inhoud) };
    const via = elders(zaak, principe.nummer);
    if (!stand && via) return { ...base, statusTekst: via.wat, statusKleur: 'Good', detail: `${plainText(via.door.name)}, ${formatMoment(via.op, timeZone)}` };
    if (!stand) return { ...base, statusTekst: 'Open', statusKleur: 'Warning', detail: '' };
    if (stand.status === 'nvt') {
      return { ...base, statusTekst: inhoud ? `Niet van toepassing: ${plainText(stand.reden ?? '')}` : 'Niet van toepassing', statusKleur: 'Default', detail: door(stand, timeZone) };
    }
    return { ...base, statusTekst: 'Ingevuld', statusKleur: 'Good', detail: door(stand, timeZone) };
  });
  // The notice goes under the frame's title and reference; the rows end the card's body.
  const [titel, referentie, ...rest] = kaart.body as unknown[];
  const tekst = melding ? plainText(melding.tekst) : '';
  const notice = tekst ? (render<VerdiepingskaartMeldingData>(meldingTemplate, { tekst, kleur: melding?.soort === 'let_op' ? 'Attention' : 'Good' }, { eenmalig: true }).body as unknown[]) : [];
  const rijen = stappen.map((stap) => (render<VerdiepingskaartStapData>(stapTemplate, stap).body as unknown[])[0]);
  return { ...kaart, body: [titel, referentie, ...notice, ...rest, ...rijen] };
}

/** Step 3 leads on to the partner prompts, steps 7 and 9 to the duiding and the besluit: what is recorded there, and the button to record it. */
function vervolg(zaak: Verdiepingszaak, stap: number, timeZone: string, inhoud: boolean): { vastgelegd: string; vervolgKnop: string; vervolgVerb: string } {
  const open = isOpen(zaak);
  if (stap === 3) {
    return {
      vastgelegd: zaak.uitvragen.length > 0 ? `Vragen aan partners: ${uitvraagStand(zaak)}` : '',
      vervolgKnop: open ? 'Partner uitnodigen' : '',
      vervolgVerb: Verb.uitvraagNieuw,
    };
  }
  if (stap === 7) {
    const d = zaak.duidingen.at(-1);
    return {
      vastgelegd: !d ? '' : `Duiding versie ${d.versie} (${plainText(d.door.name)}, ${formatMoment(d.op, timeZone)})${inhoud ? `: ${d.hypothesen.map((h) => plainText(h.length > 200 ? `${h.slice(0, 199)}…` : h)).join(' | ')}` : ''}`,
      vervolgKnop: open ? (d ? 'Duiding herzien' : 'Duiding vastleggen') : '',
      vervolgVerb: Verb.duidingOpenen,
    };
  }
  if (stap === 9) {
    const b = zaak.besluit;
    return {
      vastgelegd: b ? `Besluit versie ${b.versie}: ${inhoud ? `${afdoeningTekst(b)}, ` : ''}${b.acties.length} ${b.acties.length === 1 ? 'actie' : 'acties'}` : '',
      vervolgKnop: open && zaak.duidingen.length > 0 ? (b ? 'Besluit herzien' : 'Besluit vastleggen') : '',
      vervolgVerb: Verb.besluitOpenen,
    };
  }
  return { vastgelegd: '', vervolgKnop: '', vervolgVerb: '' };
}
