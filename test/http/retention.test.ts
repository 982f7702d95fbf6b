import { afterEach, describe, expect, it } from 'vitest';
import { ZaakService } from '../../src/domain/service';
import { Verb } from '../../src/verbs';
import { OFFICIER, TEAM_ID, botInstalled, cardAction, mention } from '../support/activities';
import { startHarness, type Harness } from '../support/harness';

const form = (zaaknummer: string) => ({
  zaaknummer,
  zaaktypes: 'jeugd',
  signaal: 'Jongen (15) pleegt diefstal, niet op school, gezinsvoogd betrokken.',
  betrokkene_0_rol: 'verdachte',
  betrokkene_0_initialen: '',
  betrokkene_0_leeftijd: '12-17',
  deadline_datum: '',
  deadline_tijd: '',
  rijen: 1,
});

const DAY = 86_400_000;

describe('retention of closed cases', () => {
  let h: Harness;
  afterEach(async () => {
    await h.stop();
  });

  it('purges a case once it has been closed longer than BEWAARTERMIJN_DAGEN, and keeps open cases', async () => {
    h = await startHarness({ config: { BEWAARTERMIJN_DAGEN: '30' } });
    await h.post(botInstalled(h, OFFICIER));
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, form('13/111111-26')));
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, form('13/222222-26')));
    const closing = (await h.store.findCaseByReference(TEAM_ID, '13/111111-26'))!;
    const service = new ZaakService(h.store, h.clock, { next: () => 'unused' }, { timeZone: h.config.timeZone, reminderBeforeMs: h.config.zsm.herinneringVoorMs });
    await service.change(TEAM_ID, closing.id, { id: OFFICIER.aadObjectId, name: OFFICIER.name }, () => [{ type: 'zaak.fase_gewijzigd', data: { van: 'gemarkeerd', naar: 'gesloten' } }]);

    h.clock.advance(29 * DAY);
    expect(await h.bot.retention.run()).toBe(0);
    await h.post(mention(h, OFFICIER, 'zaak 13/111111-26'));
    expect(JSON.stringify(h.connector.cards().at(-1)!.card)).toContain('Verdiepingszaak 13/111111-26');

    h.clock.advance(2 * DAY);
    expect(await h.bot.retention.run()).toBe(1);
    await h.post(mention(h, OFFICIER, 'zaak 13/111111-26'));
    expect(h.connector.texts().at(-1)).toContain('geen verdiepingszaak met zaaknummer 13/111111-26');
    expect(await h.store.listEvents(TEAM_ID, closing.id)).toEqual([]);
    expect((await h.store.listCases(TEAM_ID, { includeClosed: true })).map((z) => z.reference)).toEqual(['13/222222-26']);
    const line = h.logs.find((l) => l.msg === 'retention: closed cases purged');
    expect(line).toMatchObject({ purged: 1, bewaartermijnDagen: 30 });
    expect(JSON.stringify(line)).not.toContain('13/111111-26');
  });
});
