/**
 * `npm run package`: the Teams app package for one environment.
 *
 * Fills appPackage/manifest.json (a template, see scripts/manifest.ts for its `${{NAME}}` values)
 * for VERDIEP_ENV (default local), validates it against the official Teams manifest schema
 * (offline), checks the icons, and writes appPackage/build/verdiep-<env>.zip with manifest.json,
 * color.png and outline.png at its root. Upload that zip in Teams (Apps → Manage your apps →
 * Upload an app) or the Teams admin center.
 *
 * Values come from env/.env.<env>, env/.env.<env>.user and the process environment, as for the
 * bot: BOT_ID (else MICROSOFT_APP_ID), TEAMS_APP_ID, APP_VERSION, APP_WEBSITE_URL,
 * APP_PRIVACY_URL, APP_TERMS_URL.
 */
import JSZip from 'jszip';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEnvFiles } from '../src/config';
import { APP_PACKAGE_DIR, MANIFEST_TEMPLATE, ROOT, fillManifest, iconProblems, manifestValues, validateManifest, type Manifest } from './manifest';

export interface PackageOptions {
  /** The process environment (VERDIEP_ENV and the values above). */
  environment: NodeJS.ProcessEnv;
  /** Where env/.env.<env> files are read from; default <root>/env. */
  envDir?: string;
  /** Where the zip goes; default appPackage/build. */
  outDir?: string;
}

export class PackageError extends Error {
  constructor(public readonly problems: string[]) {
    super(`the app package cannot be built:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

/** Builds and writes the app package; returns the zip's path and the manifest in it. */
export async function packageApp(options: PackageOptions): Promise<{ path: string; env: string; manifest: Manifest }> {
  const packageVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const resolved = manifestValues(readEnvFiles(options.envDir ?? join(ROOT, 'env'), options.environment), packageVersion);
  if (!resolved.ok) throw new PackageError(resolved.problems);

  const manifest = fillManifest(readFileSync(MANIFEST_TEMPLATE, 'utf8'), resolved.values);
  const problems = [...(await validateManifest(manifest)).map((p) => `manifest${p}`), ...iconProblems(manifest)];
  if (problems.length > 0) throw new PackageError(problems);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of [manifest.icons.color, manifest.icons.outline]) zip.file(icon, readFileSync(join(APP_PACKAGE_DIR, icon)));
  const outDir = options.outDir ?? join(APP_PACKAGE_DIR, 'build');
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `verdiep-${resolved.env}.zip`);
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { path, env: resolved.env, manifest };
}

if (require.main === module) {
  packageApp({ environment: process.env }).then(
    ({ path, manifest }) => {
      console.log(`Teams app package: ${path}`);
      console.log(`  app id ${manifest.id}, bot id ${manifest.bots?.[0]?.botId}, version ${manifest.version}, manifest ${manifest.manifestVersion}`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
