import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../cards/text';
import {
  BSN_MESSAGE,
  INITIALEN_MESSAGE,
  checkInitialen,
  normaliseText,
  passesElevenTest,
  privacyFout,
  privacyMelding,
  stripControls,
  vindPersoonsgegevens,
  type Gevonden,
} from '../../src/domain/privacy';

// Hand-checked sums (weights 9..2 on the first eight digits, -1 on the last):
//   111222333: 9+8+7+12+10+8+9+6 - 3 = 66  = 6 × 11   → valid
//   123456782: 9+16+21+24+25+24+21+16 - 2 = 154 = 14 × 11 → valid
//   012345672: 0+8+14+18+20+20+18+14 - 2 = 110 = 10 × 11 → valid (written as 8 digits: 12345672)
//   612345671: 54+8+14+18+20+20+18+14 - 1 = 165 = 15 × 11 → valid
//   009001700: 0+0+63+0+0+4+21+0 - 0 = 88 = 8 × 11 → valid (the time range 09.00-17.00 without separators)
//   123456789: 156 - 9 = 147 → not divisible by 11
//   202600105: 18+0+14+36+0+0+3+0 - 5 = 66 = 6 × 11 → valid (ZSM-2026-00105: a ZSM-nummer, read as two numbers)
describe('the BSN 11-test', () => {
  it('accepts valid numbers and refuses the rest, 000000000 and anything but nine digits', () => {
    for (const valid of ['111222333', '123456782', '012345672', '612345671', '009001700', '202600105']) expect(passesElevenTest(valid), valid).toBe(true);
    for (const invalid of ['123456789', '111222334', '123456783', '000000000', '12345672', '1234567820', '12345678a', '123 456 782', '']) {
      expect(passesElevenTest(invalid), invalid).toBe(false);
    }
  });
});

const ZWSP = '\u200b';
const NBSP = '\u00a0';
const arabic = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x0660 + Number(d))).join('');
const devanagari = (digits: string) => [...digits].map((d) => String.fromCodePoint(0x0966 + Number(d))).join('');
const fullWidth = (digits: string) => [...digits].map((d) => String.fromCodePoint(0xff10 + Number(d))).join('');

