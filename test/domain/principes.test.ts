import { describe, expect, it } from 'vitest';
import { principeStapCard } from '../../cards/principe-stap';
import { verdiepingskaartCard } from '../../cards/verdiepingskaart';
import { overdragen } from '../../src/domain/casusregie';
import { PRINCIPES } from '../../src/domain/catalogue';
import {
  GESLOTEN_MESSAGE,
  LANG_MAX,
  REDEN_MAX,
  LEEG_MESSAGE,
  NVT_REDEN_MESSAGE,
  STAPPEN,
  betrokkeneLabel,
  gevraagdeVelden,
  principeHistorie,
  WIJZIGING_MAX,
  readPrincipeInvoer,
  readStapVerwijzing,
  validatePrincipe,
  vastleggen,
  StapGewijzigd,
  type PrincipeInvoer,
  type PrincipeWaarde,
} from '../../src/domain/principes';
import { BSN_MESSAGE } from '../../src/domain/privacy';
import { DomainError, record, type Actor, type NewZaakEvent, type Verdiepingszaak, type ZaakEvent } from '../../src/domain/zaak';

const OFFICIER: Actor = { id: 'aad-officier', name: 'Officier Van Dijk' };
const RVDK: Actor = { id: 'aad-rvdk', name: 'Raadsonderzoeker' };
const NOW = new Date('2026-11-28T10:00:00Z');
const TZ = 'Europe/Amsterdam';
const ids = { teamId: 'team-1', caseId: 'zaak-1' };

function flagged(): { zaak: Verdiepingszaak; events: ZaakEvent[] } {
  return record(undefined, ids, OFFICIER, NOW, [
    {
      type: 'zaak.gemarkeerd',
      data: {
        reference: '13/123456-26',
        types: ['huiselijk_geweld'],
        signaal: 'Moeder mishandeld door partner; twee kinderen waren thuis.',
        betrokkenen: [
          { rol: 'verdachte', leeftijd: '23-64', initialen: 'A.B.' },
          { rol: 'kind', leeftijd: '0-11' },
        ],
      },
    },
  ]);
}

function invoer(antwoorden: Record<string, string>, nvt = false, reden = ''): PrincipeInvoer {
  return { nvt, reden, antwoorden };
}

function apply(state: { zaak: Verdiepingszaak; events: ZaakEvent[] }, actor: Actor, changes: NewZaakEvent[]) {
  const next = record(state.zaak, ids, actor, NOW, changes);
  return { zaak: next.zaak, events: [...state.events, ...next.events] };
}

