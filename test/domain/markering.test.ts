import { betrokkeneLabel } from '../../src/domain/principes';
import { describe, expect, it } from 'vitest';
import { BSN_MESSAGE, INITIALEN_MESSAGE, privacyMelding } from '../../src/domain/privacy';
import { MAX_BETROKKENEN, readMarkering, validateMarkering, type MarkeringInvoer } from '../../src/domain/markering';

const TZ = 'Europe/Amsterdam';
/** Saturday 28 November 2026, 11:00 in Amsterdam (CET, UTC+1). */
const NOW = new Date('2026-11-28T10:00:00Z');
const SIGNAAL = 'Man (61) stal drie blikjes cola. Zijn netwerk is weggevallen: moeder overleden, zwager met een beroerte.';

function invoer(overrides: Partial<MarkeringInvoer> = {}): MarkeringInvoer {
  return {
    zaaknummer: '13/123456-26',
    zaaktypes: 'lvb,verward_persoon',
    signaal: SIGNAAL,
    deadlineDatum: '',
    deadlineTijd: '',
    betrokkenen: [{ rol: 'verdachte', initialen: 'j.d.', leeftijd: '23-64' }],
    ...overrides,
  };
}

function errorsOf(input: MarkeringInvoer, now = NOW): Record<string, string> {
  const result = validateMarkering(input, now, TZ);
  return result.ok ? {} : result.errors;
}

function valueOf(input: MarkeringInvoer, now = NOW) {
  const result = validateMarkering(input, now, TZ);
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.value;
}

function rij(rol: string, initialen = '', leeftijd = '') {
  return { rol, initialen, leeftijd };
}

