import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type Browser } from 'playwright-core';
import { startTestServer } from '../support/test-server.ts';
import { DEMO_PASSWORD, HAS_CHROMIUM, launchBrowser, login, newPage, screenshot } from './browser.ts';

interface EnterpriseRow { id: string; nameZh: string; domicileDivisionCode: string }

describe.skipIf(!HAS_CHROMIUM)('a county official sees only the county', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists only Xunwu enterprises for the Xunwu official and shows not-found for a Longnan enterprise’s page', async () => {
    // A Longnan enterprise, found with the admin's eyes.
    const admin = await request.newContext({ baseURL: server.baseUrl });
    expect((await admin.post('/api/session', { data: { username: 'admin', password: DEMO_PASSWORD } })).status()).toBe(200);
    const longnan = (await (await admin.get('/api/enterprises?divisionCode=360783&pageSize=10')).json()) as { items: EnterpriseRow[] };
    const target = longnan.items[0];
    expect(target, 'the demo data has an enterprise in Longnan').toBeDefined();
    await admin.dispose();

    const { context, page } = await newPage(browser, server.baseUrl);
    await login(page, 'xunwu');
    expect(await page.getByTestId('current-user-role').innerText()).toBe('地方主管人员');
    await page.getByTestId('menu-enterprises').click();
    await page.getByTestId('enterprise-link').first().waitFor();
    const divisions = await page.getByTestId('enterprise-division').allInnerTexts();
    expect(divisions.length).toBeGreaterThan(0);
    expect(new Set(divisions)).toEqual(new Set(['360734']));
    const api = (await (await page.request.get('/api/enterprises?pageSize=500')).json()) as { items: EnterpriseRow[]; total: number };
    expect(api.items.every((e) => e.domicileDivisionCode === '360734')).toBe(true);
    await screenshot(page, 'jurisdiction-01-xunwu-list');

    await page.goto(`/enterprises/${target!.id}`);
    await page.locator('[data-testid="state-not-found"], [data-testid="state-forbidden"]').waitFor();
    expect(await page.getByTestId('enterprise-detail').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(target!.nameZh);
    await screenshot(page, 'jurisdiction-02-longnan-not-found');
    await context.close();
  });
});
