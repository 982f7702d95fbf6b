import type { Lid } from './zaak';

/** Members a picker lists at most (Teams' card size); in a bigger team the others are found by typing their name. */
export const MAX_KEUZE_LEDEN = 80;

/** A member picker as a card shows it: the first members as choices (by Teams id), and, in a bigger team, a note and a field to type a name. */
export interface Keuzelijst {
  leden: { title: string; value: string }[];
  /** What the picker says under its list when the team has more members than it lists; '' otherwise. */
  ledenNotitie: string;
  zoeken: boolean;
}

export function keuzelijst(leden: readonly Lid[]): Keuzelijst {
  const zoeken = leden.length > MAX_KEUZE_LEDEN;
  return {
    leden: leden.slice(0, MAX_KEUZE_LEDEN).map((l) => ({ title: l.name, value: l.teamsId })),
    ledenNotitie: zoeken ? `Het team heeft ${leden.length} leden; de lijst toont de eerste ${MAX_KEUZE_LEDEN} op naam. Staat wie je zoekt er niet bij, typ dan de naam.` : '',
    zoeken,
  };
}

function normaliseer(tekst: string): string {
  return tekst.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The one team member a typed name points to: an exact name, or the only name that contains it. */
export function zoekLid(leden: readonly Lid[], naam: string): { lid: Lid } | { fout: string } {
  const zoek = normaliseer(naam);
  const exact = leden.filter((l) => normaliseer(l.name) === zoek);
  if (exact.length === 1) return { lid: exact[0]! };
  const passend = leden.filter((l) => normaliseer(l.name).includes(zoek));
  if (passend.length === 1) return { lid: passend[0]! };
  if (passend.length === 0) return { fout: `Geen teamlid gevonden met "${naam.trim()}" in de naam.` };
  const namen = passend.slice(0, 5).map((l) => l.name).join(', ');
  return { fout: `Meerdere teamleden passen bij "${naam.trim()}": ${namen}${passend.length > 5 ? ', …' : ''}. Typ meer van de naam.` };
}

/**
 * The member a picker's answer names: the one picked from the list (by Teams id, checked against
 * the team, never taken from the card), else the one whose name was typed; undefined when neither.
 */
export function gekozenLid(leden: readonly Lid[], gekozen: string, naam: string): { lid: Lid } | { fout: string } | undefined {
  if (gekozen.trim()) {
    const lid = leden.find((l) => l.teamsId === gekozen.trim());
    return lid ? { lid } : { fout: 'Kies een lid van dit team.' };
  }
  return naam.trim() ? zoekLid(leden, naam) : undefined;
}