/** [what a user typed, the kinds the filter must name]; an empty list means it must pass. */
const TABLE: [string, Gevonden[]][] = [
  // BSN, and the bypasses from issue 10
  ['Verdachte met BSN 111222333 is bekend bij de politie.', ['bsn']],
  ['bsn-111222333', ['bsn']],
  ['111222333-', ['bsn']],
  ['111,222,333', ['bsn']],
  ['111_222_333', ['bsn']],
  [`111${NBSP}222${NBSP}333`, ['bsn']],
  ['111\u202f222\u202f333', ['bsn']],
  [`111${ZWSP}222${ZWSP}333`, ['bsn']],
  ['111\u2060222\ufeff333', ['bsn']],
  ['111\n222\n333', ['bsn']],
  ['111\r\n222\r\n333', ['bsn']],
  [fullWidth('111222333'), ['bsn']],
  [`BSN ${arabic('111222333')}`, ['bsn']],
  [`BSN ${devanagari('123456782')}`, ['bsn']],
  [`${arabic('111')} 222 ${devanagari('333')}`, ['bsn']],
  ['11 122 23 33', ['bsn']],
  ['1 1 1 2 2 2 3 3 3', ['bsn']],
  ['tel 06 111222333', ['bsn']],
  ['PL0900-111222333', ['bsn']],
  ['PL0900-12345672', ['bsn']],
  ['bsn\u202e111222333', ['bsn']],
  ['x111222333y', ['bsn']],
  ['111/222/333', ['bsn']],
  ['111 – 222 – 333', ['bsn']],
  ['1.11 2.22 3.33', ['bsn']],
  ['111:222:333', ['bsn']],
  ['BSN 123.456.782, geboren in Haarlem', ['bsn']],
  ['BSN 1234 56 782 staat in het dossier', ['bsn']],
  ['(123456782)', ['bsn']],
  ['BSN:123456782', ['bsn']],
  ['BSN 12345672 (de nul vooraan is weggevallen)', ['bsn']],
  ['Bel moeder op 06 12345672; haar BSN is 111222333.', ['bsn', 'telefoon']],
  // phone numbers
  ['Bel 06 12345678 na vijven', ['telefoon']],
  ['0612345678', ['telefoon']],
  ['06-12345678', ['telefoon']],
  ['tel. (06) 12345672', ['telefoon']],
  ['+31 6 12345678', ['telefoon']],
  ['+31 (0)6 12345678', ['telefoon']],
  ['0031 6 12345678', ['telefoon']],
  ['+31612345678', ['telefoon']],
  ['vast: 020 1234567', ['telefoon']],
  ['Beverwijk 0251-123456', ['telefoon']],
  [`bel ${fullWidth('0612345678')}`, ['telefoon']],
  // e-mail
  ['mail jan@example.nl', ['email']],
  ['j.de.vries@gemeente-haarlem.nl graag', ['email']],
  ['jan ＠ example.nl', ['email']],
  // IBAN (valid check digits)
  ['NL91ABNA0417164300', ['iban']],
  ['rekening NL91 ABNA 0417 1643 00', ['iban']],
  ['iban nl91abna0417164300', ['iban']],
  ['BE68539007547034', ['iban']],
  // postcode with a house number
  ['1234 AB 12', ['adres']],
  ['1234AB12', ['adres']],
  ['woont op 3511ab, 4a', ['adres']],
  ['Kerkstraat 12, 2011 AB Haarlem', ['adres']],
  // a full date, such as a birth date
  ['geboren 12-03-2008', ['datum']],
  ['12 maart 2008', ['datum']],
  ['geb. 1.3.08', ['datum']],
  ['2008-03-12', ['datum']],
  ['12 mrt. 2008', ['datum']],
  ["12 maart '08", ['datum']],
  ['12/03/2008', ['datum']],
  ['Geboren op 5 Januari 2010', ['datum']],
  ['incident 18-01-2024 14:30', ['datum']],
  // what must pass: ordinary text, numbers that belong in a case
  ['Man (61) stal drie blikjes cola. Zijn netwerk is weggevallen: moeder overleden, zwager met een beroerte.', []],
  ["Café-eigenaar belde 112 om kwart over tien; 's avonds is het rustig.", []],
  ['Ze zegt: "ik ben bang" — en huilt. Hij ontkent alles.', []],
  ['op 12 maart om 14:30', []],
  ['afspraak 12-03, daarna 19-3', []],
  ['bereikbaar van 09.00-17.00 uur', []],
  ['bereikbaar 09.00 – 17.00', []],
  ['gesprekken om 14.30, 15.45', []],
  ['dinsdag 14:00 overleg, donderdag 9.30 zitting', []],
  ['schade € 1.250,00 en een boete van € 95', []],
  ['Jongen (15), 3 eerdere zaken, 2 kinderen van 4 en 7', []],
  ['de man (45) en de vrouw (43), sinds 2019 bekend bij Halt', []],
  ['hermelding in maart 2025, daarna niets', []],
  ['in 2024 op 12 maart aangehouden', []],
  ['vorige week 3x aangehouden, 42 dagen huisverbod', []],
  ['PL0900-2026123456', []],
  ['Mutatie PL0900-2024123456 van gisteren', []],
  ['13/123456-24', []],
  ['Parketnummer 13/123456-72, zitting volgt.', []],
  ['ZSM-2026-00123', []],
  ['ZSM-2026-00105', []],
  ['Kenmerk 123456789 bij de gemeente', []],
  ['Kenmerk 123.456.789 bij de gemeente', []],
  ['referentie 1123456782', []],
  ['000000000', []],
  ['2011 AB Haarlem', []],
  ['Postbus 12345, 6200 AB Maastricht', []],
  ['Bel 112 bij nood, of 0800-1234', []],
  ['NL00BANK0123456789 is geen geldig rekeningnummer', []],
];

describe('the privacy filter: a table of what users type', () => {
  it('has at least 60 cases', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
  });

  it.each(TABLE)('%j → %j', (text, kinds) => {
    expect(vindPersoonsgegevens(text)).toEqual(kinds);
    expect(privacyFout(text)).toBe(kinds.length > 0 ? privacyMelding(kinds) : undefined);
  });
});

describe('the messages', () => {
  const KINDS: Gevonden[] = ['bsn', 'telefoon', 'email', 'iban', 'adres', 'datum'];

  it('each kind has its own Dutch message that names it and says it does not belong in Verdiep', () => {
    const messages = KINDS.map((k) => privacyMelding([k]));
    expect(new Set(messages).size).toBe(KINDS.length);
    expect(messages).toEqual([
      expect.stringContaining('BSN'),
      expect.stringContaining('telefoonnummer'),
      expect.stringContaining('e-mailadres'),
      expect.stringContaining('IBAN'),
      expect.stringContaining('adres'),
      expect.stringContaining('geboortedatum'),
    ]);
    for (const m of messages) expect(m).toMatch(/hoort niet in Verdiep|horen niet in Verdiep/);
    expect(BSN_MESSAGE).toBe(privacyMelding(['bsn']));
  });

  it('names every kind when there are several, and never echoes what was found', () => {
    const text = 'BSN 111222333, mail jan@example.nl, bel 0612345678';
    const message = privacyFout(text)!;
    expect(message).toContain('een BSN');
    expect(message).toContain('een e-mailadres');
    expect(message).toContain('een telefoonnummer');
    for (const secret of ['111222333', 'jan@example.nl', '0612345678', 'example']) expect(message).not.toContain(secret);
  });
});

