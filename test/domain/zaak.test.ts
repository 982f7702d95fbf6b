import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { recordHeropening, recordSluiting } from '../../src/domain/afsluiting';
import type { Fase } from '../../src/domain/catalogue';
import {
  DomainError,
  ageInDays,
  dagTeller,
  lokaleDag,
  applyEvent,
  canTransition,
  changePhase,
  isOpen,
  record,
  uitvraagTelling,
  type Actor,
  type NewZaakEvent,
  type Verdiepingszaak,
  type ZaakEvent,
} from '../../src/domain/zaak';

const OFFICIER: Actor = { id: 'aad-officier', name: 'Officier Van Dijk' };
const RECLASSERING: Actor = { id: 'aad-3ro', name: 'Reclasseringswerker Bakker', teamsId: '29:3ro' };
const ids = { teamId: 'team-1', caseId: 'zaak-1' };
const T0 = new Date('2026-11-28T10:00:00Z');
const DAY = 86_400_000;

const GEMARKEERD: NewZaakEvent = {
  type: 'zaak.gemarkeerd',
  data: {
    reference: '13/123456-26',
    types: ['lvb'],
    signaal: 'Man (61) stal drie blikjes cola; zijn netwerk is weggevallen.',
    betrokkenen: [{ rol: 'verdachte', leeftijd: '23-64' }],
  },
};

function flagged(): Verdiepingszaak {
  return record(undefined, ids, OFFICIER, T0, [GEMARKEERD]).zaak;
}

