import { AdaptiveCards, Application, MessageExtensions, TaskModules } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdapter, createApp } from '../src/bot/app';
import type { Deps } from '../src/bot/deps';
import { actie, handelingVan, kaartVerbs, Rooster } from '../src/bot/toegang';
import { BELEID, type Handeling } from '../src/domain/toegang';
import { createLogger } from '../src/log';
import { Opdracht, Verb } from '../src/verbs';
import { testConfig } from './support/harness';

/**
 * Every route the real app registers has a row in the access policy, and every row has a route:
 * the test records what createApp registers with teams-ai (card actions, typed commands,
 * message-extension commands) and compares it with BELEID.
 */

/** A typed command for each Opdracht, as a user would write it after the @mention. */
const VOORBEELD: Record<Opdracht, string> = {
  [Opdracht.verdiep]: 'verdiep',
  [Opdracht.zaken]: 'zaken',
  [Opdracht.zaak]: 'zaak 13/123456-26',
  [Opdracht.ketenkaart]: 'ketenkaart 13/123456-26',
  [Opdracht.overzicht]: 'overzicht',
  [Opdracht.digestTonen]: 'digest',
  [Opdracht.digestWijzigen]: 'digest maandag 08:30',
  [Opdracht.mijnActies]: 'mijn acties',
  [Opdracht.inzage]: 'inzage 13/123456-26',
  [Opdracht.leerbeeld]: 'leerbeeld 3 maanden',
  [Opdracht.help]: 'help',
};

type Selector = string | RegExp | ((...args: unknown[]) => unknown);
const flat = (s: Selector | Selector[]): Selector[] => (Array.isArray(s) ? s : [s]);

let app: Application;
const registered = { verbs: [] as Selector[], submits: [] as Selector[], messages: [] as Selector[], activities: [] as Selector[], extensies: [] as Selector[], taskModules: [] as Selector[] };

const alsBericht = (text: string) => ({ activity: { type: 'message', text } }) as unknown as TurnContext;

describe('every route has a policy row', () => {
  beforeAll(() => {
    const spies = [
      vi.spyOn(AdaptiveCards.prototype, 'actionExecute').mockImplementation(function (this: unknown, verb) {
        registered.verbs.push(...flat(verb as Selector));
        return {} as never;
      }),
      vi.spyOn(AdaptiveCards.prototype, 'actionSubmit').mockImplementation(function (verb) {
        registered.submits.push(...flat(verb as Selector));
        return {} as never;
      }),
      vi.spyOn(Application.prototype, 'message').mockImplementation(function (this: Application, keyword) {
        registered.messages.push(...flat(keyword as Selector));
        return this;
      }),
      vi.spyOn(Application.prototype, 'activity').mockImplementation(function (this: Application, type) {
        registered.activities.push(...flat(type as Selector));
        return this;
      }),
      vi.spyOn(MessageExtensions.prototype, 'fetchTask').mockImplementation(function (commandId) {
        registered.extensies.push(...flat(commandId as Selector));
        return {} as never;
      }),
      vi.spyOn(MessageExtensions.prototype, 'submitAction').mockImplementation(function (commandId) {
        registered.extensies.push(...flat(commandId as Selector));
        return {} as never;
      }),
      vi.spyOn(TaskModules.prototype, 'fetch').mockImplementation(function (verb) {
        registered.taskModules.push(...flat(verb as Selector));
        return {} as never;
      }),
      vi.spyOn(TaskModules.prototype, 'submit').mockImplementation(function (verb) {
        registered.taskModules.push(...flat(verb as Selector));
        return {} as never;
      }),
    ];
    const config = testConfig();
    const log = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
    const deps = { config, log, store: {}, clock: { now: () => new Date() }, ids: { next: () => 'x' }, zaken: {}, botName: 'Verdiep', rooster: new Rooster(() => 0) } as unknown as Deps;
    app = createApp(createAdapter(deps), deps);
    for (const spy of spies) spy.mockRestore();
  });
  afterAll(() => vi.restoreAllMocks());

  it('registers card actions by verb, behind one Action.Execute route; no Action.Submit and no task-module routes', () => {
    expect(registered.verbs).toHaveLength(1);
    expect(typeof registered.verbs[0]).toBe('function');
    expect(kaartVerbs(app).length).toBeGreaterThan(0);
    expect(registered.submits).toEqual([]);
    expect(registered.taskModules).toEqual([]);
  });

  it('every Action.Execute verb the app handles has a row, and every verb row is handled', () => {
    const verbs = kaartVerbs(app);
    const rijen = Object.values(Verb).filter((v) => v in BELEID);
    expect(verbs.filter((v) => !(v in BELEID))).toEqual([]);
    expect(rijen.filter((v) => !verbs.includes(v))).toEqual([]);
    expect(Object.values(Verb).filter((v) => !(v in BELEID))).toEqual([]);
  });

  it('refuses a verb registered twice', () => {
    expect(() => actie(app as never, Verb.principeOpslaan, async () => '')).toThrow(/registered twice/);
  });

  it('every message-extension command has a row, and every extension row has a command', () => {
    const ids = registered.extensies.map((c) => `extensie:${String(c)}`);
    expect(ids.filter((k) => !(k in BELEID))).toEqual([]);
    const rijen = Object.keys(BELEID).filter((k) => k.startsWith('extensie:'));
    expect(rijen.filter((k) => !ids.includes(k))).toEqual([]);
  });

  it('every typed command route answers to a command with a row, and the policy reads it as that row', () => {
    const routes = registered.messages;
    expect(routes.every((r) => r instanceof RegExp)).toBe(true);
    // A route that no policy command's example reaches is a route without a row.
    for (const route of routes as RegExp[]) {
      const gedekt = Object.values(VOORBEELD).filter((tekst) => route.test(tekst));
      expect(gedekt, `no policy command is routed to ${route}`).not.toEqual([]);
    }
    for (const [opdracht, tekst] of Object.entries(VOORBEELD) as [Opdracht, string][]) {
      expect(BELEID[opdracht as Handeling], opdracht).toBeDefined();
      expect(handelingVan(alsBericht(tekst)), tekst).toBe(opdracht);
      // Help is the fallback for any message (app.activity('message')); every other command has its own route.
      if (opdracht === Opdracht.help) expect(registered.activities).toContain('message');
      else expect((routes as RegExp[]).some((r) => r.test(tekst)), `no route for "${tekst}"`).toBe(true);
    }
  });

  it('has no policy row for anything else', () => {
    const bekend = new Set<string>([...Object.values(Verb), ...Object.values(Opdracht), ...registered.extensies.map((c) => `extensie:${String(c)}`)]);
    expect(Object.keys(BELEID).filter((k) => !bekend.has(k))).toEqual([]);
  });
});
