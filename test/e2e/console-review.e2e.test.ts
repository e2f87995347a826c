import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../support/test-server.ts';
import { HAS_CHROMIUM, launchBrowser, login, newPage, screenshot } from './browser.ts';

/** Whether a table scrolls sideways (its content wider than the space it has). */
async function scrollsSideways(page: Page, tableTestId?: string): Promise<boolean> {
  const selector = tableTestId ? `[data-testid="${tableTestId}"] .ant-table-content` : '.ant-table-content';
  await page.locator(selector).first().waitFor();
  return page.locator(selector).first().evaluate((el) => el.scrollWidth > el.clientWidth + 1);
}

async function pickFromSelect(page: Page, testId: string, search: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: search }).first().click();
}

describe.skipIf(!HAS_CHROMIUM)('the console as an MIIT official reads it, at 1440 px', { timeout: 180_000 }, () => {
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

  it('names divisions and ministries, fits the wide tables, shows the header in full, and sorts English lists by credit code', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await login(page, 'admin');

    // Header: the user's name and department in full.
    const name = page.getByTestId('current-user-name');
    expect(await name.innerText()).toBe('系统管理员（工业和信息化部原材料工业司）');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    const org = page.getByTestId('current-user-org');
    expect(await org.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

    // Enterprises: division names next to the codes, and no sideways scrolling.
    await page.getByTestId('menu-enterprises').click();
    await page.getByTestId('enterprise-link').first().waitFor();
    const domicile = page.locator('[data-testid="enterprise-table"] td', { has: page.getByTestId('enterprise-division') });
    await expect.poll(async () => (await domicile.allInnerTexts()).filter((s) => /^\d{6} \S/.test(s)).length).toBeGreaterThan(10);
    expect(await scrollsSideways(page, 'enterprise-table')).toBe(false);
    await screenshot(page, 'review-01-enterprises-zh');

    // In English: English names, ordered by credit code, still fitting.
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('Enterprises');
    await expect.poll(async () => {
      const codes = (await page.locator('[data-testid="enterprise-table"] tbody tr.ant-table-row td:first-child').allInnerTexts()).map((s) => s.trim());
      return codes.length > 10 && codes.every((c, i) => i === 0 || codes[i - 1]! <= c);
    }).toBe(true);
    await expect.poll(async () => (await domicile.allInnerTexts()).some((s) => /^\d{6} [A-Z]/.test(s))).toBe(true);
    expect(await scrollsSideways(page, 'enterprise-table')).toBe(false);
    expect(await page.getByTestId('current-user-org').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await screenshot(page, 'review-02-enterprises-en');

    // Products: fits in both languages.
    await page.getByTestId('menu-products').click();
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('Product catalogue');
    await page.locator('.ant-table-row').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'review-03-products-en');
    await page.getByTestId('lang-zh').click();
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('产品目录');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'review-04-products-zh');

    // Divisions and departments: parents and divisions with names.
    await page.getByTestId('menu-divisions').click();
    await expect.poll(() => page.locator('.ant-table-row').nth(5).innerText()).toMatch(/\d{6} \S+/);
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId('menu-departments').click();
    await expect.poll(async () => (await page.locator('.ant-table-row').allInnerTexts()).some((s) => /\d{6} \p{Script=Han}/u.test(s))).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);

    // Designations: ministries by name; no revoking what has expired.
    await page.getByTestId('menu-designations').click();
    await page.locator('.ant-table-row').first().waitFor();
    await expect.poll(() => page.locator('.ant-table-row').first().innerText()).toContain('工业和信息化部、自然资源部');
    expect(await page.locator('.ant-table-row').first().innerText()).not.toContain('MIIT');
    const expired = page.locator('.ant-table-row', { hasText: '已过期' });
    for (let i = 0; i < await expired.count(); i++) expect(await expired.nth(i).getByTestId('designation-revoke').count()).toBe(0);
    expect(await page.getByTestId('designation-revoke').count()).toBeGreaterThan(0);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'review-05-designations-zh');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.locator('.ant-table-row').first().innerText()).toContain('MIIT, MNR');
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId('lang-zh').click();
    await context.close();
  });

  it('records an Art. 14 penalty, lists the quota rules, tags the current-year plan, and audits it all in words', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await login(page, 'admin');

    // Plans: published history is tagged as such, the demo's current-year plan is not.
    await page.getByTestId('menu-quotaPlans').click();
    await page.getByTestId('plan-history-chart').waitFor();
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const plans = (await (await page.request.get('/api/quota/plans')).json()) as { year: number; historical: boolean }[];
    const row = (y: number) => page.locator('[data-testid="plans-table"] tr.ant-table-row', { has: page.getByTestId('plan-link').filter({ hasText: new RegExp(`^${y}$`) }) });
    await expect.poll(() => row(2014).getByTestId('plan-historical').count()).toBe(1);
    if (plans.some((p) => p.year === year && !p.historical)) {
      expect(await row(year).getByTestId('plan-historical').count()).toBe(0);
      expect(await row(year).getByTestId('plan-current').innerText()).toBe('本年度');
    }
    // Rules: every key in words.
    await expect.poll(() => page.getByTestId('rule-key').allInnerTexts()).toEqual(expect.arrayContaining(['预警阈值', '冶炼分离最低产能', '集团分解指标期限', '第十四条核减规则']));
    expect(await page.getByTestId('rules-table').innerText()).toContain('现行');
    expect(await scrollsSideways(page, 'plans-table')).toBe(false);
    await screenshot(page, 'review-06-plans-rules');

    // Penalties on the execution page: record one through the form.
    await page.getByTestId('menu-quotaBalances').click();
    await page.getByTestId('penalties-card').waitFor();
    await page.getByTestId('penalty-new').click();
    await pickFromSelect(page, 'penalty-enterprise-select', '寻乌');
    await page.getByTestId('penalty-document-no').fill('赣工信罚〔E2E〕1号');
    await page.getByTestId('penalty-authority').fill('江西省工业和信息化厅');
    await page.getByTestId('penalty-legal-basis').fill('《稀土管理条例》第二十五条');
    await page.getByTestId('penalty-over-produced').fill('120');
    await page.getByTestId('modal-ok').click();
    await expect.poll(() => page.getByTestId('penalties-table').innerText()).toContain('赣工信罚〔E2E〕1号');
    expect(await page.getByTestId('penalties-table').innerText()).toContain('120');
    expect(await scrollsSideways(page, 'balances-table')).toBe(false);
    await expect.poll(async () => (await page.getByTestId('balance-division').count()) > 0).toBe(true);
    await screenshot(page, 'review-07-balances-penalty');

    // The audit log says what happened in words, in both languages.
    await page.getByTestId('menu-audit').click();
    await pickFromSelect(page, 'audit-entity', '行政处罚');
    const rows = page.locator('[data-testid="audit-table"] tr.ant-table-row');
    await expect.poll(() => rows.first().innerText()).toContain('行政处罚');
    expect(await rows.first().innerText()).toContain('新建');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => rows.first().innerText()).toContain('Penalty');
    expect(await page.getByTestId('audit-table').innerText()).not.toMatch(/\bpenalty\b/);
    await screenshot(page, 'review-08-audit-en');
    await page.getByTestId('lang-zh').click();
    await context.close();
  });

  it('shows an enterprise user only the no-access result on /audit', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await login(page, 'xunwu-mine');
    await page.goto('/audit');
    await page.getByTestId('state-forbidden').waitFor();
    expect(await page.getByTestId('filter-bar').count()).toBe(0);
    expect(await page.getByTestId('audit-table').count()).toBe(0);
    await screenshot(page, 'review-09-audit-forbidden');
    await context.close();
  });
});
