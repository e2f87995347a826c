/**
 * Traceability in the console, as the Ningbo magnet maker: it downloads the flows template,
 * fills in a month (two exports of its magnet lot, one with a quantity that is not a number),
 * uploads it and sees the error by row and column, fixes the row and uploads again, closes the
 * month, and follows the magnet lot back through the metal and the oxide to the Xunwu mine in
 * the genealogy graph, expanding it node by node.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoFlowMonth } from '../../src/modules/demo/demo.trace.ts';
import { COLUMNS, KIND_WORDS, SHEET_NAMES, type ColumnKey } from '../../src/modules/trace/spreadsheet.template.ts';
import { consoleSession, HAS_CHROMIUM, screenshot, SCREENSHOTS } from './browser.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAGNET = 'MAG-NDFEB-SINTERED';

interface LotOut { uri: string; productCode: string; holdings: { enterpriseId: string; kg: string }[] }

function chinaYearMonth(): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric' }).formatToParts(new Date());
  return { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) };
}

/** The flows sheet's rows as cells by column key, written into the downloaded template. */
async function fillTemplate(template: Buffer, rows: Partial<Record<ColumnKey, string | number>>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(SHEET_NAMES.flows['zh-CN']);
  expect(sheet, 'the template has the 流向 sheet').toBeDefined();
  // The header row is the spreadsheet helper's vocabulary, in Chinese for a Chinese console.
  const header = new Map<string, number>();
  sheet!.getRow(1).eachCell((cell, col) => header.set(String(cell.value), col));
  for (const c of COLUMNS) expect(header.has(c['zh-CN']), `template column ${c['zh-CN']}`).toBe(true);
  rows.forEach((row, i) => {
    for (const [key, value] of Object.entries(row)) {
      const col = header.get(COLUMNS.find((c) => c.key === key)!['zh-CN'])!;
      sheet!.getCell(i + 2, col).value = value;
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: XLSX, buffer: bytes });
}

/** Opens a page of the Traceability menu group, opening the group first when it is closed. */
async function openTraceMenu(page: Page, section: string): Promise<void> {
  const item = page.getByTestId('side-menu').getByTestId(`menu-${section}`);
  for (let i = 0; i < 3 && !(await item.isVisible()); i++) {
    await page.getByTestId('menu-trace').click();
    await item.waitFor({ timeout: 3000 }).catch(() => undefined);
  }
  await item.click();
}

/** The genealogy node of a product (the first, when there are several). */
const node = (page: Page, product: string) => page.locator(`[data-testid="genealogy-node"][data-product="${product}"]`).first();

describe.skipIf(!HAS_CHROMIUM)('traceability in the console', { timeout: 600_000 }, () => {
  const { as } = consoleSession();

  it('uploads a month with a bad row, fixes it, closes the month and follows a magnet lot back to the mine', async () => {
    const page = await as('ningbo-magnet');
    const session = (await (await page.request.get('/api/session')).json()) as { user: { enterprise: { id: string; creditCode: string } } };
    const own = session.user.enterprise;
    const lots = (await (await page.request.get(`/api/trace/lots?productCode=${MAGNET}`)).json()) as { items: LotOut[] };
    const magnet = lots.items.find((l) => l.holdings.some((h) => h.enterpriseId === own.id && Number(h.kg) >= 2000));
    expect(magnet, 'the demo magnet maker holds a magnet lot').toBeDefined();
    const lotNumber = decodeURIComponent(magnet!.uri.split('/10/')[1]!);

    // ── 1. The upload page, reached through the Traceability menu group; the template in Chinese.
    await openTraceMenu(page, 'traceUpload');
    await expect.poll(() => page.getByTestId('page-title').innerText()).toBe('表格上报');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-download').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const templatePath = `${SCREENSHOTS}/trace-template.xlsx`;
    await download.saveAs(templatePath);
    const template = readFileSync(templatePath);

    // ── 2. A month of flows: two exports of the magnet lot, the second with a quantity that is not a number.
    const flowMonth = demoFlowMonth();
    const now = chinaYearMonth();
    const flowsThisMonth = flowMonth.year === now.year && flowMonth.month === now.month;
    // Late in the demo's month; in January the demo's flows run up to now, so the exports are dated a few minutes ago (never in the future).
    const minutesAgo = (m: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(Date.now() - m * 60_000));
    const day = (d: number) => (flowsThisMonth ? minutesAgo(30 - d) : `${flowMonth.year}-${String(flowMonth.month).padStart(2, '0')}-${String(d).padStart(2, '0')} 10:00`);
    const exportRow = (d: number, quantityKg: string | number, customsNo: string) => ({
      kind: KIND_WORDS.export['zh-CN'], eventTime: day(d), lotUri: magnet!.uri, quantityKg, country: 'DE', customsNo,
    });
    // Something that is not a workbook is refused as such.
    await upload(page, '说明.xlsx', Buffer.from('not a workbook'));
    await expect.poll(() => page.getByTestId('form-problem').innerText()).toContain('无法读取该文件');
    const bad = await fillTemplate(template, [exportRow(25, 1000, '310120261000990001'), exportRow(26, '五百', '310120261000990002')]);
    writeFileSync(`${SCREENSHOTS}/trace-upload-bad.xlsx`, bad);
    await upload(page, '流向-有误.xlsx', bad);
    await page.getByTestId('upload-rejected').waitFor();
    await expect.poll(() => page.getByTestId('upload-error-row').allInnerTexts()).toEqual(['3']);
    expect(await page.getByTestId('upload-error-column').allInnerTexts()).toEqual([COLUMNS.find((c) => c.key === 'quantityKg')!['zh-CN']]);
    await screenshot(page, 'trace-01-upload-rejected-by-row-and-column');

    // ── 3. Fixed, the same month goes in: one event per row.
    const good = await fillTemplate(template, [exportRow(25, 1000, '310120261000990001'), exportRow(26, 500, '310120261000990002')]);
    await upload(page, '流向.xlsx', good);
    await page.getByTestId('upload-success').waitFor();
    await expect.poll(() => page.getByTestId('upload-job-stored').innerText()).toBe('2');
    await expect.poll(() => page.getByTestId('upload-errors').count()).toBe(0);
    await screenshot(page, 'trace-02-upload-accepted');

    // The capture log lists the job.
    await openTraceMenu(page, 'traceCaptures');
    await expect.poll(() => page.getByTestId('capture-state').first().innerText()).toBe('成功');

    // ── 4. Closing the previous month: its mass balance holds the magnet, then the month is closed.
    await openTraceMenu(page, 'traceClosings');
    await page.getByTestId('mass-balance-table').waitFor();
    const previous = (() => {
      const now = chinaYearMonth();
      return now.month === 1 ? { year: now.year - 1, month: 12 } : { year: now.year, month: now.month - 1 };
    })();
    if (previous.year === flowMonth.year && previous.month === flowMonth.month) {
      await expect.poll(() => page.getByTestId('mass-balance-table').innerText()).toContain('烧结钕铁硼');
    }
    await page.getByTestId('close-month').click();
    await page.locator('.ant-popover:not(.ant-popover-hidden)').getByTestId('confirm-close-month').click();
    await page.getByTestId('closing-result').waitFor();
    await expect.poll(() => page.getByTestId('close-month').innerText()).toContain('本月已结账');
    await screenshot(page, 'trace-03-month-closed');

    // ── 5. The magnet lot's page and its genealogy, expanded upstream node by node to the mine.
    await openTraceMenu(page, 'traceLots');
    await page.getByTestId('lots-search').locator('input').fill(lotNumber);
    await page.getByTestId('lots-search').locator('input').press('Enter');
    await page.getByTestId('lot-link').filter({ hasText: lotNumber }).first().click();
    await page.getByTestId('lot-page').waitFor();
    const verifyPath = `/l/${own.creditCode}/${MAGNET}/10/${encodeURIComponent(lotNumber)}`;
    await expect.poll(() => page.getByTestId('verify-link').first().getAttribute('href')).toBe(verifyPath);
    // The link leads to the public verification page (served without sign-in).
    const verify = await page.request.get(verifyPath);
    expect(verify.status()).toBe(200);
    expect(verify.headers()['content-type']).toContain('text/html');
    await page.getByTestId('genealogy-graph').waitFor();
    const root = page.locator('[data-testid="genealogy-node"][data-root="true"]');
    await expect.poll(() => root.getAttribute('data-product')).toBe(MAGNET);
    // Its direct parent, the Pr-Nd metal, with the quantities on the edge (both lots are the magnet maker's to see).
    await node(page, 'MET-PRND').waitFor();
    const metalEdge = page.locator(`[data-testid="genealogy-edge"][data-to="${magnet!.uri}"]`).first();
    await expect.poll(() => metalEdge.textContent()).toContain('3,300');
    await screenshot(page, 'trace-04-genealogy-first-step');

    // Upstream, one generation at a time: the metal's oxide, then the oxide's ore.
    await node(page, 'MET-PRND').getByTestId('expand-upstream').click();
    await node(page, 'OX-PRND').waitFor();
    await node(page, 'OX-PRND').getByTestId('expand-upstream').click();
    const ore = page.locator('[data-testid="genealogy-node"][data-product^="CONC-ION"]').first();
    await ore.waitFor();
    // The mine's lot: mined in Xunwu county, quota noted; another enterprise's lot, so no quantities.
    await expect.poll(() => ore.getByTestId('node-origin').innerText()).toMatch(/^开采/);
    await expect.poll(() => ore.getByTestId('node-origin').innerText()).toContain('寻乌');
    expect(await ore.getByTestId('node-redacted').count()).toBe(1);
    expect(await ore.getByTestId('node-quantity').count()).toBe(0);
    expect(await ore.getByTestId('expand-upstream').count()).toBe(0);
    await ore.getByTestId('node-quota').waitFor();
    // The root's badge says whether its history reaches the mine in full.
    await expect.poll(() => page.getByTestId('genealogy-complete').getAttribute('data-complete')).toBe('true');
    await screenshot(page, 'trace-05-genealogy-to-the-mine');
  });
});
