import { STAPPEN, bekekenStappen } from '../src/domain/principes';
import { isOpen, type PrincipeStand, type Verdiepingszaak } from '../src/domain/zaak';
import { formatMoment } from './format';
import { render } from './render';
import { plainText } from './text';
import template from './verdiepingskaart.json';

type Kleur = 'Default' | 'Good' | 'Warning' | 'Attention';

export interface VerdiepingskaartData {
  caseId: string;
  reference: string;
  lead: string;
  voortgang: string;
  gesloten: boolean;
  melding: string;
  meldingKleur: Kleur;
  stappen: { stap: number; titel: string; statusTekst: string; statusKleur: Kleur; detail: string; knop: string }[];
}

/** A notice for the acting user only (it is never part of the card everyone sees). */
export interface Melding {
  tekst: string;
  soort: 'goed' | 'let_op';
}

function door(stand: PrincipeStand, timeZone: string): string {
  return `${plainText(stand.door.name)} · ${formatMoment(stand.op, timeZone)} · versie ${stand.versie}`;
}

/** The verdiepingskaart: the nine leidende principes of a case and where each stands. */
export function verdiepingskaartCard(zaak: Verdiepingszaak, timeZone: string, melding?: Melding) {
  const open = isOpen(zaak);
  return render<VerdiepingskaartData>(template, {
    caseId: zaak.id,
    reference: zaak.reference,
    lead: plainText(zaak.lead.name),
    voortgang: `${bekekenStappen(zaak)} van ${STAPPEN.length} stappen bekeken`,
    gesloten: !open,
    melding: melding ? plainText(melding.tekst) : '',
    meldingKleur: melding?.soort === 'let_op' ? 'Attention' : 'Good',
    stappen: STAPPEN.map(({ principe }) => {
      const stand = zaak.principes[principe.nummer];
      const base = { stap: principe.nummer, titel: principe.titel, knop: !open ? 'Bekijken' : stand ? 'Bijwerken' : 'Invullen' };
      if (!stand) return { ...base, statusTekst: 'Open', statusKleur: 'Warning', detail: '' };
      if (stand.status === 'nvt') {
        return { ...base, statusTekst: `Niet van toepassing: ${plainText(stand.reden ?? '')}`, statusKleur: 'Default', detail: door(stand, timeZone) };
      }
      return { ...base, statusTekst: 'Ingevuld', statusKleur: 'Good', detail: door(stand, timeZone) };
    }),
  });
}
