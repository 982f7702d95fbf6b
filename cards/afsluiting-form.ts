import type { AfsluitingInvoer } from '../src/domain/afsluiting';
import type { FieldErrors } from '../src/domain/markering';
import { FASEN, STOPREDENEN, choices } from '../src/domain/catalogue';
import type { Verdiepingszaak } from '../src/domain/zaak';
import formTemplate from './afsluiting-form.json';
import heropenenTemplate from './afsluiting-heropenen.json';
import samenvattingTemplate from './afsluiting-samenvatting.json';
import type { FormOpties } from './besluit-form';
import { formatMoment } from './format';
import { render } from './render';
import { plainText } from './text';

export interface AfsluitingFormData {
  caseId: string;
  /** The case version the form is based on: a save after any other change is refused. */
  basisVersie: number;
  melding: string;
  reference: string;
  hasErrors: boolean;
  values: AfsluitingInvoer;
  stopredenen: { title: string; value: string }[];
  errors: Record<keyof AfsluitingInvoer, string>;
}

export interface HeropenenFormData {
  caseId: string;
  reference: string;
  reden: string;
  error: string;
}

export interface AfsluitingSamenvattingData {
  titel: string;
  kleur: 'Good' | 'Accent';
  door: string;
  op: string;
  feiten: { titel: string; waarde: string }[];
}

export function afsluitingFormCard(zaak: Verdiepingszaak, values: AfsluitingInvoer, errors: FieldErrors, opties: FormOpties = {}) {
  return render<AfsluitingFormData>(formTemplate, {
    caseId: zaak.id,
    basisVersie: opties.basisVersie ?? zaak.version,
    melding: opties.melding ? plainText(opties.melding) : '',
    reference: zaak.reference,
    hasErrors: Object.keys(errors).length > 0,
    values,
    stopredenen: choices(STOPREDENEN),
    errors: { stopreden: errors.stopreden ?? '', leeropbrengst: errors.leeropbrengst ?? '', vergelijking: errors.vergelijking ?? '', uitkomst: errors.uitkomst ?? '' },
  });
}

export function heropenenFormCard(zaak: Verdiepingszaak, reden: string, error: string) {
  return render<HeropenenFormData>(heropenenTemplate, { caseId: zaak.id, reference: zaak.reference, reden, error });
}

/** Posted in the case thread when the case is closed, or reopened. */
export function afsluitingSamenvattingCard(zaak: Verdiepingszaak, timeZone: string) {
  const heropening = zaak.fase !== 'gesloten' ? zaak.heropeningen.at(-1) : undefined;
  if (heropening) {
    return render<AfsluitingSamenvattingData>(samenvattingTemplate, {
      titel: `Zaak ${zaak.reference} heropend`,
      kleur: 'Accent',
      door: plainText(heropening.door.name),
      op: formatMoment(heropening.op, timeZone),
      feiten: [
        { titel: 'Reden', waarde: plainText(heropening.reden) },
        { titel: 'Fase', waarde: FASEN[zaak.fase] },
      ],
    });
  }
  const a = zaak.afsluiting;
  return render<AfsluitingSamenvattingData>(samenvattingTemplate, {
    titel: `Zaak ${zaak.reference} gesloten`,
    kleur: 'Good',
    door: plainText(a?.door.name ?? ''),
    op: a ? formatMoment(a.op, timeZone) : '',
    feiten: [
      ...(a?.stopreden ? [{ titel: 'Gestopt omdat', waarde: STOPREDENEN[a.stopreden] }] : []),
      { titel: 'Uitkomst', waarde: plainText(a?.uitkomst ?? '') },
      { titel: 'Leeropbrengst', waarde: plainText(a?.leeropbrengst ?? '') },
      ...(a?.vergelijking ? [{ titel: 'Vergelijking', waarde: plainText(a.vergelijking) }] : []),
    ],
  });
}
