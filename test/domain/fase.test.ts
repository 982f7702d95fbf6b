import { describe, expect, it } from 'vitest';
import { huidigeInvoer } from '../../cards/principe-stap';
import { verdiepingskaartCard } from '../../cards/verdiepingskaart';
import { VOLGENDE_STAP } from '../../src/domain/catalogue';
import { monitoringAfgerond } from '../../src/domain/opvolging';
import { bekekenStappen } from '../../src/domain/principes';
import { record, volgendeStap, type Actor, type NewZaakEvent, type Verdiepingszaak } from '../../src/domain/zaak';

const LEAD: Actor = { id: 'aad-lead', name: 'Casusregisseur Jansen' };
const ids = { teamId: 'team-1', caseId: 'zaak-1' };
const SIGNAAL = 'Man (61) stal drie blikjes cola; zijn netwerk is weggevallen.';

function zaakMet(...changes: NewZaakEvent[]): Verdiepingszaak {
  const now = new Date('2026-10-20T12:00:00Z');
  const gemarkeerd = record(undefined, ids, LEAD, now, [
    { type: 'zaak.gemarkeerd', data: { reference: '13/123456-26', types: ['lvb'], signaal: SIGNAAL, betrokkenen: [{ rol: 'verdachte', leeftijd: '23-64' }] } },
  ]).zaak;
  return changes.length ? record(gemarkeerd, ids, LEAD, now, changes).zaak : gemarkeerd;
}

const fase = (van: Verdiepingszaak['fase'], naar: Verdiepingszaak['fase']): NewZaakEvent => ({ type: 'zaak.fase_gewijzigd', data: { van, naar } });
const DUIDING: NewZaakEvent = {
  type: 'duiding.vastgelegd',
  data: { patronen: ['combinatieproblematiek'], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['Met een maatje stopt het stelen.'], instrumenten: [], veiligheid: [] },
};
const BESLUIT: NewZaakEvent = {
  type: 'besluit.vastgelegd',
  data: { afdoening: 'sepot_met_hulp', zorg: 'WMO-maatje.', waaromMix: 'Zorg past.', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [], acties: [], monitoring: ['2026-12-01'] },
};
const check = (hermelding: 'ja' | 'nee'): NewZaakEvent => ({ type: 'monitoring.vastgelegd', data: { datum: '2026-12-01', hermelding, koersPassend: true } });

/** The status line the verdiepingskaart shows for a step. */
function status(zaak: Verdiepingszaak, stap: number): string {
  const card = JSON.stringify(verdiepingskaartCard(zaak, 'Europe/Amsterdam', undefined, true));
  const i = card.indexOf(`**${stap}. `);
  return card.slice(i, i + 400);
}

describe('phase and next step follow what the team recorded', () => {
  it('after the duiding the next step is the besluit; a closed case has nothing left to do', () => {
    expect(volgendeStap(zaakMet(fase('gemarkeerd', 'duiding')))).toBe(VOLGENDE_STAP.duiding);
    expect(volgendeStap(zaakMet(fase('gemarkeerd', 'duiding'), DUIDING))).toBe(VOLGENDE_STAP.besluit);
    expect(volgendeStap(zaakMet(fase('gemarkeerd', 'gesloten')))).toBe('Zaak gesloten: er is niets meer te doen.');
  });

  it('steps 7 and 9 count as done once the duiding and the besluit are recorded', () => {
    const open = zaakMet();
    expect(bekekenStappen(open)).toBe(0);
    expect(status(open, 7)).toContain('Open');
    const beslist = zaakMet(fase('gemarkeerd', 'duiding'), DUIDING, fase('duiding', 'monitoring'), BESLUIT);
    expect(bekekenStappen(beslist)).toBe(2);
    expect(status(beslist, 7)).toContain('Vastgelegd in de duiding');
    expect(status(beslist, 9)).toContain('Vastgelegd in het besluit');
    expect(status(beslist, 8)).toContain('Open');
  });

  it('step 1 starts from the signaal typed when flagging, until the step is recorded', () => {
    expect(huidigeInvoer(zaakMet(), 1).antwoorden).toEqual({ zorgen: SIGNAAL });
    expect(huidigeInvoer(zaakMet(), 2).antwoorden).toEqual({});
    const ingevuld = zaakMet({ type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { tegenstrijdig: 'Winkel en buurvrouw verschillen.' } } });
    expect(huidigeInvoer(ingevuld, 1).antwoorden).toEqual({ tegenstrijdig: 'Winkel en buurvrouw verschillen.' });
  });

  it('after "hermelding: ja" on the last check the bot does not propose closing', () => {
    const basis = [fase('gemarkeerd', 'duiding'), DUIDING, fase('duiding', 'monitoring'), BESLUIT] as const;
    expect(monitoringAfgerond(zaakMet(...basis, check('nee')))).toBe(true);
    expect(monitoringAfgerond(zaakMet(...basis, check('ja')))).toBe(false);
  });
});
