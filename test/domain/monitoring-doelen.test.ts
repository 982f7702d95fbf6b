import { describe, expect, it } from 'vitest';
import { isLaatsteMonitoring, readMonitoring, validateMonitoring } from '../../src/domain/opvolging';

describe('the last monitoring check asks whether the goals were reached', () => {
  const invoer = { hermelding: 'nee', hermeldingWat: '', koers: 'ja', toelichting: '' };

  it('knows the last date of the besluit', () => {
    const zaak = { besluit: { monitoring: ['2026-12-16', '2026-12-02'] } } as never;
    expect(isLaatsteMonitoring(zaak, '2026-12-16')).toBe(true);
    expect(isLaatsteMonitoring(zaak, '2026-12-02')).toBe(false);
    expect(isLaatsteMonitoring({ besluit: undefined }, '2026-12-02')).toBe(false);
  });

  it('requires ja, deels or nee at the last check only, and records it', () => {
    expect(validateMonitoring(invoer)).toEqual({ ok: true, value: { hermelding: 'nee', koersPassend: true } });
    expect(validateMonitoring(invoer, true)).toEqual({ ok: false, errors: { doelenBereikt: 'Zijn de doelen van het besluit bereikt? Kies ja, deels of nee.' } });
    expect(validateMonitoring({ ...invoer, doelenBereikt: 'misschien' }, true).ok).toBe(false);
    expect(validateMonitoring({ ...invoer, doelenBereikt: 'deels' }, true)).toEqual({ ok: true, value: { hermelding: 'nee', koersPassend: true, doelenBereikt: 'deels' } });
    expect(readMonitoring({ caseId: 'c', datum: '2026-12-16', doelen_bereikt: 'ja' })?.invoer.doelenBereikt).toBe('ja');
  });
});
