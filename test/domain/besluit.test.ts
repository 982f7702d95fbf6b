import { afsluitingSamenvattingCard } from '../../cards/afsluiting-form';
import { describe, expect, it } from 'vitest';
import {
  besluitPlanning,
  doelHint,
  eigenaren,
  isAlgemeen,
  magBeslissen,
  opvolgmoment,
  recordBesluit,
  standaardMonitoring,
  validateBesluit,
  type BesluitContext,
  type BesluitInvoer,
} from '../../src/domain/besluit';
import { heropenFase, recordHeropening, recordSluiting, validateAfsluiting } from '../../src/domain/afsluiting';
import { besluitKeten, besluitVoorstel, magAfdoening, ONBEKENDE_UITVOERDER, readBesluit, STRAFRECHTELIJKE_AFDOENINGEN } from '../../src/domain/besluit';
import type { Afdoening, Strafafdoening, Vrijheidsbeneming } from '../../src/domain/catalogue';
import { plannedJobs } from '../../src/domain/planning';
import { zoekLid } from '../../src/domain/teamlid';
import { DomainError, record, VerouderdeInvoer, type Actor, type Besluit, type Lid, type NewZaakEvent, type Verdiepingszaak } from '../../src/domain/zaak';

const LEAD: Actor = { id: 'aad-lead', name: 'Casusregisseur Jansen' };
const WIJKAGENT: Lid = { id: 'aad-wijk', name: 'Wijkagent De Boer', teamsId: '29:wijk' };
const WIJKTEAM: Lid = { id: 'aad-wt', name: 'Wijkteam Smit', teamsId: '29:wt' };
const ids = { teamId: 'team-1', caseId: 'zaak-1' };
const TZ = 'Europe/Amsterdam';
const policy = { timeZone: TZ, reminderBeforeMs: 30 * 60_000 };

const DUIDING: NewZaakEvent = {
  type: 'duiding.vastgelegd',
  data: { patronen: ['combinatieproblematiek'], perspectieven: [], tegenstrijdigheden: '', hypothesen: ['Het netwerk is weggevallen; met een maatje stopt het stelen.'], instrumenten: [], veiligheid: [{ betrokkene: 0, nu: 'zorgelijk', straks: 'veilig' }] },
};

function zaakMet(now: string, ...changes: NewZaakEvent[]): Verdiepingszaak {
  const gemarkeerd = record(undefined, ids, LEAD, new Date(now), [
    { type: 'zaak.gemarkeerd', data: { reference: '13/123456-26', types: ['lvb'], signaal: 'Man (61) stal drie blikjes cola.', betrokkenen: [{ rol: 'verdachte', leeftijd: '23-64' }] } },
  ]).zaak;
  return changes.length ? record(gemarkeerd, ids, LEAD, new Date(now), changes).zaak : gemarkeerd;
}

function ctx(now: string, extra: Partial<BesluitContext> = {}): BesluitContext {
  let n = 0;
  return { now: new Date(now), timeZone: TZ, monitoringDagen: [42, 91], leden: [WIJKAGENT, WIJKTEAM], newId: () => `actie-${++n}`, ...extra };
}

const invoer: BesluitInvoer = {
  vrijheidsbeneming: 'heenzenden',
  strafrechtelijk: 'beleidssepot',
  afdoeningToelichting: '',
  interventies: [
    { soort: 'maatje_wmo', organisatie: '', toelichting: 'Ouderenmaatje' },
    { soort: 'huisbezoek_wijkagent', organisatie: '', toelichting: '' },
    { soort: '', organisatie: '', toelichting: '' },
  ],
  zorg: 'WMO-ouderenmaatje; wijkteam twee keer per week.',
  waaromMix: 'Straf helpt niet tegen een weggevallen netwerk; zorg wel.',
  tijdstrategie: 'versnellen',
  tijdstrategieReden: 'Hij eet nu al niet goed.',
  doelen: [{ wat: 'Hij heeft een ouderenmaatje dat twee keer per week met hem boodschappen doet', voorWie: 'Verdachte (61)', wanneer: '2026-11-15', bevestigd: false }],
  acties: [
    { id: '', wat: 'Huisbezoek met ouderenwerker', eigenaar: WIJKAGENT.teamsId, naam: '', datum: '2026-10-23' },
    { id: '', wat: 'Maatje aanvragen via WMO', eigenaar: WIJKTEAM.teamsId, naam: '', datum: '2026-10-27' },
    { id: '', wat: '', eigenaar: '', naam: '', datum: '' },
  ],
  monitoring: ['', ''],
  plandatum: '',
  plandatumReden: '',
};

