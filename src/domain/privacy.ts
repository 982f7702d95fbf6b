/**
 * The privacy filter for every free-text input: personal data (BSN, e-mail, phone number, IBAN,
 * address, full date) must never enter Verdiep, and invisible or control characters never reach a
 * card. Free text is normalised first, so detection works on what a reader would see.
 */

export type Gevonden = 'bsn' | 'email' | 'telefoon' | 'iban' | 'adres' | 'datum';

/** What each kind is called in a message; the found text itself is never echoed. */
const NAMEN: Record<Gevonden, string> = {
  bsn: 'een BSN',
  email: 'een e-mailadres',
  telefoon: 'een telefoonnummer',
  iban: 'een rekeningnummer (IBAN)',
  adres: 'een adres (postcode met huisnummer)',
  datum: 'een volledige datum met jaartal, zoals een geboortedatum',
};

const MELDINGEN: Record<Gevonden, string> = {
  bsn: 'Dit lijkt een BSN te bevatten. Een BSN hoort niet in Verdiep: laat het weg.',
  email: 'Dit lijkt een e-mailadres te bevatten. Contactgegevens horen niet in Verdiep: laat het weg.',
  telefoon: 'Dit lijkt een telefoonnummer te bevatten. Contactgegevens horen niet in Verdiep: noem de organisatie of rol.',
  iban: 'Dit lijkt een rekeningnummer (IBAN) te bevatten. Dat hoort niet in Verdiep: laat het weg.',
  adres: 'Dit lijkt een adres te bevatten (postcode met huisnummer). Een adres hoort niet in Verdiep: noem hooguit de woonplaats of wijk.',
  datum:
    'Dit lijkt een volledige datum met jaartal te bevatten, zoals een geboortedatum. Een geboortedatum hoort niet in Verdiep (gebruik de leeftijdsklasse); schrijf een andere datum zonder jaartal, bijvoorbeeld 12 maart.',
};

export const BSN_MESSAGE = MELDINGEN.bsn;

/** One Dutch message naming what kind of personal data was found. */
export function privacyMelding(gevonden: readonly Gevonden[]): string {
  if (gevonden.length === 1) return MELDINGEN[gevonden[0]!];
  return `Dit lijkt persoonsgegevens te bevatten: ${gevonden.map((g) => NAMEN[g]).join(', ')}. Die horen niet in Verdiep: laat ze weg.`;
}

// ---------------------------------------------------------------------------------------------
// Normalising

/** Zero-width, bidi and other invisible format characters (Unicode Cf: U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF, U+00AD, U+061C, …). */
const INVISIBLE = /\p{Cf}/gu;
/** C0 and C1 control characters except the newline. */
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;
const DIGIT = /\p{Nd}/gu;
const IS_DIGIT = /^\p{Nd}$/u;

/** Anything stripControls would change: a carriage return, a line or paragraph separator, a tab, a control or an invisible character. */
const TO_STRIP = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029]|\p{Cf}/u;

/** Drops control characters (keeping newlines; a tab becomes a space) and invisible format characters. */
export function stripControls(text: string): string {
  // Nearly all text is clean: one test instead of four replacements (cards strip every string they show).
  if (!TO_STRIP.test(text)) return text;
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '');
}

