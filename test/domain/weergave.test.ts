import { describe, expect, it } from 'vitest';
import { alleenEigenRondes, geclaimd, markeerVerouderd } from '../../src/domain/weergave';

const AT = '2026-11-30T10:00:00.000Z';

describe('the stale-views marker', () => {
  it('remembers the version that armed it first, and counts every claim (a put-off does not reset that count)', () => {
    const eerst = markeerVerouderd(undefined, 't1', 'c1', 7, AT);
    const later = markeerVerouderd(eerst, 't1', 'c1', 9, AT);
    expect([later.vanaf, later.versie]).toEqual([7, 9]);
    const een = geclaimd(later, 'a', AT);
    expect([een.claims, een.attempts, een.status, een.leaseOwner]).toEqual([1, 1, 'bijwerken', 'a']);
    expect(geclaimd({ ...een, status: 'verouderd', attempts: 0 }, 'b', AT).claims).toBe(2);
  });

  it('lets a claimant skip its own earlier cards only at the first claim of the round right after its own last one', () => {
    const marker = geclaimd(markeerVerouderd(undefined, 't1', 'c1', 8, AT), 'a', AT);
    expect(alleenEigenRondes(marker, 7)).toBe(true);
    // Another instance finished a round since (or this one never did one on the case).
    expect(alleenEigenRondes(marker, 5)).toBe(false);
    expect(alleenEigenRondes(marker, undefined)).toBe(false);
    // Claimed before: another holder may have put cards in this round.
    expect(alleenEigenRondes(geclaimd(marker, 'b', AT), 7)).toBe(false);
    // The case's first round: no card was put by a round before.
    expect(alleenEigenRondes(geclaimd(markeerVerouderd(undefined, 't1', 'c1', 1, AT), 'a', AT), undefined)).toBe(true);
    // A marker from before it knew where its round began.
    const { vanaf: _vanaf, ...oud } = marker;
    expect(alleenEigenRondes(oud, 7)).toBe(false);
  });
});
