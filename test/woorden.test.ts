import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainText } from '../cards/text';
import { naamMetOrganisatie, WOORDEN } from '../src/domain/woorden';
import { berichtTeksten, woordProblemen, zichtbareTeksten } from './support/woorden';

const ROOT = join(__dirname, '..');
/** Operator-facing (start-up errors, in English by design), route keys, and the glossary itself. */
const NIET_UI = ['src/config.ts', 'src/verbs.ts', 'src/domain/woorden.ts'].map((p) => join(ROOT, p));

describe('the UI speaks Dutch and names things once', () => {
  it('the checks can fail: English words, a doubled organisation, an argument in angle brackets', () => {
    expect(woordProblemen('De zaak krijgt een eigen thread.')).toHaveLength(1);
    expect(woordProblemen('Need-to-know-vraag')).toHaveLength(1);
    expect(woordProblemen('Noem een cron-regel')).toHaveLength(1);
    expect(woordProblemen('Samira el Idrissi (Veilig Thuis) (Veilig Thuis) is uitgenodigd')).toHaveLength(1);
    expect(woordProblemen('Marieke Bosman (RvdK) (Raad voor de Kinderbescherming) is uitgenodigd')).toHaveLength(1);
    expect(woordProblemen('Vraag aan Samira el Idrissi \\(Veilig Thuis\\)')).toHaveLength(1);
    expect(woordProblemen('zaak <zaaknummer>')).toHaveLength(1);
    expect(woordProblemen('Vraag de zaak op met "@Verdiep zaak [zaaknummer]" in het zaakgesprek.')).toEqual([]);
    expect(zichtbareTeksten({ body: [{ type: 'FactSet', facts: [{ title: 'Wie', value: 'de thread' }] }, { type: 'Input.Text', id: 'thread', value: 'thread' }] })).toEqual(['Wie', 'de thread']);
  });

  it('every text in the card templates', () => {
    const dir = join(ROOT, 'cards');
    const problemen = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => zichtbareTeksten(JSON.parse(readFileSync(join(dir, f), 'utf8'))).flatMap((t) => woordProblemen(t).map((p) => `${f}: ${p}`)));
    expect(problemen).toEqual([]);
  });

  it("every message text in the bot's code (src/, dialogs/, cards/; not log lines or internal errors)", () => {
    const teksten = berichtTeksten(join(ROOT, 'src'), join(ROOT, 'dialogs'), join(ROOT, 'cards')).filter((t) => !NIET_UI.includes(t.bestand));
    expect(teksten.length).toBeGreaterThan(100);
    expect(teksten.flatMap((t) => woordProblemen(t.tekst).map((p) => `${t.bestand.slice(ROOT.length + 1)}: ${p}`))).toEqual([]);
  });

  it('the templates take the glossary\'s labels from it, not as their own copy', () => {
    const dir = join(ROOT, 'cards');
    const labels = [WOORDEN.eerderBekend, WOORDEN.geenTijdstrategie, WOORDEN.gerichteVraag];
    const kopieen = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => zichtbareTeksten(JSON.parse(readFileSync(join(dir, f), 'utf8'))).filter((t) => labels.some((l) => t.includes(l))).map((t) => `${f}: ${t}`));
    expect(kopieen).toEqual([]);
    const code = berichtTeksten(join(ROOT, 'src'), join(ROOT, 'dialogs'), join(ROOT, 'cards')).filter((t) => !t.bestand.endsWith('woorden.ts') && labels.some((l) => t.tekst.includes(l)));
    expect(code.map((t) => `${t.bestand.slice(ROOT.length + 1)}: ${t.tekst}`)).toEqual([]);
  });

  it('a partner whose display name carries the organisation is named once', () => {
    expect(naamMetOrganisatie('Samira el Idrissi (Veilig Thuis)', 'Veilig Thuis')).toBe('Samira el Idrissi (Veilig Thuis)');
    expect(naamMetOrganisatie('Samira el Idrissi', 'Veilig Thuis')).toBe('Samira el Idrissi (Veilig Thuis)');
    // A display name that carries its organisation in brackets, in any form, keeps only that.
    expect(naamMetOrganisatie('Marieke Bosman (RvdK)', 'Raad voor de Kinderbescherming')).toBe('Marieke Bosman (RvdK)');
    // The organisation by its short name: no brackets inside brackets.
    expect(naamMetOrganisatie('Ruben de Graaf', 'OM (officier van justitie)')).toBe('Ruben de Graaf (OM)');
    expect(plainText(naamMetOrganisatie('Ruben de Graaf', 'OM (officier van justitie)'))).toBe('Ruben de Graaf (OM)');
  });
});

describe("the bot's own text carries no needless escapes", () => {
  it('shows a saved step without backslashes', () => {
    expect(plainText('Stap 1 is opgeslagen (versie 1).')).toBe('Stap 1 is opgeslagen (versie 1).');
    expect(plainText('Alleen de casusregisseur (Annelies Verhoeven) kan partners uitnodigen. Er is niets opgeslagen!')).not.toContain('\\');
    expect(plainText('Deadline 30-11 om 09:00 · 2 + 2 | #1')).toBe('Deadline 30-11 om 09:00 · 2 + 2 | #1');
  });

  it('still makes a name with markdown or a tag inert', () => {
    const uit = plainText('Alleen [x](http://evil) **vet** <at>Someone</at> kan dit.');
    expect(uit).toBe('Alleen \\[x\\](http://evil) \\*\\*vet\\*\\* ‹at›Someone‹/at› kan dit.');
    expect(uit).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(plainText('- lijst\n# kop\n1. een')).toBe('\\- lijst\n\\# kop\n1\\. een');
    expect(plainText('{{DATE(2026-01-01T00:00:00Z)}}')).toBe('\\{{DATE(2026-01-01T00:00:00Z)\\}}');
  });
});
