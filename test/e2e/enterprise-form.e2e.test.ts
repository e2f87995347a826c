import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../support/test-server.ts';
import { HAS_CHROMIUM, launchBrowser, login, newPage, screenshot } from './browser.ts';

const VALID = '91350100M000100Y43';
const WRONG_CHECK = '91350100M000100Y44';

async function pickFromSelect(page: Page, testId: string, search: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: search }).first().click();
}

/** The error texts shown under the form field that holds the given input. */
function fieldErrors(page: Page, inputTestId: string) {
  return page.locator('.ant-form-item', { has: page.getByTestId(inputTestId) }).locator('.ant-form-item-explain-error');
}

async function enterprisesWithCode(page: Page, code: string): Promise<{ creditCode: string }[]> {
  const res = await page.request.get(`/api/enterprises?q=${code}&pageSize=50`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: { creditCode: string }[] };
  return body.items.filter((e) => e.creditCode === code);
}

describe.skipIf(!HAS_CHROMIUM)('creating an enterprise from the console', { timeout: 120_000 }, () => {
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

  it('shows the server’s check-character error next to the credit code, stores nothing, then creates the enterprise once the code is fixed', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    await login(page, 'admin');
    expect(await enterprisesWithCode(page, VALID)).toEqual([]);

    await page.getByTestId('menu-enterprises').click();
    await page.getByTestId('enterprise-new').click();
    await page.getByTestId('field-creditCode').fill(WRONG_CHECK);
    await page.getByTestId('field-nameZh').fill('福州端到端测试稀土贸易有限公司');
    await page.getByTestId('field-nameEn').fill('Fuzhou End-to-End Test Rare Earth Trading Co., Ltd.');
    await pickFromSelect(page, 'field-domicileDivisionCode', '360734');
    await page.getByTestId('field-capacityTonnesReo').fill('150.5');
    await page.getByLabel('贸易').check();
    await page.getByTestId('enterprise-submit').click();

    // The server's error sits under the credit-code field, translated.
    await expect.poll(() => fieldErrors(page, 'field-creditCode').allInnerTexts()).toContain('统一社会信用代码校验位错误');
    await screenshot(page, 'enterprise-01-check-character-error');
    expect(await fieldErrors(page, 'field-nameZh').count()).toBe(0);
    expect(await enterprisesWithCode(page, WRONG_CHECK)).toEqual([]);
    expect(await enterprisesWithCode(page, VALID)).toEqual([]);

    // Fixing the code clears the error and creates the enterprise.
    await page.getByTestId('field-creditCode').fill(VALID);
    await page.getByTestId('enterprise-submit').click();
    await expect.poll(() => page.getByTestId('detail-credit-code').innerText()).toBe(VALID);
    expect(await page.getByTestId('detail-division').innerText()).toBe('360734');
    await screenshot(page, 'enterprise-02-created');
    expect(await enterprisesWithCode(page, VALID)).toHaveLength(1);

    // It shows in the list.
    await page.getByTestId('menu-enterprises').click();
    await page.getByTestId('enterprise-search').locator('input').fill(VALID);
    await page.getByTestId('enterprise-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('enterprise-link').allInnerTexts()).toEqual(['福州端到端测试稀土贸易有限公司']);
    await screenshot(page, 'enterprise-03-in-list');
    await context.close();
  });
});
