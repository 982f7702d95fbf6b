import { describe, expect, it } from 'vitest';
import { render, vergeetKaarten } from '../../cards/render';
import template from '../../cards/verdiepingskaart-melding.json';

describe('render', () => {
  it('answers the same data with the same frozen card until it forgets its cards, as after a purge', () => {
    const data = { tekst: 'Stap 1 is opgeslagen (versie 1).', kleur: 'Good' };
    const eerst = render(template, data);
    expect(render(template, { ...data })).toBe(eerst);
    vergeetKaarten();
    const daarna = render(template, data);
    expect(daarna).not.toBe(eerst);
    expect(daarna).toEqual(eerst);
  });
});
