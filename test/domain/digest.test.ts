import { describe, expect, it } from 'vitest';
import { digestCards } from '../../cards/digest';
import { beschrijfSchema, digestJob, isDigestMoment, leesDigestBron, leesSchema, MAX_REGELS, STANDAARD_DUIDING_DAGEN, volgendeDigest, volgendeTeamDigest, weekDigest, weekDigestUit } from '../../src/domain/digest';
import { SqliteStore } from '../../src/store/sqlite';
import { record, type Actor, type Lid, type NewZaakEvent, type Verdiepingszaak } from '../../src/domain/zaak';
import { CARD_MAX_BYTES, cardBytes, cardProblems } from '../support/card-schema';
import { text } from '../support/cards';

const TZ = 'Europe/Amsterdam';
const OFFICIER: Actor = { id: 'aad-officier', name: 'Officier Van Dijk' };
const HALT: Lid = { id: 'aad-halt', name: 'Medewerker Halt', teamsId: '29:halt' };
const VT: Lid = { id: 'aad-vt', name: 'Medewerker Veilig Thuis', teamsId: '29:vt' };

/** A case built from events at the given instants. */
function zaak(caseId: string, reference: string, flaggedAt: string, steps: [string, NewZaakEvent][], types: Verdiepingszaak['types'] = ['jeugd']): Verdiepingszaak {
  let z = record(undefined, { teamId: 't1', caseId }, OFFICIER, new Date(flaggedAt), [
    { type: 'zaak.gemarkeerd', data: { reference, types, signaal: 'Signaal met een naam: Jansen.', betrokkenen: [{ rol: 'verdachte', leeftijd: '12-17' }] } },
    { type: 'zaak.thread_geopend', data: { channelId: '19:kanaal', conversationId: `19:kanaal;messageid=${caseId}`, rootMessageId: caseId } },
  ]).zaak;
  for (const [at, change] of steps) z = record(z, { teamId: 't1', caseId }, OFFICIER, new Date(at), [change]).zaak;
  return z;
}

const fase = (van: Verdiepingszaak['fase'], naar: Verdiepingszaak['fase']): NewZaakEvent => ({ type: 'zaak.fase_gewijzigd', data: { van, naar } });
const duiding = (patronen: ('combinatieproblematiek' | 'oude_bekenden' | 'partnerrelatie')[], patroonAnders?: string): NewZaakEvent => ({
  type: 'duiding.vastgelegd',
  data: { patronen, ...(patroonAnders ? { patroonAnders } : {}), perspectieven: [], tegenstrijdigheden: 'Tegenstrijdig.', hypothesen: ['Een toetsbare hypothese.'], instrumenten: [], veiligheid: [] },
});
const besluit = (data: Partial<Extract<NewZaakEvent, { type: 'besluit.vastgelegd' }>['data']>): NewZaakEvent => ({
  type: 'besluit.vastgelegd',
  data: {
    afdoening: 'sepot_met_hulp',
    zorg: 'Zorg.',
    waaromMix: 'Waarom.',
    tijdstrategie: { keuze: 'geen', reden: 'Geen.' },
    doelen: [],
    acties: [],
    monitoring: [],
    ...data,
  },
});
const sluiten = (leeropbrengst: string): NewZaakEvent[] => [
  { type: 'zaak.gesloten', data: { leeropbrengst, uitkomst: 'Afgerond.' } },
  { type: 'zaak.fase_gewijzigd', data: { van: 'monitoring', naar: 'gesloten' } },
];
const uitvraag = (id: string, invitee: Lid, deadline: string): NewZaakEvent => ({
  type: 'uitvraag.verstuurd',
  data: { id, invitee, organisatie: invitee === VT ? 'veilig_thuis' : 'halt', vraag: 'Is het gezin bekend?', waarom: 'Nodig voor het besluit.', deadline },
});

/**
 * The week around the spring change to summer time (Sunday 29 March 2026, 02:00 → 03:00): the
 * digest of Monday 30 March 09:00 (07:00 UTC). A UTC or 24-hour reading of "days" and "last week"
 * gets several of these wrong.
 */
const NOW = new Date('2026-03-30T07:00:00Z');

