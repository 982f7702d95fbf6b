import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ENGELSE_WOORDEN } from '../../src/domain/woorden';

/** Keys whose string a reader sees in a card (not ids, verbs, urls or input values). */
const ZICHTBAAR = new Set(['text', 'title', 'label', 'placeholder', 'errorMessage', 'altText']);

/** Every string a reader sees in a card: texts, titles, labels, placeholders, fact values, choice titles. */
export function zichtbareTeksten(node: unknown, inFact = false): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => zichtbareTeksten(n, inFact));
  if (!node || typeof node !== 'object') return [];
  const n = node as Record<string, unknown>;
  const isFact = Array.isArray((n as { facts?: unknown }).facts);
  return Object.entries(n).flatMap(([key, value]) => {
    if (typeof value === 'string') return ZICHTBAAR.has(key) || (inFact && key === 'value') ? [value] : [];
    return zichtbareTeksten(value, isFact && key === 'facts');
  });
}

const ENGELS = new RegExp(`(?<!\\p{L})(${ENGELSE_WOORDEN.map((w) => w.replace(/[-\s]/g, '[-\\s]')).join('|')})(?!\\p{L})`, 'iu');
/** "Naam (RvdK) (Raad voor de Kinderbescherming)": two bracketed parts in a row name one thing twice. */
const DUBBEL = /\([^()]+\)\s*\([^()]+\)/u;
/** A backslash Teams would show: before a character that forms no markdown where it stands. */
const NODELOOS = /\\[(!|>]|\\\{(?!\{)|\\\}(?!\})|(?<!^\s*)\\[#+=-]|(?<!^\s*\d+)\\[.)]/mu;
/** A command argument in angle brackets: Teams drops it as an unknown tag. */
const TAG_ARGUMENT = /<[a-z]+>(?!.*<\/)/;

/** What is wrong with a UI text: English words, a doubled name, an argument Teams would drop. */
export function woordProblemen(tekst: string): string[] {
  const problemen: string[] = [];
  // A link's address is not read.
  const engels = ENGELS.exec(tekst.replace(/\]\([^)]*\)/g, ']').replace(/https?:\/\/\S+/g, ''));
  if (engels) problemen.push(`Engels woord "${engels[1]}" in: ${tekst}`);
  const dubbel = DUBBEL.exec(tekst);
  if (dubbel) problemen.push(`dubbele naam "${dubbel[0]}" in: ${tekst}`);
  if (TAG_ARGUMENT.test(tekst)) problemen.push(`argument tussen < > in: ${tekst}`);
  const escape = NODELOOS.exec(tekst);
  if (escape) problemen.push(`nodeloze escape "${escape[0]}" in: ${tekst}`);
  return problemen;
}

function* tsBestanden(dir: string): Generator<string> {
  for (const naam of readdirSync(dir)) {
    const pad = join(dir, naam);
    if (statSync(pad).isDirectory()) yield* tsBestanden(pad);
    else if (naam.endsWith('.ts')) yield pad;
  }
}

/** A call the text goes to that is not UI: a log line, an Error for the logs, an import. */
function nietVoorDeGebruiker(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isLiteralTypeNode(p)) return true;
    if (ts.isNewExpression(p) && /^(Error|TypeError|RangeError)$/.test(p.expression.getText())) return true;
    if (ts.isCallExpression(p) && /(^|\.)(log|logger)\.(trace|debug|info|warn|error|fatal)$|\.(child)$/.test(p.expression.getText())) return true;
  }
  return false;
}

/** The sentences (string and template literals with a space in them) the bot's code in these folders can show a user. */
export function berichtTeksten(...mappen: string[]): { bestand: string; tekst: string }[] {
  const gevonden: { bestand: string; tekst: string }[] = [];
  for (const map of mappen) {
    for (const bestand of tsBestanden(map)) {
      const bron = ts.createSourceFile(bestand, readFileSync(bestand, 'utf8'), ts.ScriptTarget.Latest, true);
      const bezoek = (node: ts.Node): void => {
        let tekst: string | undefined;
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) tekst = node.text;
        else if (ts.isTemplateExpression(node)) tekst = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('…');
        // A regular expression's source (a group or class escape in it) or a SQL statement is no message.
        const patroon = tekst !== undefined && (/\(\?[:<!=]|\\[dpsw]/.test(tekst) || /^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\s/.test(tekst));
        if (tekst !== undefined && !patroon && /\s/.test(tekst.trim()) && !nietVoorDeGebruiker(node)) gevonden.push({ bestand, tekst });
        ts.forEachChild(node, bezoek);
      };
      bezoek(bron);
    }
  }
  return gevonden;
}
