import { ledenNotitie, MAX_KEUZE_LEDEN } from '../src/domain/teamlid';
import type { Lid, Verdiepingszaak } from '../src/domain/zaak';
import template from './casusregie.json';
import { render } from './render';
import { plainText } from './text';

export interface CasusregieData {
  caseId: string;
  reference: string;
  lead: string;
  leden: { title: string; value: string }[];
  /** Set when the team has more members than the card lists: the others are found by typing their name. */
  ledenNotitie: string;
  zoeken: boolean;
  naam: string;
  fout: string;
}

/** Picking the team member who takes over the casusregie (choices by Teams user id; in a big team also by typed name). */
export function casusregieCard(zaak: Verdiepingszaak, leden: Lid[], opties: { fout?: string; naam?: string } = {}) {
  const zoeken = leden.length > MAX_KEUZE_LEDEN;
  return render<CasusregieData>(template, {
    caseId: zaak.id,
    reference: zaak.reference,
    lead: plainText(zaak.lead.name),
    leden: leden.slice(0, MAX_KEUZE_LEDEN).map((l) => ({ title: l.name, value: l.teamsId })),
    ledenNotitie: ledenNotitie(leden.length),
    zoeken,
    naam: opties.naam ?? '',
    fout: opties.fout ?? '',
  });
}