function team(): Verdiepingszaak[] {
  const a = zaak('A', '13/100001-26', '2026-03-23T08:00:00Z', []); // Mon 23 Mar 09:00 CET: 7 days, not 6
  const b = zaak('B', '13/100002-26', '2026-03-01T10:00:00Z', [
    ['2026-03-01T10:01:00Z', fase('gemarkeerd', 'contextinformatie')],
    ['2026-03-01T10:02:00Z', uitvraag('u1', VT, '2026-03-27T15:00:00Z')],
    ['2026-03-01T10:03:00Z', uitvraag('u2', HALT, '2026-03-27T15:00:00Z')],
    ['2026-03-01T10:04:00Z', uitvraag('u3', HALT, '2026-03-30T15:00:00Z')],
    ['2026-03-02T09:00:00Z', { type: 'uitvraag.beantwoord', data: { uitvraagId: 'u2', tekst: 'Bekend.', bron: 'Registratie', bekend: 'ja' } }],
  ]);
  const c = zaak('C', '13/100003-26', '2026-02-10T09:00:00Z', [
    ['2026-03-10T09:00:00Z', duiding(['combinatieproblematiek', 'oude_bekenden'])],
    [
      '2026-03-10T10:00:00Z',
      besluit({
        acties: [
          { id: 'a1', wat: 'Huisbezoek bij Jansen', eigenaar: HALT, datum: '2026-03-25', status: 'open' },
          { id: 'a2', wat: 'Gereed', eigenaar: HALT, datum: '2026-03-20', status: 'gereed' },
          { id: 'a3', wat: 'Gesprek', eigenaar: VT, datum: '2026-04-02', status: 'open' },
          { id: 'a4', wat: 'Later', eigenaar: VT, datum: '2026-04-06', status: 'open' },
        ],
        monitoring: ['2026-03-28', '2026-03-30', '2026-04-05'],
      }),
    ],
    ['2026-03-10T10:01:00Z', fase('gemarkeerd', 'monitoring')],
    ['2026-03-28T09:00:00Z', { type: 'monitoring.vastgelegd', data: { datum: '2026-03-28', hermelding: 'ja', hermeldingWat: 'Nieuwe aangifte.', koersPassend: true } }],
  ]);
  const d = zaak('D', '13/100004-26', '2026-02-01T09:00:00Z', [
    ['2026-02-20T09:00:00Z', duiding(['partnerrelatie', 'oude_bekenden'], 'Te oud om mee te tellen')],
    ['2026-03-29T09:00:00Z', duiding(['partnerrelatie'])],
    ['2026-03-29T10:00:00Z', besluit({ afdoening: 'uitstel', plandatum: { op: '2026-04-01T07:00:00Z', reden: 'Wacht op het Veiligheidshuis.' } })],
    ['2026-03-29T10:01:00Z', fase('gemarkeerd', 'besluit')],
  ]);
  const e = zaak('E', '13/100005-26', '2026-01-05T09:00:00Z', [
    ['2026-02-15T09:00:00Z', { type: 'monitoring.vastgelegd', data: { datum: '2026-02-15', hermelding: 'ja', koersPassend: true } }],
    ['2026-03-15T09:00:00Z', duiding(['oude_bekenden'], 'Loverboy-achtig')],
    ['2026-03-15T09:01:00Z', fase('gemarkeerd', 'monitoring')],
    ...sluiten('Vraag de school eerder om informatie.').map((e): [string, NewZaakEvent] => ['2026-03-22T23:30:00Z', e]), // Mon 23 Mar 00:30 local: last week
  ]);
  const f = zaak('F', '13/100006-26', '2026-01-05T09:00:00Z', [
    ['2026-01-06T09:00:00Z', fase('gemarkeerd', 'monitoring')],
    ...sluiten('Te vroeg gesloten om mee te tellen.').map((e): [string, NewZaakEvent] => ['2026-03-22T22:30:00Z', e]), // Sun 22 Mar 23:30 local: the week before
  ]);
  const g = zaak('G', '13/100007-26', '2026-01-05T09:00:00Z', [
    ['2026-01-06T09:00:00Z', fase('gemarkeerd', 'monitoring')],
    ...sluiten('Vandaag gesloten: volgende week.').map((e): [string, NewZaakEvent] => ['2026-03-30T06:30:00Z', e]), // today 08:30 local
  ]);
  return [a, b, c, d, e, f, g];
}

