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
import { LRUCache } from 'lru-cache';
import { zonderSdkHerhaling } from './teams';

/** Service URLs differ per Teams region; without auth (local) anyone can send one, so the set is bounded. */
export const MAX_VERBINDINGEN = 64;

/** Clients by key, least recently used dropped first past MAX_VERBINDINGEN; a failed creation is not kept. */
class Bewaard<T> {
  private readonly clients = new LRUCache<string, Promise<T>>({ max: MAX_VERBINDINGEN });

  get(key: string, create: () => Promise<T>): Promise<T> {
    const kept = this.clients.get(key);
    if (kept) return kept;
    const client: Promise<T> = create().catch((err: unknown) => {
      if (this.clients.peek(key) === client) this.clients.delete(key);
      throw err;
    });
    this.clients.set(key, client);
    return client;
  }
}

/** The bot a client acts as: botbuilder takes the audience claim, or else the app id claim; both go in the key. */
function botVan(claims: ClaimsIdentity): (string | null)[] {
  return [AuthenticationConstants.AudienceClaim, AuthenticationConstants.AppIdClaim].map((claim) => claims.getClaimValue(claim) ?? null);
}

/**
 * A connector factory that hands out the kept client for its bot, service URL and audience, without
 * the library's retries (see zonderSdkHerhaling): a turn's reply, a thread opened in a turn and the
 * dispatcher's sends alike. botbuilder builds a new client, with its whole HTTP pipeline, for every
 * turn and every proactive send; the client holds no per-turn state (tokens live in the
 * credentials' shared cache).
 */
class GedeeldeFactory extends ConnectorFactory {
  private readonly bot: (string | null)[];

  constructor(
    private readonly inner: ConnectorFactory,
    claims: ClaimsIdentity,
    private readonly clients: Bewaard<ConnectorClient>,
  ) {
    super();
    this.bot = botVan(claims);
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.clients.get(JSON.stringify([...this.bot, serviceUrl, audience ?? null]), async () => zonderSdkHerhaling(await this.inner.create(serviceUrl, audience)));
  }
}

/**
 * The adapter's authentication, with each connector factory it hands out sharing the kept clients,
 * and one user-token client per bot: botbuilder builds one (another HTTP pipeline) for every turn.
 */
class GedeeldeVerbindingen extends BotFrameworkAuthentication {
  private readonly clients = new Bewaard<ConnectorClient>();
  private readonly tokenClients = new Bewaard<UserTokenClient>();

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
    return new GedeeldeFactory(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity, this.clients);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(JSON.stringify(botVan(claimsIdentity)), () => this.inner.createUserTokenClient(claimsIdentity));
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
    return result.connectorFactory ? { ...result, connectorFactory: new GedeeldeFactory(result.connectorFactory, result.claimsIdentity, this.clients) } : result;
  }
}

/** Makes the adapter reuse its connector clients across turns and sends (see GedeeldeFactory). */
export function deelVerbindingen<A extends TeamsAdapter>(adapter: A): A {
  const holder = adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication };
  Object.defineProperty(adapter, 'botFrameworkAuthentication', { value: new GedeeldeVerbindingen(holder.botFrameworkAuthentication) });
  return adapter;
}