describe('the generic-goal detector', () => {
  it.each(['hulp op gang brengen', 'Veiligheid versterken.', 'gesprek voeren', 'Zorg en hulp inzetten', 'de situatie stabiliseren'])('flags "%s"', (wat) => {
    expect(isAlgemeen(wat)).toBe(true);
    expect(doelHint({ wat, voorWie: 'Moeder', wanneer: '2026-12-01' })).toContain('algemene formulering');
  });

  it.each(['Hij gaat vanaf 1 december vier dagen per week naar dagbesteding', 'Zoon woont bij zijn oom en gaat weer naar school', 'Geen hermelding van huiselijk geweld binnen drie maanden'])('accepts "%s"', (wat) => {
    expect(isAlgemeen(wat)).toBe(false);
    expect(doelHint({ wat, voorWie: 'Jongen (15)', wanneer: '2026-12-01' })).toBeUndefined();
  });

  it('flags a goal without "for whom" or "by when"', () => {
    expect(doelHint({ wat: 'Hij gaat naar dagbesteding', voorWie: '', wanneer: '2026-12-01' })).toContain('Voor wie');
    expect(doelHint({ wat: 'Hij gaat naar dagbesteding', voorWie: 'Jongen', wanneer: '' })).toContain('Wanneer');
  });
});