describe('the weekly digest of a team, across the change to summer time', () => {
  const digest = weekDigest(team(), NOW, TZ);

  it('counts the open cases and groups them by phase, oldest first, with their age in calendar days', () => {
    expect(digest.vandaag).toBe('2026-03-30');
    expect(digest.aantalOpen).toBe(4);
    expect(digest.perFase.map((g) => [g.fase, g.zaken.map((z) => [z.reference, z.leeftijdDagen])])).toEqual([
      ['gemarkeerd', [['13/100001-26', 7]]],
      ['contextinformatie', [['13/100002-26', 29]]],
      ['besluit', [['13/100004-26', 57]]],
      ['monitoring', [['13/100003-26', 48]]],
    ]);
    expect(digest.perFase[0]!.zaken[0]!.thread?.rootMessageId).toBe('A');
  });

  it('lists the open prompts past their deadline (not answered ones, not ones still running)', () => {
    expect(digest.verlopenVragen).toEqual([
      expect.objectContaining({ reference: '13/100002-26', organisatie: 'veilig_thuis', deadline: '2026-03-27T15:00:00.000Z', dagenVerlopen: 3 }),
    ]);
  });

  it('lists open actions past their date, with the days late', () => {
    expect(digest.achterstalligeActies).toEqual([expect.objectContaining({ reference: '13/100003-26', datum: '2026-03-25', dagenTeLaat: 5 })]);
  });

  it('lists the follow-ups from today through Sunday: actions, monitoring not yet recorded, the plandatum', () => {
    expect(digest.dezeWeek.map((o) => [o.datum, o.reference, o.soort])).toEqual([
      ['2026-03-30', '13/100003-26', 'monitoring'],
      ['2026-04-01', '13/100004-26', 'plandatum'],
      ['2026-04-02', '13/100003-26', 'actie'],
      ['2026-04-05', '13/100003-26', 'monitoring'],
    ]);
    expect(digest.periode).toEqual({ vorigeWeekVan: '2026-03-23', vorigeWeekTot: '2026-03-29', dezeWeekTot: '2026-04-05', patronenVanaf: '2026-03-02' });
  });

  it('lists the cases closed in the seven local days before today by reference and date, without their leeropbrengst', () => {
    expect(digest.geslotenVorigeWeek.map((g) => [g.reference, g.gesloten])).toEqual([['13/100005-26', '2026-03-23']]);
    expect(JSON.stringify(digest)).not.toContain('Vraag de school eerder om informatie.');
  });

  it('tallies the patterns per case over the last four weeks, and counts the hermeldingen', () => {
    expect(digest.patronen).toEqual([
      { patroon: 'oude_bekenden', aantal: 2 },
      { patroon: 'combinatieproblematiek', aantal: 1 },
      { patroon: 'partnerrelatie', aantal: 1 },
      { patroon: 'anders', aantal: 1 },
    ]);
    expect(digest.hermeldingen).toBe(1);
  });

  it('reads its days anew from local midnight on, and for a moment on an earlier day', () => {
    const dag = (at: string) => {
      const d = weekDigest(team(), new Date(at), TZ);
      return [d.vandaag, d.periode.vorigeWeekVan, d.periode.dezeWeekTot];
    };
    const zondag = ['2026-03-29', '2026-03-22', '2026-04-04'];
    const maandag = ['2026-03-30', '2026-03-23', '2026-04-05'];
    expect(dag('2026-03-29T21:59:59.999Z')).toEqual(zondag); // Sun 23:59:59 CEST
    expect(dag('2026-03-29T22:00:00.000Z')).toEqual(maandag); // Mon 00:00 CEST
    expect(dag('2026-03-29T21:59:59.999Z')).toEqual(zondag);
    expect(dag('2026-03-30T21:59:59.999Z')).toEqual(maandag);
  });

  it('starts a day at its first midnight where clocks go back across midnight (Havana, 1 November 2026, 1:00 → 0:00)', () => {
    const HAVANA = 'America/Havana';
    const gesloten = zaak('H', '13/100008-26', '2026-10-01T12:00:00Z', [
      ['2026-10-02T12:00:00Z', fase('gemarkeerd', 'monitoring')],
      ...sluiten('Gesloten om 0:30, voor de klok terugging.').map((e): [string, NewZaakEvent] => ['2026-11-01T04:30:00Z', e]), // Sun 1 Nov 00:30 CDT
    ]);
    // In the second hour after midnight (00:30 CST): the case closed today, not last week.
    const zondag = weekDigest([gesloten], new Date('2026-11-01T05:30:00Z'), HAVANA);
    expect([zondag.vandaag, zondag.geslotenVorigeWeek]).toEqual(['2026-11-01', []]);
    const maandag = weekDigest([gesloten], new Date('2026-11-02T14:00:00Z'), HAVANA);
    expect(maandag.geslotenVorigeWeek.map((g) => g.gesloten)).toEqual(['2026-11-01']);
  });

  it('counts a week as seven calendar days in autumn too (25 October 2026, 03:00 → 02:00)', () => {
    const a = zaak('A', '13/100001-26', '2026-10-19T07:00:00Z', []); // Mon 19 Oct 09:00 CEST
    const gesloten = zaak('H', '13/100008-26', '2026-09-01T07:00:00Z', [
      ['2026-09-02T07:00:00Z', fase('gemarkeerd', 'monitoring')],
      ...sluiten('Op maandag 19 oktober om 00:30 gesloten.').map((e): [string, NewZaakEvent] => ['2026-10-18T22:30:00Z', e]),
    ]);
    const d = weekDigest([a, gesloten], new Date('2026-10-26T08:00:00Z'), TZ); // Mon 26 Oct 09:00 CET
    expect(d.perFase[0]!.zaken[0]!.leeftijdDagen).toBe(7);
    expect(d.geslotenVorigeWeek.map((g) => g.gesloten)).toEqual(['2026-10-19']);
  });
});

