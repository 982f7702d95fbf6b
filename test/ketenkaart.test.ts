import { describe, expect, it } from 'vitest';
import { KAART_BUDGET_BYTES, KAART_MAX_BYTES, ketenkaartCards, verdeel, type KetenkaartSectie } from '../cards/ketenkaart';
import { record, type NewZaakEvent } from '../src/domain/zaak';

const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

describe('splitting the ketenkaart', () => {
  it('keeps a small record in one card with every section', () => {
    const secties: KetenkaartSectie[] = ['a', 'b'].map((id) => ({ id, titel: `Sectie ${id}`, aantal: '', zichtbaar: false, items: [{ kop: 'k', tekst: 't' }] }));
    const cards = verdeel('Ketenkaart X', 'sub', secties);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0])).toContain('Sectie b');
  });

  it('continues a section that is too big for one card on the next, every card under the limit, nothing lost', () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ kop: '', tekst: `Gebeurtenis ${i} · ${'x'.repeat(120)}` }));
    const cards = verdeel('Ketenkaart X', 'sub', [{ id: 'tijdlijn', titel: 'Tijdlijn', aantal: '400', zichtbaar: false, items }]);
    expect(cards.length).toBeGreaterThan(2);
    for (const card of cards) expect(bytes(card)).toBeLessThanOrEqual(KAART_BUDGET_BYTES);
    const all = JSON.stringify(cards);
    for (const i of [0, 199, 399]) expect(all).toContain(`Gebeurtenis ${i} `);
    expect(all).toContain('Tijdlijn (vervolg)');
    expect((cards[1] as any).body[0].text).toBe(`Ketenkaart X (deel 2 van ${cards.length})`);
  });

  it('handles a case with hundreds of events and long texts in under the limit per message', () => {
    const ids = { teamId: 't', caseId: 'c' };
    const actor = { id: 'a', name: 'Officier' };
    let zaak = record(undefined, ids, actor, new Date('2026-10-20T10:00:00Z'), [
      { type: 'zaak.gemarkeerd', data: { reference: '13/123456-26', types: ['jeugd'], signaal: 'Signaal '.repeat(250), betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } },
    ]).zaak;
    const events = [];
    for (let i = 0; i < 300; i++) {
      const change: NewZaakEvent = { type: 'principe.vastgelegd', data: { stap: (i % 9) + 1, status: 'ingevuld', antwoorden: { zorgen: `Antwoord ${i} `.repeat(100) } } };
      const result = record(zaak, ids, actor, new Date('2026-10-20T10:00:00Z'), [change]);
      zaak = result.zaak;
      events.push(...result.events);
    }
    const cards = ketenkaartCards(zaak, events, [], 'Europe/Amsterdam', new Date('2026-10-21T10:00:00Z'), () => true);
    for (const card of cards) expect(bytes(card)).toBeLessThan(KAART_MAX_BYTES);
    expect(JSON.stringify(cards)).toContain('Signaal / buikpijn');
  });

  it('names each follow-up card posted on the timeline, never where it is', () => {
    const ids = { teamId: 't', caseId: 'c' };
    const verdiep = { id: 'verdiep', name: 'Verdiep' };
    const eerst = record(undefined, ids, { id: 'a', name: 'Officier' }, new Date('2026-10-20T10:00:00Z'), [
      { type: 'zaak.gemarkeerd', data: { reference: '13/123456-26', types: ['jeugd'], signaal: 'Jongen stal.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } },
    ]);
    const daarna = record(eerst.zaak, ids, verdiep, new Date('2026-10-21T07:00:00Z'), [{ type: 'opvolging.kaart_geplaatst', data: { soort: 'monitoring', ref: '2026-10-21', conversationId: 'c;messageid=1', messageId: 'm-geheim' } }]);
    const kaart = JSON.stringify(ketenkaartCards(daarna.zaak, [...eerst.events, ...daarna.events], [], 'Europe/Amsterdam', new Date('2026-10-21T10:00:00Z'), () => true));
    expect(kaart).toContain('Verdiep · Monitoringvraag geplaatst');
    expect(kaart).not.toContain('m-geheim');
  });
});