describe('normalising', () => {
  it('strips bidi overrides, zero-width and control characters, keeps newlines, maps digits of any script to ASCII', () => {
    expect(normaliseText('a\u202eb\u200fc\u2066d\u2069e\ufefff\u0007g\u009fh')).toBe('abcdefgh');
    expect(normaliseText('regel een\r\nregel twee\u2028drie\tvier')).toBe('regel een\nregel twee\ndrie vier');
    expect(normaliseText(`${arabic('0123456789')} ${devanagari('42')} ${fullWidth('7')} \u{1d7d9}`)).toBe('0123456789 42 7 1');
    expect(normaliseText('ﬁets Ｈａｌｔ')).toBe('fiets Halt');
  });

  it('leaves ordinary Dutch text as it is', () => {
    const text = 'Ouders (ex-partners) maken ruzie over de omgang; één kind is bang — "papa schreeuwt".\nTweede regel.';
    expect(normaliseText(text)).toBe(text);
  });

  it('the card escape strips control and bidi characters as a last line of defence', () => {
    expect(plainText('Veilig\u202e Thuis\u0000\u200b')).toBe('Veilig Thuis');
    expect(stripControls('a\u202ab\nc')).toBe('ab\nc');
  });

  it('strips every control and invisible character from any mix, and keeps the rest as it was', () => {
    const teken = fc.constantFrom('a', 'é', ' ', '\n', '\r\n', '\t', '\u0000', '\u001b', '\u007f', '\u0085', '\u00ad', '\u061c', '\u200b', '\u202e', '\u2028', '\u2029', '\u2066', '\ufeff', '😀');
    fc.assert(
      fc.property(fc.array(teken, { maxLength: 10 }), (tekens) => {
        const uit = stripControls(tekens.join(''));
        expect(uit).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]|\p{Cf}/u);
        const verwacht = tekens.map((t) => (t === '\t' ? ' ' : /^(\r\n?|[\u2028\u2029])$/.test(t) ? '\n' : /^[a\u00e9 \n😀]+$/u.test(t) ? t : '')).join('');
        expect(uit).toBe(verwacht);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('initials', () => {
  it.each([
    ['J', 'J'],
    ['J.', 'J.'],
    ['JD', 'JD'],
    ['J.D', 'J.D'],
    ['j.d.', 'J.D.'],
    ['J. D.', 'J.D.'],
    ['J.A.', 'J.A.'],
    ['J.A.B.', 'J.A.B.'],
    ['J.A.B.C.', 'J.A.B.C.'],
    ['J.d.V.', 'J.D.V.'],
    ['JdV', 'JDV'],
    ['JvdB', 'JVDB'],
    ['', ''],
  ])('accepts %j, stored as %j', (raw, stored) => {
    expect(checkInitialen(raw)).toEqual({ ok: true, value: stored });
  });

  // Three or more capitals without dots read as a name in capitals: three initials need dots.
  it.each([['JAN'], ['PIET'], ['ANNA'], ['JAB'], ['Jan'], ['jan'], ['Mo'], ['Özil'], ['Jansen'], ['Jan Jansen'], ['J. de Vries'], ['J.D.V.B.K.'], ['J1'], ['jd'], ['J.AN']])(
    'refuses %j',
    (raw) => {
      expect(checkInitialen(raw)).toEqual({ ok: false, error: INITIALEN_MESSAGE });
    },
  );
});

/** A valid BSN: eight random digits and the ninth that makes the 11-test pass (skipped when it would be 10). */
const bsn = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
  .map((d) => [...d, d.reduce((s, x, i) => s + x * (9 - i), 0) % 11])
  .filter((d) => d[8]! < 10 && d.some((x) => x !== 0))
  .map((d) => d.join(''));

/** Zero digits of Unicode decimal scripts: ASCII, Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali, Thai, full-width, mathematical bold. */
const SCRIPTS = [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10, 0x1d7ce];
const SEPARATORS = ['', '', ' ', '.', ',', '-', '_', '/', '\n', NBSP, '\u202f', ZWSP, '\u202e', '\u2060', '\ufeff', '–', ' - ', ', ', ':', '(', ')'];
/** Words around it: letters, spaces and punctuation, no digits, no @, and no "z" (no ZSM-nummer, the shape a 9-digit number may sit in unread). */
const WORDS = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY éëï:;()!?"\'-\n'), maxLength: 30 });

describe('properties', () => {
  it('a valid BSN is refused whatever separators and digit scripts it is written with, and whatever text is around it', () => {
    fc.assert(
      fc.property(
        bsn,
        fc.array(fc.constantFrom(...SEPARATORS), { minLength: 8, maxLength: 8 }),
        fc.array(fc.constantFrom(...SCRIPTS), { minLength: 9, maxLength: 9 }),
        WORDS,
        WORDS,
        (number, separators, scripts, before, after) => {
          const written = [...number].map((d, i) => String.fromCodePoint(scripts[i]! + Number(d)) + (separators[i] ?? '')).join('');
          const text = `${before}${written}${after}`;
          expect(privacyFout(text), JSON.stringify(text)).toBeDefined();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('text without digits and without @ (after normalising) is never refused', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        fc.pre(!/[\d@]/.test(normaliseText(text)));
        expect(privacyFout(text)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('no control, bidi or zero-width character survives normalising or the card escape', () => {
    const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}]/u;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        expect(normaliseText(text)).not.toMatch(UNSAFE);
        expect(plainText(text)).not.toMatch(UNSAFE);
      }),
      { numRuns: 500 },
    );
  });
});
