import type { Verdiepingszaak } from '../src/domain/zaak';
import template from './zaak-melding.json';
import { render } from './render';
import { plainText } from './text';

export interface ZaakMeldingData {
  titel: string;
  reference: string;
  caseId: string;
  regels: { tekst: string }[];
}

/**
 * A status notice in the case thread ("Duiding vastgelegd", "Besluit vastgelegd"): who did what
 * and when, never the content; "Bekijken" gives each person the view they may see.
 * `regels` are the bot's own text and may carry `<at>` mentions; names in them are escaped by the caller.
 */
export function zaakMeldingCard(zaak: Verdiepingszaak, titel: string, regels: string[]) {
  return render<ZaakMeldingData>(template, { titel, reference: plainText(zaak.reference), caseId: zaak.id, regels: regels.map((tekst) => ({ tekst })) });
}
