import { describe, expect, it } from 'vitest';
import type { Instrument, Leeftijdsklasse, Patroon, Rol, Zaaktype } from '../../src/domain/catalogue';
import { leerbeeld, leesPeriode, type Periode } from '../../src/domain/leerbeeld';
import { lijktOp } from '../../src/domain/lijkt-op';
import { ZaakService } from '../../src/domain/service';
import { record, type Actor, type NewZaakEvent } from '../../src/domain/zaak';
import { SqliteStore } from '../../src/store/sqlite';

const actor: Actor = { id: 'aad-o', name: 'Officier' };
const DAY = 86_400_000;
const TZ = 'Europe/Amsterdam';

/**
 * A dozen varied cases closed through the service (seed cases among them: Casus 1, the LVB man;
 * Casus 2, the boy of 15), then the leerbeeld and "lijkt op" checked by hand-computed numbers.
 *   i 0–5: jeugd, verdachte 12–17, Halt + zorg;       i 6–8: huiselijk geweld, sepot met hulp + zorg;
 *   i 9–11: huiselijk geweld, voorgeleiden, zorg "geen"; hermelding at i 0, 1, 6.
 *   patterns: combinatie i<8, oude bekenden i even, partnerrelatie i≥9; days to duiding = i;
 *   step 2 n.v.t. i<5, step 7 never opened i<3, step 8 never opened i=0; goals 2 each, one too general i<3.
 */
