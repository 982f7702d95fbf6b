import type { Lid, Verdiepingszaak } from '../src/domain/zaak';
import template from './casusregie.json';
import { render } from './render';
import { plainText } from './text';

export interface CasusregieData {
  caseId: string;
  reference: string;
  lead: string;
  leden: { title: string; value: string }[];
  gekozen: string;
  fout: string;
}

/** Picking the team member who takes over the casusregie (choices by Teams user id). */
export function casusregieCard(zaak: Verdiepingszaak, leden: Lid[], gekozen = '', fout = '') {
  return render<CasusregieData>(template, {
    caseId: zaak.id,
    reference: zaak.reference,
    lead: plainText(zaak.lead.name),
    leden: leden.map((l) => ({ title: l.name, value: l.teamsId })),
    gekozen,
    fout,
  });
}
