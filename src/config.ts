import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { Cron } from 'croner';
import { z } from 'zod';
import { leesWerktijden, STANDAARD_WERKTIJDEN } from './domain/werktijden';

const list = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** The Playground's tenant, served by default in the local environment only. */
export const PLAYGROUND_TENANT_ID = '7a5e0000-0000-4000-8000-000000000001';
export const LOCAL_BOT_ID = '00000000-0000-0000-0000-00000000b0d1';
/** The Playground's current user (an officier), the local default for OFFICIEREN. */
export const PLAYGROUND_OFFICIER_ID = '7a5e0a11-0000-4000-8000-000000000101';

const schema = z
  .object({
    VERDIEP_ENV: z.enum(['local', 'dev', 'test', 'production']).default('local'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MICROSOFT_APP_ID: z.string().default(''),
    MICROSOFT_APP_PASSWORD: z.string().default(''),
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).default('MultiTenant'),
    MICROSOFT_APP_TENANT_ID: z.string().default(''),
    BOT_ID: z.string().default(''),
    ALLOWED_TENANT_IDS: list,
    STORE: z.enum(['sqlite', 'cosmos']).default('sqlite'),
    SQLITE_PATH: z.string().min(1).default('data/verdiep.db'),
    COSMOS_ENDPOINT: z.url({ protocol: /^https$/, error: 'an https URL: the account endpoint, e.g. https://<account>.documents.azure.com:443/' }).optional(),
    /** Optional: without a key the store signs in with DefaultAzureCredential (managed identity). */
    COSMOS_KEY: z.string().optional(),
    COSMOS_DATABASE: z
      .string()
      .max(255)
      .regex(/^[^/\\?#]+$/, 'a Cosmos DB database id (no / \\ ? or #)')
      .default('verdiep'),
    COSMOS_CREATE_IF_MISSING: z.enum(['true', 'false'], { error: 'true or false' }).optional(),
    /** Days a closed case is kept before the app purges it with its events and jobs. */
    BEWAARTERMIJN_DAGEN: z.coerce.number().int().min(1).max(3_650).default(365),
    /** Days an anonymised learning record is kept (it outlives its case), counted from the end of its month. */
    /** Opt-in secret (the .user file or Key Vault): SKNs are kept only as HMAC-SHA256 under it, to recognise oude bekenden. */
    PSEUDONIEM_SLEUTEL: z.string().min(32, 'at least 32 characters (a random secret, e.g. openssl rand -base64 48)').optional(),
    LEERREGEL_BEWAARTERMIJN_DAGEN: z.coerce.number().int().min(1).max(7_300).default(1_825),
    UITVRAAG_DEADLINE_MINUTES: z.coerce.number().int().min(5).max(10_080).default(120),
    /** Office hours in TIME_ZONE: a default question deadline outside them moves to the next working morning. */
    WERKTIJDEN: z
      .string()
      .default(STANDAARD_WERKTIJDEN)
      .transform((s, ctx) => {
        const w = leesWerktijden(s);
        if (!w) ctx.addIssue({ code: 'custom', message: 'working days and hours, e.g. ma-vr 08:30-17:30' });
        return w ?? z.NEVER;
      }),
    UITVRAAG_HERINNERING_MINUTES: z.coerce.number().int().min(1).max(1_440).default(30),
    MONITORING_DAGEN: z
      .string()
      .default('42,91')
      .transform((s) => s.split(',').map((x) => Number(x.trim())))
      .refine((days) => days.length > 0 && days.every((d) => Number.isInteger(d) && d > 0 && d <= 730), 'comma-separated whole days after the besluit, e.g. 42,91'),
    OFFICIEREN: list,
    /** AAD object ids (or Teams ids) who may change team settings such as the digest schedule. */
    BEHEERDERS: list,
    /** The dispatcher (follow-ups and the weekly digest); off on an instance that should only answer turns. */
    DISPATCH_ENABLED: z.enum(['true', 'false'], { error: 'true or false' }).default('true'),
    DISPATCH_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(30_000),
    /** How long a claimed job stays with one instance; must comfortably exceed a send with its retries. */
    DISPATCH_LEASE_MS: z.coerce.number().int().min(200).max(3_600_000).default(300_000),
    /** One Bot Connector call longer than this counts as a timeout (and is retried). */
    DISPATCH_TIMEOUT_MS: z.coerce.number().int().min(20).max(120_000).default(15_000),
    /** The weekly digest's default schedule (cron, read in TIME_ZONE); a team can set its own. */
    DIGEST_CRON: z
      .string()
      .default('0 9 * * 1')
      .refine((pattern) => {
        try {
          new Cron(pattern, { paused: true });
          return pattern.trim().split(/\s+/).length === 5;
        } catch {
          return false;
        }
      }, 'a five-field cron line, e.g. 0 9 * * 1 (Monday 09:00)'),
    /** The digest's "te bespreken" lists an open case without a duiding this many whole days after its flagging. */
    TE_BESPREKEN_DUIDING_DAGEN: z.coerce.number().int().min(1).max(365).default(3),
    TIME_ZONE: z
      .string()
      .default('Europe/Amsterdam')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('nl-NL', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'not a known IANA time zone'),
  })
  .superRefine((c, ctx) => {
    const local = c.VERDIEP_ENV === 'local';
    if (!local && !c.MICROSOFT_APP_ID) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_ID'], message: `required when VERDIEP_ENV is ${c.VERDIEP_ENV}: running without bot credentials (auth off) is only allowed locally` });
    }
    if (!local && c.OFFICIEREN.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['OFFICIEREN'], message: 'list the AAD object ids of the officieren (comma-separated): they may see every case and record besluiten' });
    }
    if (!local && c.ALLOWED_TENANT_IDS.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['ALLOWED_TENANT_IDS'], message: 'list the tenant id(s) this bot serves (comma-separated)' });
    }
    if (c.MICROSOFT_APP_ID && c.MICROSOFT_APP_TYPE !== 'UserAssignedMsi' && !c.MICROSOFT_APP_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: `required with MICROSOFT_APP_TYPE ${c.MICROSOFT_APP_TYPE} (put it in env/.env.${c.VERDIEP_ENV}.user)` });
    }
    if (c.STORE === 'cosmos' && !c.COSMOS_ENDPOINT) {
      ctx.addIssue({ code: 'custom', path: ['COSMOS_ENDPOINT'], message: 'required with STORE cosmos: the account URL, e.g. https://<account>.documents.azure.com:443/' });
    }
    if (c.STORE === 'cosmos' && !c.COSMOS_KEY && c.COSMOS_CREATE_IF_MISSING === 'true') {
      ctx.addIssue({ code: 'custom', path: ['COSMOS_CREATE_IF_MISSING'], message: 'a managed identity cannot create databases or containers (data-plane RBAC); create them beforehand or set COSMOS_KEY' });
    }
    if (c.DISPATCH_LEASE_MS < 4 * c.DISPATCH_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['DISPATCH_LEASE_MS'], message: `at least four times DISPATCH_TIMEOUT_MS (${4 * c.DISPATCH_TIMEOUT_MS}): a send and its retries must fit in one lease` });
    }
    if (c.MICROSOFT_APP_TYPE !== 'MultiTenant' && !c.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: `required with MICROSOFT_APP_TYPE ${c.MICROSOFT_APP_TYPE}` });
    }
  }, {
    // Run these checks even when another variable is wrong, so every problem is reported at once;
    // skip them only when a variable they depend on is itself invalid.
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'VERDIEP_ENV' || i.path?.[0] === 'MICROSOFT_APP_TYPE'),
  })
  .transform((c) => {
    const local = c.VERDIEP_ENV === 'local';
    return {
      env: c.VERDIEP_ENV,
      local,
      port: c.PORT,
      host: c.HOST ?? (local ? '127.0.0.1' : '0.0.0.0'),
      logLevel: c.LOG_LEVEL,
      auth: {
        MicrosoftAppId: c.MICROSOFT_APP_ID,
        MicrosoftAppPassword: c.MICROSOFT_APP_PASSWORD,
        MicrosoftAppType: c.MICROSOFT_APP_TYPE,
        MicrosoftAppTenantId: c.MICROSOFT_APP_TENANT_ID,
      },
      /** The bot's id for proactive sends; Teams needs one even with auth off. */
      botId: c.BOT_ID || c.MICROSOFT_APP_ID || LOCAL_BOT_ID,
      allowedTenantIds: c.ALLOWED_TENANT_IDS.length > 0 ? c.ALLOWED_TENANT_IDS : [PLAYGROUND_TENANT_ID],
      store: {
        kind: c.STORE,
        sqlitePath: c.SQLITE_PATH,
        cosmos:
          c.STORE === 'cosmos' && c.COSMOS_ENDPOINT
            ? {
                endpoint: c.COSMOS_ENDPOINT,
                key: c.COSMOS_KEY,
                databaseId: c.COSMOS_DATABASE,
                /** Default: create with a key, expect them to exist with a managed identity. */
                createIfMissing: c.COSMOS_CREATE_IF_MISSING ? c.COSMOS_CREATE_IF_MISSING === 'true' : Boolean(c.COSMOS_KEY),
              }
            : undefined,
      },
      retention: { bewaartermijnDagen: c.BEWAARTERMIJN_DAGEN, leerregelDagen: c.LEERREGEL_BEWAARTERMIJN_DAGEN },
      timeZone: c.TIME_ZONE,
      dispatch: {
        enabled: c.DISPATCH_ENABLED === 'true',
        pollMs: c.DISPATCH_POLL_MS,
        leaseMs: c.DISPATCH_LEASE_MS,
        timeoutMs: c.DISPATCH_TIMEOUT_MS,
        digestCron: c.DIGEST_CRON,
        teBesprekenDuidingDagen: c.TE_BESPREKEN_DUIDING_DAGEN,
      },
      zsm: {
        uitvraagDeadlineMs: c.UITVRAAG_DEADLINE_MINUTES * 60_000,
        herinneringVoorMs: c.UITVRAAG_HERINNERING_MINUTES * 60_000,
        werktijden: c.WERKTIJDEN,
        monitoringDagen: c.MONITORING_DAGEN,
        /** AAD object ids (or Teams user ids) of officieren who may record a besluit besides the case lead. */
        officieren: c.OFFICIEREN.length > 0 ? c.OFFICIEREN : local ? [PLAYGROUND_OFFICIER_ID] : [],
      },
      beheerders: c.BEHEERDERS,
      /** Set: the flag form asks for SKNs and stores their keyed hashes. */
      pseudoniemSleutel: c.PSEUDONIEM_SLEUTEL,
    };
  });

export type Config = z.output<typeof schema>;

/** Reads env/.env.<env> then env/.env.<env>.user; the process environment wins over both. */
export function readEnvFiles(dir: string, environment: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const name = environment.VERDIEP_ENV ?? 'local';
  const merged: Record<string, string | undefined> = {};
  for (const file of [`.env.${name}`, `.env.${name}.user`]) {
    const path = join(dir, file);
    if (existsSync(path)) Object.assign(merged, parseEnv(readFileSync(path, 'utf8')));
  }
  return { ...merged, ...environment };
}

/** Validates the configuration; on failure returns one line per problem. */
export function parseConfig(values: Record<string, string | undefined>): { ok: true; config: Config } | { ok: false; problems: string[] } {
  const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(defined);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: result.error.issues.map((i) => `config ${i.path.join('.') || '(root)'}: ${i.message}`) };
}
