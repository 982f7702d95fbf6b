import { describe, expect, it } from 'vitest';
import {
  duidingVoorstel,
  overgeslagenStappen,
  overslaanWaarschuwing,
  partnerDuidingen,
  PARTNER_DUIDING_VERBORGEN,
  perspectievenUitUitvragen,
  readDuiding,
  NA_BESLUIT,
  recordDuiding,
  validateDuiding,
  type DuidingInvoer,
} from '../../src/domain/duiding';
import { rollenVan } from '../../src/domain/toegang';
import { record, VerouderdeInvoer, type Actor, type NewZaakEvent, type Verdiepingszaak } from '../../src/domain/zaak';

const OFFICIER: Actor = { id: 'aad-officier', name: 'Officier Van Dijk' };
const VT: Actor = { id: 'aad-vt', name: 'Medewerker Veilig Thuis' };
const ids = { teamId: 'team-1', caseId: 'zaak-1' };

function zaakMet(...changes: NewZaakEvent[]): Verdiepingszaak {
  let zaak = record(undefined, ids, OFFICIER, new Date('2026-03-20T09:00:00Z'), [
    {
      type: 'zaak.gemarkeerd',
      data: {
        reference: '13/123456-26',
        types: ['lvb'],
        signaal: 'Man (61) stal drie blikjes cola; zijn netwerk is weggevallen.',
        betrokkenen: [
          { rol: 'verdachte', leeftijd: '23-64' },
          { rol: 'getuige', leeftijd: 'onbekend' },
        ],
      },
    },
  ]).zaak;
  for (const change of changes) zaak = record(zaak, ids, change.type.startsWith('uitvraag.beantwoord') ? VT : OFFICIER, new Date('2026-03-20T10:00:00Z'), [change]).zaak;
  return zaak;
}

const goed: DuidingInvoer = {
  patronen: 'combinatieproblematiek,oude_bekenden',
  patroonAnders: '',
  perspectieven: [
    { organisatie: 'politie', tekst: 'Eerder aangehouden voor winkeldiefstal, altijd kleine bedragen.' },
    { organisatie: '', tekst: '' },
  ],
  tegenstrijdigheden: 'De winkel spreekt van brutaal gedrag; de wijkagent kent hem als vriendelijk.',
  hypothesen: ['Het stelen is een gevolg van het weggevallen netwerk; met een maatje stopt het.', ''],
  instrumenten: [{ instrument: '', uitkomst: '' }],
  veiligheid: [
    { nu: 'zorgelijk', straks: 'veilig', toelichting: 'Eet niet goed sinds de buurvrouw uitviel.' },
    { nu: 'veilig', straks: 'veilig', toelichting: '' },
  ],
};

describe('validating a duiding', () => {
  it('accepts a complete duiding and drops empty rows', () => {
    const result = validateDuiding(goed, zaakMet());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.patronen).toEqual(['combinatieproblematiek', 'oude_bekenden']);
    expect(result.value.perspectieven).toHaveLength(1);
    expect(result.value.hypothesen).toEqual(['Het stelen is een gevolg van het weggevallen netwerk; met een maatje stopt het.']);
    expect(result.value.veiligheid[0]).toEqual({ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig', toelichting: 'Eet niet goed sinds de buurvrouw uitviel.' });
  });

  it('refuses a duiding without a testable hypothesis', () => {
    const result = validateDuiding({ ...goed, hypothesen: ['', '  '] }, zaakMet());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.hypothesen).toContain('ten minste één toetsbare hypothese');
  });

  it('asks for a safety judgement per betrokkene, an outcome per instrument and the organisation of a perspective', () => {
    const result = validateDuiding(
      {
        ...goed,
        perspectieven: [{ organisatie: '', tekst: 'Zonder organisatie' }],
        instrumenten: [{ instrument: 'b_safer', uitkomst: '' }],
        veiligheid: [{ nu: 'zorgelijk', straks: '', toelichting: '' }],
      },
      zaakMet(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.perspectief_0).toContain('organisatie');
    expect(result.errors.instrument_0).toContain('uitkomst van B-SAFER');
    expect(result.errors.veiligheid_0).toContain('nu');
    expect(result.errors.veiligheid_1).toBeDefined();
  });

  it('refuses a BSN and an unknown pattern', () => {
    const result = validateDuiding({ ...goed, patronen: 'combinatieproblematiek,verzonnen', tegenstrijdigheden: 'BSN 111222333 genoemd' }, zaakMet());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.tegenstrijdigheden).toContain('BSN');
    expect(result.errors.patronen).toBeDefined();
  });
});

