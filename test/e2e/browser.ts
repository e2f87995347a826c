/**
 * Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, the real
 * server from test/support/test-server.ts, and helpers to log in and take screenshots.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer } from '../support/test-server.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM && process.env.YTTERBY_E2E_REQUIRED === '1') {
  throw new Error(`${CHROMIUM} is missing and CI requires the browser tests (apt-get install -y chromium fonts-noto-cjk)`);
}
if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium fonts-noto-cjk)`);
}

export { DEMO_PASSWORD } from '../../src/modules/demo/demo.seed.ts';
import { DEMO_PASSWORD } from '../../src/modules/demo/demo.seed.ts';
export const SCREENSHOTS = 'test-results';

/** Any Han character: what must not remain once the console is in English. */
export const HAN = /\p{Script=Han}/u;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A fresh context (own cookies and localStorage) with a desktop viewport. */
export async function newPage(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  // CI shares two cores with the database suites: give slow steps room, fail fast locally.
  context.setDefaultTimeout(process.env.CI ? 30_000 : 15_000);
  const page = await context.newPage();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Logs in through the login form and waits for the console's layout. */
export async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-menu').waitFor();
}

/** The visible text of the side menu's items. */
export async function menuLabels(page: Page): Promise<string[]> {
  const labels = await page.locator('[data-testid^="menu-"]').allInnerTexts();
  return labels.map((l) => l.trim()).filter(Boolean);
}

/**
 * A real server and a browser for one describe block: `as(username)` opens a signed-in page in a
 * fresh context; everything is closed after the block.
 */
export function consoleSession(): { as(username: string, password?: string): Promise<Page> } {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });
  return {
    async as(username, password) {
      const { context, page } = await newPage(browser!, server!.baseUrl);
      contexts.push(context);
      await login(page, username, password);
      return page;
    },
  };
}