describe('validateMarkering: the flag form', () => {
  it('accepts a complete form and returns the case data', () => {
    expect(valueOf(invoer())).toEqual({
      reference: '13/123456-26',
      types: ['lvb', 'verward_persoon'],
      signaal: SIGNAAL,
      betrokkenen: [{ rol: 'verdachte', initialen: 'J.D.', leeftijd: '23-64' }],
    });
  });

  describe('the case reference', () => {
    it.each([
      ['13/123456-24', '13/123456-24'],
      [' 13 / 123456-24 ', '13/123456-24'],
      ['PL0900-2024123456', 'PL0900-2024123456'],
      ['pl0900-20241234', 'PL0900-20241234'],
      ['ZSM-2026-00123', 'ZSM-2026-00123'],
      ['zsm-2026-123', 'ZSM-2026-123'],
    ])('accepts %j as %j', (raw, reference) => {
      expect(valueOf(invoer({ zaaknummer: raw })).reference).toBe(reference);
    });

    it.each([['13/12345-24'], ['13/123456-2'], ['PL0900-123'], ['PL09-2024123456'], ['ZSM-26-00123'], ['Jan de Vries'], ['123456782']])('refuses %j with the formats as a hint', (raw) => {
      const errors = errorsOf(invoer({ zaaknummer: raw }));
      expect(errors.zaaknummer).toContain('Onbekend formaat');
      expect(errors.zaaknummer).toContain('13/123456-24');
    });

    it.each([['PL0900-111222333'], ['PL0900-12345672'], ['ＰＬ０９００-１１１２２２３３３'], ['PL0900-١١١٢٢٢٣٣٣']])('refuses %j: its number passes the BSN 11-test', (raw) => {
      expect(errorsOf(invoer({ zaaknummer: raw })).zaaknummer).toBe(BSN_MESSAGE);
    });

    it('asks for it when empty', () => {
      expect(errorsOf(invoer({ zaaknummer: '   ' })).zaaknummer).toBe('Vul het zaaknummer in.');
    });
  });

  describe('zaaktypes', () => {
    it('accepts the known types, trimmed, each once', () => {
      expect(valueOf(invoer({ zaaktypes: ' jeugd , huiselijk_geweld,zeden ' })).types).toEqual(['jeugd', 'huiselijk_geweld', 'zeden']);
      expect(valueOf(invoer({ zaaktypes: 'jeugd,jeugd' })).types).toEqual(['jeugd']);
    });

    it.each([[''], [' , '], ['jeugd,onbekend'], ['Jeugd'], ['__proto__'], ['toString'], ['constructor']])('refuses %j', (zaaktypes) => {
      expect(errorsOf(invoer({ zaaktypes })).zaaktypes).toBe('Kies ten minste één zaaktype.');
    });
  });

  describe('the signal', () => {
    it('must have 10 to 2000 characters after trimming', () => {
      expect(errorsOf(invoer({ signaal: '  Buikpijn!!  ' })).signaal).toBeUndefined();
      expect(errorsOf(invoer({ signaal: '   Buikpijn!   ' })).signaal).toContain('ten minste 10 tekens');
      expect(errorsOf(invoer({ signaal: 'Buikpijn' })).signaal).toContain('ten minste 10 tekens');
      expect(errorsOf(invoer({ signaal: 'x'.repeat(2000) })).signaal).toBeUndefined();
      expect(errorsOf(invoer({ signaal: `  ${'x'.repeat(2000)}  ` })).signaal).toBeUndefined();
      expect(errorsOf(invoer({ signaal: 'x'.repeat(2001) })).signaal).toBe('Het signaal is te lang (2001 tekens, maximaal 2000).');
    });

    it('keeps the signal as typed, only trimmed', () => {
      expect(valueOf(invoer({ signaal: `\n  ${SIGNAAL}  \n` })).signaal).toBe(SIGNAAL);
    });

    it.each([['Verdachte met BSN 111222333 is bekend.'], ['Moeder, BSN 123.456.782, belde de politie.'], ['BSN 12345672 genoemd door de wijkagent.']])('refuses a BSN: %j', (signaal) => {
      expect(errorsOf(invoer({ signaal })).signaal).toBe(BSN_MESSAGE);
    });

    it('accepts a parketnummer, a politienummer, a date without a year and a time in the signal', () => {
      const signaal = 'Eerder parketnummer 13/123456-72 en mutatie PL0900-2026123456; incident op 6 januari om 09.30.';
      expect(valueOf(invoer({ signaal })).signaal).toBe(signaal);
    });

    it('refuses a phone number and a full date, naming what was found', () => {
      expect(errorsOf(invoer({ signaal: 'Moeder is bereikbaar op 06 12345672, vaak na vijven.' })).signaal).toBe(privacyMelding(['telefoon']));
      expect(errorsOf(invoer({ signaal: 'Jongen, geboren 06-01-2010, stal in een winkel.' })).signaal).toBe(privacyMelding(['datum']));
    });

    it('stores the signal normalised: no bidi override, no zero-width character', () => {
      expect(valueOf(invoer({ signaal: `Man\u202e stal\u200b drie blikjes cola.` })).signaal).toBe('Man stal drie blikjes cola.');
    });
  });

  describe('betrokkenen', () => {
    it('records more than one role for one person (two-sided partner violence); an old single role still reads', () => {
      const value = valueOf(invoer({ betrokkenen: [rij('verdachte,slachtoffer,verdachte', 'A.', '18-22'), rij('ex_partner', 'B.', '18-22')] }));
      expect(value.betrokkenen[0]).toEqual({ rol: 'verdachte', ookRollen: ['slachtoffer'], initialen: 'A.', leeftijd: '18-22' });
      expect(value.betrokkenen[1]).toEqual({ rol: 'ex_partner', initialen: 'B.', leeftijd: '18-22' });
      expect(betrokkeneLabel(value, 0)).toBe('Verdachte en slachtoffer (18–22 jaar)');
      expect(betrokkeneLabel({ betrokkenen: [{ rol: 'kind', leeftijd: 'onbekend' }] }, 0)).toBe('Kind');
      expect(errorsOf(invoer({ betrokkenen: [rij('verdachte,koning', 'J.')] })).betrokkene_0).toBe('Kies een of meer rollen voor deze betrokkene.');
    });

    it('ignores empty rows and keeps the filled ones in order', () => {
      const value = valueOf(invoer({ betrokkenen: [rij(''), rij('kind', '', '0-11'), rij('  ', '  ', '  '), rij('ouder', 'M.', '23-64')] }));
      expect(value.betrokkenen).toEqual([
        { rol: 'kind', leeftijd: '0-11' },
        { rol: 'ouder', initialen: 'M.', leeftijd: '23-64' },
      ]);
    });

    it.each([
      ['j.d.', 'J.D.'],
      ['JD', 'JD'],
      ['J. D.', 'J.D.'],
      ['j.d.v.', 'J.D.V.'],
      ['J.d.V.', 'J.D.V.'],
      ['JdV', 'JDV'],
      ['A', 'A'],
    ])('accepts initials %j as %j', (raw, initialen) => {
      expect(valueOf(invoer({ betrokkenen: [rij('slachtoffer', raw, '12-17')] })).betrokkenen[0]!.initialen).toBe(initialen);
    });

    it.each([['Jan'], ['jan'], ['JAN'], ['Piet'], ['Anna'], ['Mo'], ['Jansen'], ['Jan Jansen'], ['J. de Vries'], ['J.D.V.B.K.'], ['J1'], ['Özil']])('refuses a name instead of initials: %j', (raw) => {
      const errors = errorsOf(invoer({ betrokkenen: [rij('verdachte', raw, '23-64')] }));
      expect(errors.betrokkene_0).toBe(INITIALEN_MESSAGE);
    });

    it('initials are optional; an age class defaults to onbekend', () => {
      expect(valueOf(invoer({ betrokkenen: [rij('getuige')] })).betrokkenen).toEqual([{ rol: 'getuige', leeftijd: 'onbekend' }]);
    });

    it('requires a role on a row that has anything in it', () => {
      expect(errorsOf(invoer({ betrokkenen: [rij('', 'J.D.')] })).betrokkene_0).toBe('Kies een of meer rollen voor deze betrokkene.');
      expect(errorsOf(invoer({ betrokkenen: [rij('verdachte'), rij('', '', '12-17')] })).betrokkene_1).toBe('Kies een of meer rollen voor deze betrokkene.');
      expect(errorsOf(invoer({ betrokkenen: [rij('koning', 'J.')] })).betrokkene_0).toBe('Kies een of meer rollen voor deze betrokkene.');
    });

    it('refuses an unknown age class', () => {
      expect(errorsOf(invoer({ betrokkenen: [rij('kind', '', '8')] })).betrokkene_0).toBe('Kies een leeftijdsklasse.');
    });

    it('requires at least one betrokkene', () => {
      expect(errorsOf(invoer({ betrokkenen: [] })).betrokkene_0).toContain('Voeg ten minste één betrokkene toe');
      expect(errorsOf(invoer({ betrokkenen: [rij(''), rij(' ')] })).betrokkene_0).toContain('Voeg ten minste één betrokkene toe');
    });

    it(`allows at most ${MAX_BETROKKENEN} rows`, () => {
      const rows = Array.from({ length: MAX_BETROKKENEN }, () => rij('getuige'));
      expect(valueOf(invoer({ betrokkenen: rows })).betrokkenen).toHaveLength(MAX_BETROKKENEN);
      expect(errorsOf(invoer({ betrokkenen: [...rows, rij('getuige')] })).betrokkenen).toBe(`Maximaal ${MAX_BETROKKENEN} betrokkenen.`);
    });
  });

  describe('the deadline, in Europe/Amsterdam', () => {
    it('is optional', () => {
      expect(valueOf(invoer()).deadline).toBeUndefined();
    });

    it('reads date and time as Amsterdam time (winter: UTC+1)', () => {
      expect(valueOf(invoer({ deadlineDatum: '2026-11-30', deadlineTijd: '09:00' })).deadline).toBe('2026-11-30T08:00:00.000Z');
    });

    it('defaults the time to 23:59 that day', () => {
      expect(valueOf(invoer({ deadlineDatum: '2026-11-30' })).deadline).toBe('2026-11-30T22:59:00.000Z');
    });

    it('uses summer time for a date after the change in March, although today is still winter time', () => {
      const friday = new Date('2026-03-27T12:00:00Z');
      expect(valueOf(invoer({ deadlineDatum: '2026-03-28', deadlineTijd: '09:00' }), friday).deadline).toBe('2026-03-28T08:00:00.000Z');
      expect(valueOf(invoer({ deadlineDatum: '2026-03-30', deadlineTijd: '09:00' }), friday).deadline).toBe('2026-03-30T07:00:00.000Z');
    });

    it('uses winter time for a date after the change in October, although today is still summer time', () => {
      const friday = new Date('2026-10-23T10:00:00Z');
      expect(valueOf(invoer({ deadlineDatum: '2026-10-24', deadlineTijd: '09:00' }), friday).deadline).toBe('2026-10-24T07:00:00.000Z');
      expect(valueOf(invoer({ deadlineDatum: '2026-10-26', deadlineTijd: '09:00' }), friday).deadline).toBe('2026-10-26T08:00:00.000Z');
    });

    it('refuses a deadline in the past, judged in Amsterdam time', () => {
      // 10:30 in Amsterdam is 09:30 UTC: half an hour ago, although 10:30 UTC would still be ahead.
      expect(errorsOf(invoer({ deadlineDatum: '2026-11-28', deadlineTijd: '10:30' })).deadline).toBe('De deadline ligt in het verleden.');
      expect(valueOf(invoer({ deadlineDatum: '2026-11-28', deadlineTijd: '11:30' })).deadline).toBe('2026-11-28T10:30:00.000Z');
      expect(errorsOf(invoer({ deadlineDatum: '2026-11-27' })).deadline).toBe('De deadline ligt in het verleden.');
    });

    it.each([
      ['', '09:00'],
      ['2026-02-30', ''],
      ['30-11-2026', ''],
      ['2026-12-01', '25:00'],
      ['morgen', ''],
    ])('refuses date %j with time %j', (deadlineDatum, deadlineTijd) => {
      expect(errorsOf(invoer({ deadlineDatum, deadlineTijd })).deadline).toBe('Vul een geldige datum (en eventueel tijd) in voor de deadline.');
    });
  });

  it('reports every field in trouble at once', () => {
    const errors = errorsOf({ zaaknummer: 'abc', zaaktypes: '', signaal: 'kort', deadlineDatum: '2020-01-01', deadlineTijd: '', betrokkenen: [rij('', 'Jan')] });
    expect(Object.keys(errors).sort()).toEqual(['betrokkene_0', 'deadline', 'signaal', 'zaaknummer', 'zaaktypes']);
  });
});