describe('leidende principes: the step forms', () => {
  it('has nine steps with the catalogue questions, in order', () => {
    expect(STAPPEN.map((s) => s.principe.nummer)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(STAPPEN.map((s) => s.principe.vragen)).toEqual(PRINCIPES.map((p) => p.vragen));
    for (const stap of STAPPEN) expect(stap.velden.length).toBeGreaterThan(0);
  });

  it('asks step 2 and step 4 per betrokkene, named by role and age band only', () => {
    const { zaak } = flagged();
    const stap2 = gevraagdeVelden(STAPPEN[1]!, zaak).map((v) => v.key);
    expect(stap2).toEqual(['perspectief_0', 'spreker_0', 'perspectief_1', 'spreker_1', 'ontbreekt']);
    const stap4 = gevraagdeVelden(STAPPEN[3]!, zaak).map((v) => v.key);
    expect(stap4).toEqual(['nu_0', 'straks_0', 'toelichting_0', 'nu_1', 'straks_1', 'toelichting_1']);
    expect(betrokkeneLabel(zaak, 0)).toBe('Verdachte (23–64 jaar)');
    expect(betrokkeneLabel(zaak, 1)).toBe('Kind (0–11 jaar)');
    expect(betrokkeneLabel(zaak, 0)).not.toContain('A.B.');
  });
});

describe('leidende principes: validation', () => {
  const { zaak } = flagged();

  it('accepts a step with one field filled and drops empty fields', () => {
    const result = validatePrincipe(zaak, 1, invoer({ zorgen: '  Kinderen waren getuige.  ', tegenstrijdig: '' }), NOW, TZ);
    expect(result).toEqual({ ok: true, value: { stap: 1, status: 'ingevuld', antwoorden: { zorgen: 'Kinderen waren getuige.' } } });
  });

  it('refuses an empty step: fill something or mark it niet van toepassing', () => {
    const result = validatePrincipe(zaak, 5, invoer({ kwetsbaar: '  ', draagt: '' }), NOW, TZ);
    expect(result).toEqual({ ok: false, errors: { stap: LEEG_MESSAGE } });
  });

  it('needs a reason for niet van toepassing, and then keeps no answers', () => {
    expect(validatePrincipe(zaak, 6, invoer({}, true, ''), NOW, TZ)).toEqual({ ok: false, errors: { nvt_reden: NVT_REDEN_MESSAGE } });
    expect(validatePrincipe(zaak, 6, invoer({}, true, ' ok '), NOW, TZ)).toEqual({ ok: false, errors: { nvt_reden: NVT_REDEN_MESSAGE } });
    const ok = validatePrincipe(zaak, 6, invoer({ patronen: 'oude_bekenden' }, true, 'Eerste contact met justitie, niets bekend.'), NOW, TZ);
    expect(ok).toEqual({ ok: true, value: { stap: 6, status: 'nvt', antwoorden: {}, reden: 'Eerste contact met justitie, niets bekend.' } });
  });

  it('refuses a BSN in every free-text field, and in the n.v.t. reason', () => {
    for (const stap of STAPPEN) {
      for (const { veld, key } of gevraagdeVelden(stap, zaak)) {
        if (veld.soort !== 'tekst') continue;
        const result = validatePrincipe(zaak, stap.principe.nummer, invoer({ [key]: 'Bekend onder 111222333 bij de gemeente.' }), NOW, TZ);
        expect(result, `stap ${stap.principe.nummer} ${key}`).toEqual({ ok: false, errors: { [key]: BSN_MESSAGE } });
      }
    }
    expect(validatePrincipe(zaak, 3, invoer({}, true, 'Zie BSN 111 222 333'), NOW, TZ)).toEqual({ ok: false, errors: { nvt_reden: BSN_MESSAGE } });
  });

  it('limits text length', () => {
    const result = validatePrincipe(zaak, 1, invoer({ zorgen: 'x'.repeat(LANG_MAX + 1) }), NOW, TZ);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.zorgen).toContain(`maximaal ${LANG_MAX}`);
    const kort = validatePrincipe(zaak, 2, invoer({ spreker_1: 'y'.repeat(301) }), NOW, TZ);
    expect(kort.ok).toBe(false);
  });

  it('accepts only the listed choices, and normalises multi-choices', () => {
    expect(validatePrincipe(zaak, 4, invoer({ nu_1: 'prima' }), NOW, TZ)).toEqual({ ok: false, errors: { nu_1: 'Kies een van de mogelijkheden.' } });
    expect(validatePrincipe(zaak, 6, invoer({ patronen: 'oude_bekenden,verzonnen' }), NOW, TZ)).toEqual({ ok: false, errors: { patronen: 'Kies uit de lijst.' } });
    const ok = validatePrincipe(zaak, 6, invoer({ patronen: 'vele_professionals, oude_bekenden,oude_bekenden', instrumenten: 'b_safer' }), NOW, TZ);
    expect(ok.ok && ok.value.antwoorden).toEqual({ patronen: 'oude_bekenden,vele_professionals', instrumenten: 'b_safer' });
  });

  it('asks why when the team plays with time', () => {
    expect(validatePrincipe(zaak, 8, invoer({ tijd: 'vertragen' }), NOW, TZ)).toEqual({ ok: false, errors: { reden: 'Geef aan waarom jullie kiezen voor vertragen.' } });
    expect(validatePrincipe(zaak, 8, invoer({ tijd: 'geen', drieMaanden: 'Dan is zij uit de gesloten jeugdzorg.' }), NOW, TZ).ok).toBe(true);
  });

  it('wants a real monitoring date, not in the past', () => {
    expect(validatePrincipe(zaak, 9, invoer({ opnieuw: '2026-02-30' }), NOW, TZ)).toEqual({ ok: false, errors: { opnieuw: 'Vul een geldige datum in.' } });
    expect(validatePrincipe(zaak, 9, invoer({ opnieuw: '2026-11-27' }), NOW, TZ)).toEqual({ ok: false, errors: { opnieuw: 'Deze datum ligt in het verleden.' } });
    expect(validatePrincipe(zaak, 9, invoer({ opnieuw: '2026-11-28' }), NOW, TZ).ok).toBe(true);
  });

  it('reads the form payload by the case betrokkenen, ignoring anything else', () => {
    const data = { caseId: 'zaak-1', stap: '2', basisVersie: 1, v_perspectief_1: 'nee', v_spreker_1: 'Veilig Thuis', v_perspectief_7: 'ja', nvt: 'false', nvt_reden: '', extra: { x: 1 } };
    expect(readStapVerwijzing(data)).toEqual({ caseId: 'zaak-1', stap: 2, basisVersie: 1 });
    const read = readPrincipeInvoer(data, 2, zaak)!;
    expect(read.nvt).toBe(false);
    expect(read.antwoorden).toEqual({ perspectief_0: '', spreker_0: '', perspectief_1: 'nee', spreker_1: 'Veilig Thuis', ontbreekt: '' });
    expect(readStapVerwijzing({ caseId: 'zaak-1', stap: 10 })).toBeUndefined();
    // A forged "niet van toepassing" that is neither a checkbox value nor a short text is no step form.
    expect(readPrincipeInvoer({ ...data, nvt: 123 }, 2, zaak)).toBeUndefined();
    expect(readStapVerwijzing({ stap: 1 })).toBeUndefined();
  });
});