describe('recording a duiding', () => {
  it('moves a case before the duiding to phase duiding, and keeps every version', () => {
    const zaak = zaakMet();
    const ok = validateDuiding(goed, zaak);
    if (!ok.ok) throw new Error('invalid');
    const eerste = record(zaak, ids, OFFICIER, new Date('2026-03-21T10:00:00Z'), recordDuiding(zaak, ok.value)).zaak;
    expect(eerste.fase).toBe('duiding');
    const tweede = record(eerste, ids, VT, new Date('2026-03-22T10:00:00Z'), recordDuiding(eerste, { ...ok.value, hypothesen: ['Zorg verschuift naar de vader van het kind.'] })).zaak;
    expect(tweede.duidingen.map((d) => [d.versie, d.door.name, d.hypothesen[0]])).toEqual([
      [1, OFFICIER.name, 'Het stelen is een gevolg van het weggevallen netwerk; met een maatje stopt het.'],
      [2, VT.name, 'Zorg verschuift naar de vader van het kind.'],
    ]);
    expect(tweede.fase).toBe('duiding');
  });

  it('refuses a save based on an older duiding, saying who recorded the newer one and when; the newest basis passes', () => {
    const zaak = zaakMet();
    const ok = validateDuiding(goed, zaak);
    if (!ok.ok) throw new Error('invalid');
    const basis = (versie: number) => ({ versie, timeZone: 'Europe/Amsterdam', now: new Date('2026-03-21T15:00:00Z') });
    // Both opened the form before any duiding (versie 0); Veilig Thuis saves first, at 14:05 Amsterdam time.
    const eerste = record(zaak, ids, VT, new Date('2026-03-21T13:05:00Z'), recordDuiding(zaak, ok.value, basis(0))).zaak;
    expect(() => recordDuiding(eerste, ok.value, basis(0))).toThrow(new VerouderdeInvoer('Intussen heeft Medewerker Veilig Thuis een nieuwe duiding vastgelegd (versie 1) om 14:05; bekijk die en sla opnieuw op.', 1));
    const tweede = record(eerste, ids, OFFICIER, new Date('2026-03-21T14:00:00Z'), recordDuiding(eerste, ok.value, basis(1))).zaak;
    expect(tweede.duidingen.map((d) => d.versie)).toEqual([1, 2]);
    expect(() => recordDuiding(tweede, ok.value, basis(1))).toThrow(/Officier Van Dijk een nieuwe duiding vastgelegd \(versie 2\) om 15:00/);
    expect(readDuiding({ caseId: 'zaak-1', basisVersie: 1 })?.basisVersie).toBe(1);
  });

  it('refuses on a closed case', () => {
    const zaak = { ...zaakMet(), fase: 'gesloten' as const };
    expect(() => recordDuiding(zaak, { patronen: [], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['x'], instrumenten: [], veiligheid: [] })).toThrow(/gesloten/);
  });

  it('is fixed once a besluit stands, until the duiding is reopened', () => {
    const data = { patronen: [], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['x'], instrumenten: [], veiligheid: [] };
    const besloten = { ...zaakMet(), fase: 'monitoring' as const, besluit: {} as NonNullable<Verdiepingszaak['besluit']> };
    expect(() => recordDuiding(besloten, data)).toThrow(NA_BESLUIT);
    expect(recordDuiding({ ...besloten, fase: 'duiding' }, data).map((e) => e.type)).toEqual(['duiding.vastgelegd']);
  });
});

