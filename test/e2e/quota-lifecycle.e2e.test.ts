/**
 * The total quantity control lifecycle in the console (Order No. 71 Art. 5–8): a plan for next
 * year is drafted, signed off by MIIT, MNR and NDRC, submitted and approved; a batch allocates
 * to China Rare Earth Group, is prepared by one person and issued by another; the group's split
 * to the Xunwu mine is recorded; Jiangxi acknowledges and forwards the notice, Xunwu county
 * acknowledges; the mine sees its balance; a posted production crosses 80% and the alert shows.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, consoleSession, HAS_CHROMIUM, screenshot } from './browser.ts';

const NDRC_PASSWORD = 'Signer-e2e-password-2026';

function chinaYearMonth(): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric' }).formatToParts(new Date());
  return { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) };
}

/** Today in China as YYYY-MM-DD (the server refuses an approval dated in the future). */
function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Waits until no select dropdown is open (or closing), so the next one is not confused with it. */
async function dropdownClosed(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
}

/** Opens an antd Select by its test id, types to search, and picks the first option containing the text. */
async function pick(page: Page, testId: string, search: string, optionText: string | RegExp = search): Promise<void> {
  await page.getByTestId(testId).click();
  if (search) await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: optionText }).first().click();
  await dropdownClosed(page);
}

/** Picks an option of a non-searchable antd Select. */
async function choose(page: Page, testId: string, optionText: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: optionText }).first().click();
  await dropdownClosed(page);
}

function fieldErrors(page: Page, inputTestId: string) {
  return page.locator('.ant-form-item', { has: page.getByTestId(inputTestId) }).locator('.ant-form-item-explain-error');
}

async function confirm(page: Page): Promise<void> {
  await page.locator('.ant-popover:not(.ant-popover-hidden)').getByTestId('confirm-ok').click();
}

