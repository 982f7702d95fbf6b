import { describe, expect, it } from 'vitest';
import { hermeldingVan, interventieMix, leerregelVan, uitkomstCategorie, bewaarVanaf } from '../../src/domain/leerregel';
import { record, type Actor, type NewZaakEvent } from '../../src/domain/zaak';

const lead: Actor = { id: 'aad-lead', name: 'Officier Van Dijk' };
const lid = { id: 'aad-w', name: 'Wijkagent', teamsId: '29:w' };
const ids = { teamId: 't1', caseId: 'zaak-geheim-1' };
const dag = (d: number) => new Date(Date.parse('2026-03-02T09:00:00Z') + d * 86_400_000);

function zaakMet(...stappen: [number, NewZaakEvent[]][]) {
  let z = record(undefined, ids, lead, dag(0), [
    {
      type: 'zaak.gemarkeerd',
      data: { reference: '13/424242-26', types: ['lvb', 'jeugd'], signaal: 'Geheim signaal', betrokkenen: [{ rol: 'verdachte', initialen: 'J.A.', leeftijd: '65+' }, { rol: 'slachtoffer', initialen: 'K.', leeftijd: '23-64' }] },
    },
  ]).zaak;
  for (const [d, changes] of stappen) z = record(z, ids, lead, dag(d), changes).zaak;
  return z;
}

describe('leerregel', () => {
  it('keeps categories, counts and whole days, and nothing that leads back to the case', () => {
    const zaak = zaakMet(
      [0, [{ type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { zorg: 'x' } } }, { type: 'principe.vastgelegd', data: { stap: 2, status: 'nvt', antwoorden: {}, reden: 'geen anderen' } }]],
      [1, [
        { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: lid, organisatie: 'wijkteam', vraag: 'Netwerk?', waarom: 'steun', deadline: dag(1).toISOString() } },
        { type: 'uitvraag.verstuurd', data: { id: 'u2', invitee: lid, organisatie: 'ggz', vraag: 'Bekend?', waarom: 'zorg', deadline: dag(1).toISOString() } },
        { type: 'uitvraag.afgewezen', data: { uitvraagId: 'u2', soort: 'mag_niet_delen', reden: 'beroepsgeheim' } },
      ]],
      [3, [{ type: 'duiding.vastgelegd', data: { patronen: ['vele_professionals', 'combinatieproblematiek'], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['Netwerk viel weg'], instrumenten: [{ instrument: 'b_safer', uitkomst: 'Hoog risico op herhaling' }, { instrument: 'arij', uitkomst: 'n.v.t. 12 punten' }], veiligheid: [] } }]],
      [5, [{ type: 'besluit.vastgelegd', data: { afdoening: 'sepot_met_hulp', zorg: 'WMO-maatje', waaromMix: 'w', tijdstrategie: { keuze: 'intensiveren', reden: 'r' }, doelen: [{ wat: 'hulp op gang brengen', voorWie: 'hem', wanneer: '2026-05-01', algemeenBevestigd: true }, { wat: 'Twee keer per week bezoek', voorWie: 'hem', wanneer: '2026-05-01' }], acties: [], monitoring: ['2026-04-10', '2026-06-01'] } }]],
      [9, [{ type: 'besluit.vastgelegd', data: { afdoening: 'sepot_met_hulp', zorg: 'WMO-maatje', waaromMix: 'w', tijdstrategie: { keuze: 'intensiveren', reden: 'r' }, doelen: [], acties: [], monitoring: [] } }]],
      [40, [{ type: 'monitoring.vastgelegd', data: { datum: '2026-04-10', hermelding: 'nee', koersPassend: true } }]],
      [91, [{ type: 'monitoring.vastgelegd', data: { datum: '2026-06-01', hermelding: 'ja', hermeldingWat: 'weer diefstal', koersPassend: true, doelenBereikt: 'deels' } }]],
      [92, [{ type: 'zaak.gesloten', data: { leeropbrengst: 'Netwerk eerder in beeld brengen', uitkomst: 'Een hermelding' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]],
    );
    const r = leerregelVan(zaak, 'random-7', 'Europe/Amsterdam');
    expect(r).toEqual({
      id: 'random-7',
      teamId: 't1',
      maand: '2026-06',
      gesloten: true,
      zaaktypes: ['jeugd', 'lvb'],
      betrokkenen: [{ rol: 'slachtoffer', leeftijd: '23-64' }, { rol: 'verdachte', leeftijd: '65+' }],
      patronen: ['combinatieproblematiek', 'vele_professionals'],
      instrumenten: [{ instrument: 'b_safer', uitkomst: 'hoog' }, { instrument: 'arij', uitkomst: 'anders' }],
      // A besluit stored with the old "sepot met hulp" is kept in the chain's terms.
      strafrechtelijk: 'beleidssepot',
      interventies: { zorg: true, acties: 0, soorten: [] },
      tijdstrategie: 'intensiveren',
      partners: { gevraagd: 2, beantwoord: 0, afgewezen: 1 },
      dagenTotDuiding: 3,
      // Counted to the first besluit, not its revision on day 9.
      dagenTotBesluit: 5,
      stappenNvt: [2],
      stappenNietGeopend: [3, 4, 5, 6, 7, 8, 9],
      doelen: { aantal: 0, algemeen: 0 },
      doelenBereikt: 'deels',
      checks: ['nee', 'ja'],
      herhaling: false,
      leeropbrengst: 'Netwerk eerder in beeld brengen',
    });
    const tekst = JSON.stringify(r);
    for (const geheim of ['zaak-geheim-1', '13/424242', 'J.A.', 'Geheim signaal', 'Netwerk?', 'beroepsgeheim', 'Hoog risico', 'weer diefstal', 'WMO-maatje', 'Van Dijk', '2026-03-02']) expect(tekst).not.toContain(geheim);
    expect(hermeldingVan(r)).toBe('ja');
    expect(interventieMix(r)).toBe('Beleidssepot + zorg');
    // Records from before the chain's categories group with the new ones.
    expect(interventieMix({ afdoening: 'sepot_met_hulp', interventies: { zorg: true, acties: 0 } })).toBe('Beleidssepot + zorg');
    expect(interventieMix({ afdoening: 'voorgeleiden', interventies: { zorg: false, acties: 0 } })).toBe('Voorgeleiden zonder zorg');
    expect(interventieMix({ vrijheidsbeneming: 'heenzenden', strafrechtelijk: 'dagvaarden', interventies: { zorg: true, acties: 1 } })).toBe('Dagvaarden + zorg');
  });

  it('reads hermelding over the checks and outcome categories from free text', () => {
    expect(hermeldingVan({ checks: [] })).toBe('onbekend');
    expect(hermeldingVan({ checks: ['nee', 'onbekend'] })).toBe('onbekend');
    expect(hermeldingVan({ checks: ['nee', 'nee'] })).toBe('nee');
    expect(uitkomstCategorie('laag risico')).toBe('laag');
    expect(uitkomstCategorie('Gemiddeld')).toBe('midden');
    expect(interventieMix({ afdoening: 'halt', interventies: { zorg: false, acties: 1 } })).toBe('Halt-interventie zonder zorg');
    expect(interventieMix({})).toBeUndefined();
  });

  it('keeps a month while any of its days is within the term', () => {
    expect(bewaarVanaf(new Date('2031-03-15T12:00:00Z'), 1825, 'Europe/Amsterdam')).toBe('2026-03');
  });
});