describe('leidende principes: recording and revising', () => {
  const waarde = (antwoorden: Record<string, string>): PrincipeWaarde => ({ stap: 1, status: 'ingevuld', antwoorden });

  it('records the event; each revision is a new version, the history keeps them all', () => {
    let state = flagged();
    state = apply(state, OFFICIER, vastleggen(state.zaak, waarde({ zorgen: 'Kinderen waren getuige.' })));
    expect(state.zaak.principes[1]).toMatchObject({ status: 'ingevuld', versie: 1, door: OFFICIER, antwoorden: { zorgen: 'Kinderen waren getuige.' } });

    state = apply(state, RVDK, vastleggen(state.zaak, waarde({ zorgen: 'Kinderen waren getuige; oudste kind belde 112.' })));
    expect(state.zaak.principes[1]).toMatchObject({ versie: 2, door: RVDK });

    const historie = principeHistorie(state.events, 1, state.zaak);
    expect(historie.map((v) => [v.versie, v.door.name])).toEqual([
      [1, 'Officier Van Dijk'],
      [2, 'Raadsonderzoeker'],
    ]);
    expect(principeHistorie(state.events, 2, state.zaak)).toEqual([]);
    expect(historie[0]!.wijzigingen).toEqual([{ veld: expect.any(String), oud: '(leeg)', nieuw: 'Kinderen waren getuige.' }]);
    expect(historie[1]!.wijzigingen).toEqual([{ veld: historie[0]!.wijzigingen[0]!.veld, oud: 'Kinderen waren getuige.', nieuw: 'Kinderen waren getuige; oudste kind belde 112.' }]);

    // n.v.t. with a reason, then filled in again: the status and the reason show as changes; long values are cut.
    state = apply(state, OFFICIER, vastleggen(state.zaak, { stap: 1, status: 'nvt', antwoorden: {}, reden: 'Geen zorgen bekend.' }));
    state = apply(state, OFFICIER, vastleggen(state.zaak, waarde({ zorgen: 'Lang verhaal '.repeat(20) })));
    const [, , nvt, terug] = principeHistorie(state.events, 1, state.zaak);
    expect(nvt!.wijzigingen.map((w) => [w.veld, w.oud, w.nieuw])).toEqual([
      ['Stap', 'Ingevuld', 'Niet van toepassing'],
      ['Reden niet van toepassing', '(leeg)', 'Geen zorgen bekend.'],
      [historie[0]!.wijzigingen[0]!.veld, 'Kinderen waren getuige; oudste kind belde 112.', '(leeg)'],
    ]);
    expect(terug!.wijzigingen[0]).toMatchObject({ veld: 'Stap', oud: 'Niet van toepassing', nieuw: 'Ingevuld' });
    expect(terug!.wijzigingen.at(-1)!.nieuw).toHaveLength(WIJZIGING_MAX);
    expect(terug!.wijzigingen.at(-1)!.nieuw.endsWith('…')).toBe(true);
  });

  it('records nothing when the answers did not change (a double click is not a revision)', () => {
    let state = flagged();
    state = apply(state, OFFICIER, vastleggen(state.zaak, waarde({ zorgen: 'Kinderen waren getuige.' })));
    expect(vastleggen(state.zaak, waarde({ zorgen: 'Kinderen waren getuige.' }))).toEqual([]);
  });

  it('refuses changes on a closed case', () => {
    let state = flagged();
    state = apply(state, OFFICIER, [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
    expect(() => vastleggen(state.zaak, waarde({ zorgen: 'x'.repeat(20) }))).toThrow(new DomainError(GESLOTEN_MESSAGE));
  });
});

describe('casusregie', () => {
  const lid = { id: 'aad-rvdk', name: 'Raadsonderzoeker', teamsId: '29:rvdk' };

  it('lets the lead hand it to a team member, who is then the lead', () => {
    let state = flagged();
    state = apply(state, OFFICIER, overdragen(state.zaak, OFFICIER, lid));
    expect(state.zaak.lead).toEqual(lid);
    expect(() => overdragen(state.zaak, OFFICIER, { id: 'aad-x', name: 'X', teamsId: '29:x' })).toThrow('Alleen de casusregisseur (Raadsonderzoeker)');
  });

  it('refuses a handover to the current lead or on a closed case', () => {
    let state = flagged();
    expect(() => overdragen(state.zaak, OFFICIER, { ...OFFICIER, teamsId: '29:officier' })).toThrow('heeft de casusregie al');
    state = apply(state, OFFICIER, [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);
    expect(() => overdragen(state.zaak, OFFICIER, lid)).toThrow('gesloten');
  });
});

describe('leidende principes: zigzag by two people at once', () => {
  it('refuses a save on a form opened before someone else revised the step', () => {
    let state = flagged();
    const eerste: PrincipeWaarde = { stap: 5, status: 'ingevuld', antwoorden: { kwetsbaar: 'LVB, netwerk weggevallen.' } };
    state = apply(state, OFFICIER, vastleggen(state.zaak, eerste, 0));
    const tweede: PrincipeWaarde = { stap: 5, status: 'ingevuld', antwoorden: { draagt: 'Buurvrouw kookt voor hem.' } };
    expect(() => vastleggen(state.zaak, tweede, 0)).toThrow(StapGewijzigd);
    expect(() => vastleggen(state.zaak, tweede, 0)).toThrow('Intussen heeft Officier Van Dijk deze stap bijgewerkt (versie 1)');
    expect(vastleggen(state.zaak, tweede, 1)).toHaveLength(1);
  });
});

describe('the principle cards stay under 28 KB in the worst case', () => {
  it('with eight betrokkenen, every field at its limit, many revisions and n.v.t. reasons', () => {
    const base = flagged().zaak;
    const zaak: Verdiepingszaak = {
      ...base,
      betrokkenen: Array.from({ length: 8 }, () => ({ rol: 'ex_partner' as const, leeftijd: '23-64' as const })),
      lead: { id: 'x', name: 'N'.repeat(100) },
    };
    const wijziging = { veld: `${'L'.repeat(80)} (${'B'.repeat(60)})`, oud: 'o'.repeat(WIJZIGING_MAX), nieuw: 'n'.repeat(WIJZIGING_MAX) };
    const historie = Array.from({ length: 40 }, (_, i) => ({ versie: i + 1, status: 'ingevuld' as const, door: { id: 'x', name: 'N'.repeat(100) }, op: NOW.toISOString(), wijzigingen: Array(30).fill(wijziging) }));
    for (const stap of STAPPEN) {
      const antwoorden = Object.fromEntries(
        gevraagdeVelden(stap, zaak).map(({ veld, key }) => [key, veld.soort === 'tekst' ? 'w'.repeat(veld.max + 1) : veld.soort === 'datum' ? '2026-12-01' : 'x']),
      );
      const card = principeStapCard(zaak, stap.principe.nummer, { nvt: true, reden: 'r'.repeat(REDEN_MAX + 1), antwoorden }, historie, TZ, { melding: 'm'.repeat(300) });
      expect(JSON.stringify(card).length, `stap ${stap.principe.nummer}`).toBeLessThan(28_000);
    }
    const principes = Object.fromEntries(
      STAPPEN.map((s) => [s.principe.nummer, { stap: s.principe.nummer, status: 'nvt' as const, antwoorden: {}, reden: '*'.repeat(REDEN_MAX), door: { id: 'x', name: 'N'.repeat(100) }, op: NOW.toISOString(), versie: 99 }]),
    );
    const kaart = verdiepingskaartCard({ ...zaak, principes }, TZ, { tekst: 'm'.repeat(300), soort: 'goed' });
    expect(JSON.stringify(kaart).length).toBeLessThan(28_000);
    expect(JSON.stringify(kaart)).toContain('Niet van toepassing');
  });
});
