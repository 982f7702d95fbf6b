import { naamMetOrganisatie } from '../src/domain/woorden';
import { PARTNERS } from '../src/domain/catalogue';
import type { Verdiepingszaak } from '../src/domain/zaak';
import type { Inzage } from '../src/store/store';
import { formatMoment } from './format';
import template from './inzage.json';
import { render, type AdaptiveCard } from './render';
import { plainText } from './text';

/** How many inzage records the view shows. */
export const INZAGE_IN_LIJST = 50;

interface InzageCardData {
  titel: string;
  ondertitel: string;
  regels: { wanneer: string; wie: string; wat: string }[];
}

const WAT: Record<string, string> = {
  zaakkaart: 'zaakkaart',
  verdiepingskaart: 'verdiepingskaart',
  ketenkaart: 'ketenkaart',
  duiding: 'duiding',
  besluit: 'besluit',
  inzage: 'inzage (dit overzicht)',
  'mijn-acties': 'eigen acties',
  opvolging: 'opvolging',
  'eerdere-zaak': 'als eerdere zaak bij een herhaalzaak',
  'oude-bekende': 'als oude bekende bij een nieuwe markering',
};

/** What was seen, in words; an answer names its partner. */
export function inzageWat(zaak: Verdiepingszaak, wat: string): string {
  if (wat.startsWith('antwoord:')) {
    const u = zaak.uitvragen.find((x) => x.id === wat.slice('antwoord:'.length));
    return u ? `antwoord van ${plainText(naamMetOrganisatie(u.invitee.name, PARTNERS[u.organisatie]))}` : 'antwoord van een partner';
  }
  if (wat.startsWith('principe:')) return `leidend principe ${plainText(wat.slice('principe:'.length))}`;
  return WAT[wat] ?? plainText(wat);
}

/** Who saw what of a case and when, newest first. */
export function inzageCard(zaak: Verdiepingszaak, inzage: readonly Inzage[], timeZone: string): AdaptiveCard {
  return render<InzageCardData>(template, {
    titel: `Inzage zaak ${plainText(zaak.reference)}`,
    ondertitel: `Wie zag wat en wanneer, nieuwste eerst (hoogstens ${INZAGE_IN_LIJST}).`,
    regels: inzage.slice(0, INZAGE_IN_LIJST).map((i) => ({ wanneer: formatMoment(i.op, timeZone), wie: plainText(i.door.name), wat: inzageWat(zaak, i.wat) })),
  });
}
