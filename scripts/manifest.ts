/**
 * The Teams app manifest: appPackage/manifest.json is a template with `${{NAME}}` placeholders;
 * this module fills it and validates the result against the official Teams manifest JSON schema
 * shipped in @microsoft/app-manifest (offline: the schema is read from node_modules, never fetched).
 * Used by scripts/package-app.ts and by test/app-package.test.ts.
 */
import { AppManifestUtils, type AppManifest, type TeamsManifestV1D22 } from '@microsoft/app-manifest';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LOCAL_BOT_ID, parseConfig } from '../src/config';

/** The repository root (this file runs from dist/scripts/ or, in tests, from scripts/). */
export const ROOT = resolve(__dirname, basename(dirname(__dirname)) === 'dist' ? '../..' : '..');
export const APP_PACKAGE_DIR = join(ROOT, 'appPackage');
export const MANIFEST_TEMPLATE = join(APP_PACKAGE_DIR, 'manifest.json');

export type Manifest = TeamsManifestV1D22.TeamsManifestV1D22;

/** Every placeholder the template may use. */
export const PLACEHOLDERS = ['BOT_ID', 'TEAMS_APP_ID', 'APP_VERSION', 'APP_NAME_SUFFIX', 'APP_WEBSITE_URL', 'APP_PRIVACY_URL', 'APP_TERMS_URL'] as const;
export type ManifestValues = Record<(typeof PLACEHOLDERS)[number], string>;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/**
 * Replaces each `${{NAME}}` in the template text by its value (escaped for a JSON string) and
 * parses the result. Throws when a placeholder has no value or when the result is not JSON.
 */
export function fillManifest(template: string, values: Partial<Record<string, string>>): Manifest {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) throw new Error(`manifest template: no value for ${[...missing].map((n) => `\${{${n}}}`).join(', ')}`);
  return JSON.parse(text) as Manifest;
}

const SCHEMA_URL = /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v\d+\.\d+|vDevPreview)\/MicrosoftTeams\.schema\.json$/;

/** The local copy, in @microsoft/app-manifest, of the schema a manifest's `$schema` names. */
export function localSchemaPath(schemaUrl: string): string {
  const version = SCHEMA_URL.exec(schemaUrl)?.[1];
  if (!version) throw new Error(`manifest $schema is not an official Teams manifest schema: ${schemaUrl}`);
  const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const path = join(packageDir, 'build', 'json-schemas', 'teams', version, 'MicrosoftTeams.schema.json');
  if (!existsSync(path)) throw new Error(`@microsoft/app-manifest does not ship the Teams manifest schema ${version}`);
  return path;
}

type Schema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

/**
 * Validates a manifest against the official schema its `$schema` names (read from
 * node_modules, never fetched). Returns one line per problem; empty when valid.
 */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  const schemaUrl = (manifest as { $schema?: unknown } | null)?.$schema;
  if (typeof schemaUrl !== 'string') return ['manifest has no $schema'];
  const schema = JSON.parse(readFileSync(localSchemaPath(schemaUrl), 'utf8')) as Schema;
  return AppManifestUtils.validateAgainstSchema(manifest as AppManifest, schema);
}

/** Width, height and whether the pixels carry transparency, read from a PNG's header. */
export function pngInfo(png: Buffer): { width: number; height: number; alpha: boolean } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 33 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  const colorType = png[25]!;
  // Colour types 4 (grey + alpha) and 6 (RGBA) carry an alpha channel; others may add a tRNS chunk.
  let alpha = colorType === 4 || colorType === 6;
  for (let at = 8; !alpha && at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'tRNS') alpha = true;
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + length;
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), alpha };
}

