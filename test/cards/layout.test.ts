import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CARDS = join(__dirname, '..', '..', 'cards');

/** Date inputs placed inside a Column: a narrow column cuts the date picker ("Januar", "Select"). */
function datumInKolom(node: unknown, inKolom = false, pad = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => datumInKolom(n, inKolom, `${pad}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  const n = node as Record<string, unknown>;
  const hier = n.type === 'Input.Date' && inKolom ? [`${pad} (${String(n.id)})`] : [];
  return [...hier, ...Object.entries(n).flatMap(([k, v]) => datumInKolom(v, inKolom || n.type === 'Column', `${pad}.${k}`))];
}

describe('card layout within the card width', () => {
  it('the check can fail: a date in a column is found', () => {
    expect(datumInKolom({ body: [{ type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'Input.Date', id: 'd' }] }] }] })).toHaveLength(1);
  });

  it('every date input has its own row (never inside a column), in every template', () => {
    const templates = readdirSync(CARDS).filter((f) => f.endsWith('.json'));
    const gevonden = templates.flatMap((f) => datumInKolom(JSON.parse(readFileSync(join(CARDS, f), 'utf8'))).map((p) => `${f}${p}`));
    expect(gevonden).toEqual([]);
    // The besluit form has its dates: goals, actions, monitoring and the plandatum.
    expect(readFileSync(join(CARDS, 'besluit-form.json'), 'utf8').match(/"Input\.Date"/g)).toHaveLength(4);
  });
});