describe('casusoverstijgend leren: a dozen closed cases', () => {
  it('gives the leerbeeld numbers and the lijkt-op ranking computed by hand', async () => {
    const store = new SqliteStore(':memory:');
    let now = 0;
    let n = 0;
    const service = new ZaakService(store, { now: () => new Date(now) }, { next: () => `id-${++n}` }, { timeZone: TZ, reminderBeforeMs: 0 });
    for (let i = 0; i < 12; i++) {
      const jeugd = i < 6;
      const start = Date.parse(i === 0 ? '2026-10-01T08:00:00Z' : '2026-11-02T08:00:00Z');
      now = start;
      const betrokkenen: { rol: Rol; leeftijd: Leeftijdsklasse }[] = jeugd ? [{ rol: 'verdachte', leeftijd: '12-17' }] : [{ rol: 'verdachte', leeftijd: '23-64' }, { rol: 'slachtoffer', leeftijd: '23-64' }];
      const types: Zaaktype[] = i === 11 ? ['lvb'] : jeugd ? ['jeugd'] : ['huiselijk_geweld'];
      const zaak = await service.flag('t1', { reference: `13/${100000 + i}-26`, types, signaal: `Signaal ${i}`, betrokkenen }, actor);
      const change = (...events: NewZaakEvent[]) => service.change('t1', zaak.id, actor, () => events);
      for (let stap = 1; stap <= 9; stap++) {
        if ((stap === 7 && i < 3) || (stap === 8 && i === 0)) continue;
        await change(stap === 2 && i < 5 ? { type: 'principe.vastgelegd', data: { stap, status: 'nvt', antwoorden: {}, reden: 'niet nodig' } } : { type: 'principe.vastgelegd', data: { stap, status: 'ingevuld', antwoorden: { a: 'x' } } });
      }
      const patronen: Patroon[] = [...(i < 8 ? ['combinatieproblematiek' as const] : []), ...(i % 2 === 0 ? ['oude_bekenden' as const] : []), ...(i >= 9 ? ['partnerrelatie' as const] : [])];
      const instrumenten: { instrument: Instrument; uitkomst: string }[] = [...(i === 4 ? [{ instrument: 'arij' as const, uitkomst: 'laag' }] : []), ...(i >= 9 ? [{ instrument: 'b_safer' as const, uitkomst: 'hoog' }] : [])];
      now = start + i * DAY;
      await change({ type: 'duiding.vastgelegd', data: { patronen, perspectieven: [], tegenstrijdigheden: '', hypothesen: ['h'], instrumenten, veiligheid: [] } });
      const afdoening = jeugd ? 'halt' : i < 9 ? 'sepot_met_hulp' : 'voorgeleiden';
      await change({
        type: 'besluit.vastgelegd',
        data: { afdoening, zorg: i < 9 ? 'Gezinsvoogd en dagbesteding' : 'geen', waaromMix: 'w', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [{ wat: 'hulp op gang brengen', voorWie: 'hem', wanneer: '2027-01-01', ...(i < 3 ? { algemeenBevestigd: true } : {}) }, { wat: 'Elke dag naar school', voorWie: 'hem', wanneer: '2027-01-01' }], acties: [], monitoring: ['2026-12-01'] },
      });
      await change({ type: 'monitoring.vastgelegd', data: { datum: '2026-12-01', hermelding: [0, 1, 6].includes(i) ? 'ja' : 'nee', koersPassend: true, doelenBereikt: 'ja' } });
      now = Date.parse(i === 0 ? '2026-10-20T08:00:00Z' : '2026-11-20T08:00:00Z');
      await change({ type: 'zaak.gesloten', data: { leeropbrengst: `Les van zaak ${i}`, uitkomst: 'Klaar.' } }, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } });
    }
    // Everything purged: the learning records remain.
    now = Date.parse('2026-11-28T10:00:00Z');
    expect(await store.purgeClosedCases(new Date(now).toISOString(), new Date(now).toISOString())).toBe(12);
    const regels = await store.listLeerregels('t1');
    expect(regels).toHaveLength(12);

    const beeld = leerbeeld(regels, leesPeriode('', new Date(now), TZ) as Periode);
    expect(beeld.aantalZaken).toBe(12);
    expect(beeld.patronen).toEqual([
      { label: 'Combinatieproblematiek', aantal: 8 },
      { label: 'Oude bekenden', aantal: 6 },
      { label: 'Partnerrelatiepatronen', aantal: 3 },
    ]);
    expect(beeld.hermeldingPerMix).toEqual([
      { mix: 'Halt-interventie + zorg', aantal: 6, metHermelding: 2, percentage: 33 },
      { mix: 'Beleidssepot + zorg', aantal: 3, metHermelding: 1 },
      { mix: 'Voorgeleiden zonder zorg', aantal: 3, metHermelding: 0 },
    ]);
    expect(beeld.dagenTotDuiding.map((d) => d.aantal)).toEqual([2, 6, 4, 0]);
    expect(beeld.mediaanDagenTotDuiding).toBe(5.5);
    expect(beeld.overgeslagen).toEqual([
      { label: '2. Alle betrokkenen in beeld', aantal: 5 },
      { label: '7. Gezamenlijk duiden', aantal: 3 },
      { label: '8. Spelen met tijd', aantal: 1 },
    ]);
    expect(beeld.doelen).toEqual({ aantal: 24, algemeen: 3, percentage: 13 });
    // Only November: case 0 (October) drops out.
    expect(leerbeeld(regels, leesPeriode('1 maand', new Date(now), TZ) as Periode).aantalZaken).toBe(11);

    // A new jeugd case with combinatieproblematiek and oude bekenden, ARIJ used.
    let nieuw = record(undefined, { teamId: 't1', caseId: 'nieuw' }, actor, new Date(now), [{ type: 'zaak.gemarkeerd', data: { reference: '13/999999-26', types: ['jeugd'], signaal: 's', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } }]).zaak;
    nieuw = record(nieuw, { teamId: 't1', caseId: 'nieuw' }, actor, new Date(now), [{ type: 'duiding.vastgelegd', data: { patronen: ['combinatieproblematiek', 'oude_bekenden'], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['h'], instrumenten: [{ instrument: 'arij', uitkomst: 'laag' }], veiligheid: [] } }]).zaak;
    // Scores: case 4 = 3+3+3+2+1+1 = 13; cases 2 and 0 = 11 (2 is newer); cases 1, 3, 5 = 8.
    const lijkt = lijktOp(nieuw, regels);
    expect(lijkt.map((l) => [l.regel.leeropbrengst, l.score])).toEqual([['Les van zaak 4', 13], ['Les van zaak 2', 11], ['Les van zaak 0', 11]]);
    expect(lijkt[0]!.uitleg).toBe('ook: jeugd, combinatieproblematiek, oude bekenden, arij, verdachte, 12–17 jaar');
    expect(lijkt[2]!.regelTekst).toBe('Halt-interventie met zorg; hermelding: ja; geleerd: Les van zaak 0');
    await store.close();
  });
});
