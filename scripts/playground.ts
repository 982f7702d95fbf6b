/**
 * `npm run playground`: the built bot plus the Microsoft 365 Agents Playground, offline.
 *
 * Starts dist/src/index.js (VERDIEP_ENV=local, embedded SQLite store, PORT or 3978), waits for
 * GET /healthz, then starts the Playground (a simulated Teams client, configured by
 * .m365agentsplayground.yml) against it and prints the URL to open. Ctrl-C stops both.
 *
 * Environment: PORT (the bot, default 3978), PLAYGROUND_PORT (default 56150; when it is busy the
 * Playground picks another port, and the URL printed says which), TEAMSAPPTESTER_BROWSER=none
 * (do not try to open a browser), SQLITE_PATH and the bot's other settings (see README).
 *
 * The Playground pieces are exported for test/browser/playground.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The repository root (this file runs from dist/scripts/ or, in tests, from scripts/). */
export const ROOT = resolve(__dirname, basename(dirname(__dirname)) === 'dist' ? '../..' : '..');
export const PLAYGROUND_CONFIG = join(ROOT, '.m365agentsplayground.yml');
const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

export interface Child {
  name: string;
  process: ChildProcess;
  /** Its output goes to this process's output as well. */
  echoed: boolean;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<string>;
  /** What it wrote lately (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has ended. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns a node script; its output is kept and, with `echo`, passed through line by line with a prefix. */
export function spawnNode(name: string, script: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; echo?: boolean }): Child {
  const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    if (options.echo) stream.write(text.replace(/^(?=.)/gm, `[${name}] `));
  };
  child.stdout.on('data', collect(process.stdout));
  child.stderr.on('data', collect(process.stderr));
  const exited = new Promise<string>((done) => {
    child.once('exit', (code, signal) => done(signal ?? String(code)));
    child.once('error', (err) => done(err.message));
  });
  return {
    name,
    process: child,
    echoed: options.echo ?? false,
    exited,
    output: () => output,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function failure(child: Child, what: string): Error {
  // Echoed output is already on screen: do not repeat it.
  const output = child.echoed ? '' : child.output().trim();
  return new Error(`${child.name}: ${what}${output ? `\n${output}` : ''}`);
}

/** Polls `url` until `accept(status, body)`; fails early when `child` exits, or after `timeoutMs`. */
export async function waitForHttp(url: string, child: Child, accept: (status: number, body: string) => boolean, timeoutMs = 30_000): Promise<void> {
  let ended: string | undefined;
  void child.exited.then((how) => (ended = how));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ended !== undefined) throw failure(child, `exited (${ended}) before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (accept(res.status, await res.text())) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw failure(child, `${url} did not answer within ${timeoutMs} ms`);
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** The port to ask for; a busy port makes the Playground choose another. */
  port: number;
  /** Where the Playground writes its log (by default it creates ./devTools/ in its working directory). */
  logFile: string;
  /** Never open a browser (TEAMSAPPTESTER_BROWSER=none); otherwise the environment decides. */
  noBrowser?: boolean;
  /** Pass its output through to this process's output. */
  echo?: boolean;
  /** Called as soon as the process exists, so a caller can stop it even while it starts. */
  onSpawn?: (child: Child) => void;
}

export interface RunningPlayground {
  child: Child;
  port: number;
  url: string;
}

/**
 * Starts the Agents Playground as Teams (`-c msteams`) with telemetry and App Insights
 * statsbeat off: together these keep it from making any outside connection.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: PLAYGROUND_CONFIG,
    M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
    ...(options.noBrowser ? { TEAMSAPPTESTER_BROWSER: 'none' } : {}),
  };
  const args = ['start', '-e', options.botEndpoint, '-c', 'msteams', '-p', String(options.port), '--disable-telemetry'];
  const child = spawnNode('playground', PLAYGROUND_CLI, args, { cwd: ROOT, env, echo: options.echo ?? false });
  options.onSpawn?.(child);
  try {
    // Its own port may differ from the one asked for: read it from "Listening on N".
    let seen = '';
    const port = await new Promise<number>((found, fail) => {
      const timer = setTimeout(() => fail(failure(child, 'reported no port within 30 s')), 30_000);
      const look = (chunk: Buffer) => {
        seen += chunk.toString();
        const match = /Listening on (\d+)/.exec(seen);
        if (!match) return;
        clearTimeout(timer);
        child.process.stdout?.off('data', look);
        found(Number(match[1]));
      };
      child.process.stdout?.on('data', look);
      void child.exited.then((how) => {
        clearTimeout(timer);
        fail(failure(child, `exited (${how}) before it listened`));
      });
    });
    // It listens before it has checked its config file: wait for an answer from a live process.
    await waitForHttp(`http://127.0.0.1:${port}/_debug/ping`, child, (status, body) => status === 200 && body.includes('pong'), 15_000);
    await new Promise((r) => setTimeout(r, 300));
    if (child.process.exitCode !== null) throw failure(child, `exited (${child.process.exitCode}); is ${PLAYGROUND_CONFIG} valid?`);
    return { child, port, url: `http://localhost:${port}` };
  } catch (err) {
    await child.stop();
    // It logs why it stopped (e.g. an invalid config file) to its log file only.
    const reasons = existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8').split('\n').filter((l) => l.startsWith('error ')) : [];
    if (reasons.length > 0) (err as Error).message += `\n${reasons.join('\n')}`;
    throw err;
  }
}

async function main(): Promise<void> {
  const botPort = Number(process.env.PORT ?? 3978);
  const children: Child[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map((c) => c.stop()));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  // Last resort (e.g. a crash here): never leave a child behind.
  process.on('exit', () => children.forEach((c) => c.process.exitCode === null && c.process.kill('SIGKILL')));

  try {
    const bot = spawnNode('bot', join(ROOT, 'dist', 'src', 'index.js'), [], {
      cwd: ROOT,
      env: { ...process.env, VERDIEP_ENV: 'local', STORE: 'sqlite', PORT: String(botPort) },
      echo: true,
    });
    children.push(bot);
    await waitForHttp(`http://127.0.0.1:${botPort}/healthz`, bot, (status) => status === 200);
    const playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${botPort}/api/messages`,
      port: Number(process.env.PLAYGROUND_PORT ?? 56150),
      logFile: join(ROOT, 'data', 'm365agentsplayground.log'),
      echo: true,
      onSpawn: (child) => children.push(child),
    });
    console.log(
      [
        '',
        `Verdiep (bot):                    http://127.0.0.1:${botPort}/api/messages`,
        `Microsoft 365 Agents Playground:  ${playground.url}`,
        '',
        'Open the Playground, choose the channel "ZSM" (team ZSM Haarlem) and post "@Verdiep verdiep":',
        'type "@Ver", pick Verdiep from the list, then " verdiep". Ctrl-C stops both.',
        '',
      ].join('\n'),
    );
    const first = await Promise.race(children.map((c) => c.exited.then((how) => ({ name: c.name, how }))));
    // Ctrl-C reaches the children too (same process group): let our own handler win that race.
    await new Promise((r) => setTimeout(r, 200));
    if (!stopping) {
      console.error(`${first.name} stopped (${first.how}); stopping the rest.`);
      await stop(1);
    }
  } catch (err) {
    if (stopping) return; // Stopped while starting: the failure is ours.
    console.error((err as Error).message);
    if (children[0]?.output().includes('EADDRINUSE')) console.error(`Port ${botPort} is in use: stop what uses it, or set PORT to another port.`);
    await stop(1);
  }
}

if (require.main === module) void main();
