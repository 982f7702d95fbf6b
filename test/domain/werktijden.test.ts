import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { legeUitnodiging, validateUitnodiging } from '../../src/domain/uitvraag';
import { binnenWerktijden, leesWerktijden, STANDAARD_WERKTIJDEN } from '../../src/domain/werktijden';

const TZ = 'Europe/Amsterdam';
const HOUR = 3_600_000;
const W = leesWerktijden(STANDAARD_WERKTIJDEN)!;
const LID = { id: 'aad-vt', name: 'Medewerker Veilig Thuis', teamsId: '29:vt' };
const invoer = { lid: LID.teamsId, lidNaam: '', organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend bij jullie?', waarom: 'Bepaalt de keuze voor zorg.', deadlineDatum: '', deadlineTijd: '' };

describe('office hours (WERKTIJDEN)', () => {
  it('reads days and hours, and refuses what it cannot read', () => {
    expect(W).toEqual({ dagen: [1, 2, 3, 4, 5], van: 8 * 60 + 30, tot: 17 * 60 + 30 });
    expect(leesWerktijden('ma,wo,vr 09:00-16:00')).toEqual({ dagen: [1, 3, 5], van: 540, tot: 960 });
    for (const fout of ['', 'ma-vr', 'maandag 08:30-17:30', 'vr-ma 08:30-17:30', 'ma-vr 17:30-08:30', 'ma-vr 25:00-26:00']) expect(leesWerktijden(fout)).toBeUndefined();
  });

  it('a question sent at 23:23 gets its deadline the next working morning, not at 01:23 at night', () => {
    // Tuesday 1 December 2026, 23:23 in Amsterdam.
    const avond = new Date('2026-12-01T22:23:00Z');
    expect(legeUitnodiging(avond, 2 * HOUR, TZ, W)).toMatchObject({ deadlineDatum: '2026-12-02', deadlineTijd: '08:30' });
    const result = validateUitnodiging(invoer, [LID], avond, { timeZone: TZ, deadlineMs: 2 * HOUR, werktijden: W });
    expect(result.ok && result.value.deadline).toBe('2026-12-02T07:30:00.000Z');
  });

  it('within office hours the deadline stays; Friday evening and Saturday move to Monday morning', () => {
    expect(legeUitnodiging(new Date('2026-12-01T10:00:00Z'), 2 * HOUR, TZ, W)).toMatchObject({ deadlineDatum: '2026-12-01', deadlineTijd: '13:00' });
    expect(binnenWerktijden(new Date('2026-12-04T17:00:00Z'), W, TZ).toISOString()).toBe('2026-12-07T07:30:00.000Z');
    expect(binnenWerktijden(new Date('2026-11-28T12:00:00Z'), W, TZ).toISOString()).toBe('2026-11-30T07:30:00.000Z');
    // Early morning on a working day: the same morning.
    expect(binnenWerktijden(new Date('2026-12-02T05:00:00Z'), W, TZ).toISOString()).toBe('2026-12-02T07:30:00.000Z');
  });

  it('is a validated setting with a default', () => {
    const base = { VERDIEP_ENV: 'local', ALLOWED_TENANT_IDS: '7a5e0000-0000-4000-8000-000000000001' };
    const standaard = parseConfig(base);
    expect(standaard.ok && standaard.config.zsm.werktijden).toEqual(W);
    const fout = parseConfig({ ...base, WERKTIJDEN: 'altijd' });
    expect(!fout.ok && fout.problems.join('\n')).toMatch(/WERKTIJDEN/);
  });
});