describe('before the duiding', () => {
  it('names the principle steps 2 and 3 that nobody looked at', () => {
    expect(overgeslagenStappen(zaakMet())).toEqual([2, 3]);
    const metStap2 = zaakMet({ type: 'principe.vastgelegd', data: { stap: 2, status: 'nvt', antwoorden: {}, reden: 'Alleen de verdachte is betrokken.' } });
    expect(overgeslagenStappen(metStap2)).toEqual([3]);
    expect(overslaanWaarschuwing([2, 3])).toContain('Stap 2 (Alle betrokkenen in beeld) en stap 3 (Gerichte contextinformatie) zijn nog niet bekeken');
  });

  it('pre-fills the perspectives with the partners\' answers per organisation', () => {
    const zaak = zaakMet(
      { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: { id: 'aad-vt', name: 'VT', teamsId: '29:vt' }, organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend?', waarom: 'Om het patroon te zien', deadline: '2026-03-20T12:00:00Z' } },
      { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Ja, twee meldingen in 2025.', bron: 'VT-registratie', bekend: 'ja' } },
      { type: 'uitvraag.verstuurd', data: { id: 'u2', invitee: { id: 'aad-vt', name: 'VT', teamsId: '29:vt' }, organisatie: 'veilig_thuis', vraag: 'Loopt er hulp?', waarom: 'Om dubbel werk te voorkomen', deadline: '2026-03-20T12:00:00Z' } },
      { type: 'uitvraag.verstuurd', data: { id: 'u3', invitee: { id: 'aad-halt', name: 'Halt', teamsId: '29:halt' }, organisatie: 'halt', vraag: 'Eerder een Halt-traject?', waarom: 'Oude bekende?', deadline: '2026-03-20T12:00:00Z' } },
      { type: 'uitvraag.afgewezen', data: { uitvraagId: 'u3', soort: 'mag_niet_delen', reden: 'Geen toestemming' } },
    );
    const perspectieven = perspectievenUitUitvragen(zaak.uitvragen);
    expect(perspectieven.map((p) => p.organisatie)).toEqual(['veilig_thuis', 'halt']);
    expect(perspectieven[0]!.tekst).toBe('Is het gezin bekend? → Ja, twee meldingen in 2025. (bron: VT-registratie)\nLoopt er hulp? → nog geen antwoord');
    expect(perspectieven[1]!.tekst).toContain('mag niet delen: Geen toestemming');
    // The form fills in only what every betrokken professional may read: no unshared answer, no reason for a decline.
    expect(duidingVoorstel(zaak).perspectieven.map((p) => p.tekst)).toEqual([
      'Is het gezin bekend? → beantwoord (alleen zichtbaar voor de casusregisseur en de officieren)\nLoopt er hulp? → nog geen antwoord',
      'Eerder een Halt-traject? → geen antwoord (alleen zichtbaar voor de casusregisseur en de officieren)',
    ]);
  });

  it('pre-fills only the answers every betrokken professional may read, whoever opens the form: the duiding is theirs to read', () => {
    const vt = { id: 'aad-vt', name: 'VT', teamsId: '29:vt' };
    const halt = { id: 'aad-halt', name: 'Halt', teamsId: '29:halt' };
    const metAntwoorden = (gedeeld: boolean) =>
      zaakMet(
        { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend?', waarom: 'Om het patroon te zien', deadline: '2026-03-20T12:00:00Z' } },
        { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Ja, twee meldingen in 2025.', bron: 'VT-registratie', bekend: 'ja', gedeeld } },
        { type: 'uitvraag.verstuurd', data: { id: 'u2', invitee: halt, organisatie: 'halt', vraag: 'Eerder een Halt-traject?', waarom: 'Oude bekende?', deadline: '2026-03-20T12:00:00Z' } },
        { type: 'uitvraag.afgewezen', data: { uitvraagId: 'u2', soort: 'mag_niet_delen', reden: 'Geen toestemming' } },
      );
    const tekst = (zaak: Verdiepingszaak) => duidingVoorstel(zaak).perspectieven.map((p) => p.tekst).join('\n');

    const prive = metAntwoorden(false);
    expect(tekst(prive)).not.toContain('twee meldingen');
    expect(tekst(prive)).toContain('Is het gezin bekend? → beantwoord (alleen zichtbaar voor de casusregisseur en de officieren)');
    expect(tekst(prive)).not.toContain('Geen toestemming');
    const gedeeld = metAntwoorden(true);
    expect(tekst(gedeeld)).toContain('Is het gezin bekend? → Ja, twee meldingen in 2025. (bron: VT-registratie)');
    expect(tekst(gedeeld)).not.toContain('Geen toestemming');
  });

  it('puts each partner\'s own duiding beside the others, per organisation, as far as the viewer may read it', () => {
    const vt = { id: 'aad-vt', name: 'VT', teamsId: '29:vt' };
    const halt = { id: 'aad-halt', name: 'Halt', teamsId: '29:halt' };
    const zaak = zaakMet(
      { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend?', waarom: 'Om het patroon te zien', deadline: '2026-03-20T12:00:00Z' } },
      { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Twee meldingen.', bron: 'VT', bekend: 'ja', gedeeld: false, duiding: 'Wij zien escalatie thuis.' } },
      { type: 'uitvraag.verstuurd', data: { id: 'u2', invitee: halt, organisatie: 'halt', vraag: 'Eerder een Halt-traject?', waarom: 'Oude bekende?', deadline: '2026-03-20T12:00:00Z' } },
      { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u2', tekst: 'Eén traject, afgerond.', bron: 'Halt', bekend: 'ja', gedeeld: true, duiding: 'Een tweede traject past niet.' } },
      { type: 'uitvraag.verstuurd', data: { id: 'u3', invitee: halt, organisatie: 'halt', vraag: 'Loopt er nu iets?', waarom: 'Dubbel werk voorkomen', deadline: '2026-03-20T12:00:00Z' } },
      { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u3', tekst: 'Nee.', bron: 'Halt', bekend: 'nee', gedeeld: true } },
    );
    const team = { lid: true, officier: false, beheerder: false };
    const kijker = (wie: string[]) => ({ ids: wie, rollen: rollenVan(team, wie, zaak) });

    // The lead reads both; an answer without a duiding adds no row.
    expect(partnerDuidingen(zaak, kijker(['aad-officier']))).toEqual([
      { organisatie: 'veilig_thuis', duidingen: ['Wij zien escalatie thuis.'] },
      { organisatie: 'halt', duidingen: ['Een tweede traject past niet.'] },
    ]);
    // Halt sees that VT interpreted it, not how: VT did not share.
    expect(partnerDuidingen(zaak, kijker(['29:halt']))).toEqual([
      { organisatie: 'veilig_thuis', duidingen: [PARTNER_DUIDING_VERBORGEN] },
      { organisatie: 'halt', duidingen: ['Een tweede traject past niet.'] },
    ]);
    // The seed's perspectives carry a shared answer's partner duiding with it, per organisation; not an unshared one's.
    const perspectieven = duidingVoorstel(zaak).perspectieven;
    expect(perspectieven.find((p) => p.organisatie === 'halt')?.tekst).toBe('Eerder een Halt-traject? → Eén traject, afgerond. (bron: Halt)\nDuiding: Een tweede traject past niet.\nLoopt er nu iets? → Nee. (bron: Halt)');
    expect(perspectieven.map((p) => p.tekst).join('\n')).not.toContain('escalatie');
  });

  it('leaves unshared answers that came in since out of a revision too', () => {
    const vt = { id: 'aad-vt', name: 'VT', teamsId: '29:vt' };
    const zaak = zaakMet(
      { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee: vt, organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend?', waarom: 'Om het patroon te zien', deadline: '2026-03-20T12:00:00Z' } },
      { type: 'duiding.vastgelegd', data: { patronen: [], perspectieven: [{ organisatie: 'politie', tekst: 'Bekend.' }], tegenstrijdigheden: '', hypothesen: ['Het netwerk is weggevallen.'], instrumenten: [], veiligheid: [] } },
    );
    const later = record(zaak, ids, VT, new Date('2026-03-21T10:00:00Z'), [{ type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Drie meldingen.', bron: 'VT', bekend: 'ja', gedeeld: false } }]).zaak;
    expect(duidingVoorstel(later).perspectieven.find((p) => p.organisatie === 'veilig_thuis')?.tekst).toBe('Nieuw: Is het gezin bekend? → beantwoord (alleen zichtbaar voor de casusregisseur en de officieren)');
  });

  it('pre-fills a revision with the latest version', () => {
    const zaak = zaakMet({ type: 'duiding.vastgelegd', data: { patronen: ['oude_bekenden'], perspectieven: [{ organisatie: 'politie', tekst: 'Bekend.' }], tegenstrijdigheden: 'Geen', hypothesen: ['Het netwerk is weggevallen.'], instrumenten: [], veiligheid: [{ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig' }] } });
    const voorstel = duidingVoorstel(zaak);
    expect(voorstel.patronen).toBe('oude_bekenden');
    expect(voorstel.hypothesen).toEqual(['Het netwerk is weggevallen.']);
    expect(voorstel.veiligheid).toEqual([
      { nu: 'zorgelijk', straks: 'veilig', toelichting: '' },
      { nu: '', straks: '', toelichting: '' },
    ]);
  });
});

describe('reading the duiding form', () => {
  it('reads flat input ids by row counts and refuses a payload without a case', () => {
    const read = readDuiding({ caseId: 'zaak-1', hypothesen: 2, hypothese_0: 'a', hypothese_1: 'b', perspectieven: 1, perspectief_0_organisatie: 'halt', perspectief_0_tekst: 'x', betrokkenen: 1, veiligheid_0_nu: 'veilig' });
    expect(read?.invoer.hypothesen).toEqual(['a', 'b']);
    expect(read?.invoer.perspectieven).toEqual([{ organisatie: 'halt', tekst: 'x' }]);
    expect(read?.invoer.veiligheid).toEqual([{ nu: 'veilig', straks: '', toelichting: '' }]);
    expect(readDuiding({ hypothesen: 1 })).toBeUndefined();
  });
});
