import { LEEFTIJDEN, ROLLEN, ZAAKTYPES, choices } from '../src/domain/catalogue';
import { MAX_BETROKKENEN, type FieldErrors, type MarkeringInvoer } from '../src/domain/markering';
import template from './flag-form.json';
import { render } from './render';

type Choice = { title: string; value: string };

export interface FlagFormData {
  dialog: boolean;
  hasErrors: boolean;
  values: Omit<MarkeringInvoer, 'betrokkenen' | 'herhaalVan'> & { herhaalVan: string };
  errors: Record<'zaaknummer' | 'zaaktypes' | 'signaal' | 'deadline' | 'betrokkenen', string>;
  rows: { index: number; rol: string; initialen: string; leeftijd: string; skn: string; error: string }[];
  /** PSEUDONIEM_SLEUTEL is set: each betrokkene may get an SKN (stored only as its keyed hash). */
  skn: boolean;
  rowCount: number;
  canAddRow: boolean;
  options: { zaaktypes: Choice[]; rollen: Choice[]; leeftijden: Choice[] };
}

export function emptyMarkering(signaal = ''): MarkeringInvoer {
  return { zaaknummer: '', zaaktypes: '', signaal, deadlineDatum: '', deadlineTijd: '', betrokkenen: [{ rol: '', initialen: '', leeftijd: '' }] };
}

/** The flag form as a card in the conversation (Action.Execute) or in a Teams dialog (Action.Submit); `skn`: ask for SKNs. */
export function flagFormCard(invoer: MarkeringInvoer, errors: FieldErrors, dialog: boolean, skn = false) {
  const { betrokkenen, ...values } = invoer;
  const rows = betrokkenen.slice(0, MAX_BETROKKENEN).map((b, index) => ({ index, ...b, skn: skn ? (b.skn ?? '') : '', error: errors[`betrokkene_${index}`] ?? '' }));
  return render<FlagFormData>(template, {
    dialog,
    hasErrors: Object.keys(errors).length > 0,
    values: { ...values, herhaalVan: values.herhaalVan ?? '' },
    errors: {
      zaaknummer: errors.zaaknummer ?? '',
      zaaktypes: errors.zaaktypes ?? '',
      signaal: errors.signaal ?? '',
      deadline: errors.deadline ?? '',
      betrokkenen: errors.betrokkenen ?? '',
    },
    rows,
    rowCount: rows.length,
    skn,
    canAddRow: rows.length < MAX_BETROKKENEN,
    options: { zaaktypes: choices(ZAAKTYPES), rollen: choices(ROLLEN), leeftijden: choices(LEEFTIJDEN) },
  });
}
