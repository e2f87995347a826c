/**
 * Implementation reports in the console (Order No. 71 Art. 9, 12), for the previous month, on
 * the demo's state: the Xunwu mine has not reported yet and its ion-adsorption line needs an
 * explanation (the ledger differs from the flows). The mine tries to submit without one and is
 * refused at the field, explains and submits; Xunwu county returns it with a reason; the mine
 * sees the reason, corrects and resubmits; the county accepts and compiles; Jiangxi opens the
 * overview, drills into Ganzhou and finds Xunwu county's compiled figures (both Xunwu mines
 * summed) and Anyuan county listed as missing. The report's PDF is downloaded with the page's
 * cookies and verified, through the API and on the verification page, and a tampered signed
 * JSON is refused there.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { consoleSession, HAN, HAS_CHROMIUM, screenshot } from './browser.ts';

const INDICATOR = 'mining_ion_adsorption';
const XUNWU = '360734';
const ANYUAN = '360726';
const GANZHOU = '360700';
const JIANGXI = '360000';

interface Line { indicator: string; periodReoGrams: string }
interface Prefill { content: { lines: Line[] }; explanationsRequired: { index: number; indicator: string; reason: string }[]; dueDate: string; latest: { id: string; status: string } | null }
interface Summary { id: string; level: string; subjectKey: string; divisionCode: string | null; status: string; version: number; nameZh: string }
interface Detail extends Summary { content: { lines: Line[] } }
interface UnitStatus { level: string; key: string; status: string; overdue: boolean; dueDate: string }

const china = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', ...options });

/** The month before this one in China, as YYYY-MM: the period the demo leaves part-way. */
function previousPeriod(): string {
  const parts = china({ year: 'numeric', month: 'numeric' }).formatToParts(new Date());
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

const todayInChina = () => china({ year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** Integer grams → tonnes with three decimals and thousands separators, as the console shows them. */
function tonnes(grams: bigint): string {
  const kg = (grams + 500n) / 1000n;
  const digits = kg.toString().padStart(4, '0');
  return `${digits.slice(0, -3).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${digits.slice(-3)}`;
}

async function json<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.status(), `${url}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

/** Opens a page of the Reports menu group, opening the group first when it is closed. */
async function openReportsMenu(page: Page, section: string): Promise<void> {
  const item = page.getByTestId('side-menu').getByTestId(`menu-${section}`);
  for (let i = 0; i < 3 && !(await item.isVisible()); i++) {
    await page.getByTestId('menu-reports').click();
    await item.waitFor({ timeout: 3000 }).catch(() => undefined);
  }
  await item.click();
}

function fieldErrors(page: Page, inputTestId: string) {
  return page.locator('.ant-form-item', { has: page.getByTestId(inputTestId) }).locator('.ant-form-item-explain-error');
}

async function confirm(page: Page): Promise<void> {
  await page.locator('.ant-popover:not(.ant-popover-hidden)').getByTestId('confirm-ok').click();
}

/** Submits the enterprise report form and answers the server's response (status and body). */
async function submitReport(page: Page): Promise<{ status: number; body: { report?: Summary; errors?: { field: string; rule: string }[] } }> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/reports/enterprise') && r.request().method() === 'POST', { timeout: 60_000 }),
    page.getByTestId('report-submit').click(),
  ]);
  return { status: response.status(), body: await response.json() };
}

describe.skipIf(!HAS_CHROMIUM)('implementation reports in the console', { timeout: 600_000 }, () => {
  const { as } = consoleSession();

  it('submits with an explanation, is returned and corrected, accepted, compiled, and shows in the province overview; the PDF verifies', async () => {
    const period = previousPeriod();
    const [year, month] = period.split('-').map(Number) as [number, number];
    const today = todayInChina();

    // ── 1. The mine's report page: prefilled, not yet submitted, its one line needing an explanation.
    const mine = await as('xunwu-mine');
    const session = await json<{ user: { enterprise: { id: string } } }>(mine, '/api/session');
    const enterpriseId = session.user.enterprise.id;
    const prefill = await json<Prefill>(mine, `/api/reports/prefill?enterpriseId=${enterpriseId}&period=${period}`);
    expect(prefill.latest, 'the demo leaves the mine\'s previous month unreported').toBeNull();
    expect(prefill.content.lines.map((l) => l.indicator)).toEqual([INDICATOR]);
    expect(prefill.explanationsRequired).toEqual([{ index: 0, indicator: INDICATOR, reason: 'differs_from_flows' }]);
    const minePeriodGrams = BigInt(prefill.content.lines[0]!.periodReoGrams);

    await openReportsMenu(mine, 'reportsEnterprise');
    await expect.poll(() => mine.getByTestId('page-title').innerText()).toBe('执行情况报告');
    await expect.poll(() => mine.getByTestId('report-period-label').innerText()).toBe(`${year}年${month}月`);
    await expect.poll(() => mine.getByTestId('latest-status').getAttribute('data-status')).toBe('none');
    await expect.poll(() => mine.getByTestId('line-indicator').getAttribute('data-indicator')).toBe(INDICATOR);
    expect(await mine.getByTestId('line-period').innerText()).toBe(tonnes(minePeriodGrams));
    expect(await mine.getByTestId('explanation-reason').getAttribute('data-reason')).toBe('differs_from_flows');

    // Without the explanation the server refuses, and says so at the field.
    const refused = await submitReport(mine);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'lines.0.explanation', rule: 'required' })]);
    await expect.poll(() => fieldErrors(mine, 'explanation-0').allInnerTexts()).toEqual(['台账产量与流向折算产量不一致，须说明差异原因']);
    await screenshot(mine, 'reports-01-explanation-required');

    // Explained, it goes in as version 1, late if today is past the due date.
    await mine.getByTestId('explanation-0').fill('部分矿产品在系统上线前已入库，流向自上线起录入。');
    await mine.getByTestId('report-remarks').fill('首次报送');
    const first = await submitReport(mine);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const v1 = first.body.report!;
    expect(v1.version).toBe(1);
    await mine.getByTestId('report-submitted').waitFor();
    await expect.poll(() => mine.getByTestId('latest-status').getAttribute('data-status')).toBe('submitted');
    expect(await mine.getByTestId('submitted-late').count()).toBe(today > prefill.dueDate ? 1 : 0);
    await expect.poll(() => mine.getByTestId('version-status').allInnerTexts()).toEqual(['待审核']);

    // ── 2. Xunwu county finds it in its inbox and returns it with a reason.
    const county = await as('xunwu');
    await openReportsMenu(county, 'reportsInbox');
    const inboxLink = county.getByTestId('inbox-table').locator(`[data-testid="report-link"][data-report-id="${v1.id}"]`);
    await inboxLink.click();
    await expect.poll(() => county.getByTestId('detail-status').getAttribute('data-status')).toBe('submitted');
    expect(await county.getByTestId('detail-period').innerText()).toBe(period);
    expect(await county.getByTestId('line-explanation').innerText()).toBe('部分矿产品在系统上线前已入库，流向自上线起录入。');
    const reason = '请补充上线前入库矿产品的数量与入库日期。';
    await county.getByTestId('report-return').click();
    await county.getByTestId('return-reason-input').fill(reason);
    await county.getByTestId('modal-ok').click();
    await expect.poll(() => county.getByTestId('detail-status').getAttribute('data-status'), { timeout: 45_000 }).toBe('returned');
    expect(await county.getByTestId('detail-return-reason').innerText()).toBe(reason);

    // ── 3. The mine sees the reason, corrects the explanation and resubmits (no correction reason asked: it was returned).
    await mine.reload();
    await expect.poll(() => mine.getByTestId('return-reason').innerText()).toBe(reason);
    await expect.poll(() => mine.getByTestId('latest-status').getAttribute('data-status')).toBe('returned');
    // The last version's explanation is carried into the form.
    await expect.poll(() => mine.getByTestId('explanation-0').inputValue()).toBe('部分矿产品在系统上线前已入库，流向自上线起录入。');
    expect(await mine.getByTestId('correction-reason').count()).toBe(0);
    await screenshot(mine, 'reports-02-returned-with-reason');
    const corrected = '上线前（当月 1–5 日）入库离子型稀土矿产品 95 吨（折 REO 87.4 吨），已补录盘点；其余差额为在途。';
    await mine.getByTestId('explanation-0').fill(corrected);
    const second = await submitReport(mine);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const v2 = second.body.report!;
    expect(v2.version).toBe(2);
    await expect.poll(() => mine.getByTestId('latest-status').getAttribute('data-status')).toBe('submitted');
    await expect.poll(() => mine.getByTestId('version-status').allInnerTexts()).toEqual(['待审核', '已退回']);

    // ── 4. The county accepts version 2 and compiles the county.
    await openReportsMenu(county, 'reportsInbox');
    await county.getByTestId('inbox-table').locator(`[data-testid="report-link"][data-report-id="${v2.id}"]`).click();
    await expect.poll(() => county.getByTestId('line-explanation').innerText()).toBe(corrected);
    await county.getByTestId('report-accept').click();
    // Wait for the server's answer itself, so a slow machine is told apart from a refusal or a missed click.
    const [acceptance] = await Promise.all([
      county.waitForResponse((r) => r.url().endsWith(`/api/reports/${v2.id}/accept`) && r.request().method() === 'POST', { timeout: 90_000 }),
      confirm(county),
    ]);
    expect(acceptance.status(), await acceptance.text()).toBe(200);
    await expect.poll(() => county.getByTestId('detail-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('accepted');

    // What the county compiles: the two Xunwu mines' accepted reports, summed.
    const accepted = await json<Summary[]>(county, `/api/reports?period=${period}&level=enterprise&status=accepted`);
    const xunwuReports = accepted.filter((r) => r.divisionCode === XUNWU);
    expect(xunwuReports.map((r) => r.nameZh).sort()).toEqual(['赣州寻乌东江源稀土矿业有限公司', '赣州寻乌南岭稀土矿业有限公司']);
    let expectedGrams = 0n;
    for (const r of xunwuReports) {
      const detail = await json<Detail>(county, `/api/reports/${r.id}`);
      for (const l of detail.content.lines) if (l.indicator === INDICATOR) expectedGrams += BigInt(l.periodReoGrams);
    }
    expect(expectedGrams).toBeGreaterThanOrEqual(minePeriodGrams);

    await openReportsMenu(county, 'reportsCompile');
    await expect.poll(() => county.getByTestId('preview-constituents').locator('.ant-table-row').count()).toBe(2);
    expect(await county.getByTestId('compile-pending').count()).toBe(0);
    await expect.poll(() => county.getByTestId('preview-lines').getByTestId('line-period').allInnerTexts()).toEqual([tonnes(expectedGrams)]);
    await county.getByTestId('compile-remarks').fill('寻乌县两家矿山均已报送并审核通过。');
    await county.getByTestId('compile-submit').click();
    await confirm(county);
    await county.getByTestId('compile-success').waitFor({ timeout: 60_000 });
    await expect.poll(() => county.getByTestId('own-compilation-status').getAttribute('data-status')).toBe('submitted');
    await screenshot(county, 'reports-03-county-compiled');

    // ── 5. Jiangxi: the province overview for the month, then Ganzhou's counties.
    const province = await as('jiangxi');
    const overview = await json<{ outstanding: UnitStatus[] }>(province, `/api/reports/overview?period=${period}&divisionCode=${GANZHOU}`);
    const anyuan = overview.outstanding.find((u) => u.key === ANYUAN);
    expect(anyuan, 'Anyuan county is outstanding').toMatchObject({ level: 'county', status: 'missing' });
    expect(overview.outstanding.some((u) => u.key === XUNWU)).toBe(false);

    await openReportsMenu(province, 'reportsOverview');
    await expect.poll(() => province.getByTestId('overview-unit-name').innerText()).toBe('江西省');
    // Outstanding at every level: Anyuan county is missing (and overdue once its due date has passed); Xunwu county is not.
    const outstandingAnyuan = province.getByTestId('outstanding-table').locator('.ant-table-row', { has: province.locator(`[data-testid="outstanding-name"][data-key="${ANYUAN}"]`) });
    await expect.poll(() => outstandingAnyuan.getByTestId('unit-status').getAttribute('data-status')).toBe('missing');
    expect(await outstandingAnyuan.getByTestId('overdue-tag').count()).toBe(anyuan!.overdue ? 1 : 0);
    expect(await province.getByTestId('outstanding-table').locator(`[data-testid="outstanding-name"][data-key="${XUNWU}"]`).count()).toBe(0);

    // Drill into Ganzhou: Xunwu county submitted with its compiled figure, Anyuan missing.
    await province.getByTestId('overview-children').locator(`[data-testid="child-link"][data-key="${GANZHOU}"]`).click();
    await expect.poll(() => province.getByTestId('crumb').allInnerTexts()).toEqual(['江西省', '赣州市']);
    const xunwuRow = province.locator(`[data-testid="child-row"][data-key="${XUNWU}"]`);
    await expect.poll(() => xunwuRow.getAttribute('data-status')).toBe('submitted');
    await expect.poll(() => xunwuRow.locator(`[data-testid="child-period"][data-indicator="${INDICATOR}"]`).innerText()).toBe(tonnes(expectedGrams));
    const anyuanRow = province.locator(`[data-testid="child-row"][data-key="${ANYUAN}"]`);
    expect(await anyuanRow.getAttribute('data-status')).toBe('missing');
    expect(await anyuanRow.getByTestId('unit-status').innerText()).toBe('未报送');
    expect(await anyuanRow.getByTestId('overdue-tag').count()).toBe(anyuan!.overdue ? 1 : 0);
    // The year's execution charts are drawn.
    await expect.poll(() => province.getByTestId('execution-cumulative').locator('svg').count()).toBe(1);
    await expect.poll(() => province.getByTestId('execution-monthly').locator('svg path').count()).toBeGreaterThan(0);
    await screenshot(province, 'reports-04-overview-ganzhou');

    // Down to Xunwu's enterprises, then the mine's report; back up by the breadcrumb.
    await xunwuRow.getByTestId('child-link').click();
    await expect.poll(() => province.getByTestId('crumb').allInnerTexts()).toEqual(['江西省', '赣州市', '寻乌县']);
    await province.locator(`[data-testid="child-link"][data-key="${enterpriseId}"]`).click();
    await expect.poll(() => province.getByTestId('detail-version').innerText()).toBe('2');
    expect(await province.getByTestId('detail-status').getAttribute('data-status')).toBe('accepted');
    await province.goBack();
    await province.locator(`[data-testid="crumb"][data-key="${JIANGXI}"]`).click();
    await expect.poll(() => province.getByTestId('overview-unit-name').innerText()).toBe('江西省');

    // In English the overview speaks English (names come from the registry's English names).
    await province.getByTestId('lang-en').click();
    await expect.poll(() => province.getByTestId('page-title').innerText()).toBe('Reporting overview');
    await expect.poll(() => province.getByTestId('overview-children').innerText()).not.toMatch(HAN);
    expect(await province.getByTestId('outstanding-table').innerText()).not.toMatch(HAN);
    await province.getByTestId('lang-zh').click();

    // ── 6. The PDF from the mine's report page, fetched with the page's cookies, verifies.
    await mine.reload();
    await expect.poll(() => mine.getByTestId('latest-status').getAttribute('data-status')).toBe('accepted');
    const href = await mine.getByTestId('report-downloads').getByTestId('download-pdf').getAttribute('href');
    expect(href).toBe(`/api/reports/${v2.id}/pdf?lang=zh-CN`);
    const pdf = await mine.request.get(href!);
    expect(pdf.status()).toBe(200);
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const verified = await mine.request.post('/api/reports/verify', { headers: { 'content-type': 'application/pdf' }, data: bytes });
    expect(verified.status()).toBe(200);
    expect(await verified.json()).toMatchObject({ valid: true, seal: { reportId: v2.id, version: 2, period } });

    // The verification page says the same of the PDF, and refuses a signed JSON whose figure was changed.
    await openReportsMenu(mine, 'reportsVerify');
    await mine.locator('input[type=file]').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: bytes });
    await expect.poll(() => mine.getByTestId('verify-result').getAttribute('data-valid')).toBe('true');
    expect(await mine.getByTestId('verify-period').innerText()).toBe(period);
    await screenshot(mine, 'reports-05-verified');
    const signed = (await (await mine.request.get(`/api/reports/${v2.id}/signed`)).json()) as { content: { lines: Line[] } };
    signed.content.lines[0]!.periodReoGrams = String(BigInt(signed.content.lines[0]!.periodReoGrams) - 1_000_000n);
    await mine.locator('input[type=file]').setInputFiles({ name: 'report.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(signed)) });
    await expect.poll(() => mine.getByTestId('verify-result').getAttribute('data-valid')).toBe('false');
    expect(await mine.getByTestId('verify-result').getAttribute('data-reason')).toBe('content_changed');
    expect(await mine.getByTestId('verify-reason').innerText()).toContain('签章后有数字或文字被改动');
  });
});