describe.skipIf(!HAS_CHROMIUM)('the quota lifecycle in the console', { timeout: 600_000 }, () => {
  const { as } = consoleSession();

  it('drafts, signs off, approves, allocates, issues with four eyes, splits, notifies, and raises the 80% alert', async () => {
    const { year: current } = chinaYearMonth();
    const next = current + 1;

    // ── Set-up through the API: an NDRC signer — the demo's if it has one, else the admin creates it.
    const admin = await as('admin');
    expect((await admin.request.get(`/api/quota/plans/${next}`)).status(), `no ${next} plan yet`).toBe(404);
    const national = (await (await admin.request.get('/api/departments?level=national&pageSize=100')).json()) as { items: { id: string; code: string }[] };
    const ndrcDept = national.items.find((d) => d.code === 'NDRC');
    expect(ndrcDept, 'the demo has the NDRC department').toBeDefined();
    const created = await admin.request.post('/api/users', {
      data: { username: 'ndrc', displayName: 'NDRC', password: NDRC_PASSWORD, role: 'ministry_reviewer', departmentId: ndrcDept!.id },
    });
    expect([201, 409], await created.text()).toContain(created.status());
    const ndrcPassword = created.status() === 201 ? NDRC_PASSWORD : DEMO_PASSWORD;

    // ── 1. The admin drafts next year's plan.
    await admin.getByTestId('menu-quotaPlans').click();
    await admin.getByTestId('plan-history-chart').waitFor();
    await expect.poll(() => admin.getByTestId('plan-link').allInnerTexts()).toContain('2014');
    await screenshot(admin, 'quota-01-plans-history');
    await admin.getByTestId('plan-new').click();
    await expect.poll(() => admin.getByTestId('plan-year').inputValue()).toBe(String(next));
    // Lines start as rock-type, ion-adsorption, smelting separation.
    await admin.getByTestId('plan-line-amount-0').fill('250000');
    await admin.getByTestId('plan-line-amount-1').fill('20000');
    await admin.getByTestId('plan-line-amount-2').fill('250000');
    await admin.getByTestId('plan-basis-text').fill('端到端测试：资源储量、产业发展、生态保护和市场需求（第五条）');
    await admin.getByTestId('modal-ok').click();
    await admin.getByTestId('plan-detail').waitFor();
    await expect.poll(() => admin.getByTestId('plan-status').first().innerText()).toBe('草案');
    await expect.poll(() => admin.getByTestId('plan-lines').innerText()).toContain('20,000');

    // ── 2. MIIT (the admin's ministry), MNR and NDRC agree.
    await admin.getByTestId('plan-agree').click();
    await confirm(admin);
    await expect.poll(() => admin.getByTestId('signoff-MIIT').innerText()).toContain('同意');
    await screenshot(admin, 'quota-02-plan-miit-agreed');

    const mnr = await as('mnr');
    await mnr.getByTestId('menu-quotaPlans').click();
    await mnr.getByTestId('plan-link').filter({ hasText: String(next) }).click();
    await mnr.getByTestId('plan-agree').click();
    await confirm(mnr);
    await expect.poll(() => mnr.getByTestId('signoff-MNR').innerText()).toContain('同意');

    const ndrc = await as('ndrc', ndrcPassword);
    await ndrc.goto(`/quota/plans/${next}`);
    await ndrc.getByTestId('plan-agree').click();
    await confirm(ndrc);
    await expect.poll(() => ndrc.getByTestId('plan-status').first().innerText()).toBe('三部门同意');
    expect(await ndrc.getByTestId('plan-agree').count()).toBe(0);
    await screenshot(ndrc, 'quota-03-plan-agreed');

    // ── 3. The admin submits to the State Council and records its approval.
    await admin.reload();
    await admin.getByTestId('plan-submit').click();
    await confirm(admin);
    await expect.poll(() => admin.getByTestId('plan-status').first().innerText()).toBe('已报国务院');
    await admin.getByTestId('plan-record-approval').click();
    await admin.getByTestId('approval-document-no').fill(`国函〔${next}〕1号`);
    await admin.locator('.ant-modal .ant-picker input').click();
    await admin.locator('.ant-modal .ant-picker input').fill(chinaToday());
    await admin.locator('.ant-modal .ant-picker input').press('Enter');
    await admin.getByTestId('modal-ok').click();
    await expect.poll(() => admin.getByTestId('plan-status').first().innerText()).toBe('已批准');
    expect(await admin.getByTestId('plan-approval-doc').innerText()).toBe(`国函〔${next}〕1号`);
    await screenshot(admin, 'quota-04-plan-approved');

    // ── 4. A batch for that year allocates 5,000 t ion-adsorption to China Rare Earth Group.
    await admin.getByTestId('plan-batches').click();
    await admin.getByTestId('batch-new').click();
    // Name the batch explicitly: the suggested name depends on the batch list, which may still be loading on a busy machine.
    await admin.getByTestId('batch-name').fill('第一批');
    await admin.getByTestId('modal-ok').click();
    await admin.getByTestId('batch-detail').waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
      await screenshot(admin, 'quota-failed-batch-create');
      throw error;
    });
    await admin.getByTestId('allocation-add').click();
    // An enterprise whose safety licence lapsed is refused: the problem is said once, naming the licence and the date.
    await pick(admin, 'allocation-enterprise', '东江源');
    await admin.getByTestId('allocation-amount').fill('100');
    await admin.getByTestId('modal-ok').click();
    await expect.poll(() => fieldErrors(admin, 'allocation-enterprise').allInnerTexts()).toContain('该企业的安全生产许可证已于 2025-08-31 过期');
    const licenceErrors = await fieldErrors(admin, 'allocation-enterprise').allInnerTexts();
    expect(new Set(licenceErrors).size, licenceErrors.join(' | ')).toBe(licenceErrors.length);
    expect(licenceErrors.join(' ')).not.toContain('该企业缺少所需许可证');
    await screenshot(admin, 'quota-05a-allocation-licence-expired');
    await admin.getByTestId('recipient-group').click();
    await pick(admin, 'allocation-group', '中国稀土集团');
    await admin.getByTestId('allocation-basis-capacity').fill('集团离子型稀土矿山产能');
    // More than the line: the server's refusal sits under the amount, translated, and nothing is stored.
    await admin.getByTestId('allocation-amount').fill('25000');
    await admin.getByTestId('modal-ok').click();
    await expect.poll(() => fieldErrors(admin, 'allocation-amount').allInnerTexts()).toContain('超过年度计划该类指标的剩余额度');
    await screenshot(admin, 'quota-05-allocation-exceeds-line');
    await admin.getByTestId('allocation-amount').fill('5000');
    await admin.getByTestId('modal-ok').click();
    await expect.poll(() => admin.getByTestId('allocation-amount-cell').allInnerTexts()).toEqual(['5,000']);

    // ── 5. The admin prepares; the admin cannot also issue (four eyes); the reviewer issues.
    await admin.getByTestId('batch-prepare').click();
    await confirm(admin);
    await expect.poll(() => admin.getByTestId('batch-status').first().innerText()).toBe('待签发');
    await admin.getByTestId('batch-issue').click();
    await admin.getByTestId('modal-ok').click();
    await expect.poll(() => admin.getByTestId('form-problem').innerText()).toContain('准备该批次的人不能签发');
    await screenshot(admin, 'quota-06-four-eyes-refused');
    await admin.locator('.ant-modal').getByRole('button', { name: '取 消' }).or(admin.locator('.ant-modal').getByRole('button', { name: '取消' })).first().click();
    const batchUrl = new URL(admin.url()).pathname;

    const reviewer = await as('reviewer');
    await reviewer.goto(batchUrl);
    await expect.poll(() => reviewer.getByTestId('batch-status').first().innerText()).toBe('待签发'); // the page has loaded the batch
    await reviewer.getByTestId('batch-issue').click();
    await reviewer.getByTestId('modal-ok').click();
    // Issuing writes notices and audit entries; on a loaded CI machine that can take a while. A refusal would show in the form.
    await expect.poll(async () => {
      const problem = reviewer.getByTestId('form-problem');
      if (await problem.count()) return `refused: ${await problem.innerText()}`;
      return reviewer.getByTestId('batch-status').first().innerText();
    }, { timeout: 45_000 }).toBe('已下达');
    expect(await reviewer.getByTestId('batch-issued-by').innerText()).toContain('reviewer');

    // ── 6. The admin records the group's split: 3,000 t to the Xunwu mine.
    const mine = await as('xunwu-mine');
    const mineSession = (await (await mine.request.get('/api/session')).json()) as { user: { enterprise: { id: string; nameZh: string } } };
    const mineEnterprise = mineSession.user.enterprise;
    await admin.reload();
    await admin.getByTestId('allocation-sub-allocate').click();
    await pick(admin, 'sub-allocation-enterprise', '寻乌', mineEnterprise.nameZh);
    await admin.getByTestId('sub-allocation-amount').fill('3000');
    await admin.getByTestId('modal-ok').click();
    await expect.poll(() => admin.getByTestId('sub-allocated').innerText()).toContain('3,000 / 5,000');
    await expect.poll(() => admin.getByTestId('allocation-recipient').allInnerTexts()).toContain(mineEnterprise.nameZh);
    await screenshot(admin, 'quota-07-batch-issued-split');

    // ── 7. Jiangxi sees the notice, acknowledges and forwards it.
    const batchName = await (async () => {
      const b = (await (await admin.request.get(`/api/quota/batches?year=${next}`)).json()) as { name: string }[];
      return b[0]!.name;
    })();
    const jiangxi = await as('jiangxi');
    await jiangxi.getByTestId('menu-quotaNotices').click();
    const jxRow = jiangxi.locator('[data-testid="notices-table"] tbody tr', { hasText: batchName }).filter({ hasText: String(next) });
    await expect.poll(() => jxRow.count()).toBeGreaterThan(0);
    await jxRow.first().getByTestId('notice-acknowledge').click();
    await expect.poll(() => jxRow.first().getByTestId('notice-acknowledged').count()).toBe(1);
    await jxRow.first().getByTestId('notice-forward').click();
    await confirm(jiangxi);
    await expect.poll(() => jxRow.first().getByTestId('notice-forwarded-at').count()).toBe(1);
    await screenshot(jiangxi, 'quota-08-jiangxi-forwarded');

    // ── 8. Xunwu county sees the forwarded notice and acknowledges.
    const xunwu = await as('xunwu');
    await xunwu.getByTestId('menu-quotaNotices').click();
    const xwRow = xunwu.locator('[data-testid="notices-table"] tbody tr', { hasText: batchName }).filter({ hasText: String(next) });
    await expect.poll(() => xwRow.count()).toBe(1);
    expect(await xwRow.innerText()).toContain('省级转发');
    await xwRow.getByTestId('notice-acknowledge').click();
    await expect.poll(() => xwRow.getByTestId('notice-acknowledged').count()).toBe(1);
    await screenshot(xunwu, 'quota-09-xunwu-acknowledged');

    // The ministry sees who has not acknowledged yet.
    await admin.reload();
    await admin.getByTestId('tab-notices').click();
    await admin.getByTestId('batch-notices').waitFor();
    await admin.getByTestId('notices-unacknowledged').click();
    await expect.poll(async () => (await admin.getByTestId('notice-recipient').allInnerTexts()).includes(mineEnterprise.nameZh)).toBe(true);
    expect(await admin.getByTestId('notice-recipient').allInnerTexts()).not.toContain('江西省工业和信息化厅');
    await screenshot(admin, 'quota-10-batch-not-acknowledged');

    // ── 9. The mine sees its balance for next year: 3,000 t allocated.
    await mine.getByTestId('menu-quotaBalances').click();
    await choose(mine, 'balances-year', String(next));
    await expect.poll(() => mine.getByTestId('balance-allocated').allInnerTexts()).toEqual(['3,000']);
    await screenshot(mine, 'quota-11-mine-balance-next-year');

    // ── 10. Production for the current year crosses 80% and the alert appears.
    const balances = (await (await mine.request.get(`/api/quota/balances?year=${current}&enterpriseId=${mineEnterprise.id}&indicator=mining_ion_adsorption`)).json()) as
      { allocatedTonnesReo: string; consumedTonnesReo: string; utilisationPercent: string }[];
    expect(balances).toHaveLength(1);
    const allocated = Number(balances[0]!.allocatedTonnesReo);
    const consumed = Number(balances[0]!.consumedTonnesReo);
    expect(consumed, 'the demo mine is below 80% so far').toBeLessThan(0.8 * allocated);
    const ledger = (await (await mine.request.get(`/api/quota/ledger?enterpriseId=${mineEnterprise.id}&year=${current}&indicator=mining_ion_adsorption`)).json()) as
      { kind: string; periodMonth: number | null; amountTonnesReo: string }[];
    const month1 = -ledger.filter((e) => e.kind === 'consumption' && e.periodMonth === 1).reduce((s, e) => s + Number(e.amountTonnesReo), 0);
    const month1Total = (month1 + Math.ceil(0.8 * allocated - consumed) + 1).toFixed(3);

    await choose(mine, 'balances-year', String(current));
    await expect.poll(() => mine.getByTestId('alerts-table').innerText()).not.toContain('≥80%');
    expect(await mine.getByTestId('production-year').innerText()).toContain(String(current));
    await pick(mine, 'production-month', '1', /^1 月$/);
    // The ion-adsorption mine is offered only the indicator it holds, and it is the default.
    await expect.poll(() => mine.getByTestId('production-indicator').innerText()).toContain('离子型稀土开采');
    await mine.getByTestId('production-indicator').click();
    const offeredOptions = mine.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option');
    await expect.poll(() => offeredOptions.allInnerTexts()).toEqual(['离子型稀土开采']);
    await offeredOptions.first().click();
    await dropdownClosed(mine);
    await mine.getByTestId('production-amount').fill(month1Total);
    await mine.getByTestId('production-submit').click();
    await expect.poll(() => mine.getByTestId('production-result').innerText()).toContain('产量已记入台账');
    await expect.poll(() => mine.getByTestId('alerts-table').innerText()).toContain('≥80%');
    await expect.poll(() => mine.getByTestId('alert-state').allInnerTexts()).toEqual(['仍超出']);
    // Month 1 was restated by a new entry; the month's total is now the figure posted.
    const after = (await (await mine.request.get(`/api/quota/ledger?enterpriseId=${mineEnterprise.id}&year=${current}&indicator=mining_ion_adsorption`)).json()) as
      { kind: string; periodMonth: number | null; amountTonnesReo: string; correctsEntryId: string | null }[];
    const month1After = -after.filter((e) => e.kind === 'consumption' && e.periodMonth === 1).reduce((s, e) => s + Number(e.amountTonnesReo), 0);
    expect(month1After.toFixed(3)).toBe(month1Total);
    expect(after.at(-1)).toMatchObject({ periodMonth: 1 });
    const utilisation = Number((await mine.getByTestId('utilisation').first().innerText()).replace('%', ''));
    expect(utilisation).toBeGreaterThanOrEqual(80);
    expect(utilisation).toBeLessThan(95);
    await screenshot(mine, 'quota-12-mine-80-percent-alert');

    // The national view shows it too.
    await admin.getByTestId('menu-quotaBalances').click();
    await admin.getByTestId('chart-by-province').waitFor();
    await expect.poll(() => admin.getByTestId('alerts-table').innerText()).toContain(mineEnterprise.nameZh);
    await screenshot(admin, 'quota-13-national-balances');

    // ── 11. The mine restates month 1 to its former figure: the alert stays on record, marked back below.
    await mine.getByTestId('production-amount').fill(month1.toFixed(3));
    await mine.getByTestId('production-submit').click();
    await expect.poll(async () => Number((await mine.getByTestId('utilisation').first().innerText()).replace('%', ''))).toBeLessThan(80);
    await expect.poll(() => mine.getByTestId('alerts-table').innerText()).toContain('≥80%');
    await expect.poll(() => mine.getByTestId('alert-state').allInnerTexts()).toEqual(['已回落']);
    await screenshot(mine, 'quota-14-mine-alert-back-below');
  });
});
