import { join } from 'node:path';
import { parseConfig, readEnvFiles } from './config';
import { createLogger } from './log';
import { guardProcess, startBot } from './bot/process';

/** Wires the process: config, logger, bot, graceful stop. */
async function main(): Promise<void> {
  const parsed = parseConfig(readEnvFiles(join(__dirname, '..', '..', 'env'), process.env));
  if (!parsed.ok) {
    for (const problem of parsed.problems) console.error(problem);
    process.exit(1);
  }
  const { config } = parsed;
  const log = createLogger(config.logLevel);
  guardProcess(log);
  const bot = await startBot(config, log).catch((err: Error) => {
    // E.g. Cosmos DB unreachable, or its containers missing: say so in one line, then stop.
    log.fatal({ err: err.message, store: config.store.kind }, 'could not start');
    process.exit(1);
  });
  log.info({ port: bot.port, env: config.env, store: bot.store.kind, auth: config.auth.MicrosoftAppId ? 'on' : 'off' }, 'Verdiep is listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await bot.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
