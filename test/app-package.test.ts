import JSZip from 'jszip';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../cards/help';
import { APP_PACKAGE_DIR, MANIFEST_TEMPLATE, fillManifest, iconProblems, manifestValues, pngInfo, validateManifest, type Manifest } from '../scripts/manifest';
import { PackageError, packageApp } from '../scripts/package-app';
import { LOCAL_BOT_ID } from '../src/config';
import { Command } from '../src/verbs';

const BOT_ID = '6c1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const URLS = { APP_WEBSITE_URL: 'https://zsm.example.nl/verdiep', APP_PRIVACY_URL: 'https://zsm.example.nl/verdiep/privacy', APP_TERMS_URL: 'https://zsm.example.nl/verdiep/voorwaarden' };
const TEMPLATE = readFileSync(MANIFEST_TEMPLATE, 'utf8');

const tmp = mkdtempSync(join(tmpdir(), 'verdiep-app-package-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function values(environment: Record<string, string>) {
  const resolved = manifestValues(environment, '0.1.0');
  if (!resolved.ok) throw new Error(resolved.problems.join('\n'));
  return resolved;
}

const production = () => fillManifest(TEMPLATE, values({ VERDIEP_ENV: 'production', BOT_ID, ...URLS }).values);

describe('the Teams app manifest', () => {
  it('filled for production, validates against the official Teams manifest schema (offline)', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in this test'));
    const manifest = production();
    expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.\d+\/MicrosoftTeams\.schema\.json$/);
    expect(await validateManifest(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.name.short).toBe('Verdiep');
    expect(manifest.description.short).toBe('Verdiepingszaken aan de ZSM-tafel');
    expect(manifest.validDomains).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
    fetch.mockRestore();
  });

  it('has the bot in team and personal scope with the commands the help card lists', () => {
    const manifest = production();
    const bot = manifest.bots?.[0];
    expect(bot?.botId).toBe(BOT_ID);
    expect(bot?.scopes).toEqual(expect.arrayContaining(['team', 'personal']));
    const commands = bot?.commandLists?.flatMap((l) => l.commands) ?? [];
    expect(commands.map((c) => c.title)).toEqual(COMMANDS.map((c) => c.command.split(' ')[0]));
    expect(commands.find((c) => c.title === 'verdiep')?.description).toMatch(/^Markeer een zaak voor verdieping/);
    for (const list of bot?.commandLists ?? []) expect(list.scopes).toEqual(expect.arrayContaining(['team', 'personal']));
  });

  it('has the Verdiepen message action, which asks the bot for its dialog', () => {
    const manifest = production();
    const extension = manifest.composeExtensions?.[0];
    expect(extension?.botId).toBe(BOT_ID);
    expect(extension?.commands).toEqual([expect.objectContaining({ id: Command.verdiepen, type: 'action', title: 'Verdiepen', context: ['message'], fetchTask: true })]);
  });

  it('rejects a manifest without a valid bot id, with the same validation', async () => {
    const missing = fillManifest(TEMPLATE, { ...values({ VERDIEP_ENV: 'production', BOT_ID, ...URLS }).values, BOT_ID: '' });
    const problems = await validateManifest(missing);
    expect(problems.some((p) => p.startsWith('/bots/0/botId'))).toBe(true);
    expect(problems.some((p) => p.startsWith('/composeExtensions/0/botId'))).toBe(true);

    const withoutBots = { ...production() } as Partial<Manifest>;
    delete withoutBots.bots;
    delete withoutBots.composeExtensions;
    expect(await validateManifest({ ...withoutBots, developer: { name: 'Verdiep' } })).not.toEqual([]);
    expect(await validateManifest({ ...production(), manifestVersion: '1.99' })).not.toEqual([]);
  });

  it('refuses a template value that is missing, and a schema that is not an official local one', async () => {
    expect(() => fillManifest(TEMPLATE, { BOT_ID })).toThrow(/no value for .*TEAMS_APP_ID/);
    await expect(validateManifest({ ...production(), $schema: 'https://example.org/schema.json' })).rejects.toThrow(/not an official Teams manifest schema/);
    expect(await validateManifest({ ...production(), $schema: undefined })).toEqual(['manifest has no $schema']);
  });

  it('escapes values for JSON', () => {
    const manifest = fillManifest(TEMPLATE, { ...values({ VERDIEP_ENV: 'production', BOT_ID, ...URLS }).values, APP_WEBSITE_URL: 'https://zsm.example.nl/"quoted"\\path' });
    expect(manifest.developer.websiteUrl).toBe('https://zsm.example.nl/"quoted"\\path');
  });
});