const veiligheid = (nu: 'veilig' | 'onveilig', straks: 'veilig' | 'onveilig'): NewZaakEvent => ({
  type: 'duiding.vastgelegd',
  data: { patronen: [], perspectieven: [], tegenstrijdigheden: 'Tegenstrijdig.', hypothesen: ['Hypothese over Jansen.'], instrumenten: [], veiligheid: [{ betrokkene: 0, nu, straks, toelichting: 'Jansen slaat.' }] },
});
const check = (datum: string, koersPassend: boolean): NewZaakEvent => ({ type: 'monitoring.vastgelegd', data: { datum, hermelding: 'nee', koersPassend, toelichting: 'Jansen verhuist.' } });
const doel = (wanneer: string) => ({ wat: 'Jansen gaat weer naar school.', voorWie: 'Jansen', wanneer });

/** On Monday 30 March 2026 (NOW): which case is te bespreken, and which just not. */
function overleg(): Verdiepingszaak[] {
  return [
    zaak('P', '13/300001-26', '2026-03-27T23:30:00Z', []), // Sat 28 Mar 00:30 local: 2 days, not yet
    zaak('Q', '13/300002-26', '2026-03-27T08:00:00Z', []), // Fri 27 Mar: 3 days
    zaak('R', '13/300003-26', '2026-03-01T08:00:00Z', [['2026-03-02T08:00:00Z', veiligheid('veilig', 'onveilig')], ['2026-03-20T08:00:00Z', veiligheid('veilig', 'veilig')]]),
    zaak('S', '13/300004-26', '2026-03-01T08:00:00Z', [['2026-03-02T08:00:00Z', veiligheid('veilig', 'veilig')], ['2026-03-26T08:00:00Z', veiligheid('onveilig', 'veilig')]]),
    zaak('T', '13/300005-26', '2026-01-01T08:00:00Z', [
      ['2026-01-02T08:00:00Z', veiligheid('veilig', 'veilig')],
      ['2026-01-03T08:00:00Z', besluit({ doelen: [doel('2026-03-29'), doel('2026-04-05'), doel('2026-04-06')], monitoring: ['2026-02-01', '2026-03-01'] })],
      ['2026-02-01T08:00:00Z', check('2026-02-01', false)],
      ['2026-03-01T08:00:00Z', check('2026-03-01', true)],
    ]),
    zaak('U', '13/300006-26', '2026-01-01T08:00:00Z', [
      ['2026-01-02T08:00:00Z', veiligheid('veilig', 'veilig')],
      ['2026-01-03T08:00:00Z', besluit({ doelen: [doel('2026-03-30')], monitoring: ['2026-03-25'] })],
      ['2026-03-25T08:00:00Z', check('2026-03-25', false)],
    ]),
    zaak('W', '13/300007-26', '2026-01-01T08:00:00Z', [
      ['2026-01-02T08:00:00Z', veiligheid('onveilig', 'onveilig')],
      ['2026-01-03T08:00:00Z', besluit({ doelen: [doel('2026-04-01')] })],
      ['2026-01-04T08:00:00Z', check('2026-01-04', false)],
      ...sluiten('Gesloten.').map((e): [string, NewZaakEvent] => ['2026-03-01T08:00:00Z', e]),
    ]),
  ];
}