/** Walks a fresh case through the given phases, one changePhase per step. */
function walk(...fasen: Fase[]): Verdiepingszaak {
  let zaak = flagged();
  for (const fase of fasen) zaak = record(zaak, ids, OFFICIER, T0, [changePhase(zaak, fase)]).zaak;
  return zaak;
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('phases and transitions', () => {
  it('a new case starts in gemarkeerd and is open', () => {
    const zaak = flagged();
    expect(zaak.fase).toBe('gemarkeerd');
    expect(isOpen(zaak)).toBe(true);
  });

  it('moves forward through the three steps of verdiepen to monitoring and closing', () => {
    let zaak = flagged();
    const seen: Fase[] = [];
    for (const fase of ['contextinformatie', 'duiding', 'besluit', 'monitoring', 'gesloten'] as const) {
      const van = zaak.fase;
      zaak = record(zaak, ids, OFFICIER, T0, [changePhase(zaak, fase)]).zaak;
      expect(zaak.vorigeFase).toBe(van);
      seen.push(zaak.fase);
    }
    expect(seen).toEqual(['contextinformatie', 'duiding', 'besluit', 'monitoring', 'gesloten']);
    expect(isOpen(zaak)).toBe(false);
  });

  it('may skip a step forward', () => {
    expect(canTransition('gemarkeerd', 'duiding')).toBe(true);
    expect(canTransition('contextinformatie', 'besluit')).toBe(true);
    expect(walk('besluit').fase).toBe('besluit');
  });

  it('goes back to contextinformatie or duiding when the course changes', () => {
    expect(walk('contextinformatie', 'duiding', 'besluit', 'contextinformatie').fase).toBe('contextinformatie');
    expect(walk('contextinformatie', 'duiding', 'besluit', 'monitoring', 'duiding').fase).toBe('duiding');
    expect(canTransition('monitoring', 'contextinformatie')).toBe(true);
    expect(canTransition('duiding', 'contextinformatie')).toBe(true);
  });

  it('does not go back to gemarkeerd, besluit or monitoring', () => {
    expect(canTransition('contextinformatie', 'gemarkeerd')).toBe(false);
    expect(canTransition('monitoring', 'besluit')).toBe(false);
    expect(canTransition('besluit', 'gemarkeerd')).toBe(false);
  });

  it('refuses a transition to the same phase', () => {
    for (const fase of ['gemarkeerd', 'contextinformatie', 'duiding', 'besluit', 'monitoring', 'gesloten'] as const) {
      expect(canTransition(fase, fase)).toBe(false);
    }
  });

  it('a refused transition throws a DomainError with a Dutch message and records nothing', () => {
    const zaak = walk('contextinformatie', 'duiding', 'besluit', 'monitoring');
    const err = refusal(() => changePhase(zaak, 'besluit'));
    expect(err.userMessage).toBe('De zaak kan niet van fase "monitoring" naar "besluit".');
    expect(err.message).toBe(err.userMessage);
    expect(zaak.fase).toBe('monitoring');
    expect(refusal(() => changePhase(flagged(), 'gemarkeerd')).userMessage).toContain('kan niet van fase');
  });

  it('a closed case can only be reopened into a working phase, not back to gemarkeerd', () => {
    expect(canTransition('gesloten', 'gemarkeerd')).toBe(false);
    for (const fase of ['contextinformatie', 'duiding', 'besluit', 'monitoring'] as const) {
      expect(canTransition('gesloten', fase)).toBe(true);
    }
  });

  it('reopening a closed case puts it back where it was, with the reason, who and when', () => {
    let zaak = walk('contextinformatie', 'duiding', 'besluit', 'monitoring');
    zaak = record(zaak, ids, OFFICIER, T0, recordSluiting(zaak, { leeropbrengst: 'Een maatje via de WMO werkte beter dan een boete.', uitkomst: 'Geen hermelding.' })).zaak;
    expect(zaak.fase).toBe('gesloten');
    expect(zaak.afsluiting?.door).toEqual(OFFICIER);

    const later = new Date(T0.getTime() + 30 * DAY);
    zaak = record(zaak, ids, RECLASSERING, later, recordHeropening(zaak, 'Hermelding: opnieuw aangehouden voor diefstal.')).zaak;
    expect(zaak.fase).toBe('monitoring');
    expect(isOpen(zaak)).toBe(true);
    expect(zaak.heropeningen).toEqual([{ reden: 'Hermelding: opnieuw aangehouden voor diefstal.', door: RECLASSERING, op: later.toISOString() }]);
    expect(refusal(() => recordHeropening(zaak, 'Nog een keer heropenen.')).userMessage).toBe('Deze zaak is niet gesloten.');
  });
});

describe('events', () => {
  it('record stamps each event with the next seq, the actor, the time and the ids', () => {
    const first = record(undefined, ids, OFFICIER, T0, [GEMARKEERD]);
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({ type: 'zaak.gemarkeerd', teamId: 'team-1', caseId: 'zaak-1', seq: 1, at: '2026-11-28T10:00:00.000Z', actor: OFFICIER });
    expect(first.zaak.version).toBe(1);

    const at = new Date('2026-11-29T08:30:00Z');
    const next = record(first.zaak, ids, RECLASSERING, at, [
      { type: 'zaak.thread_geopend', data: { channelId: 'c', conversationId: 'c;messageid=1', rootMessageId: '1' } },
      changePhase(first.zaak, 'contextinformatie'),
    ]);
    expect(next.events.map((e) => [e.type, e.seq])).toEqual([
      ['zaak.thread_geopend', 2],
      ['zaak.fase_gewijzigd', 3],
    ]);
    for (const event of next.events) {
      expect(event.actor).toEqual(RECLASSERING);
      expect(event.at).toBe('2026-11-29T08:30:00.000Z');
      expect(event.teamId).toBe('team-1');
      expect(event.caseId).toBe('zaak-1');
    }
    expect(next.zaak.version).toBe(3);
    expect(next.zaak.updatedAt).toBe('2026-11-29T08:30:00.000Z');
  });

  it('the flagger is recorded as flaggedBy and as the first case lead', () => {
    const zaak = flagged();
    expect(zaak.flaggedBy).toEqual(OFFICIER);
    expect(zaak.lead).toEqual(OFFICIER);
    expect(zaak.flaggedAt).toBe(T0.toISOString());
    expect(zaak.reference).toBe('13/123456-26');
    expect(zaak.id).toBe('zaak-1');
    expect(zaak.teamId).toBe('team-1');
  });

  it('replaying the stored events in order gives the same case as recording them', () => {
    const events: ZaakEvent[] = [];
    let zaak: Verdiepingszaak | undefined;
    const steps: [Actor, Date, NewZaakEvent[]][] = [
      [OFFICIER, T0, [GEMARKEERD]],
      [OFFICIER, new Date(T0.getTime() + 60_000), [{ type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { zorg: 'Netwerk weggevallen.' } } }]],
      [RECLASSERING, new Date(T0.getTime() + 120_000), [{ type: 'principe.vastgelegd', data: { stap: 1, status: 'ingevuld', antwoorden: { zorg: 'Netwerk weggevallen; buurvrouw brak haar been.' } } }]],
      [OFFICIER, new Date(T0.getTime() + 180_000), [{ type: 'zaak.casusregie_overgedragen', data: { naar: RECLASSERING } }]],
    ];
    for (const [actor, at, changes] of steps) {
      const r = record(zaak, ids, actor, at, changes);
      zaak = r.zaak;
      events.push(...r.events);
    }
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const replayed = events.reduce<Verdiepingszaak | undefined>((z, e) => applyEvent(z, e), undefined);
    expect(replayed).toEqual(zaak);

    // The later event wins: the second recording of step 1 is version 2, by its own author and time.
    expect(zaak!.principes[1]).toMatchObject({ versie: 2, door: RECLASSERING, op: new Date(T0.getTime() + 120_000).toISOString() });
    expect(zaak!.principes[1]!.antwoorden.zorg).toContain('buurvrouw');
    expect(zaak!.lead).toEqual(RECLASSERING);
    expect(zaak!.flaggedBy).toEqual(OFFICIER);
  });

  it('applies prompt (uitvraag) events in order: sent, answered, corrected', () => {
    const invitee = { id: 'aad-vt', name: 'Medewerker Veilig Thuis', teamsId: '29:vt' };
    let zaak = flagged();
    zaak = record(zaak, ids, OFFICIER, T0, [
      { type: 'uitvraag.verstuurd', data: { id: 'u1', invitee, organisatie: 'veilig_thuis', vraag: 'Is het gezin bekend?', waarom: 'Nodig voor de veiligheid.', deadline: '2026-11-28T12:00:00.000Z' } },
      { type: 'uitvraag.verstuurd', data: { id: 'u2', invitee, organisatie: 'veilig_thuis', vraag: 'Loopt er een OTS?', waarom: 'Bepaalt de afdoening.', deadline: '2026-11-28T12:00:00.000Z' } },
    ]).zaak;
    expect(uitvraagTelling(zaak)).toEqual({ open: 2, beantwoord: 0, afgewezen: 0, ingetrokken: 0 });

    zaak = record(zaak, ids, RECLASSERING, T0, [{ type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Ja, twee meldingen.', bron: 'VT-registratie', bekend: 'ja' } }]).zaak;
    zaak = record(zaak, ids, RECLASSERING, T0, [{ type: 'uitvraag.beantwoord', data: { uitvraagId: 'u1', tekst: 'Ja, drie meldingen.', bron: 'VT-registratie', bekend: 'ja' } }]).zaak;
    zaak = record(zaak, ids, RECLASSERING, T0, [{ type: 'uitvraag.afgewezen', data: { uitvraagId: 'u2', soort: 'mag_niet_delen', reden: 'Geen toestemming.' } }]).zaak;

    expect(uitvraagTelling(zaak)).toEqual({ open: 0, beantwoord: 1, afgewezen: 1, ingetrokken: 0 });
    const u1 = zaak.uitvragen.find((u) => u.id === 'u1')!;
    expect(u1.antwoord).toMatchObject({ tekst: 'Ja, drie meldingen.', versie: 2, door: RECLASSERING });
    expect(u1.gevraagdDoor).toEqual(OFFICIER);
    expect(zaak.version).toBe(6);
  });

  it('keeps each follow-up card once, and forgets those of a thread Teams lost', () => {
    const oud = { channelId: 'c', conversationId: 'c;messageid=1', rootMessageId: '1' };
    const kaart = (messageId: string, conversationId = oud.conversationId) => ({ soort: 'herinnering' as const, ref: 'u1', conversationId, messageId });
    let zaak = record(flagged(), ids, OFFICIER, T0, [{ type: 'zaak.thread_geopend', data: oud }]).zaak;
    zaak = record(zaak, ids, OFFICIER, T0, [
      { type: 'opvolging.kaart_geplaatst', data: kaart('m1') },
      { type: 'opvolging.kaart_geplaatst', data: kaart('m2', 'c') },
      { type: 'opvolging.kaart_geplaatst', data: kaart('m1') },
    ]).zaak;
    expect(zaak.opvolgkaarten).toEqual([kaart('m2', 'c'), kaart('m1')]);
    zaak = record(zaak, ids, OFFICIER, T0, [{ type: 'zaak.thread_geopend', data: { channelId: 'c', conversationId: 'c;messageid=9', rootMessageId: '9' } }]).zaak;
    // The card in the lost thread is gone with it; the one posted in the channel itself stays.
    expect(zaak.opvolgkaarten).toEqual([kaart('m2', 'c')]);
  });

  it('an updated action keeps who updated it and when', () => {
    const actie = { id: 'a1', wat: 'Schoolverzuim nagaan', eigenaar: { ...RECLASSERING, teamsId: '29:3ro' }, datum: '2026-12-01', status: 'open' as const };
    let zaak = record(flagged(), ids, OFFICIER, T0, [
      { type: 'besluit.vastgelegd', data: { afdoening: 'sepot_met_hulp', zorg: 'Hulp.', waaromMix: 'Straf alleen helpt niet.', tijdstrategie: { keuze: 'geen', reden: '' }, doelen: [], acties: [actie], monitoring: [] } },
    ]).zaak;
    expect(zaak.besluit!.acties[0]!.bijgewerkt).toBeUndefined();
    zaak = record(zaak, ids, RECLASSERING, new Date(T0.getTime() + DAY), [{ type: 'actie.bijgewerkt', data: { actieId: 'a1', status: 'gereed' } }]).zaak;
    expect(zaak.besluit!.acties[0]).toMatchObject({ status: 'gereed', bijgewerkt: { door: RECLASSERING.name, op: new Date(T0.getTime() + DAY).toISOString() } });
  });

  it('refuses events that make no sense in that order', () => {
    const zaak = flagged();
    const base = { ...ids, seq: 1, at: T0.toISOString(), actor: OFFICIER };
    expect(() => applyEvent(undefined, { ...base, type: 'zaak.heropend', data: { reden: 'Hermelding na sluiten.' } })).toThrow();
    expect(() => record(zaak, ids, OFFICIER, T0, [GEMARKEERD])).toThrow();
    expect(() => record(zaak, ids, OFFICIER, T0, [{ type: 'uitvraag.beantwoord', data: { uitvraagId: 'bestaat-niet', tekst: 'x', bron: 'y', bekend: 'nee' } }])).toThrow();
    expect(() => record(zaak, ids, OFFICIER, T0, [{ type: 'actie.bijgewerkt', data: { actieId: 'a1', status: 'gereed' } }])).toThrow();
    expect(() => record(undefined, ids, OFFICIER, T0, [])).toThrow();
  });

  it('record does not change the case it was given', () => {
    const zaak = flagged();
    const before = structuredClone(zaak);
    record(zaak, ids, OFFICIER, T0, [changePhase(zaak, 'duiding'), { type: 'zaak.casusregie_overgedragen', data: { naar: RECLASSERING } }]);
    expect(zaak).toEqual(before);
  });
});

describe('lokaleDag', () => {
  it('gives the local date of an instant, across the clock changes and the turn of the year, as luxon does', () => {
    const tz = 'Europe/Amsterdam';
    expect(lokaleDag('2026-03-29T00:59:59Z', tz)).toBe('2026-03-29');
    expect(lokaleDag('2026-10-24T21:59:59Z', tz)).toBe('2026-10-24');
    expect(lokaleDag('2026-10-24T22:00:00Z', tz)).toBe('2026-10-25');
    expect(lokaleDag(new Date('2026-12-31T23:30:00Z'), tz)).toBe('2027-01-01');
    expect(lokaleDag('2026-12-01', tz)).toBe('2026-12-01');
    expect(lokaleDag('geen datum', tz)).toBe('');
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }), fc.constantFrom(tz, 'UTC', 'America/New_York', 'Asia/Kolkata'), (ms, zone) => {
        expect(lokaleDag(new Date(ms), zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      }),
    );
  });
});

describe('ageInDays', () => {
  const since = '2026-11-28T10:00:00.000Z';
  const tz = 'Europe/Amsterdam';
  it('counts local calendar days', () => {
    expect(ageInDays(since, new Date('2026-11-28T22:59:00Z'), tz)).toBe(0);
    expect(ageInDays(since, new Date('2026-11-28T23:00:00Z'), tz)).toBe(1);
    expect(ageInDays(since, new Date('2026-12-01T21:00:00Z'), tz)).toBe(3);
    expect(ageInDays(since, new Date('2027-11-28T10:00:00Z'), tz)).toBe(365);
  });

  it('counts one day per calendar day across the spring clock change', () => {
    expect(ageInDays('2026-03-28T12:00:00.000Z', new Date('2026-03-29T21:30:00Z'), tz)).toBe(1);
    expect(ageInDays('2026-03-28T12:00:00.000Z', new Date('2026-03-29T22:30:00Z'), tz)).toBe(2);
  });

  it('never shows a negative age when the clock is behind', () => {
    expect(ageInDays(since, new Date('2026-11-27T10:00:00Z'), tz)).toBe(0);
  });
});

describe('dagTeller: one today for a whole list', () => {
  // What each item cost before: both instants to local midnight with luxon, the difference in days.
  const perItem = (since: string, now: Date, tz: string) =>
    Math.max(0, Math.round(DateTime.fromJSDate(now).setZone(tz).startOf('day').diff(DateTime.fromISO(since, { zone: 'utc' }).setZone(tz).startOf('day'), 'days').days));
  /** dagTeller's age and the per-item luxon one, side by side. */
  const beide = (tz: string) => (now: string, since: string) => [dagTeller(new Date(now), tz)(since), perItem(since, new Date(now), tz)];
  const zones = ['Europe/Amsterdam', 'America/Havana', 'America/Asuncion', 'America/Santiago', 'America/St_Johns', 'Pacific/Apia', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
  const instant = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });
  /** Per zone, the starts of its local days that are not 24 hours long, 2008–2028: where a day boundary can go wrong. */
  const wisseldagen = new Map(
    zones.map((tz) => {
      const starts: number[] = [];
      for (let dag = DateTime.fromISO('2008-01-01', { zone: tz }); dag.year < 2029; dag = dag.plus({ days: 1 })) {
        if (dag.plus({ days: 1 }).toMillis() - dag.toMillis() !== 86_400_000) starts.push(dag.toMillis());
      }
      return [tz, starts];
    }),
  );
  /** Random instants, and whole and half hours around a day that is not 24 hours long (random ones hardly ever land there). */
  const moment = (tz: string, min: string, max: string) => {
    const starts = wisseldagen.get(tz)!.filter((t) => t >= Date.parse(min) && t < Date.parse(max));
    if (!starts.length) return instant(min, max);
    return fc.oneof(instant(min, max), fc.tuple(fc.constantFrom(...starts), fc.integer({ min: -6, max: 54 })).map(([start, halfUur]) => new Date(start + halfUur * 1_800_000)));
  };

  it('gives the same age as the per-item luxon sum for any instants, zones with midnight clock changes included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones).chain((tz) => fc.tuple(fc.constant(tz), moment(tz, '2011-01-01', '2027-12-31'), fc.array(moment(tz, '2008-01-01', '2028-12-31'), { minLength: 1, maxLength: 30 }))),
        ([tz, now, items]) => {
          const teller = dagTeller(now, tz);
          for (const item of items) expect(teller(item.toISOString())).toBe(perItem(item.toISOString(), now, tz));
        },
      ),
      { numRuns: 300 },
    );
  });

  // Days that start twice or skip midnight. Havana, 26 Oct 2008: 0:00 CDT (04:00Z) ran to 1:00 and went
  // back to 0:00 CST (05:00Z). St. John's, 1 Nov 2009: 0:00 NDT (02:30Z) ran to 0:01 and went back to
  // 23:01 NST on 31 October, so 1 November began again at 03:30Z. Havana, 20 Mar 2011 began at 1:00.
  it.each([
    ['America/Havana', '2011-01-01T00:00:00Z', '2008-10-26T04:00:00Z', 796],
    ['America/Havana', '2011-01-01T00:00:00Z', '2008-10-26T03:59:59Z', 797],
    // Asked in the day's second 0:30, its first hour is today too.
    ['America/Havana', '2008-10-26T05:30:00Z', '2008-10-26T04:10:00Z', 0],
    ['America/Havana', '2008-10-26T05:30:00Z', '2008-10-25T12:00:00Z', 1],
    ['America/St_Johns', '2009-11-03T12:00:00Z', '2009-11-01T02:30:30Z', 2],
    ['America/St_Johns', '2009-11-03T12:00:00Z', '2009-11-01T02:31:00Z', 3],
    ['America/St_Johns', '2009-11-03T12:00:00Z', '2009-11-01T03:30:00Z', 2],
    // Asked at 23:15 on 31 October the second time: 0:00:30 on 1 November, just before, is not in the past.
    ['America/St_Johns', '2009-11-01T02:45:00Z', '2009-11-01T02:30:30Z', 0],
    ['America/St_Johns', '2009-11-01T02:45:00Z', '2009-10-31T12:00:00Z', 0],
    // 0:30 on an ordinary day before a day that began at 1:00 belongs to that day, not the one before.
    ['America/Havana', '2011-03-20T05:00:00Z', '2011-03-10T05:30:00Z', 10],
    ['America/Havana', '2011-03-20T05:00:00Z', '2008-10-26T04:00:00Z', 875],
  ] as const)('in %s at %s, %s is %i days old, as luxon counts it per item', (tz, now, since, dagen) => {
    expect(beide(tz)(now, since)).toEqual([dagen, dagen]);
  });

  it('counts the day Samoa skipped (30 Dec 2011) as no day at all, like the calendar', () => {
    const now = new Date('2012-01-02T12:00:00Z');
    expect(dagTeller(now, 'Pacific/Apia')('2011-12-29T12:00:00Z')).toBe(perItem('2011-12-29T12:00:00Z', now, 'Pacific/Apia'));
  });
});