/** Checks the icons the manifest names, in the app package folder: Teams wants 192×192 colour and a 32×32 transparent outline. */
export function iconProblems(manifest: Manifest, dir = APP_PACKAGE_DIR): string[] {
  const problems: string[] = [];
  const expect = [
    { file: manifest.icons.color, size: 192, alpha: false, name: 'color' },
    { file: manifest.icons.outline, size: 32, alpha: true, name: 'outline' },
  ];
  for (const icon of expect) {
    const path = join(dir, icon.file);
    if (!existsSync(path)) {
      problems.push(`icons.${icon.name}: ${icon.file} not found in ${dir}`);
      continue;
    }
    const info = pngInfo(readFileSync(path));
    if (info.width !== icon.size || info.height !== icon.size) problems.push(`icons.${icon.name}: ${icon.file} is ${info.width}×${info.height}, must be ${icon.size}×${icon.size}`);
    if (icon.alpha && !info.alpha) problems.push(`icons.${icon.name}: ${icon.file} must have a transparent background`);
  }
  return problems;
}

const ENVIRONMENTS = ['local', 'dev', 'test', 'production'] as const;
const GUID = /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i;
const URL_DEFAULTS = { APP_WEBSITE_URL: 'https://localhost/verdiep', APP_PRIVACY_URL: 'https://localhost/verdiep/privacy', APP_TERMS_URL: 'https://localhost/verdiep/voorwaarden' };

/**
 * The template values for an environment, from the same values the bot reads (env/.env.<env>,
 * env/.env.<env>.user, the process environment):
 * - BOT_ID: the validated configuration's bot id (BOT_ID, else MICROSOFT_APP_ID). When the full
 *   configuration does not validate on this machine (no secret here, say), an explicit BOT_ID or
 *   MICROSOFT_APP_ID is enough: the package needs no secret.
 * - TEAMS_APP_ID: TEAMS_APP_ID, else the bot id.
 * - APP_VERSION: APP_VERSION, else `version` of package.json.
 * - APP_NAME_SUFFIX: " (<env>)" except in production, so installs of several environments differ.
 * - APP_WEBSITE_URL, APP_PRIVACY_URL, APP_TERMS_URL: required outside local (https).
 */
export function manifestValues(values: Record<string, string | undefined>, packageVersion: string): { ok: true; env: string; values: ManifestValues } | { ok: false; problems: string[] } {
  const env = values.VERDIEP_ENV || 'local';
  if (!(ENVIRONMENTS as readonly string[]).includes(env)) return { ok: false, problems: [`VERDIEP_ENV must be one of ${ENVIRONMENTS.join(', ')}`] };
  const problems: string[] = [];
  const parsed = parseConfig(values);
  const explicit = values.BOT_ID || values.MICROSOFT_APP_ID;
  const botId = parsed.ok ? parsed.config.botId : explicit;
  if (!botId) problems.push(...(parsed.ok ? [] : parsed.problems), 'set BOT_ID (the bot\'s Microsoft app id) to package without the full configuration');
  if (botId && !GUID.test(botId)) problems.push(`BOT_ID: "${botId}" is not a Microsoft app id (a GUID)`);
  if (values.TEAMS_APP_ID && !GUID.test(values.TEAMS_APP_ID)) problems.push(`TEAMS_APP_ID: "${values.TEAMS_APP_ID}" is not a GUID`);
  if (botId === LOCAL_BOT_ID && env !== 'local') problems.push(`BOT_ID: the local placeholder bot id cannot be packaged for ${env}`);
  const urls = Object.fromEntries(
    Object.entries(URL_DEFAULTS).map(([name, fallback]) => {
      const value = values[name] || (env === 'local' ? fallback : '');
      if (!value) problems.push(`${name}: required outside local (an https address)`);
      return [name, value];
    }),
  ) as Pick<ManifestValues, keyof typeof URL_DEFAULTS>;
  if (problems.length > 0 || !botId) return { ok: false, problems };
  return {
    ok: true,
    env,
    values: {
      BOT_ID: botId,
      TEAMS_APP_ID: values.TEAMS_APP_ID || botId,
      APP_VERSION: values.APP_VERSION || packageVersion,
      APP_NAME_SUFFIX: env === 'production' ? '' : ` (${env})`,
      ...urls,
    },
  };
}