describe('readMarkering: the inbound card payload', () => {
  const payload = {
    zaaknummer: '13/123456-26',
    zaaktypes: 'jeugd',
    signaal: SIGNAAL,
    deadline_datum: '2026-11-30',
    deadline_tijd: '09:00',
    rijen: 2,
    betrokkene_0_rol: 'verdachte',
    betrokkene_0_initialen: 'j.d.',
    betrokkene_0_leeftijd: '12-17',
    betrokkene_1_rol: 'ouder',
    betrokkene_1_initialen: '',
    betrokkene_1_leeftijd: '23-64',
  };

  it('reads the flat input ids into a form', () => {
    expect(readMarkering(payload)).toEqual({
      rijen: 2,
      invoer: {
        zaaknummer: '13/123456-26',
        zaaktypes: 'jeugd',
        signaal: SIGNAAL,
        deadlineDatum: '2026-11-30',
        deadlineTijd: '09:00',
        betrokkenen: [rij('verdachte', 'j.d.', '12-17'), rij('ouder', '', '23-64')],
      },
    });
  });

  it('a form that was read validates to the case the user filled in', () => {
    const read = readMarkering(payload)!;
    expect(valueOf(read.invoer).betrokkenen).toEqual([
      { rol: 'verdachte', initialen: 'J.D.', leeftijd: '12-17' },
      { rol: 'ouder', leeftijd: '23-64' },
    ]);
  });

  it('fills in what is missing with empty values and one row', () => {
    expect(readMarkering({})).toEqual({ rijen: 1, invoer: { zaaknummer: '', zaaktypes: '', signaal: '', deadlineDatum: '', deadlineTijd: '', betrokkenen: [rij('')] } });
    expect(readMarkering(undefined)?.rijen).toBe(1);
    expect(readMarkering(null)?.invoer.zaaknummer).toBe('');
  });

  it('accepts rijen as the string an input sends', () => {
    expect(readMarkering({ ...payload, rijen: '2' })?.rijen).toBe(2);
  });

  it('reads only as many rows as rijen says', () => {
    expect(readMarkering({ ...payload, rijen: 1 })?.invoer.betrokkenen).toEqual([rij('verdachte', 'j.d.', '12-17')]);
  });

  it.each([
    ['a number as zaaknummer', { zaaknummer: 13123456 }],
    ['an object as signaal', { signaal: { text: 'x' } }],
    ['an array as zaaktypes', { zaaktypes: ['jeugd'] }],
    ['a boolean as deadline', { deadline_datum: true }],
  ])('refuses %s', (_what, hostile) => {
    expect(readMarkering({ ...payload, ...hostile })).toBeUndefined();
  });

  it.each([[1e9], [MAX_BETROKKENEN + 1], ['1000000'], [0], [-1], [1.5], [Number.POSITIVE_INFINITY], ['veel'], [null]])('refuses rijen %j instead of building that many rows', (rijen) => {
    expect(readMarkering({ ...payload, rijen })).toBeUndefined();
  });

  it('refuses payloads that are not an object', () => {
    expect(readMarkering('zaaknummer=13/123456-26')).toBeUndefined();
    expect(readMarkering(42)).toBeUndefined();
    expect(readMarkering([payload])).toBeUndefined();
  });

  it('refuses oversized text instead of carrying it along', () => {
    expect(readMarkering({ ...payload, signaal: 'x'.repeat(10_001) })).toBeUndefined();
    expect(readMarkering({ ...payload, zaaknummer: '1'.repeat(101) })).toBeUndefined();
  });

  it('ignores betrokkene fields of the wrong type and cuts long ones', () => {
    const read = readMarkering({ ...payload, rijen: 1, betrokkene_0_rol: ['verdachte'], betrokkene_0_initialen: 'J'.repeat(5000), betrokkene_0_leeftijd: { x: 1 } })!;
    expect(read.invoer.betrokkenen[0]!.rol).toBe('');
    expect(read.invoer.betrokkenen[0]!.initialen).toHaveLength(100);
    expect(read.invoer.betrokkenen[0]!.leeftijd).toBe('');
    expect(errorsOf(read.invoer).betrokkene_0).toBe('Kies een of meer rollen voor deze betrokkene.');
  });

  it('does not let a __proto__ key pollute objects', () => {
    const hostile = JSON.parse('{"zaaknummer":"13/123456-26","rijen":1,"__proto__":{"polluted":"ja","betrokkene_0_rol":"verdachte"}}');
    readMarkering(hostile);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
