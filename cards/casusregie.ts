import { keuzelijst, type Keuzelijst } from '../src/domain/teamlid';
import type { Lid, Verdiepingszaak } from '../src/domain/zaak';
import template from './casusregie.json';
import { render } from './render';
import { plainText } from './text';

export interface CasusregieData extends Keuzelijst {
  caseId: string;
  reference: string;
  lead: string;
  naam: string;
  fout: string;
}

/** Picking the team member who takes over the casusregie (choices by Teams user id; in a big team also by typed name). */
export function casusregieCard(zaak: Verdiepingszaak, leden: Lid[], opties: { fout?: string; naam?: string } = {}) {
  return render<CasusregieData>(template, {
    caseId: zaak.id,
    reference: zaak.reference,
    lead: plainText(zaak.lead.name),
    ...keuzelijst(leden),
    naam: opties.naam ?? '',
    fout: opties.fout ?? '',
  });
}