describe('validating a besluit', () => {
  it('accepts a besluit, picks owners from the team and fills in the default monitoring dates', () => {
    const result = validateBesluit(invoer, ctx('2026-10-20T12:00:00Z'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.acties.map((a) => [a.id, a.eigenaar.name, a.datum, a.status])).toEqual([
      ['actie-1', WIJKAGENT.name, '2026-10-23', 'open'],
      ['actie-2', WIJKTEAM.name, '2026-10-27', 'open'],
    ]);
    expect(result.value.monitoring).toEqual(['2026-12-01', '2027-01-19']);
  });

  it('flags a generic goal and accepts it once confirmed', () => {
    const generiek = { ...invoer, doelen: [{ wat: 'Hulp op gang brengen', voorWie: 'Verdachte', wanneer: '2026-11-15', bevestigd: false }] };
    const flagged = validateBesluit(generiek, ctx('2026-10-20T12:00:00Z'));
    expect(flagged.ok).toBe(false);
    if (flagged.ok) return;
    expect(flagged.teBevestigen).toEqual([0]);
    expect(flagged.errors.doel_0).toContain('algemene formulering');
    const confirmed = validateBesluit({ ...generiek, doelen: [{ ...generiek.doelen[0]!, bevestigd: true }] }, ctx('2026-10-20T12:00:00Z'));
    expect(confirmed.ok && confirmed.value.doelen[0]).toEqual({ wat: 'Hulp op gang brengen', voorWie: 'Verdachte', wanneer: '2026-11-15', algemeenBevestigd: true });
  });

  it('refuses an owner who is not in the team, dates in the past, a missing reason for the time strategy', () => {
    const result = validateBesluit(
      { ...invoer, tijdstrategieReden: '', acties: [{ id: '', wat: 'Iets', eigenaar: '29:vreemde', naam: '', datum: '2026-10-23' }, { id: '', wat: 'Iets anders', eigenaar: WIJKTEAM.teamsId, naam: '', datum: '2026-10-01' }] },
      ctx('2026-10-20T12:00:00Z'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.actie_0).toContain('lid van het team');
    expect(result.errors.actie_1).toContain('verleden');
    expect(result.errors.tijdstrategie).toContain('Waarom versnellen');
  });

  it('postpones with vertragen and a plandatum (no afdoening needed), asks for date and reason, and refuses a plandatum with another tijdstrategie', () => {
    const leeg = { ...invoer, vrijheidsbeneming: '', strafrechtelijk: '', interventies: [], zorg: '', waaromMix: '', doelen: [], acties: [], tijdstrategie: 'vertragen', tijdstrategieReden: 'Eerst het VHH-overleg.' };
    const uitstel = validateBesluit({ ...leeg, plandatumReden: 'Wachten op het VHH-overleg.' }, ctx('2026-10-20T12:00:00Z'));
    expect(!uitstel.ok && uitstel.errors.plandatum).toContain('Kies de plandatum');
    const zonderReden = validateBesluit({ ...leeg, plandatum: '2026-10-30' }, ctx('2026-10-20T12:00:00Z'));
    expect(!zonderReden.ok && zonderReden.errors.plandatum).toContain('Waarop wachten we');
    const ok = validateBesluit({ ...leeg, plandatum: '2026-10-30', plandatumReden: 'Wachten op het VHH-overleg.' }, ctx('2026-10-20T12:00:00Z'));
    expect(ok.ok && ok.value.plandatum).toEqual({ op: '2026-10-30T08:00:00.000Z', reden: 'Wachten op het VHH-overleg.' });
    expect(ok.ok && [ok.value.vrijheidsbeneming, ok.value.strafrechtelijk, ok.value.interventies]).toEqual(['nvt', { afdoening: 'nog_te_bepalen' }, []]);
    expect(ok.ok && ok.value.monitoring).toEqual([]);
    expect(ok.ok && recordBesluit(zaakMet('2026-10-20T12:00:00Z', DUIDING), ok.value).at(-1)).toMatchObject({ type: 'zaak.fase_gewijzigd', data: { naar: 'besluit' } });
    const verkeerd = validateBesluit({ ...invoer, plandatum: '2026-10-30', plandatumReden: 'Wachten.' }, ctx('2026-10-20T12:00:00Z'));
    expect(!verkeerd.ok && verkeerd.errors.plandatum).toContain('hoort bij vertragen');
    // Without a plandatum the besluit needs its vrijheidsbeneming and strafrechtelijke afdoening (or "nog te bepalen").
    const zonder = validateBesluit({ ...invoer, vrijheidsbeneming: '', strafrechtelijk: '' }, ctx('2026-10-20T12:00:00Z'));
    expect(!zonder.ok && [zonder.errors.vrijheidsbeneming, zonder.errors.strafrechtelijk]).toEqual(['Kies de vrijheidsbeneming, of "niet van toepassing".', 'Kies de strafrechtelijke afdoening, of "nog te bepalen".']);
  });

  it('records several interventies, each with its partner (the usual one when left empty), and checks each', () => {
    const ok = validateBesluit({ ...invoer, interventies: [...invoer.interventies, { soort: 'voorlopige_voogdij', organisatie: 'gi_wsg', toelichting: '' }, { soort: 'maatje_wmo', organisatie: 'wijkteam', toelichting: '' }] }, ctx('2026-10-20T12:00:00Z'));
    expect(ok.ok && ok.value.interventies).toEqual([
      { soort: 'maatje_wmo', organisatie: 'wijkteam', toelichting: 'Ouderenmaatje' },
      { soort: 'huisbezoek_wijkagent', organisatie: 'politie' },
      { soort: 'voorlopige_voogdij', organisatie: 'gi_wsg' },
    ]);
    expect(ok.ok && ok.value.strafrechtelijk).toEqual({ afdoening: 'beleidssepot' });
    const fout = (soort: string, organisatie = '', toelichting = '') => {
      const r = validateBesluit({ ...invoer, interventies: [{ soort, organisatie, toelichting }] }, ctx('2026-10-20T12:00:00Z'));
      return !r.ok && r.errors.interventies;
    };
    expect(fout('anders')).toBe('Beschrijf de andere interventie.');
    expect(fout('bestaat_niet')).toBe('Kies de interventie uit de lijst.');
    expect(fout('contactverbod', 'interpol')).toBe('Kies de organisatie die de interventie uitvoert.');
    expect(fout('anders', '', 'Gesprek met de imam, door de wijkagent')).toBe(false);
  });

  it('reads the form\'s multi-select (usual partner, or soort:organisatie) and the other intervention in words', () => {
    const read = readBesluit({ caseId: 'zaak-1', interventies: 'contactverbod,voorlopige_voogdij:gi_wsg', interventie_anders: 'Gesprek met de imam' })!;
    const ok = validateBesluit({ ...invoer, interventies: read.invoer.interventies }, ctx('2026-10-20T12:00:00Z'));
    expect(ok.ok && ok.value.interventies).toEqual([
      { soort: 'contactverbod', organisatie: 'om' },
      { soort: 'voorlopige_voogdij', organisatie: 'gi_wsg' },
      { soort: 'anders', organisatie: 'anders', toelichting: 'Gesprek met de imam' },
    ]);
  });

  it('asks for the voorwaarden of a voorwaardelijk sepot and the text of "anders"; care may be the interventies alone', () => {
    const zonder = validateBesluit({ ...invoer, strafrechtelijk: 'voorwaardelijk_sepot' }, ctx('2026-10-20T12:00:00Z'));
    expect(!zonder.ok && zonder.errors.afdoeningToelichting).toBe('Welke voorwaarden horen bij het sepot?');
    const anders = validateBesluit({ ...invoer, strafrechtelijk: 'anders' }, ctx('2026-10-20T12:00:00Z'));
    expect(!anders.ok && anders.errors.afdoeningToelichting).toBe('Beschrijf de afdoening.');
    const met = validateBesluit({ ...invoer, strafrechtelijk: 'voorwaardelijk_sepot', afdoeningToelichting: 'Contactverbod met de buurvrouw', zorg: '' }, ctx('2026-10-20T12:00:00Z'));
    expect(met.ok && met.value.strafrechtelijk).toEqual({ afdoening: 'voorwaardelijk_sepot', toelichting: 'Contactverbod met de buurvrouw' });
    const geenZorg = validateBesluit({ ...invoer, interventies: [], zorg: '' }, ctx('2026-10-20T12:00:00Z'));
    expect(!geenZorg.ok && geenZorg.errors.zorg).toContain('Welke zorg');
  });

  it('finds an owner in a big team by a typed name, and says when the name is ambiguous or unknown', () => {
    const leden = [WIJKAGENT, WIJKTEAM, { id: 'aad-oz', name: 'Jeugdzorgwerker Özdemir', teamsId: '29:oz' }];
    expect(zoekLid(leden, 'ozdemir')).toEqual({ lid: leden[2] });
    expect(zoekLid(leden, 'wijkteam smit')).toEqual({ lid: WIJKTEAM });
    expect(zoekLid(leden, 'wijk')).toEqual({ fout: 'Meerdere teamleden passen bij "wijk": Wijkagent De Boer, Wijkteam Smit. Typ meer van de naam.' });
    expect(zoekLid(leden, 'Jansen')).toEqual({ fout: 'Geen teamlid gevonden met "Jansen" in de naam.' });
    const result = validateBesluit({ ...invoer, acties: [{ id: '', wat: 'Gesprek met school', eigenaar: WIJKAGENT.id, naam: 'özdemir', datum: '2026-10-23' }] }, ctx('2026-10-20T12:00:00Z', { leden }));
    expect(result.ok && result.value.acties[0]!.eigenaar.name).toBe('Jeugdzorgwerker Özdemir');
  });

  it('takes an action carried out by a partner organisation, with a team member accountable for it', () => {
    const extern = (organisatie: string, eigenaar = WIJKAGENT.teamsId) => validateBesluit({ ...invoer, acties: [{ id: '', wat: 'Gezinsvoogd bespreekt het plan met moeder', eigenaar, naam: '', datum: '2026-10-23', organisatie }] }, ctx('2026-10-20T12:00:00Z'));
    const ok = extern('gezinsvoogd');
    expect(ok.ok && ok.value.acties[0]).toMatchObject({ organisatie: 'gi_wsg', eigenaar: WIJKAGENT });
    for (const [getypt, partner] of [['Wijkagent', 'politie'], ['team  mensenhandel', 'politie'], ['GI / WSG (gezinsvoogd)', 'gi_wsg'], ['halt', 'halt']] as const) {
      const r = extern(getypt);
      expect(r.ok && r.value.acties[0]!.organisatie, getypt).toBe(partner);
    }
    expect(extern('de buurman')).toMatchObject({ ok: false, errors: { actie_0: ONBEKENDE_UITVOERDER } });
    expect(extern('anders')).toMatchObject({ ok: false, errors: { actie_0: ONBEKENDE_UITVOERDER } });
    expect(extern('gezinsvoogd', '')).toMatchObject({ ok: false, errors: { actie_0: 'Kies het teamlid dat verantwoordelijk is voor deze actie van GI / WSG (gezinsvoogd).' } });
    // Without an organisation the team member carries it out, as before.
    const eigen = validateBesluit(invoer, ctx('2026-10-20T12:00:00Z'));
    expect(eigen.ok && eigen.value.acties[0]!.organisatie).toBeUndefined();
    expect(readBesluit({ caseId: 'zaak-1', acties: 1, actie_0_wat: 'x', actie_0_organisatie: 'politie' })?.invoer.acties[0]!.organisatie).toBe('politie');
  });

  it('keeps the id and state of an action from the previous besluit', () => {
    const first = validateBesluit(invoer, ctx('2026-10-20T12:00:00Z'));
    if (!first.ok) throw new Error('invalid');
    const vorige = { ...first.value, acties: first.value.acties.map((a, i) => (i === 0 ? { ...a, status: 'gereed' as const } : a)), versie: 1, door: LEAD, op: '2026-10-20T12:00:00Z' };
    const revised = validateBesluit({ ...invoer, acties: [{ id: 'actie-1', wat: 'Huisbezoek met ouderenwerker', eigenaar: WIJKAGENT.teamsId, naam: '', datum: '2026-10-23' }] }, ctx('2026-10-25T12:00:00Z', { vorige }));
    expect(revised.ok && revised.value.acties.map((a) => [a.id, a.status])).toEqual([['actie-1', 'gereed']]);
  });
});

describe('recording a besluit', () => {
  it('needs a duiding first', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z');
    const ok = validateBesluit(invoer, ctx('2026-10-20T12:00:00Z'));
    if (!ok.ok) throw new Error('invalid');
    expect(() => recordBesluit(zaak, ok.value)).toThrow(/Leg eerst de duiding vast/);
  });

  it('moves the case through besluit to monitoring, or to besluit with uitstel', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z', DUIDING, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'duiding' } });
    const ok = validateBesluit(invoer, ctx('2026-10-20T12:00:00Z'));
    if (!ok.ok) throw new Error('invalid');
    const events = recordBesluit(zaak, ok.value);
    expect(events.filter((e) => e.type === 'zaak.fase_gewijzigd').map((e) => e.data)).toEqual([
      { van: 'duiding', naar: 'besluit' },
      { van: 'besluit', naar: 'monitoring' },
    ]);
    expect(record(zaak, ids, LEAD, new Date('2026-10-20T12:00:00Z'), events).zaak.fase).toBe('monitoring');
    const uitstel = recordBesluit(zaak, { ...ok.value, afdoening: 'uitstel', plandatum: { op: '2026-10-30T08:00:00.000Z', reden: 'VHH' } });
    expect(uitstel.filter((e) => e.type === 'zaak.fase_gewijzigd').map((e) => e.data)).toEqual([{ van: 'duiding', naar: 'besluit' }]);
  });

  it('mentions each owner once', () => {
    const ok = validateBesluit({ ...invoer, acties: [...invoer.acties, { id: '', wat: 'Nog een bezoek', eigenaar: WIJKAGENT.teamsId, naam: '', datum: '2026-11-02' }] }, ctx('2026-10-20T12:00:00Z'));
    if (!ok.ok) throw new Error('invalid');
    expect(eigenaren(ok.value).map((l) => l.name)).toEqual([WIJKAGENT.name, WIJKTEAM.name]);
  });

  it('refuses a save based on an older besluit, saying who recorded the newer one and when, and accepts it on the newest', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z', DUIDING, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'duiding' } });
    const ok = validateBesluit(invoer, ctx('2026-10-20T12:00:00Z'));
    if (!ok.ok) throw new Error('invalid');
    const basis = (versie: number, now = '2026-10-20T13:30:00Z') => ({ versie, timeZone: TZ, now: new Date(now) });
    const OVJ: Actor = { id: 'aad-ovj', name: 'Officier Bakker' };
    // Both opened the form on "no besluit yet" (versie 0); the officier saves first, at 14:05 Amsterdam time.
    const eerste = record(zaak, ids, OVJ, new Date('2026-10-20T12:05:00Z'), recordBesluit(zaak, ok.value, basis(0))).zaak;
    const stale = (() => {
      try {
        recordBesluit(eerste, { ...ok.value, zorg: 'Andere zorg' }, basis(0));
      } catch (err) {
        return err;
      }
    })();
    expect(stale).toBeInstanceOf(VerouderdeInvoer);
    expect(stale).toBeInstanceOf(DomainError);
    expect((stale as VerouderdeInvoer).userMessage).toBe('Intussen heeft Officier Bakker een nieuw besluit vastgelegd (versie 1) om 14:05; bekijk dat en sla opnieuw op.');
    expect((stale as VerouderdeInvoer).versie).toBe(1);
    expect(() => recordBesluit(eerste, ok.value, basis(0, '2026-10-22T09:00:00Z'))).toThrow('(versie 1) op 20 oktober om 14:05;');
    expect(recordBesluit(eerste, ok.value, basis(1))[0]).toMatchObject({ type: 'besluit.vastgelegd' });
  });

  it('reads the version the form was opened on, and none from a form that did not say', () => {
    expect(readBesluit({ caseId: 'zaak-1', basisVersie: '2' })?.basisVersie).toBe(2);
    expect(readBesluit({ caseId: 'zaak-1' })?.basisVersie).toBeUndefined();
    expect(readBesluit({ caseId: 'zaak-1', basisVersie: '-1' })).toBeUndefined();
  });

  it('lets the case lead and the officieren record it, nobody else', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z');
    expect(magBeslissen(zaak, ['aad-lead', '29:lead'], [])).toBe(true);
    expect(magBeslissen(zaak, ['aad-ovj', '29:ovj'], ['29:ovj'])).toBe(true);
    expect(magBeslissen(zaak, ['aad-wijk', '29:wijk'], ['29:ovj'])).toBe(false);
  });
});