describe('te bespreken in the verdiepingsoverleg', () => {
  it('lists open cases without a duiding after N local days, onveilig in their latest duiding, niet passend at their latest check, and goals due this week', () => {
    const t = weekDigest(overleg(), NOW, TZ).teBespreken;
    expect(t.duidingDagen).toBe(STANDAARD_DUIDING_DAGEN);
    expect(t.zonderDuiding.map((z) => [z.reference, z.datum, z.dagen])).toEqual([['13/300002-26', '2026-03-27', 3]]);
    expect(t.onveilig.map((z) => [z.reference, z.datum])).toEqual([['13/300004-26', '2026-03-26']]);
    expect(t.nietPassend.map((z) => [z.reference, z.datum])).toEqual([['13/300006-26', '2026-03-25']]);
    expect(t.doelen.map((z) => [z.reference, z.datum])).toEqual([['13/300006-26', '2026-03-30'], ['13/300005-26', '2026-04-05']]);
    expect(t.aantallen).toEqual({ zonderDuiding: 1, onveilig: 1, nietPassend: 1, doelen: 2 });
    expect(weekDigest(overleg(), NOW, TZ, 2).teBespreken.zonderDuiding.map((z) => z.reference)).toEqual(['13/300002-26', '13/300001-26']);
    expect(weekDigest(overleg(), NOW, TZ, 4).teBespreken.aantallen.zonderDuiding).toBe(0);
  });

  it('shows them in the channel as references and dates only, each list counted and cut at MAX_REGELS', () => {
    const veel = Array.from({ length: 20 }, (_, i) => zaak(`V${i}`, `13/4000${String(i).padStart(2, '0')}-26`, '2026-03-01T08:00:00Z', [['2026-03-02T08:00:00Z', veiligheid('onveilig', 'onveilig')]]));
    const d = weekDigest([...overleg(), ...veel], NOW, TZ);
    expect(d.teBespreken.aantallen.onveilig).toBe(21);
    expect(d.teBespreken.onveilig).toHaveLength(MAX_REGELS);
    const t = digestCards(d, { timeZone: TZ, threadUrl: () => '' }).map(text).join('\n');
    expect(t).toContain('Te bespreken in het verdiepingsoverleg: nog geen duiding na 3 dagen (1)');
    expect(t).toContain('13/300002-26 · gemarkeerd vr 27 mrt 2026 (3 dagen geleden)');
    expect(t).toContain('Te bespreken in het verdiepingsoverleg: veiligheid onveilig (21)');
    expect(t).toContain(`en ${21 - MAX_REGELS} meer`);
    expect(t).toContain('13/300006-26 · bij de monitoring van wo 25 mrt 2026');
    expect(t).toContain('zo 5 apr 2026 · 13/300005-26 · doel van het besluit');
    for (const vrij of ['Jansen', 'school', 'slaat', 'verhuist', 'Hypothese']) expect(t).not.toContain(vrij);
    expect(t).not.toContain('13/300007-26');
  });

  it('says in one line that there is nothing to discuss', () => {
    const t = text(digestCards(weekDigest([zaak('P', '13/300001-26', '2026-03-29T08:00:00Z', [])], NOW, TZ), { timeZone: TZ, threadUrl: () => '' })[0]);
    expect(t).toContain('Te bespreken in het verdiepingsoverleg');
    expect(t).toContain('Niets: geen zaak zonder duiding na 3 dagen');
  });
});

