import { describe, expect, it } from 'vitest';
import { afgerond, betrouwbaarGetoond, geclaimd, markeerVerouderd, uitgesteld } from '../../src/domain/weergave';

const AT = '2026-11-30T10:00:00.000Z';
const LATER = '2026-11-30T11:00:00.000Z';

describe('the stale-views marker', () => {
  it('counts every claim since it was armed (a put-off does not reset that count) and learns newer versions', () => {
    const eerst = markeerVerouderd(undefined, 't1', 'c1', 7, AT);
    const later = markeerVerouderd(eerst, 't1', 'c1', 9, AT);
    expect(later.versie).toBe(9);
    const een = geclaimd(later, 'a', AT);
    expect([een.claims, een.attempts, een.status, een.leaseOwner]).toEqual([1, 1, 'bijwerken', 'a']);
    expect(geclaimd({ ...een, status: 'verouderd', attempts: 0 }, 'b', AT).claims).toBe(2);
  });

  it("knows a new case's messages show what was posted (no round put a card yet); a marker gone otherwise knows nothing", () => {
    expect(betrouwbaarGetoond(geclaimd(markeerVerouderd(undefined, 't1', 'c1', 1, AT), 'a', AT))).toEqual({});
    expect(betrouwbaarGetoond(geclaimd(markeerVerouderd(undefined, 't1', 'c1', 8, AT), 'a', AT))).toBeUndefined();
  });

  it('keeps what the messages show once up to date, and offers it to the first claimant after the next change only', () => {
    const geclaimdEens = geclaimd(markeerVerouderd(undefined, 't1', 'c1', 1, AT), 'a', AT);
    const klaar = afgerond(geclaimdEens, { k1: 'v1', k2: '' });
    expect([klaar.status, klaar.leaseOwner, klaar.getoond]).toEqual(['getoond', undefined, { k1: 'v1', k2: '' }]);
    const weer = markeerVerouderd(klaar, 't1', 'c1', 2, LATER);
    expect([weer.status, weer.dueAt, weer.attempts, weer.claims, weer.versie]).toEqual(['verouderd', LATER, 0, undefined, 2]);
    const b = geclaimd(weer, 'b', LATER);
    expect(betrouwbaarGetoond(b)).toEqual({ k1: 'v1', k2: '' });
    // A second claimant may find the first still putting cards after its lease ran out.
    expect(betrouwbaarGetoond(geclaimd({ ...b, status: 'verouderd' }, 'c', LATER))).toBeUndefined();
  });

  it('records nothing from a round whose marker had more than one claimant', () => {
    const tweemaal = geclaimd(geclaimd(markeerVerouderd(undefined, 't1', 'c1', 1, AT), 'a', AT), 'b', AT);
    const klaar = afgerond(tweemaal, { k1: 'v1' });
    expect(klaar.getoond).toBeUndefined();
    expect(betrouwbaarGetoond(geclaimd(markeerVerouderd(klaar, 't1', 'c1', 2, LATER), 'c', LATER))).toBeUndefined();
  });

  it('lets a put-off by its one claimant hand on what the messages show, so the next claimant goes on from there', () => {
    const een = geclaimd(markeerVerouderd(undefined, 't1', 'c1', 1, AT), 'a', AT);
    const weg = uitgesteld(een, LATER, 'Teams: 502', true, { k1: 'v2', k2: 'v1' });
    expect([weg.status, weg.dueAt, weg.attempts, weg.claims, weg.leaseOwner, weg.getoond]).toEqual(['verouderd', LATER, 0, 0, undefined, { k1: 'v2', k2: 'v1' }]);
    expect(betrouwbaarGetoond(geclaimd(weg, 'b', LATER))).toEqual({ k1: 'v2', k2: 'v1' });
    // Without what the messages show, or from a second claimant, the count of claims goes on: the next one puts every card.
    expect(uitgesteld(een, LATER, 'Teams: 502', false, undefined)).toMatchObject({ claims: 1, attempts: 1, getoond: {} });
    const tweede = geclaimd({ ...weg, claims: 1 }, 'b', LATER);
    expect(betrouwbaarGetoond(geclaimd(uitgesteld(tweede, LATER, 'Teams: 502', true, { k1: 'v3' }), 'c', LATER))).toBeUndefined();
  });
});
