import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log';
import { Command, Verb } from '../src/verbs';
import { OFFICIER, TEAM_ID, cardAction, mention, messageActionFetch, messageActionSubmit } from './support/activities';
import { startHarness, type Harness } from './support/harness';

function capture(level = 'info') {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, sink), lines, parsed: () => lines.map((l) => JSON.parse(l)) };
}

const CASE_TEXT = 'Moeder sloeg de jongen met een riem';

describe('the logger', () => {
  it('redacts case text in text, value, data and signaal fields', () => {
    const { log, lines, parsed } = capture();
    log.info({ teamId: 'team-1', caseId: 'zaak-1', text: CASE_TEXT, value: { signaal: CASE_TEXT }, data: [CASE_TEXT], signaal: CASE_TEXT }, 'case flagged');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(CASE_TEXT);
    expect(parsed()[0]).toMatchObject({ teamId: 'team-1', caseId: 'zaak-1', msg: 'case flagged', text: '[redacted]', value: '[redacted]', data: '[redacted]', signaal: '[redacted]' });
  });

  it('redacts those fields one level down too, e.g. in an activity or a case', () => {
    const { log, lines, parsed } = capture();
    log.warn(
      {
        activity: { id: 'act-1', type: 'message', text: CASE_TEXT, value: { action: { data: { signaal: CASE_TEXT } } } },
        zaak: { id: 'zaak-1', signaal: CASE_TEXT },
        form: { data: { signaal: CASE_TEXT } },
      },
      'refused',
    );
    expect(lines[0]).not.toContain(CASE_TEXT);
    const line = parsed()[0];
    expect(line.activity).toEqual({ id: 'act-1', type: 'message', text: '[redacted]', value: '[redacted]' });
    expect(line.zaak).toEqual({ id: 'zaak-1', signaal: '[redacted]' });
    expect(line.form).toEqual({ data: '[redacted]' });
  });

  it('redacts the Authorization header', () => {
    const { log, lines, parsed } = capture();
    log.info({ headers: { authorization: 'Bearer eyJhbGciOi.geheim.token', 'content-type': 'application/json' }, req: { headers: { authorization: 'Bearer nog.een.token' } } }, 'request');
    expect(lines[0]).not.toContain('eyJhbGciOi');
    expect(lines[0]).not.toContain('nog.een.token');
    expect(parsed()[0].headers).toEqual({ authorization: '[redacted]', 'content-type': 'application/json' });
  });

  it('keeps ids and the message, and respects the level', () => {
    const { log, parsed } = capture('warn');
    log.info({ caseId: 'zaak-1' }, 'not shown');
    log.warn({ caseId: 'zaak-2', correlationId: 'abc123' }, 'shown');
    expect(parsed()).toHaveLength(1);
    expect(parsed()[0]).toMatchObject({ app: 'verdiep', level: 40, caseId: 'zaak-2', correlationId: 'abc123', msg: 'shown' });
  });
});

describe('over HTTP, case text never reaches the logs', () => {
  // A signal no log line could contain by accident.
  const MARKER = 'Okapi-Zebrapad';
  const signaal = `Buurvrouw zag ${MARKER}: vader dreigde het kind mee te nemen naar het buitenland.`;
  const form = {
    zaaknummer: '13/123456-26',
    zaaktypes: 'huiselijk_geweld',
    signaal,
    betrokkene_0_rol: 'kind',
    betrokkene_0_initialen: 'a.b.',
    betrokkene_0_leeftijd: '0-11',
    rijen: 1,
  };
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.stop();
  });

  function expectNoCaseText(): void {
    const leaked = h.logs.map((l) => JSON.stringify(l)).filter((l) => l.toLowerCase().includes(MARKER.toLowerCase()) || l.includes('a.b.') || l.includes('A.B.'));
    expect(leaked).toEqual([]);
  }

  it('flagging a case logs its ids, not its signal', async () => {
    const res = await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, form));
    expect(res.status).toBe(200);
    const zaak = await h.store.findCaseByReference(TEAM_ID, '13/123456-26');
    expect(zaak?.signaal).toBe(signaal);
    expect(h.logs.some((l) => l.msg === 'case flagged' && l.caseId === zaak!.id && l.teamId === TEAM_ID)).toBe(true);
    expectNoCaseText();
  });

  it('a refused form, a BSN and the message action do not log the text either', async () => {
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...form, zaaknummer: 'onbekend' }));
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, { ...form, signaal: `${signaal} BSN 111222333.` }));
    await h.post(cardAction(h, OFFICIER, Verb.markeringBetrokkeneToevoegen, form));
    await h.post(messageActionFetch(h, OFFICIER, Command.verdiepen, `<p>${signaal}</p>`));
    await h.post(messageActionSubmit(h, OFFICIER, Command.verdiepen, { ...form, verb: Verb.markeringIndienen, zaaknummer: 'PL0900-2026123456' }));
    await h.post(mention(h, OFFICIER, `verdiep ${signaal}`));
    expect(h.logs.filter((l) => l.msg === 'flag form refused')).toHaveLength(2);
    expect(await h.store.findCaseByReference(TEAM_ID, 'PL0900-2026123456')).toBeDefined();
    expectNoCaseText();
  });

  it('errors while posting the case do not log the text', async () => {
    // A refusal Teams really sends (not retried), so the error paths run at once.
    h.connector.fault = (call) => (call.kind === 'create' || call.kind === 'update' ? { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'kapot' } } } : undefined);
    await h.post(cardAction(h, OFFICIER, Verb.markeringIndienen, form));
    expect(h.logs.some((l) => l.level >= 50 && l.msg === 'could not open the case thread; the outbox opens it' && l.caseId)).toBe(true);
    expectNoCaseText();
  });
});
