/** Dutch citizen service numbers (BSN) must never enter Verdiep. */

/** The BSN 11-test: 9 digits, weights 9..2 and -1, sum divisible by 11, not zero. */
export function passesElevenTest(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum % 11 === 0 && digits !== '000000000';
}

/** Standalone numbers of 8 or 9 digits, also grouped as 123.456.782, 123 456 782 or 1234 56 782. */
const CANDIDATE = /(?<![\d/-])(\d{3}[ .-]\d{3}[ .-]\d{3}|\d{4}[ .-]\d{2}[ .-]\d{3}|\d{8,9})(?![\d/-])/g;

/** Text ending in a Dutch phone prefix (06, (06), +31, 0031, +31 6, +31 (0)6): the number after it is a phone number. */
const PHONE_PREFIX = /(?:(?:\+|(?<!\d)00)31[ .]?(?:\(0\)[ .]?)?6?|(?<!\d)\(?06\)?)[ .]?$/;

/** True when the text holds a number that passes the 11-test (an 8-digit one read with a leading zero). */
export function containsBsn(text: string): boolean {
  for (const match of text.matchAll(CANDIDATE)) {
    if (PHONE_PREFIX.test(text.slice(Math.max(0, match.index - 16), match.index))) continue;
    const digits = match[1]!.replace(/[ .-]/g, '');
    if (passesElevenTest(digits.padStart(9, '0'))) return true;
  }
  return false;
}

export const BSN_MESSAGE = 'Dit lijkt een BSN te bevatten. Een BSN hoort niet in Verdiep: laat het weg.';
