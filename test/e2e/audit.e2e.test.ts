import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type Browser } from 'playwright-core';
import { startTestServer } from '../support/test-server.ts';
import { DEMO_PASSWORD, HAS_CHROMIUM, launchBrowser, login, menuLabels, newPage, screenshot } from './browser.ts';

describe.skipIf(!HAS_CHROMIUM)('the auditor reads the audit log', { timeout: 120_000 }, () => {
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

  it('shows the admin’s create and update of a group, with the before/after difference', async () => {
    // Set-up through the API as the admin: create a group, then rename it.
    const admin = await request.newContext({ baseURL: server.baseUrl });
    expect((await admin.post('/api/session', { data: { username: 'admin', password: DEMO_PASSWORD } })).status()).toBe(200);
    const created = await admin.post('/api/groups', { data: { code: 'E2E-AUDIT', nameZh: '审计测试稀土集团', nameEn: 'Audit Test Rare Earth Group' } });
    expect(created.status()).toBe(201);
    const group = (await created.json()) as { id: string };
    const renamed = await admin.patch(`/api/groups/${group.id}`, { data: { nameZh: '审计测试稀土集团（更名）' } });
    expect(renamed.status()).toBe(200);
    await admin.dispose();

    const { context, page } = await newPage(browser, server.baseUrl);
    await login(page, 'auditor');
    expect(await menuLabels(page)).toContain('审计日志');
    await page.getByTestId('menu-audit').click();
    await page.getByTestId('audit-actor').locator('input').fill('admin');
    await page.getByTestId('audit-actor').locator('input').press('Enter');

    const rows = page.locator('[data-testid="audit-table"] tr.ant-table-row', { hasText: group.id });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain('修改');
    expect(await rows.nth(1).innerText()).toContain('新建');
    for (const text of await rows.allInnerTexts()) expect(text).toContain('稀土集团');

    // The update's difference: the old and the new name.
    await rows.nth(0).locator('.ant-table-row-expand-icon').click();
    const diff = page.getByTestId('audit-diff').first();
    await expect.poll(() => diff.innerText()).toContain('审计测试稀土集团（更名）');
    const diffText = await diff.innerText();
    expect(diffText).toContain('nameZh');
    expect(diffText).toContain('审计测试稀土集团');
    await screenshot(page, 'audit-01-group-diff');
    await context.close();
  });
});
