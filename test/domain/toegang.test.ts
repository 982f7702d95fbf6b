import { describe, expect, it } from 'vitest';
import { betrokkenTeamsIds, magZien, rollenVan } from '../../src/domain/toegang';
import { record, type NewZaakEvent, type Verdiepingszaak } from '../../src/domain/zaak';

const LEAD = { id: 'aad-officier', name: 'Officier Van Dijk', teamsId: '29:officier' };
const VT = { id: 'aad-vt', name: 'Medewerker Veilig Thuis', teamsId: '29:vt' };
const HALT = { id: 'aad-halt', name: 'Medewerker Halt', teamsId: '29:halt' };
const TEAM = { lid: true, officier: false, beheerder: false };

function zaakMet(...changes: NewZaakEvent[]): Verdiepingszaak {
  const { zaak } = record(undefined, { teamId: 't1', caseId: 'c1' }, LEAD, new Date('2026-11-28T10:00:00Z'), [
    { type: 'zaak.gemarkeerd', data: { reference: '13/123456-26', types: ['jeugd'], signaal: 'Jongen (15) stal in een winkel.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } },
    ...[VT, HALT].map((invitee, i): NewZaakEvent => ({ type: 'uitvraag.verstuurd', data: { id: `u${i}`, invitee, organisatie: i ? 'halt' : 'veilig_thuis', vraag: 'Bekend?', waarom: 'Patroon.', deadline: '2026-11-28T12:00:00Z' } })),
    ...changes,
  ]);
  return zaak;
}

describe('who is on a case', () => {
  it('takes a partner who answered that their organisation has no role in it off the case: their own question stays theirs, the content does not', () => {
    const zaak = zaakMet({ type: 'uitvraag.afgewezen', data: { uitvraagId: 'u1', soort: 'geen_rol', reden: 'Geen Halt-traject mogelijk.' } });
    const halt = rollenVan(TEAM, [HALT.id, HALT.teamsId], zaak);
    expect([...halt].sort()).toEqual(['genodigde', 'teamlid']);
    expect(magZien('inhoud', halt)).toBe(false);
    expect(betrokkenTeamsIds(zaak)).toEqual([LEAD.teamsId, VT.teamsId]);
    // Declining for another reason, or still open, keeps them on it.
    for (const soort of ['mag_niet_delen', 'geen_informatie'] as const) {
      const anders = zaakMet({ type: 'uitvraag.afgewezen', data: { uitvraagId: 'u1', soort, reden: 'Geen toestemming van de ouders.' } });
      expect(magZien('inhoud', rollenVan(TEAM, [HALT.id], anders))).toBe(true);
    }
    expect(magZien('inhoud', rollenVan(TEAM, [VT.teamsId], zaak))).toBe(true);
  });
});
