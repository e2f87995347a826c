import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer } from '../support/test-server.ts';
import { HAN, HAS_CHROMIUM, launchBrowser, login, menuLabels, newPage, screenshot } from './browser.ts';

describe.skipIf(!HAS_CHROMIUM)('the console speaks Chinese first and English second', { timeout: 120_000 }, () => {
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

  it('shows an error on the login page when the password is wrong', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await page.goto('/login');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('用户名或密码错误');
    await screenshot(page, 'i18n-01-login-error');
    await context.close();
  });

  it('opens in Chinese for the admin, switches every menu label to English, and back', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await login(page, 'admin');

    // Chinese by default.
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('工作台');
    const zhMenu = await menuLabels(page);
    expect(zhMenu).toEqual(['工作台', '企业', '生产企业认定', '产品目录', '年度计划', '指标分配', '指标通知', '执行情况', '追溯', '报告', '行政区划', '稀土集团', '主管部门', '用户', '审计日志']);
    expect(await page.getByTestId('current-user-role').innerText()).toBe('部级管理员');
    await screenshot(page, 'i18n-02-dashboard-zh');

    // English.
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('Dashboard');
    const enMenu = await menuLabels(page);
    expect(enMenu).toEqual(['Dashboard', 'Enterprises', 'Designations', 'Products', 'Annual plans', 'Allocation', 'Notices', 'Execution', 'Traceability', 'Reports', 'Divisions', 'Groups', 'Departments', 'Users', 'Audit log']);
    for (const label of enMenu) expect(label).not.toMatch(HAN);
    expect(await page.getByTestId('side-menu').innerText()).not.toMatch(HAN);
    expect(await page.getByTestId('current-user-role').innerText()).toBe('Ministry administrator');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');

    // Another page's title and antd's own strings (pagination) follow too.
    await page.getByTestId('menu-enterprises').click();
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('Enterprises');
    await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toMatch(/in total$/);
    await expect.poll(() => page.locator('.ant-pagination-options').innerText()).toMatch(/page/);
    await screenshot(page, 'i18n-03-enterprises-en');

    // The choice survives a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('Enterprises');

    // And back to Chinese.
    await page.getByTestId('lang-zh').click();
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('企业');
    expect(await menuLabels(page)).toEqual(zhMenu);
    await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toMatch(/^共 \d+ 条$/);
    await screenshot(page, 'i18n-04-enterprises-zh');
    await context.close();
  });
});