/** Unicode keeps every script's decimal digits as runs of ten, 0 to 9: a digit's value is its offset in its run. */
function asciiDigit(digit: string): string {
  const code = digit.codePointAt(0)!;
  let start = code;
  while (IS_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return String((code - start) % 10);
}

/** The text as stored: controls and invisible characters stripped, NFKC, every decimal digit in ASCII. */
export function normaliseText(raw: string): string {
  return stripControls(raw)
    .normalize('NFKC')
    .replace(DIGIT, (d) => (d >= '0' && d <= '9' ? d : asciiDigit(d)));
}

/** A free-text input as it is validated and stored: normalised and trimmed. */
export function schoon(raw: string): string {
  return normaliseText(raw).trim();
}

// ---------------------------------------------------------------------------------------------
// Finding personal data

interface Span {
  start: number;
  end: number;
}

const inside = (inner: Span, outer: Span) => inner.start >= outer.start && inner.end <= outer.end;
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

function spans(text: string, pattern: RegExp, accept: (m: RegExpExecArray) => boolean = () => true): Span[] {
  const found: Span[] = [];
  for (const m of text.matchAll(pattern)) if (accept(m)) found.push({ start: m.index, end: m.index + m[0].length });
  return found;
}

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+ ?@ ?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/** Country code, check digits, then 11–30 letters or digits, optionally in groups of four. */
const IBAN = /(?<![\p{L}\d])[A-Z]{2}\d{2}(?: ?[A-Z\d]{4}){2,7}(?: ?[A-Z\d]{1,3})?(?![\p{L}\d])/giu;

/** ISO 13616 check: move the first four characters to the end, letters to 10..35, the number mod 97 is 1. */
function ibanKlopt(compact: string): boolean {
  let rest = 0;
  for (const c of compact.slice(4) + compact.slice(0, 4)) {
    const value = parseInt(c, 36);
    rest = value > 9 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest === 1;
}

function isIban(match: string): boolean {
  const compact = match.replace(/ /g, '').toUpperCase();
  for (let length = compact.length; length >= 15; length--) if (ibanKlopt(compact.slice(0, length))) return true;
  return false;
}

/**
 * A postcode (1234 AB) with a house number after it (1234 AB 12) or before it (Kerkstraat 12, 1234 AB).
 * With a space before the letters they must be capitals, so "in 2024 op 12" is no address.
 */
const POSTCODE = '[1-9]\\d{3}(?: [A-Z]{2}|[A-Za-z]{2})(?!\\p{L})';
const ADRES = new RegExp(`(?<![\\p{L}\\d])${POSTCODE}[ ,]*\\d{1,5}(?!\\d)|(?<!(?:[Pp]ostbus|POSTBUS) ?)(?<![\\p{L}\\d])\\d{1,5}[A-Za-z]?,? ${POSTCODE}`, 'gu');

const MAANDEN = 'jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|jun(?:i)?|jul(?:i)?|aug(?:ustus)?|sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DAG = '(?:0?[1-9]|[12]\\d|3[01])';
const MAAND = '(?:0?[1-9]|1[0-2])';
/** Day, month and year: 12-03-2008, 12.3.08, 12 03 2008, 2008-03-12, 12 maart 2008, 12 mrt. '08. */
const DATUM = new RegExp(
  [
    `(?<![\\d.,/-])${DAG}([-./])${MAAND}\\1(?:(?:19|20)\\d{2}|\\d{2})(?![\\d]|[.,/-]\\d)`,
    `(?<![\\d.,/-])${DAG} ${MAAND} (?:19|20)\\d{2}(?!\\d)`,
    `(?<![\\d.,/-])(?:19|20)\\d{2}([-/])${MAAND}\\2${DAG}(?![\\d]|[.,/-]\\d)`,
    `(?<![\\d])${DAG}[ .-]*(?:${MAANDEN})\\.?[ .,-]*(?:(?:19|20)\\d{2}|'\\d{2})(?!\\d)`,
  ].join('|'),
  'giu',
);

/** Separators a number may be split with: spaces, dots, commas, colons, dashes, underscores, slashes, quotes, brackets, newlines. */
const SCHEIDING = "[\\s.,:_/\\\\'’()\\-\\p{Pd}]{1,4}";
const GROEP = new RegExp(`\\d+(?:${SCHEIDING}\\d+)*`, 'gu');

interface Groep extends Span {
  digits: string;
}

/** Every run of digits that separators join into one number, as its groups. */
function clusters(text: string): Groep[][] {
  return [...text.matchAll(GROEP)].map((m) => [...m[0].matchAll(/\d+/g)].map((g) => ({ digits: g[0], start: m.index + g.index, end: m.index + g.index + g[0].length })));
}

/** Consecutive groups of a cluster whose digits together have a length in [min, max]. */
function* windows(groepen: Groep[], min: number, max: number): Generator<Span & { digits: string }> {
  for (let i = 0; i < groepen.length; i++) {
    let digits = '';
    for (let j = i; j < groepen.length && digits.length + groepen[j]!.digits.length <= max; j++) {
      digits += groepen[j]!.digits;
      if (digits.length >= min) yield { digits, start: groepen[i]!.start, end: groepen[j]!.end };
    }
  }
}

/** A Dutch phone number: 06 or an area code (0xx, 0xxx) with ten digits in all, or +31/0031 with nine after it. */
function telefoonnummers(text: string, groepen: Groep[][], al: Span[]): Span[] {
  const found: Span[] = [];
  for (const cluster of groepen) {
    for (const w of windows(cluster, 10, 13)) {
      if (al.some((s) => overlaps(w, s))) continue;
      const before = text.slice(Math.max(0, w.start - 2), w.start);
      if (/\p{L}$/u.test(before) && !/^0031|^31/.test(w.digits)) continue;
      const nationaal = /^0[1-9]\d{8}$/.test(w.digits);
      const internationaal = /^(?:0031|31)0?[1-9]\d{8}$/.test(w.digits) && (w.digits.startsWith('00') || before.endsWith('+'));
      if (nationaal || internationaal) found.push(w);
    }
  }
  return found;
}

/** The BSN 11-test: 9 digits, weights 9..2 and -1, sum divisible by 11, not zero. */
export function passesElevenTest(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum % 11 === 0 && digits !== '000000000';
}

const TIJD = '(?:[01]?\\d|2[0-3])[.:][0-5]\\d';

/**
 * Shapes whose parts are separate numbers, not one split number: a parketnummer (13/123456-24),
 * a ZSM-nummer with its year (ZSM-2026-00123) and two times in a row (09.00-17.00, 14:30 15:45).
 * Without this about one in six parketnummers would read as a BSN. The price: a BSN written in
 * exactly one of these shapes is not seen (13/123456-72 holds 012345672; ZSM-2026-00105 holds
 * 202600105; two times hold at most eight digits).
 */
const EIGEN_VORMEN = new RegExp(
  [`(?<![\\d.,:/-])\\d{2}/\\d{6}-\\d{2}(?![\\d]|[.,/-]\\d)`, 'ZSM-20\\d{2}-\\d{3,6}(?!\\d)', `(?<!\\d[.:,]?)${TIJD}${SCHEIDING}${TIJD}(?![.:,]?\\d)`].join('|'),
  'giu',
);

/** An 8- or 9-digit number that passes the 11-test (8 digits read with a leading zero), however it is split. */
function bsns(groepen: Groep[][], eigen: Span[], al: Span[]): Span[] {
  const found: Span[] = [];
  for (const cluster of groepen) {
    for (const w of windows(cluster, 8, 9)) {
      if (al.some((s) => overlaps(w, s))) continue;
      if (eigen.some((e) => inside(w, e))) continue;
      if (passesElevenTest(w.digits.padStart(9, '0'))) found.push(w);
    }
  }
  return found;
}

const CIJFER_OF_AT = /[\d@]/;

const VOLGORDE: readonly Gevonden[] = ['bsn', 'telefoon', 'email', 'iban', 'adres', 'datum'];

/**
 * The kinds of personal data in a free text, in a fixed order. The text is normalised first and
 * digits split by separators are read together, so `111 222 333`, `111_222_333`, `bsn-111222333`
 * and the same in Arabic-Indic digits are all one number. Digits already found as part of another
 * kind (a date, an IBAN, a phone number) are not also reported as a BSN: the text is refused anyway.
 */
export function vindPersoonsgegevens(raw: string): Gevonden[] {
  const text = normaliseText(raw);
  // Every kind needs a digit (after normalisation, ASCII) or an @: most free text has neither.
  if (!CIJFER_OF_AT.test(text)) return [];
  const groepen = clusters(text);
  const found = {} as Record<Gevonden, Span[]>;
  found.datum = spans(text, DATUM);
  found.iban = spans(text, IBAN, (m) => isIban(m[0]));
  found.email = spans(text, EMAIL);
  found.adres = spans(text, ADRES);
  found.telefoon = telefoonnummers(text, groepen, [...found.datum, ...found.iban, ...found.email]);
  found.bsn = bsns(groepen, spans(text, EIGEN_VORMEN), Object.values(found).flat());
  return VOLGORDE.filter((kind) => found[kind].length > 0);
}

/** The Dutch message for a free text with personal data in it, or undefined when it is clean. */
export function privacyFout(text: string): string | undefined {
  const gevonden = vindPersoonsgegevens(text);
  return gevonden.length > 0 ? privacyMelding(gevonden) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Initials

export const INITIALEN_MESSAGE = 'Alleen initialen (maximaal 4 letters, bijvoorbeeld J.D. of JdV; drie of meer met punten: J.A.B.), geen namen.';

/**
 * Initials are 1–4 letters. Either every letter has a dot after it (the last one may lack it):
 * J., J.D, j.a.b.c., J.d.V. — or there are no dots and at most two capitals, with a lowercase
 * tussenvoegsel of one or two letters between them: J, JD, JdV, JvdB. Three or more capitals
 * without dots (JAN, PIET, ANNA) read as a name in capitals and are refused, as is any
 * capitalised word (Jan, Mo, Özil).
 */
const MET_PUNTEN = /^(?:\p{L}\.){0,3}\p{L}\.?$/u;
const ZONDER_PUNTEN = /^\p{Lu}(?:\p{Ll}{1,2}\p{Lu}|\p{Lu})?$/u;

/** The initials as stored (capitals, no spaces), or an error message. Empty input is no initials. */
export function checkInitialen(raw: string): { ok: true; value: string } | { ok: false; error: string } {
  const compact = schoon(raw).replace(/\s+/g, '');
  if (!compact) return { ok: true, value: '' };
  if (!MET_PUNTEN.test(compact) && !ZONDER_PUNTEN.test(compact)) return { ok: false, error: INITIALEN_MESSAGE };
  return { ok: true, value: compact.toUpperCase() };
}

// ---------------------------------------------------------------------------------------------
// Strafrechtsketennummer (SKN)
// ---------------------------------------------------------------------------------------------

export const SKN_MESSAGE = 'Een strafrechtsketennummer bestaat uit 8 of 9 cijfers (spaties en punten mogen). Laat het veld anders leeg.';

/**
 * An SKN as typed, read by the filter's own rules (normalised, digits in any script, separators
 * read together) to its plain digits. An SKN is itself a number the BSN check can match: here it is
 * not refused as one, because the value is never stored or shown, only its keyed hash.
 */
export function leesSkn(raw: string): { ok: true; value: string } | { ok: false; error: string } {
  const digits = normaliseText(raw).replace(/[\s.\-_]/g, '');
  return /^\d{8,9}$/.test(digits) ? { ok: true, value: digits } : { ok: false, error: SKN_MESSAGE };
}