describe('the template values per environment', () => {
  it('locally: the local bot id, placeholder addresses, the environment in the name', () => {
    const local = values({});
    expect(local.env).toBe('local');
    expect(local.values).toMatchObject({ BOT_ID: LOCAL_BOT_ID, TEAMS_APP_ID: LOCAL_BOT_ID, APP_VERSION: '0.1.0', APP_NAME_SUFFIX: ' (local)' });
    expect(local.values.APP_PRIVACY_URL).toMatch(/^https:\/\//);
  });

  it('elsewhere: the bot id from the configuration or an explicit BOT_ID, and real addresses', () => {
    const fromConfig = values({ VERDIEP_ENV: 'dev', MICROSOFT_APP_ID: BOT_ID, MICROSOFT_APP_PASSWORD: 'geheim', ALLOWED_TENANT_IDS: 't', ...URLS });
    expect(fromConfig.values).toMatchObject({ BOT_ID, APP_NAME_SUFFIX: ' (dev)', APP_PRIVACY_URL: URLS.APP_PRIVACY_URL });
    // The full configuration does not validate here (no secret): an explicit BOT_ID is enough.
    const explicit = values({ VERDIEP_ENV: 'production', BOT_ID, TEAMS_APP_ID: '0f0e0d0c-0b0a-4908-8706-050403020100', APP_VERSION: '1.2.3', ...URLS });
    expect(explicit.values).toMatchObject({ BOT_ID, TEAMS_APP_ID: '0f0e0d0c-0b0a-4908-8706-050403020100', APP_VERSION: '1.2.3', APP_NAME_SUFFIX: '' });
  });

  it('elsewhere: says what is missing or wrong', () => {
    const none = manifestValues({ VERDIEP_ENV: 'production' }, '0.1.0');
    expect(none.ok).toBe(false);
    if (none.ok) return;
    expect(none.problems.some((p) => p.includes('BOT_ID'))).toBe(true);
    for (const name of Object.keys(URLS)) expect(none.problems.some((p) => p.startsWith(name))).toBe(true);
    const bad = manifestValues({ VERDIEP_ENV: 'test', BOT_ID: 'niet-een-guid', ...URLS }, '0.1.0');
    expect(bad.ok ? [] : bad.problems).toEqual(['BOT_ID: "niet-een-guid" is not a Microsoft app id (a GUID)']);
    const placeholder = manifestValues({ VERDIEP_ENV: 'test', BOT_ID: LOCAL_BOT_ID, ...URLS }, '0.1.0');
    expect(placeholder.ok).toBe(false);
    expect(manifestValues({ VERDIEP_ENV: 'staging', BOT_ID }, '0.1.0').ok).toBe(false);
  });
});

describe('the icons', () => {
  it('color.png is 192×192 and outline.png 32×32 with an alpha channel (transparent background)', () => {
    expect(pngInfo(readFileSync(join(APP_PACKAGE_DIR, 'color.png')))).toMatchObject({ width: 192, height: 192 });
    expect(pngInfo(readFileSync(join(APP_PACKAGE_DIR, 'outline.png')))).toEqual({ width: 32, height: 32, alpha: true });
    expect(iconProblems(production())).toEqual([]);
  });

  it('a wrong size or an opaque outline is found', () => {
    const dir = mkdtempSync(join(tmp, 'icons-'));
    copyFileSync(join(APP_PACKAGE_DIR, 'outline.png'), join(dir, 'color.png'));
    copyFileSync(join(APP_PACKAGE_DIR, 'color.png'), join(dir, 'outline.png'));
    const problems = iconProblems(production(), dir);
    expect(problems).toEqual([
      'icons.color: color.png is 32×32, must be 192×192',
      'icons.outline: outline.png is 192×192, must be 32×32',
      'icons.outline: outline.png must have a transparent background',
    ]);
    expect(() => pngInfo(Buffer.from('not a png at all, but long enough to read'))).toThrow(/not a PNG/);
  });
});

describe('npm run package', () => {
  it('writes appPackage/build/verdiep-<env>.zip with manifest.json and both icons at its root', async () => {
    const outDir = join(tmp, 'build');
    const { path, manifest } = await packageApp({ environment: { VERDIEP_ENV: 'test', BOT_ID, ...URLS }, envDir: join(tmp, 'no-env-files'), outDir });
    expect(path).toBe(join(outDir, 'verdiep-test.zip'));
    const zip = await JSZip.loadAsync(readFileSync(path));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const inZip = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
    expect(inZip).toEqual(manifest);
    expect(inZip.bots?.[0]?.botId).toBe(BOT_ID);
    expect(inZip.name.short).toBe('Verdiep (test)');
    expect(await validateManifest(inZip)).toEqual([]);
    for (const icon of ['color.png', 'outline.png']) expect((await zip.file(icon)!.async('nodebuffer')).equals(readFileSync(join(APP_PACKAGE_DIR, icon)))).toBe(true);
  });

  it('refuses to package without a bot id outside local, and writes nothing', async () => {
    const outDir = join(tmp, 'refused');
    const attempt = packageApp({ environment: { VERDIEP_ENV: 'production', ...URLS }, envDir: join(tmp, 'no-env-files'), outDir });
    await expect(attempt).rejects.toBeInstanceOf(PackageError);
    await expect(attempt).rejects.toThrow(/BOT_ID/);
    expect(() => readFileSync(join(outDir, 'verdiep-production.zip'))).toThrow();
  });
});