describe('the digest as cards', () => {
  const opties = { team: 'ZSM Haarlem', timeZone: TZ, threadUrl: (t?: { rootMessageId: string }) => (t ? `https://teams.microsoft.com/l/message/x/${t.rootMessageId}` : '') };

  it('shows every section with references and counts, links each case to its thread, and names no one', () => {
    const cards = digestCards(weekDigest(team(), NOW, TZ), opties);
    expect(cards).toHaveLength(1);
    const t = text(cards[0]);
    expect(cards[0]!.body).toBeDefined();
    expect(cardProblems(cards[0]!)).toEqual([]);
    for (const ref of ['13/100001-26', '13/100002-26', '13/100003-26', '13/100004-26', '13/100005-26']) expect(t).toContain(ref);
    expect(t).not.toContain('13/100006-26');
    expect(t).not.toContain('13/100007-26');
    expect(t).toContain('[13/100001-26](https://teams.microsoft.com/l/message/x/A)');
    expect(t).toContain('7 dagen oud');
    expect(t).toContain('Veilig Thuis');
    expect(t).toContain('5 dagen te laat');
    expect(t).toContain('Plandatum (uitgesteld besluit)');
    expect(t).toMatch(/\[13\/100005-26\]\([^)]*\) · gesloten ma 23 mrt 2026 · leeropbrengst in het zaakgesprek/);
    expect(t).not.toContain('Vraag de school eerder om informatie.');
    expect(t).toContain('Oude bekenden: 2 zaken');
    expect(t).toContain('1 hermelding of recidive gemeld');
    for (const naam of ['Officier', 'Halt-medewerker', 'Medewerker', 'Jansen', 'Huisbezoek', 'Nieuwe aangifte']) expect(t).not.toContain(naam);
  });

  it('says "geen open verdiepingszaken" in one short card for a team without open cases', () => {
    const cards = digestCards(weekDigest([], NOW, TZ), opties);
    expect(cards).toHaveLength(1);
    expect(text(cards[0])).toContain('Geen open verdiepingszaken');
    expect((cards[0]!.body as unknown[]).length).toBe(2);
  });

  it('fits a busy team in at most three messages: every count, the oldest cases per phase, and how many more there are', () => {
    const vraag = (i: number): NewZaakEvent => ({
      type: 'uitvraag.verstuurd',
      data: { id: `u${i}`, invitee: { id: 'aad-vt', name: 'VT', teamsId: '29:vt' }, organisatie: 'veilig_thuis', vraag: 'Is er een melding?', waarom: 'Nodig voor de duiding.', deadline: '2026-03-20T15:00:00Z' },
    });
    const typen: Verdiepingszaak['types'][] = [['jeugd', 'huiselijk_geweld', 'zeden', 'verward_persoon', 'lvb'], ['lvb']];
    const veel = Array.from({ length: 1000 }, (_, i) =>
      zaak(`Z${i}`, `13/${String(200000 + i)}-26`, new Date(Date.parse('2026-02-01T09:00:00Z') + i * 60_000).toISOString(), i % 2 ? [['2026-02-02T09:00:00Z', fase('gemarkeerd', 'contextinformatie')], ['2026-02-02T09:00:00Z', vraag(i)]] : [], typen[i % 2]),
    );
    const digest = weekDigest(veel, NOW, TZ);
    const cards = digestCards(digest, opties);
    expect(cards.length).toBeLessThanOrEqual(3);
    for (const card of cards) {
      expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
      expect(cardProblems(card)).toEqual([]);
    }
    const alles = cards.map((c) => text(c)).join('\n');
    expect(alles).toContain('1000 open verdiepingszaken op ma 30 mrt 2026 (Jeugd 500 · Huiselijk geweld 500 · Zeden 500 · Verward persoon 500 · LVB (licht verstandelijk beperkt) 1000)');
    expect(alles).toContain('Gemarkeerd (500)');
    expect(alles).toContain('Contextinformatie (500)');
    expect(alles.split(`en ${500 - MAX_REGELS} meer: \`zaken\``).length - 1).toBe(2);
    expect(alles).toContain('Vragen na de deadline nog open (500)');
    expect(alles).toContain('Te bespreken in het verdiepingsoverleg: nog geen duiding na 3 dagen (1000)');
    expect(alles).toContain(`en ${1000 - MAX_REGELS} meer`);
    // The oldest of each phase are shown, each once; the newer ones are only counted.
    const getoond = veel.filter((z) => alles.includes(`[${z.reference}]`)).map((z) => Number(z.id.slice(1)));
    expect(getoond.filter((i) => i % 2 === 0).slice(0, MAX_REGELS)).toEqual(Array.from({ length: MAX_REGELS }, (_, k) => 2 * k));
    expect(alles).not.toContain(`[${veel[998]!.reference}]`);
    // At most in its phase, among those without a duiding, and with its question.
    for (const z of veel) expect(alles.split(`[${z.reference}]`).length - 1).toBeLessThanOrEqual(3);
  });
});