describe('planning follow-ups at 09:00 Amsterdam time', () => {
  it('is right on both sides of the end of summer time (25 October 2026)', () => {
    expect(opvolgmoment('2026-10-23', TZ).toISOString()).toBe('2026-10-23T07:00:00.000Z');
    expect(opvolgmoment('2026-10-27', TZ).toISOString()).toBe('2026-10-27T08:00:00.000Z');
    expect(opvolgmoment('2027-03-30', TZ).toISOString()).toBe('2027-03-30T07:00:00.000Z');
  });

  it('defaults the monitoring dates from the day of the besluit in the team\'s time zone', () => {
    // 23:30 UTC on 20 October is already 21 October in Amsterdam.
    expect(standaardMonitoring(new Date('2026-10-20T23:30:00Z'), TZ, [42, 91])).toEqual(['2026-12-02', '2027-01-20']);
  });

  it('stores a job per open action, per monitoring date and for the plandatum', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z', DUIDING);
    const ok = validateBesluit(invoer, ctx('2026-10-20T12:00:00Z'));
    if (!ok.ok) throw new Error('invalid');
    const { zaak: after, events } = record(zaak, ids, LEAD, new Date('2026-10-20T12:00:00Z'), recordBesluit(zaak, ok.value));
    const jobs = plannedJobs(after, events, policy);
    expect(jobs.map((j) => [j.kind, j.ref, j.dueAt])).toEqual([
      ['actie.vervaldatum', 'actie-1', '2026-10-23T07:00:00.000Z'],
      ['actie.vervaldatum', 'actie-2', '2026-10-27T08:00:00.000Z'],
      ['monitoring', '2026-12-01', '2026-12-01T08:00:00.000Z'],
      ['monitoring', '2027-01-19', '2027-01-19T08:00:00.000Z'],
    ]);
    const plan = besluitPlanning(after, { ...events[0]!, type: 'besluit.vastgelegd', data: { ...ok.value, acties: [], monitoring: [], plandatum: { op: '2026-10-30T08:00:00.000Z', reden: 'VHH' } } } as never, policy);
    expect(plan.map((j) => [j.kind, j.ref, j.dueAt])).toEqual([['plandatum', '2026-10-30', '2026-10-30T08:00:00.000Z']]);
  });
});

