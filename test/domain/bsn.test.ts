import { describe, expect, it } from 'vitest';
import { BSN_MESSAGE, containsBsn, passesElevenTest } from '../../src/domain/bsn';

// Hand-checked sums (weights 9..2 on the first eight digits, -1 on the last):
//   111222333: 9+8+7+12+10+8+9+6 - 3 = 66  = 6 × 11   → valid
//   123456782: 9+16+21+24+25+24+21+16 - 2 = 154 = 14 × 11 → valid
//   012345672: 0+8+14+18+20+20+18+14 - 2 = 110 = 10 × 11 → valid (written as 8 digits: 12345672)
//   612345671: 54+8+14+18+20+20+18+14 - 1 = 165 = 15 × 11 → valid
//   020240107: 0+16+0+12+20+0+3+0 - 7 = 44 = 4 × 11 → valid (the date 2024-01-07 without dashes)
//   006012024: 0+0+42+0+5+8+0+4 - 4 = 55 = 5 × 11 → valid (the date 06-01-2024 without dashes)
//   123456789: 156 - 9 = 147 → not divisible by 11
//   111222334: 69 - 4 = 65 → not divisible by 11

describe('the BSN 11-test', () => {
  it('accepts known valid test numbers', () => {
    expect(passesElevenTest('111222333')).toBe(true);
    expect(passesElevenTest('123456782')).toBe(true);
    expect(passesElevenTest('012345672')).toBe(true);
    expect(passesElevenTest('612345671')).toBe(true);
  });

  it('refuses numbers whose weighted sum is not a multiple of 11', () => {
    expect(passesElevenTest('123456789')).toBe(false);
    expect(passesElevenTest('111222334')).toBe(false);
    expect(passesElevenTest('123456783')).toBe(false);
  });

  it('refuses 000000000 although its sum is 0', () => {
    expect(passesElevenTest('000000000')).toBe(false);
  });

  it('only considers exactly nine digits', () => {
    expect(passesElevenTest('12345672')).toBe(false);
    expect(passesElevenTest('1234567820')).toBe(false);
    expect(passesElevenTest('12345678a')).toBe(false);
    expect(passesElevenTest('123 456 782')).toBe(false);
    expect(passesElevenTest('')).toBe(false);
  });
});

describe('finding a BSN in free text', () => {
  it.each([
    ['Verdachte met BSN 111222333 is bekend bij de politie.'],
    ['bsn: 123456782.'],
    ['BSN 123.456.782, geboren in Haarlem'],
    ['BSN 123 456 782 staat in het dossier'],
    ['BSN 1234 56 782 staat in het dossier'],
    ['nummer 123-456-782 genoemd'],
    ['(123456782)'],
    ['BSN:123456782'],
    ['eerste regel\n111222333\nderde regel'],
  ])('finds one in %j', (text) => {
    expect(containsBsn(text)).toBe(true);
  });

  it('reads an 8-digit number as a BSN with a leading zero', () => {
    expect(containsBsn('BSN 12345672 (de nul vooraan is weggevallen)')).toBe(true);
    expect(containsBsn('BSN 012345672')).toBe(true);
  });

  it('leaves numbers alone that fail the 11-test, and 000000000', () => {
    expect(containsBsn('Kenmerk 123456789 bij de gemeente')).toBe(false);
    expect(containsBsn('Kenmerk 123.456.789 bij de gemeente')).toBe(false);
    expect(containsBsn('Kenmerk 12345678 bij de gemeente')).toBe(false);
    expect(containsBsn('000000000')).toBe(false);
    expect(containsBsn('000.000.000')).toBe(false);
  });

  it('does not read a longer number as a BSN', () => {
    expect(containsBsn('referentie 1123456782')).toBe(false);
    expect(containsBsn('IBAN NL91ABNA0417164300')).toBe(false);
  });

  it('still finds a BSN next to a phone number', () => {
    expect(containsBsn('Bel moeder op 06 12345672; haar BSN is 111222333.')).toBe(true);
  });

  it('has a Dutch message that says to leave it out', () => {
    expect(BSN_MESSAGE).toMatch(/BSN/);
    expect(BSN_MESSAGE).toMatch(/niet in Verdiep/);
  });
});

describe('no false positives on numbers that belong in a case', () => {
  // Several of these are chosen so that their digits, read without separators, pass the 11-test:
  // only the format tells them apart from a BSN.
  it.each([
    ['13/123456-24'],
    ['13/123456-72'],
    ['Parketnummer 13/123456-72, zitting volgt.'],
    ['Parketnummer 13-123456-72'],
  ])('parketnummer %j', (text) => {
    expect(containsBsn(text)).toBe(false);
  });

  it.each([['PL0900-2024123456'], ['PL0900-12345672'], ['PL0900-612345671'], ['Mutatie PL0900-2024123456 van gisteren']])('politienummer %j', (text) => {
    expect(containsBsn(text)).toBe(false);
  });

  it('ZSM-nummer', () => {
    expect(containsBsn('ZSM-2026-00123')).toBe(false);
  });

  it.each([
    ['0612345678'],
    ['+31 6 12345678'],
    ['06-12345672'],
    ['Bel 06 12345672 na vijven'],
    ['tel. (06) 12345672'],
    ['+31 6 12345672'],
    ['+31 612345671'],
    ['+31 (0)6 12345672'],
    ['0031 6 12345672'],
    ['+31612345671'],
    ['vast: 020 1234567 of +31 20 1234567'],
  ])('phone number %j', (text) => {
    expect(containsBsn(text)).toBe(false);
  });

  it.each([
    ['06-01-2024'],
    ['06.01.2024'],
    ['06/01/2024'],
    ['op 6 januari 2024 om 14:30'],
    ['2024-01-07'],
    ['18-01-2024 14:30'],
    ['geboren 06-01-2010, aangehouden 2024-01-07T10:00'],
  ])('date %j', (text) => {
    expect(containsBsn(text)).toBe(false);
  });

  it.each([['1234 AB'], ['3511AB Utrecht'], ['Kerkstraat 12, 2011 AB Haarlem'], ['Postbus 12345, 6200 AB Maastricht']])('postcode %j', (text) => {
    expect(containsBsn(text)).toBe(false);
  });

  it('a realistic signal with all of them', () => {
    const signaal =
      'Jongen (15), parketnummer 13/123456-72, mutatie PL0900-12345672. Moeder bereikbaar op 06 12345672, ' +
      'gezinsvoogd op +31 6 12345672. Incident op 06-01-2024 en 2024-01-07, adres 2011 AB Haarlem.';
    expect(containsBsn(signaal)).toBe(false);
    expect(containsBsn(`${signaal} BSN 123 456 782.`)).toBe(true);
  });
});
