import { afterEach, describe, expect, it } from 'vitest';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity, type BotFrameworkAuthentication } from 'botframework-connector';
import { deelVerbindingen, MAX_VERBINDINGEN } from '../../src/bot/verbindingen';
import { OFFICIER, VEILIG_THUIS, mention } from '../support/activities';
import { FakeConnector } from '../support/fake-connector';
import { startHarness, type Harness } from '../support/harness';

/** The adapter's authentication once deelVerbindingen has wrapped it. */
function gedeeld(adapter: TeamsAdapter): BotFrameworkAuthentication {
  return (deelVerbindingen(adapter) as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
}

/** The claims of a request to the bot with this app id. */
function bot(appId: string): ClaimsIdentity {
  return new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);
}

describe('HTTP: connector clients kept across turns', () => {
  let h: Harness | undefined;
  const others: FakeConnector[] = [];
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    await Promise.all(others.splice(0).map((c) => c.stop()));
  });

  async function connector(): Promise<FakeConnector> {
    const c = await new FakeConnector().start();
    c.members = [OFFICIER, VEILIG_THUIS].map((u) => ({ id: u.id, name: u.name, aadObjectId: u.aadObjectId }));
    others.push(c);
    return c;
  }

  it('answers each turn through the connector of its own service URL, also when turns from two alternate', async () => {
    h = await startHarness();
    const b = await connector();
    const order = [h.connector, b, h.connector, b, b, h.connector];
    for (const [i, c] of order.entries()) expect((await h.post(mention({ serviceUrl: c.url }, OFFICIER, `onbekend-${i}`))).status).toBe(200);
    const answered = (c: FakeConnector) => c.calls.filter((call) => call.kind === 'reply' || call.kind === 'send').map((call) => call.conversationId);
    expect(answered(h.connector)).toHaveLength(3);
    expect(answered(b)).toHaveLength(3);
  });

  it('keeps one client per bot, service URL and audience, and drops the least recently used past its limit', async () => {
    const auth = gedeeld(new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory({})));
    const client = (appId: string, url: string, audience?: string) => auth.createConnectorFactory(bot(appId)).create(url, audience);

    const a = await client('bot-1', 'https://smba.example/emea/');
    expect(await client('bot-1', 'https://smba.example/emea/')).toBe(a);
    expect(await client('bot-1', 'https://smba.example/amer/')).not.toBe(a);
    expect(await client('bot-2', 'https://smba.example/emea/')).not.toBe(a);
    expect(await client('bot-1', 'https://smba.example/emea/', 'https://api.botframework.com')).not.toBe(a);

    for (let i = 0; i < MAX_VERBINDINGEN; i++) await client('bot-1', `https://smba.example/${i}/`);
    expect(await client('bot-1', 'https://smba.example/emea/')).not.toBe(a);
  });

  it('keeps one user-token client per bot', async () => {
    const auth = gedeeld(new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory({})));

    const a = await auth.createUserTokenClient(bot('bot-1'));
    expect(await auth.createUserTokenClient(bot('bot-1'))).toBe(a);
    expect(await auth.createUserTokenClient(bot('bot-2'))).not.toBe(a);
  });

  it('does not keep a client whose creation failed: the next turn builds one anew', async () => {
    const adapter = new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory({}));
    let built = 0;
    const inner = {
      createUserTokenClient: async () => {
        built++;
        if (built === 1) throw new Error('credentials unavailable');
        return { built };
      },
    };
    Object.defineProperty(adapter, 'botFrameworkAuthentication', { value: inner, configurable: true });
    const auth = gedeeld(adapter);

    await expect(auth.createUserTokenClient(bot('bot-1'))).rejects.toThrow('credentials unavailable');
    const client = await auth.createUserTokenClient(bot('bot-1'));
    expect(client).toEqual({ built: 2 });
    expect(await auth.createUserTokenClient(bot('bot-1'))).toBe(client);
  });
});