/** Besluiten in the chain's terms and partners who interpret: C and H inside the four weeks, O before them. */
function ketenTeam(): Verdiepingszaak[] {
  const keten = (afdoening: 'voorwaardelijk_sepot' | 'beleidssepot' | 'nog_te_bepalen', ...soorten: ('maatje_wmo' | 'corrigerend_gesprek' | 'agressietraining')[]) =>
    besluit({ afdoening: undefined, vrijheidsbeneming: 'heenzenden', strafrechtelijk: { afdoening }, interventies: soorten.map((soort) => ({ soort, organisatie: soort === 'maatje_wmo' ? 'wijkteam' : soort === 'corrigerend_gesprek' ? 'om' : 'reclassering' })) });
  const antwoord = (uitvraagId: string, duiding?: string): NewZaakEvent => ({ type: 'uitvraag.beantwoord', data: { uitvraagId, tekst: 'Bekend bij ons.', bron: 'Registratie', bekend: 'ja', ...(duiding ? { duiding } : {}) } });
  const c = zaak('KC', '13/490001-26', '2026-03-01T09:00:00Z', [
    ['2026-03-01T09:01:00Z', uitvraag('u1', VT, '2026-03-05T15:00:00Z')],
    ['2026-03-02T09:00:00Z', antwoord('u1', 'Vanuit Veilig Thuis zien we een patroon van oplopende spanning.')],
    ['2026-03-10T09:00:00Z', duiding(['partnerrelatie'])],
    ['2026-03-10T10:00:00Z', keten('voorwaardelijk_sepot', 'maatje_wmo', 'corrigerend_gesprek')],
  ]);
  const h = zaak('KH', '13/490002-26', '2026-03-01T09:00:00Z', [
    ['2026-03-01T09:01:00Z', uitvraag('u1', VT, '2026-03-05T15:00:00Z')],
    ['2026-03-01T09:02:00Z', uitvraag('u2', HALT, '2026-03-05T15:00:00Z')],
    ['2026-03-03T09:00:00Z', antwoord('u1', 'Bij ons bekend; de moeder vraagt zelf om hulp.')],
    ['2026-03-03T09:01:00Z', antwoord('u2')],
    ['2026-03-20T10:00:00Z', keten('nog_te_bepalen', 'maatje_wmo')],
  ]);
  const o = zaak('KO', '13/490003-26', '2026-01-05T09:00:00Z', [
    ['2026-01-05T09:01:00Z', uitvraag('u1', HALT, '2026-01-06T15:00:00Z')],
    ['2026-01-06T09:00:00Z', antwoord('u1', 'Te oud om mee te tellen.')],
    ['2026-02-20T10:00:00Z', keten('beleidssepot', 'agressietraining')],
  ]);
  return [c, h, o];
}

describe('besluiten and partner duidingen in the digest', () => {
  it('counts per strafrechtelijke afdoening and per intervention of the besluiten of the last four weeks, and the partners who gave their own duiding', () => {
    const digest = weekDigest(ketenTeam(), NOW, TZ);
    expect(digest.besluiten).toEqual({
      afdoeningen: [{ afdoening: 'voorwaardelijk_sepot', aantal: 1 }],
      interventies: [
        { soort: 'maatje_wmo', aantal: 2 },
        { soort: 'corrigerend_gesprek', aantal: 1 },
      ],
    });
    expect(digest.partnerduidingen).toEqual([{ organisatie: 'veilig_thuis', aantal: 2 }]);
  });

  it('shows them in the channel as catalogue names and counts, without the words of any duiding', () => {
    const t = digestCards(weekDigest(ketenTeam(), NOW, TZ), { timeZone: TZ, threadUrl: () => '' }).map(text).join('\n');
    expect(t).toContain('Besluiten sinds ma 2 mrt 2026');
    expect(t).toContain('Voorwaardelijk sepot: 1 zaak');
    expect(t).toContain('WMO-maatje (Gemeente / wijkteam / WMO): 2 zaken');
    expect(t).toContain('Corrigerend gesprek (OM): 1 zaak');
    expect(t).not.toContain('Agressietraining');
    expect(t).toContain('Partners die meeduidden sinds ma 2 mrt 2026');
    expect(t).toContain('Veilig Thuis: 2 zaken');
    for (const woorden of ['oplopende spanning', 'vraagt zelf om hulp', 'Te oud']) expect(t).not.toContain(woorden);
  });
});