describe('closing and reopening', () => {
  it('asks for the leeropbrengst and the outcome', () => {
    const result = validateAfsluiting({ stopreden: '', leeropbrengst: 'Kort', vergelijking: '', uitkomst: '' });
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(['leeropbrengst', 'stopreden', 'uitkomst']);
  });

  it('records why the verdieping stops; a case closed before stop reasons still reads', () => {
    const invoer = { stopreden: 'geen_meerwaarde', leeropbrengst: 'Netwerk in beeld brengen werkt beter dan straf.', vergelijking: '', uitkomst: 'Geen hermelding.' };
    expect(validateAfsluiting(invoer)).toMatchObject({ ok: true, value: { stopreden: 'geen_meerwaarde' } });
    expect(validateAfsluiting({ ...invoer, stopreden: 'toString' }).ok).toBe(false);
    const zaak = zaakMet('2026-10-20T12:00:00Z', DUIDING);
    const oud = record(zaak, ids, LEAD, new Date('2026-12-01T12:00:00Z'), recordSluiting(zaak, { leeropbrengst: invoer.leeropbrengst, uitkomst: invoer.uitkomst })).zaak;
    expect(oud.afsluiting?.stopreden).toBeUndefined();
    expect(JSON.stringify(afsluitingSamenvattingCard(oud, 'Europe/Amsterdam'))).not.toContain('Gestopt omdat');
    const nieuw = record(zaak, ids, LEAD, new Date('2026-12-01T12:00:00Z'), recordSluiting(zaak, { stopreden: 'overgedragen', leeropbrengst: invoer.leeropbrengst, uitkomst: invoer.uitkomst })).zaak;
    expect(JSON.stringify(afsluitingSamenvattingCard(nieuw, 'Europe/Amsterdam'))).toContain('Overgedragen aan reguliere zorg of een ander overleg');
  });

  it('closes and reopens in the phase the case had', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z', DUIDING, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'monitoring' } });
    const closed = record(zaak, ids, LEAD, new Date('2026-12-01T12:00:00Z'), recordSluiting(zaak, { leeropbrengst: 'Netwerk in beeld brengen werkt beter dan straf.', uitkomst: 'Geen hermelding.' })).zaak;
    expect(closed.fase).toBe('gesloten');
    expect(closed.afsluiting?.leeropbrengst).toContain('Netwerk');
    expect(heropenFase(closed)).toBe('monitoring');
    expect(() => recordHeropening(closed, 'kort')).toThrow(/ten minste/);
    const reopened = record(closed, ids, LEAD, new Date('2026-12-05T12:00:00Z'), recordHeropening(closed, 'Hermelding: weer gestolen bij de supermarkt.')).zaak;
    expect(reopened.fase).toBe('monitoring');
    expect(reopened.heropeningen.map((h) => h.reden)).toEqual(['Hermelding: weer gestolen bij de supermarkt.']);
    expect(() => recordSluiting(closed, { leeropbrengst: 'x'.repeat(30), uitkomst: 'klaar' })).toThrow(/al gesloten/);
  });

  it('refuses to close on a form opened before the case changed, and says what changed', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z', DUIDING, { type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'monitoring' } });
    const data = { leeropbrengst: 'Netwerk in beeld brengen werkt beter dan straf.', uitkomst: 'Geen hermelding.' };
    const basis = { versie: zaak.version, timeZone: TZ, now: new Date('2026-12-01T15:00:00Z') };
    const VT: Actor = { id: 'aad-vt', name: 'Medewerker Veilig Thuis' };
    const later = record(zaak, ids, VT, new Date('2026-12-01T13:05:00Z'), [{ type: 'principe.vastgelegd', data: { stap: 4, status: 'nvt', antwoorden: {}, reden: 'Veilig volgens de laatste melding.' } }]).zaak;
    expect(() => recordSluiting(later, data, basis)).toThrow('Intussen heeft Medewerker Veilig Thuis stap 4 van de leidende principes bijgewerkt om 14:05; bekijk de zaak en sla opnieuw op.');
    expect(recordSluiting(later, data, { ...basis, versie: later.version }).map((e) => e.type)).toEqual(['zaak.gesloten', 'zaak.fase_gewijzigd']);
    expect(recordSluiting(zaak, data, basis).map((e) => e.type)).toEqual(['zaak.gesloten', 'zaak.fase_gewijzigd']);
  });
});

