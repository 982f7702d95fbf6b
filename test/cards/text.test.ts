import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../cards/text';

/** Markdown characters that form links, images, emphasis, code or strikethrough anywhere in a line (Teams renders no tables or headings). */
const ACTIVE = new Set(['[', ']', '*', '_', '`', '~']);
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Active characters in the text that are not backslash-escaped. */
function unescapedActive(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (ACTIVE.has(text[i]!)) found.push(text[i]!);
  }
  return found;
}

/** Lines that a markdown renderer would read as a list item, heading, quote or setext underline. */
function blockMarkers(text: string): string[] {
  return text.split('\n').filter((line) => /^\s*([-+*>=#]|\d+[.)])/.test(line));
}

/** Backslashes that are not an escape (not before ASCII punctuation): a renderer shows them as "\". */
function strayBackslashes(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') continue;
    const next = text[i + 1] ?? '';
    if (!ASCII_PUNCTUATION.test(next)) found.push(`\\${next}`);
    i++;
  }
  return found;
}

/** What a reader sees once the escapes are rendered. */
function shown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** The input as it should read: the same text, with look-alikes for < and >. */
function lookAlike(input: string): string {
  return input.replace(/</g, '‹').replace(/>/g, '›');
}

function expectInert(input: string): string {
  const out = plainText(input);
  expect(unescapedActive(out)).toEqual([]);
  expect(out).not.toMatch(/(^|[^\\])\{\{/);
  expect(blockMarkers(out)).toEqual([]);
  expect(out).not.toMatch(/[<>]/);
  expect(strayBackslashes(out)).toEqual([]);
  expect(shown(out)).toBe(lookAlike(input));
  return out;
}

describe('plainText: user text stays text in a card', () => {
  it('makes a markdown link inert and still shows its words and address', () => {
    expect(expectInert('Zie [het dossier](https://aanvaller.example/inloggen)')).toBe('Zie \\[het dossier\\](https://aanvaller.example/inloggen)');
    expectInert('[klik hier][1]\n\n[1]: https://aanvaller.example');
  });

  it('makes an image inert', () => {
    expect(expectInert('![](https://aanvaller.example/pixel.png)')).toBe('!\\[\\](https://aanvaller.example/pixel.png)');
  });

  it('makes emphasis, code and strikethrough inert', () => {
    expect(expectInert('**DRINGEND** _nu_ bellen')).toBe('\\*\\*DRINGEND\\*\\* \\_nu\\_ bellen');
    expectInert('`code` en ~~doorgehaald~~ en __ook vet__');
  });

  it('makes headings inert, with # and with an underline', () => {
    expect(expectInert('# Zaak gesloten')).toBe('\\# Zaak gesloten');
    expectInert('Zaak gesloten\n===');
    expectInert('Zaak gesloten\n---');
    expectInert('   ### ingesprongen kop');
  });

  it('makes bullet and numbered lists inert', () => {
    expect(expectInert('- eerste\n- tweede')).toBe('\\- eerste\n\\- tweede');
    expectInert('* een\n+ twee\n  - ingesprongen');
    expect(expectInert('1. Halt\n2. Corrigerend gesprek')).toBe('1\\. Halt\n2\\. Corrigerend gesprek');
    expectInert('1) Halt\n10) Veiligheidshuis');
  });

  it('makes a quote inert without showing a stray backslash', () => {
    expect(expectInert('> zei de buurvrouw')).toBe('› zei de buurvrouw');
    expectInert('eerste regel\n  > tweede regel');
  });

  it('makes <at> mentions and other tags inert', () => {
    expect(expectInert('<at>Officier Van Dijk</at> kijk hiernaar')).toBe('‹at›Officier Van Dijk‹/at› kijk hiernaar');
    expectInert('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expectInert('<https://aanvaller.example>');
  });

  it('makes tables inert', () => {
    expectInert('| naam | rol |\n|---|---|\n| A | verdachte |');
  });

  it('keeps a backslash the user typed visible', () => {
    expect(shown(expectInert('map C:\\zaken\\2026'))).toBe('map C:\\zaken\\2026');
  });

  it('leaves ordinary Dutch text exactly as it was', () => {
    for (const text of [
      'Man stal drie blikjes cola; zijn netwerk is weggevallen.',
      'Moeder zegt: "ik kan het niet meer aan", vader is in België.',
      "Café-eigenaar belde 112 om kwart over tien; 's avonds is het rustig.",
      'Parketnummer 13/123456-26, deadline 30-11-2026 om 09:00. Eén kind, 9 jaar & een stiefmoeder (58).',
      'Ouders: geen @mention, wel e-mail via wijkteam@gemeente.nl, 3,5 uur per week.',
    ]) {
      expect(shown(plainText(text))).toBe(text);
      expect(strayBackslashes(plainText(text))).toEqual([]);
    }
    expect(plainText('Man stal drie blikjes cola; zijn netwerk is weggevallen.')).toBe('Man stal drie blikjes cola; zijn netwerk is weggevallen.');
    expect(plainText("Café-eigenaar belde 112 om kwart over tien; 's avonds is het rustig.")).toBe("Café-eigenaar belde 112 om kwart over tien; 's avonds is het rustig.");
  });

  it('keeps the line breaks and the empty string', () => {
    expect(plainText('regel een\nregel twee')).toBe('regel een\nregel twee');
    expect(plainText('')).toBe('');
  });

  it('a long mixed signal reads the same once rendered', () => {
    const signaal = [
      '# Signaal',
      '**Jongen (15)**: stal _weer_; zie [melding](https://x.example).',
      '> moeder: "hij luistert niet"',
      '- niet op school',
      '2. gezinsvoogd bekend <at>Verdiep</at>',
      '![foto](https://x.example/f.png) | ~~oud~~ | `code`',
    ].join('\n');
    expectInert(signaal);
  });

  it('any mix of words, digits, markdown and line breaks stays inert and reads the same', () => {
    const deel = fc.constantFrom('a', 'Zaak 13/1-26', ' ', '\n', '  ', '1', '12', '.', ')', '-', '=', '+', '#', '>', '<', '[', ']', '(', '*', '_', '`', '~', '\\', '{', '}', '|', '!');
    fc.assert(fc.property(fc.array(deel, { maxLength: 12 }), (delen) => void expectInert(delen.join(''))), { numRuns: 2000 });
  });
});
