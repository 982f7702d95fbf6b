import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';

/** Service URLs differ per Teams region; without auth (local) anyone can send one, so the set is bounded. */
export const MAX_VERBINDINGEN = 64;

/**
 * Connector clients kept per bot, service URL and audience, least recently used dropped first.
 * botbuilder builds a new client, with its whole HTTP pipeline, for every turn and every proactive
 * send; the client holds no per-turn state (tokens live in the credentials' shared cache).
 */
class Verbindingen {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  factory(inner: ConnectorFactory, claims: ClaimsIdentity): ConnectorFactory {
    // botbuilder's factory acts as the bot named by the audience claim, or else the app id claim: both go in the key.
    const bot = [AuthenticationConstants.AudienceClaim, AuthenticationConstants.AppIdClaim].map((claim) => claims.getClaimValue(claim) ?? null);
    const clients = this.clients;
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        const key = JSON.stringify([...bot, serviceUrl, audience ?? null]);
        let client = clients.get(key);
        if (client) clients.delete(key);
        else client = inner.create(serviceUrl, audience).catch((err: unknown) => {
          clients.delete(key);
          throw err;
        });
        clients.set(key, client);
        for (const oldest of clients.keys()) {
          if (clients.size <= MAX_VERBINDINGEN) break;
          clients.delete(oldest);
        }
        return client;
      }
    })();
  }
}

/** The adapter's authentication, with each connector factory it hands out sharing the kept clients. */
class GedeeldeVerbindingen extends BotFrameworkAuthentication {
  private readonly verbindingen = new Verbindingen();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.shared(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.shared(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.verbindingen.factory(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private shared(result: AuthenticateRequestResult): AuthenticateRequestResult {
    return result.connectorFactory ? { ...result, connectorFactory: this.verbindingen.factory(result.connectorFactory, result.claimsIdentity) } : result;
  }
}

/** Makes the adapter reuse its connector clients across turns and sends (see Verbindingen). */
export function deelVerbindingen(adapter: TeamsAdapter): TeamsAdapter {
  const holder = adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication };
  Object.defineProperty(adapter, 'botFrameworkAuthentication', { value: new GedeeldeVerbindingen(holder.botFrameworkAuthentication) });
  return adapter;
}
