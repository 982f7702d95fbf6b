import { describe, expect, it } from 'vitest';
import { besluitFormCard, VASTE_KEUZES_MAX } from '../cards/besluit-form';
import { besluitSamenvattingCard } from '../cards/besluit-samenvatting';
import { duidingFormCard } from '../cards/duiding-form';
import { duidingSamenvattingCard } from '../cards/duiding-samenvatting';
import { BESLUIT_MAX, MAX_ACTIES, MAX_DOELEN, MAX_MONITORING } from '../src/domain/besluit';
import { INTERVENTIES, type Interventiesoort } from '../src/domain/catalogue';
import { DUIDING_MAX, MAX_HYPOTHESEN, MAX_INSTRUMENTEN, MAX_PERSPECTIEVEN } from '../src/domain/duiding';
import { MAX_BETROKKENEN } from '../src/domain/markering';
import { record, type Lid } from '../src/domain/zaak';
import { find } from './support/cards';
import { cardBytes, CARD_MAX_BYTES, cardProblems } from './support/card-schema';

/** Text as long as allowed, with a few accented letters (two bytes each in UTF-8). */
const vol = (n: number) => 'ë'.repeat(Math.floor(n / 10)) + 'x'.repeat(n - Math.floor(n / 10));

/** A team with Teams-sized ids and long names. */
const TEAM_VAN = (n: number): Lid[] => Array.from({ length: n }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: `Medewerker met een lange naam ${i}`,
  teamsId: `29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bAbAB5bnGT9Xhlqtl9l2HFDYeb8Zr${i}`,
}));

const zaak = record(undefined, { teamId: 't', caseId: 'zaak-00000000-0000-4000-8000-000000000000' }, { id: 'a', name: 'Officier' }, new Date('2026-10-20T10:00:00Z'), [
  { type: 'zaak.gemarkeerd', data: { reference: '13/123456-26', types: ['jeugd'], signaal: 'x', betrokkenen: Array.from({ length: MAX_BETROKKENEN }, () => ({ rol: 'ex_partner' as const, leeftijd: '23-64' as const })) } },
]).zaak;