describe('the digest read from the store', () => {
  it('is the digest of the same cases in memory: the same counts, lines and order, for a small team and a busy one', async () => {
    const vraag = (i: number): NewZaakEvent => ({
      type: 'uitvraag.verstuurd',
      data: { id: `u${i}`, invitee: VT, organisatie: 'veilig_thuis', vraag: 'Is er een melding?', waarom: 'Nodig.', deadline: `2026-03-${String(10 + (i % 20)).padStart(2, '0')}T15:00:00Z` },
    });
    const veel = Array.from({ length: 300 }, (_, i) =>
      zaak(`Z${i}`, `13/${String(200000 + i)}-26`, '2026-02-01T09:00:00Z', [
        ['2026-02-02T09:00:00Z', vraag(i)],
        ['2026-03-29T09:00:00Z', duiding(i % 3 ? ['oude_bekenden'] : ['partnerrelatie'])],
        ['2026-03-29T10:00:00Z', besluit({ acties: [{ id: 'a', wat: 'Actie', eigenaar: HALT, datum: `2026-03-${String(20 + (i % 12)).padStart(2, '0')}`, status: 'open' }], monitoring: ['2026-04-01'] })],
      ]),
    );
    for (const zaken of [team(), overleg(), ketenTeam(), [...team(), ...overleg(), ...ketenTeam(), ...veel]]) {
      const store = new SqliteStore(':memory:');
      for (const z of zaken) await store.createCase(z, []);
      expect(weekDigestUit(await leesDigestBron(store, 't1', NOW, TZ), NOW, TZ)).toEqual(weekDigest(zaken, NOW, TZ));
      expect(weekDigestUit(await leesDigestBron(store, 't1', NOW, TZ, 2), NOW, TZ)).toEqual(weekDigest(zaken, NOW, TZ, 2));
      await store.close();
    }
  });
});

describe('the digest schedule', () => {
  it('reads a Dutch day and time into a cron line, and refuses what it cannot read', () => {
    expect(leesSchema('maandag 08:30', TZ)).toEqual({ cron: '30 8 * * 1' });
    expect(leesSchema('Vr 16.00', TZ)).toEqual({ cron: '0 16 * * 5' });
    expect(leesSchema('zondag om 9 uur', TZ)).toEqual({ cron: '0 9 * * 0' });
    expect(leesSchema('30 8 * * 2', TZ)).toEqual({ cron: '30 8 * * 2' });
    expect(leesSchema('maandag 25:00', TZ)).toEqual({ fout: expect.stringContaining('geen tijd') });
    expect(leesSchema('moandag 08:30', TZ)).toEqual({ fout: expect.stringContaining('geen dag') });
    expect(leesSchema('70 8 * * 1', TZ)).toEqual({ fout: expect.stringContaining('geen geldig schema') });
    expect(leesSchema('* * * * *', TZ)).toEqual({ fout: expect.stringContaining('één keer per dag') });
    expect(beschrijfSchema('30 8 * * 1')).toBe('elke maandag om 08:30');
  });

  it('gives the next moment in local time, right across both daylight-saving changes', () => {
    expect(volgendeDigest('0 9 * * 1', TZ, new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(volgendeDigest('0 9 * * 1', TZ, new Date('2026-03-20T12:00:00Z'))?.toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect(volgendeDigest('30 8 * * 1', TZ, new Date('2026-10-24T12:00:00Z'))?.toISOString()).toBe('2026-10-26T07:30:00.000Z');
    expect(volgendeDigest('0 9 * * 1', 'America/New_York', new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-30T13:00:00.000Z');
  });

  it('knows a moment planned under an older schedule, and falls back to the default for an unreadable one', () => {
    expect(isDigestMoment('0 9 * * 1', TZ, new Date('2026-03-30T07:00:00Z'))).toBe(true);
    expect(isDigestMoment('30 8 * * 1', TZ, new Date('2026-03-30T07:00:00Z'))).toBe(false);
    expect(volgendeTeamDigest('kapot', '0 9 * * 1', TZ, new Date('2026-03-28T12:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('gives each team and occurrence one job id', () => {
    const a = digestJob('t1', new Date('2026-03-30T07:00:00Z'), '2026-03-28T12:00:00.000Z');
    const b = digestJob('t1', new Date('2026-03-30T07:00:00Z'), '2026-03-29T12:00:00.000Z');
    expect(a.id).toBe(b.id);
    expect(a).toMatchObject({ kind: 'digest', caseId: '', status: 'gepland', dueAt: '2026-03-30T07:00:00.000Z' });
    expect(digestJob('t2', new Date('2026-03-30T07:00:00Z'), '').id).not.toBe(a.id);
  });
});
