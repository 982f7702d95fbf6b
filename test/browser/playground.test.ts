import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sparticuz from '@sparticuz/chromium';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/process';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { ROOT, startPlayground, type RunningPlayground } from '../../scripts/playground';

/**
 * The real Teams-like client end to end: the bot (in this process, on a temporary SQLite file),
 * the Microsoft 365 Agents Playground (its own process, configured by .m365agentsplayground.yml)
 * and a headless Chromium from the npm package @sparticuz/chromium driving the Playground's UI.
 * Nothing leaves the machine.
 */

/** team.id in .m365agentsplayground.yml. */
const TEAM_ID = '19:zsm-haarlem-team@thread.tacv2';
const BOT_ID = '00000000-0000-0000-0000-00000000b0d1';
const REFERENCE = '13/123456-26';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('the Agents Playground with Chromium', { timeout: 60_000 }, () => {
  let dir: string;
  let bot: RunningBot | undefined;
  let playground: RunningPlayground | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  /** The bot's log lines (info and up), shown when the test fails. */
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verdiep-playground-'));
    // The Playground's tenant is the default one locally: no ALLOWED_TENANT_IDS, as in `npm run playground`.
    const parsed = parseConfig({ VERDIEP_ENV: 'local', PORT: '0', HOST: '127.0.0.1', SQLITE_PATH: join(dir, 'verdiep.db') });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    bot = await startBot(parsed.config, createLogger('info', sink));
    playground = await startPlayground({
      botEndpoint: `http://127.0.0.1:${bot.port}/api/messages`,
      port: await freePort(),
      logFile: join(dir, 'm365agentsplayground.log'),
      noBrowser: true,
    });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      // Unpacks the browser shipped in the package to the temp folder (once) and returns its path.
      executablePath: await sparticuz.executablePath(),
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        // Resolve nothing but this machine (no update or metrics look-ups).
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
        // Chromium refuses its sandbox as root (CI containers).
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
    // The Playground asks a CDN for fonts and animations: only local requests may pass.
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      return host === 'localhost' || host === '127.0.0.1' ? route.continue() : route.abort('blockedbyclient');
    });
    // One page for the whole test: the UI drops messages that arrive while no page is open.
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await playground?.child.stop();
    await bot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('flags a case from the channel: @Verdiep verdiep, the form card, Markeren, a new thread with its verdiepingskaart; the lead sees the content through Bekijken and invites a partner, whose question card follows in the thread', async () => {
    try {
      await page.goto(playground!.url, { waitUntil: 'domcontentloaded' });
      await page.getByText('ZSM', { exact: true }).first().click();

      // A new channel post with a real @mention: type "@Ver" and pick the bot from the suggestions.
      const compose = page.locator('[data-lexical-editor="true"]').first();
      await compose.click();
      await compose.pressSequentially('@Ver');
      await page.getByRole('menuitem', { name: 'Verdiep' }).click();
      await compose.pressSequentially(' verdiep');
      const sent = page.waitForRequest((r) => r.method() === 'POST' && /\/conversations\/[^/]+\/messages$/.test(new URL(r.url()).pathname));
      await page.getByRole('button', { name: 'Post', exact: true }).click();
      const message = (await sent).postDataJSON() as { text: string; mentions?: { mentioned: { id: string }; text: string }[] };
      expect(message.text).toBe('<at>Verdiep</at> verdiep');
      expect(message.mentions).toEqual([{ mentioned: { id: BOT_ID, name: 'Verdiep' }, text: '<at>Verdiep</at>' }]);

      const form = page.locator('.ac-adaptiveCard').filter({ hasText: 'Zaak markeren voor verdieping' });
      await form.getByLabel('Zaaknummer').fill(REFERENCE);
      await form.getByRole('checkbox', { name: 'LVB (licht verstandelijk beperkt)' }).check();
      await form.getByLabel('Signaal / buikpijn', { exact: false }).fill('Man (61) stal drie blikjes cola. Zijn netwerk is weggevallen: moeder overleden, zwager met een beroerte.');
      // Roles are a multi-select (one or more): tick Verdachte, then close the list.
      await form.getByPlaceholder('Kies een rol').click();
      await page.getByRole('menuitemcheckbox', { name: 'Verdachte', exact: true }).click();
      await page.keyboard.press('Escape');
      await form.getByPlaceholder('Leeftijdsklasse').click();
      await page.getByRole('option', { name: '65 jaar of ouder' }).click();
      await form.getByRole('button', { name: 'Markeren' }).click();

      // The case gets its own thread: a new channel post with the case card ...
      const post = page.locator('div[role="group"].fui-Card').filter({ hasText: `Verdiepingszaak ${REFERENCE}` });
      await expect.poll(() => post.count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => post.innerText()).toContain('LVB (licht verstandelijk beperkt)');
      // ... and the form is replaced in place by the confirmation.
      await page.getByText(`Zaak ${REFERENCE} is gemarkeerd voor verdieping`).waitFor();
      expect(await form.count()).toBe(0);

      // The channel's case card shows status only; "Bekijken" gives the case lead the content.
      expect(await post.innerText()).not.toContain('drie blikjes cola');
      await post.getByRole('button', { name: 'Bekijken' }).first().click();
      await expect.poll(() => post.innerText(), { timeout: 15_000 }).toContain('drie blikjes cola');

      // The verdiepingskaart (the nine leidende principes) follows in the thread right after the answer.
      const verdiepingskaart = page.locator('.ac-adaptiveCard').filter({ hasText: `Verdiepingskaart van zaak ${REFERENCE}` });
      await expect.poll(() => verdiepingskaart.count(), { timeout: 15_000 }).toBe(1);
      const gemarkeerd = await bot!.store.findCaseByReference(TEAM_ID, REFERENCE);
      expect(gemarkeerd?.fase).toBe('gemarkeerd');
      expect(gemarkeerd?.thread?.conversationId).toMatch(/^19:zsm-haarlem-zsm@thread\.tacv2;messageid=/);
      expect(gemarkeerd?.verdiepingskaartId).toBeTruthy();

      // "Partner uitnodigen" opens the form in place; the question's card then follows in the thread
      // through the outbox (the dispatcher posts it after the answer), naming whom it asks, not what.
      await post.getByRole('button', { name: 'Partner uitnodigen' }).first().click();
      const uitnodiging = page.locator('.ac-adaptiveCard').filter({ hasText: 'Partner uitnodigen' });
      await uitnodiging.getByPlaceholder('Kies een teamlid').click();
      await page.getByRole('option', { name: 'Samira el Idrissi (Veilig Thuis)' }).click();
      await uitnodiging.getByPlaceholder('Kies de organisatie').click();
      await page.getByRole('option', { name: 'Veilig Thuis' }).click();
      await uitnodiging.getByPlaceholder('Welke vraag moet deze partner beantwoorden?').fill('Is het gezin bij Veilig Thuis bekend?');
      await uitnodiging.getByPlaceholder('Wat verandert er aan het besluit door het antwoord?').fill('Bepaalt of zorg voor straf gaat.');
      await uitnodiging.getByRole('button', { name: 'Uitnodigen', exact: true }).click();
      const vraagkaart = page.locator('.ac-adaptiveCard').filter({ hasText: 'gevraagd aan Samira el Idrissi (Veilig Thuis)' });
      await expect.poll(() => vraagkaart.count(), { timeout: 15_000 }).toBe(1);
      expect(await vraagkaart.innerText()).not.toContain('Is het gezin bij Veilig Thuis bekend?');
      const zaak = await bot!.store.findCaseByReference(TEAM_ID, REFERENCE);
      expect(zaak?.fase).toBe('contextinformatie');
      expect(zaak?.uitvragen.map((u) => [u.invitee.name, !!u.messageId])).toEqual([['Samira el Idrissi (Veilig Thuis)', true]]);
    } catch (err) {
      mkdirSync(join(ROOT, 'test-results'), { recursive: true });
      const shot = join(ROOT, 'test-results', 'playground-failure.png');
      await page.screenshot({ path: shot }).catch(() => undefined);
      (err as Error).message += `\n(screenshot: ${shot})\nbot log:\n${logs.slice(-20).join('\n')}`;
      throw err;
    }
  });
});