describe('the duiding and besluit cards at their largest', () => {
  it('the duiding form stays under the Teams card limit and parses as Adaptive Card 1.5', () => {
    const card = duidingFormCard(
      zaak,
      {
        patronen: 'combinatieproblematiek,oude_bekenden,partnerrelatie,geweld_ouder_kind,afwachten,vele_professionals',
        patroonAnders: vol(DUIDING_MAX.patroonAnders),
        perspectieven: Array.from({ length: MAX_PERSPECTIEVEN }, () => ({ organisatie: 'veiligheidshuis', tekst: vol(DUIDING_MAX.perspectief) })),
        tegenstrijdigheden: vol(DUIDING_MAX.tegenstrijdigheden),
        hypothesen: Array.from({ length: MAX_HYPOTHESEN }, () => vol(DUIDING_MAX.hypothese)),
        instrumenten: Array.from({ length: MAX_INSTRUMENTEN }, () => ({ instrument: 'b_safer', uitkomst: vol(DUIDING_MAX.uitkomst) })),
        veiligheid: Array.from({ length: MAX_BETROKKENEN }, () => ({ nu: 'onveilig', straks: 'zorgelijk', toelichting: vol(DUIDING_MAX.toelichting) })),
      },
      Object.fromEntries(Array.from({ length: MAX_BETROKKENEN }, (_, i) => [`veiligheid_${i}`, 'Geef aan hoe veilig deze betrokkene nu is en na het besluit (kies "Onbekend" als we het niet weten).'])),
    );
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    expect(cardProblems(card)).toEqual([]);
  });

  it.each([15, 30, 500])('the besluit form, with owners from a team of %i, stays under the limit and parses', (teamSize) => {
    const team = TEAM_VAN(teamSize);
    const card = besluitFormCard(
      zaak,
      {
        vrijheidsbeneming: 'inverzekeringstelling',
        strafrechtelijk: 'anders',
        afdoeningToelichting: vol(BESLUIT_MAX.afdoeningToelichting),
        // Every catalogue intervention chosen, and one "anders" at its longest.
        interventies: [...(Object.keys(INTERVENTIES) as Interventiesoort[]).map((soort) => ({ soort, organisatie: '', toelichting: '' })), { soort: 'anders', organisatie: 'verslavingszorg', toelichting: vol(BESLUIT_MAX.interventie) }],
        zorg: vol(BESLUIT_MAX.zorg),
        waaromMix: vol(BESLUIT_MAX.waaromMix),
        tijdstrategie: 'intensiveren',
        tijdstrategieReden: vol(BESLUIT_MAX.reden),
        doelen: Array.from({ length: MAX_DOELEN }, () => ({ wat: vol(BESLUIT_MAX.doel), voorWie: vol(BESLUIT_MAX.voorWie), wanneer: '2026-12-01', bevestigd: true })),
        acties: Array.from({ length: MAX_ACTIES }, (_, i) => ({ id: `zaak-00000000-0000-4000-8000-00000000000${i}`, wat: vol(BESLUIT_MAX.actie), eigenaar: team[i]!.id, naam: vol(100), datum: '2026-12-01', organisatie: vol(60) })),
        monitoring: Array.from({ length: MAX_MONITORING }, () => '2026-12-01'),
        plandatum: '2026-12-01',
        plandatumReden: vol(BESLUIT_MAX.reden),
      },
      Object.fromEntries([...Array.from({ length: MAX_DOELEN }, (_, i) => `doel_${i}`), 'interventies'].map((k) => [k, 'x'.repeat(400)])),
      team,
      Array.from({ length: MAX_DOELEN }, (_, i) => i),
    );
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    expect(cardProblems(card)).toEqual([]);
    const pickers = find(card, (n) => n.id === 'actie_0_eigenaar');
    expect(pickers).toHaveLength(1);
    expect(pickers[0].choices.length).toBeLessThanOrEqual(VASTE_KEUZES_MAX);
    expect(find(card, (n) => n.id === 'actie_0_naam')).toHaveLength(teamSize > VASTE_KEUZES_MAX ? 1 : 0);
  });

  it('the summaries stay under the limit too', () => {
    const { zaak: metBesluit } = record(zaak, { teamId: 't', caseId: zaak.id }, { id: 'a', name: 'Officier' }, new Date('2026-10-20T10:00:00Z'), [
      {
        type: 'duiding.vastgelegd',
        data: {
          patronen: ['oude_bekenden'],
          patroonAnders: vol(DUIDING_MAX.patroonAnders),
          perspectieven: Array.from({ length: MAX_PERSPECTIEVEN }, () => ({ organisatie: 'halt' as const, tekst: vol(DUIDING_MAX.perspectief) })),
          tegenstrijdigheden: vol(DUIDING_MAX.tegenstrijdigheden),
          hypothesen: Array.from({ length: MAX_HYPOTHESEN }, () => vol(DUIDING_MAX.hypothese)),
          instrumenten: Array.from({ length: MAX_INSTRUMENTEN }, () => ({ instrument: 'das' as const, uitkomst: vol(DUIDING_MAX.uitkomst) })),
          veiligheid: Array.from({ length: MAX_BETROKKENEN }, (_, i) => ({ betrokkene: i, nu: 'veilig' as const, straks: 'veilig' as const })),
        },
      },
      {
        type: 'besluit.vastgelegd',
        data: {
          afdoening: 'halt',
          zorg: vol(BESLUIT_MAX.zorg),
          waaromMix: vol(BESLUIT_MAX.waaromMix),
          tijdstrategie: { keuze: 'intensiveren', reden: vol(BESLUIT_MAX.reden) },
          doelen: Array.from({ length: MAX_DOELEN }, () => ({ wat: vol(BESLUIT_MAX.doel), voorWie: vol(BESLUIT_MAX.voorWie), wanneer: '2026-12-01' })),
          acties: Array.from({ length: MAX_ACTIES }, (_, i) => ({ id: `a${i}`, wat: vol(BESLUIT_MAX.actie), eigenaar: TEAM_VAN(MAX_ACTIES)[i]!, datum: '2026-12-01', status: 'open' as const })),
          monitoring: ['2026-12-01', '2027-01-19'],
        },
      },
    ]);
    for (const card of [duidingSamenvattingCard(metBesluit, metBesluit.duidingen[0]!, 'Europe/Amsterdam'), besluitSamenvattingCard(metBesluit, metBesluit.besluit!, 'Europe/Amsterdam').card]) {
      expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
      expect(cardProblems(card)).toEqual([]);
    }
  });
});