describe('the criminal-law disposal is the officier\'s', () => {
  const straf = (afdoening: Strafafdoening, vrijheidsbeneming: Vrijheidsbeneming = 'nvt', toelichting?: string) => ({ vrijheidsbeneming, strafrechtelijk: { afdoening, ...(toelichting ? { toelichting } : {}) } });
  it('lets an officier choose any afdoening and vrijheidsbeneming, and anyone else only "nog te bepalen" or what an officier chose before, unchanged', () => {
    expect(magAfdoening(straf('dagvaarden'), undefined, true)).toBe(true);
    expect(magAfdoening(straf('nog_te_bepalen', 'voorgeleiden'), undefined, true)).toBe(true);
    expect(magAfdoening(straf('dagvaarden'), undefined, false)).toBe(false);
    expect(magAfdoening(straf('nog_te_bepalen', 'voorgeleiden'), undefined, false)).toBe(false);
    expect(magAfdoening(straf('halt'), straf('beleidssepot'), false)).toBe(false);
    expect(magAfdoening(straf('beleidssepot'), straf('beleidssepot'), false)).toBe(true);
    expect(magAfdoening(straf('voorwaardelijk_sepot', 'nvt', 'Geen contact'), straf('voorwaardelijk_sepot', 'nvt', 'Geen contact meer'), false)).toBe(false);
    expect(magAfdoening(straf('nog_te_bepalen'), undefined, false)).toBe(true);
    expect(magAfdoening(straf('nog_te_bepalen'), straf('nog_te_bepalen'), false)).toBe(true);
    // Undoing an officier's afdoening is a change too.
    expect(magAfdoening(straf('nog_te_bepalen'), straf('dagvaarden'), false)).toBe(false);
    // An old besluit that did not record vrijheidsbeneming counts as none.
    expect(magAfdoening(straf('nog_te_bepalen'), { strafrechtelijk: { afdoening: 'nog_te_bepalen' } }, false)).toBe(true);
    expect(STRAFRECHTELIJKE_AFDOENINGEN.has('nog_te_bepalen')).toBe(false);
    expect(STRAFRECHTELIJKE_AFDOENINGEN.has('beleidssepot')).toBe(true);
  });
});

describe('besluiten stored with one afdoening of the old catalogue', () => {
  const oud = (afdoening: Afdoening, extra: Partial<Besluit> = {}) => besluitKeten({ afdoening, ...extra });
  it('read in the chain\'s terms: vrijheidsbeneming, strafrechtelijke afdoening, interventies, uitstel', () => {
    expect(oud('voorgeleiden')).toEqual({ vrijheidsbeneming: 'voorgeleiden', strafrechtelijk: { afdoening: 'nog_te_bepalen' }, interventies: [], uitgesteld: false });
    expect(oud('sepot_met_hulp')).toEqual({ strafrechtelijk: { afdoening: 'beleidssepot' }, interventies: [], uitgesteld: false });
    for (const a of ['dagvaarden', 'strafbeschikking', 'halt', 'voorwaardelijk_sepot'] as const) expect(oud(a).strafrechtelijk).toEqual({ afdoening: a });
    expect(oud('uitstel', { plandatum: { op: '2026-10-30T08:00:00.000Z', reden: 'VHH' } })).toEqual({ strafrechtelijk: { afdoening: 'nog_te_bepalen' }, interventies: [], uitgesteld: true });
    expect(oud('overdracht_vhh').interventies).toEqual([{ soort: 'casusoverleg_vhh', organisatie: 'veiligheidshuis' }]);
    expect(oud('corrigerend_gesprek').interventies).toEqual([{ soort: 'corrigerend_gesprek', organisatie: 'om' }]);
    expect(oud('anders', { afdoeningAnders: 'Contactverbod' }).interventies).toEqual([{ soort: 'anders', organisatie: 'anders', toelichting: 'Contactverbod' }]);
    // A new besluit reads as stored.
    expect(besluitKeten({ vrijheidsbeneming: 'heenzenden', strafrechtelijk: { afdoening: 'halt' }, interventies: [{ soort: 'agressietraining', organisatie: 'reclassering' }] })).toEqual({ vrijheidsbeneming: 'heenzenden', strafrechtelijk: { afdoening: 'halt' }, interventies: [{ soort: 'agressietraining', organisatie: 'reclassering' }], uitgesteld: false });
  });

  it('prefill the form in the chain\'s terms, with uitstel as vertragen', () => {
    const zaak = zaakMet('2026-10-20T12:00:00Z', DUIDING, {
      type: 'besluit.vastgelegd',
      data: { afdoening: 'uitstel', zorg: '', waaromMix: '', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [], acties: [], monitoring: [], plandatum: { op: '2026-10-30T08:00:00.000Z', reden: 'Wachten op het VHH.' } },
    });
    const voorstel = besluitVoorstel(zaak, new Date('2026-10-21T12:00:00Z'), TZ, [42]);
    expect([voorstel.vrijheidsbeneming, voorstel.strafrechtelijk, voorstel.tijdstrategie, voorstel.plandatum, voorstel.plandatumReden]).toEqual(['', 'nog_te_bepalen', 'vertragen', '2026-10-30', 'Wachten op het VHH.']);
    const opnieuw = validateBesluit({ ...voorstel, tijdstrategieReden: 'VHH eerst.' }, ctx('2026-10-21T12:00:00Z', { vorige: zaak.besluit! }));
    expect(opnieuw.ok && opnieuw.value.strafrechtelijk).toEqual({ afdoening: 'nog_te_bepalen' });
  });

  it('come in from a form still open in a thread (one old afdoening) as the same besluit', () => {
    const read = readBesluit({ caseId: 'zaak-1', afdoening: 'overdracht_vhh', interventies: 'contactverbod' })!;
    expect([read.invoer.vrijheidsbeneming, read.invoer.strafrechtelijk]).toEqual(['nvt', 'nog_te_bepalen']);
    expect(read.invoer.interventies.map((i) => [i.soort, i.organisatie])).toEqual([['contactverbod', ''], ['casusoverleg_vhh', 'veiligheidshuis']]);
    expect(readBesluit({ caseId: 'zaak-1', afdoening: 'voorgeleiden' })!.invoer.vrijheidsbeneming).toBe('voorgeleiden');
    // The new fields win over an old one.
    expect(readBesluit({ caseId: 'zaak-1', afdoening: 'halt', strafrechtelijk: 'beleidssepot' })!.invoer.strafrechtelijk).toBe('beleidssepot');
  });
});
