import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { signIn, type Caller } from '../../../test/support/api.ts';
import { approvedPlan, enterpriseOf, openBatch } from '../../../test/support/quota.ts';
import { gramsToTonnes, tonnesToGrams } from '../../domain/mass.ts';

const YEAR = 2031;
const CURRENT = Number(new Date().toISOString().slice(0, 4));

describeEachTier('total quantity control: plans, allocation, ledger and Article 14', (tier) => {
  let fx: Fixture;
  let admin: Caller;
  let reviewer: Caller;
  let xunwuMine: string;
  beforeAll(async () => {
    fx = await demoApp(tier);
    admin = await signIn(fx.app, 'admin');
    reviewer = await signIn(fx.app, 'reviewer');
    xunwuMine = await enterpriseOf(fx.app, 'xunwu-mine');
  });
  afterAll(() => fx?.close());

  it('the demo shows the published national indicators 2014–2024', async () => {
    const plans = (await admin.get('/api/quota/plans')).json as { year: number; status: string; lines: { indicator: string; effectiveTonnesReo: string }[] }[];
    const byYear = new Map(plans.map((p) => [p.year, p]));
    for (let y = 2014; y <= 2024; y++) expect(byYear.get(y)?.status).toBe('approved');
    const line = (y: number, i: string) => byYear.get(y)!.lines.find((l) => l.indicator === i)?.effectiveTonnesReo;
    expect(line(2024, 'mining')).toBe('270000.000000');
    expect(line(2024, 'smelting_separation')).toBe('254000.000000');
    expect(line(2023, 'smelting_separation')).toBe('243850.000000');
    expect(line(2021, 'mining_ion_adsorption')).toBe('19150.000000');
    expect(line(2021, 'mining_rock_type')).toBe('148850.000000');
  });

  it('a plan needs MIIT, MNR and NDRC to agree; a return needs a reason and starts a new round', async () => {
    const year = 2032;
    expect((await admin.post('/api/quota/plans', { year, lines: [{ indicator: 'smelting_separation', amountTonnesReo: '100' }] })).status).toBe(201);
    const mnr = await signIn(fx.app, 'mnr');
    expect((await mnr.post(`/api/quota/plans/${year}/signoffs`, { decision: 'return' })).json.errors[0]).toMatchObject({ field: 'reason', rule: 'required' });
    const returned = await mnr.post(`/api/quota/plans/${year}/signoffs`, { decision: 'return', reason: '请补充储量依据' });
    expect(returned.json).toMatchObject({ status: 'draft', round: 2 });
    expect((await admin.post(`/api/quota/plans/${year}/submit`)).status).toBe(409);
    expect((await admin.post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' })).json.status).toBe('draft');
    expect((await admin.post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' })).status).toBe(409);
    expect((await mnr.post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' })).json.status).toBe('draft');
    expect((await (await signIn(fx.app, 'ndrc')).post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' })).json.status).toBe('agreed');
    expect((await (await signIn(fx.app, 'mofcom')).post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' })).status).toBe(403);
    expect((await (await signIn(fx.app, 'xunwu')).post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' })).status).toBe(403);
    expect((await admin.post(`/api/quota/plans/${year}/approval`, { documentNo: 'x', approvedOn: '2026-11-01' })).status).toBe(409);
    expect((await admin.post(`/api/quota/plans/${year}/submit`)).json.status).toBe('submitted');
    const approved = await admin.post(`/api/quota/plans/${year}/approval`, { documentNo: '国函〔2031〕9号', approvedOn: '2026-11-01' });
    expect(approved.json).toMatchObject({ status: 'approved', approvalDocumentNo: '国函〔2031〕9号' });
    expect((await admin.patch(`/api/quota/plans/${year}`, { basisText: 'changed' })).status).toBe(409);
    const adjusted = await admin.post(`/api/quota/plans/${year}/adjustments`, { indicator: 'smelting_separation', deltaTonnesReo: '-10.5', reason: '生态保护', documentNo: '工信部联原〔2032〕3号' });
    expect(adjusted.json.lines[0]).toMatchObject({ approvedTonnesReo: '100.000000', adjustmentsTonnesReo: '-10.500000', effectiveTonnesReo: '89.500000' });
  });

  it('refuses allocations over the line, to undesignated enterprises, negative or non-numeric, or for a year without an approved plan — storing nothing', async () => {
    await approvedPlan(fx.app, YEAR, { mining_ion_adsorption: '10000', smelting_separation: '5000', mining_rock_type: '8000' });
    const batch = await openBatch(admin, YEAR);
    const over = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: xunwuMine, indicator: 'mining_ion_adsorption', amountTonnesReo: '10000.000001' });
    expect(over.status).toBe(409);
    expect(over.json).toMatchObject({ code: 'quota.exceeds_plan_line', remainingTonnesReo: '10000.000000' });
    expect(over.json.errors[0]).toMatchObject({ field: 'amountTonnesReo', rule: 'exceeds_plan_line' });
    const magnet = await enterpriseOf(fx.app, 'ningbo-magnet');
    const undesignated = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: magnet, indicator: 'smelting_separation', amountTonnesReo: '10' });
    expect(undesignated.status).toBe(422);
    expect(undesignated.json.errors.map((e: { rule: string }) => e.rule)).toContain('no_current_designation');
    const wrongOre = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: xunwuMine, indicator: 'mining_rock_type', amountTonnesReo: '10' });
    expect(wrongOre.json.errors.map((e: { rule: string }) => e.rule)).toContain('no_current_designation');
    const negative = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: xunwuMine, indicator: 'mining_ion_adsorption', amountTonnesReo: '-5' });
    expect(negative.json.errors[0]).toMatchObject({ field: 'amountTonnesReo', rule: 'min' });
    const text = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: xunwuMine, indicator: 'mining_ion_adsorption', amountTonnesReo: 'lots' });
    expect(text.json.errors[0]).toMatchObject({ field: 'amountTonnesReo', rule: 'format' });
    const zero = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: xunwuMine, indicator: 'mining_ion_adsorption', amountTonnesReo: '0' });
    expect(zero.json.errors[0]).toMatchObject({ rule: 'positive' });
    const noPlan = await admin.post('/api/quota/batches', { year: 2045, name: '第一批' });
    expect(noPlan.status).toBe(422);
    expect(noPlan.json.errors[0]).toMatchObject({ field: 'year', rule: 'plan_not_approved' });
    expect((await admin.get(`/api/quota/batches/${batch}`)).json.allocations).toEqual([]);
    expect((await admin.get('/api/quota/batches?year=2045')).json).toEqual([]);
  });

  it('issuing needs a second person; issue posts the ledger and every balance equals the sum of its entries', async () => {
    const batch = await openBatch(admin, YEAR);
    const a = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: xunwuMine, indicator: 'mining_ion_adsorption', amountTonnesReo: '1000', basis: { capacity: '1500 t/yr' } });
    expect(a.status, a.body).toBe(201);
    expect((await reviewer.post(`/api/quota/batches/${batch}/issue`)).status).toBe(409); // not prepared
    expect((await admin.post(`/api/quota/batches/${batch}/prepare`)).json.status).toBe('prepared');
    const self = await admin.post(`/api/quota/batches/${batch}/issue`);
    expect(self.status).toBe(403);
    expect(self.json.code).toBe('quota.four_eyes');
    expect((await (await signIn(fx.app, 'xunwu')).post(`/api/quota/batches/${batch}/issue`)).status).toBe(403);
    const issued = await reviewer.post(`/api/quota/batches/${batch}/issue`);
    expect(issued.json).toMatchObject({ status: 'issued', issuedByUsername: 'reviewer', preparedByUsername: 'admin' });
    expect((await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: xunwuMine, indicator: 'mining_ion_adsorption', amountTonnesReo: '1' })).status).toBe(409);
    const ledger = (await admin.get(`/api/quota/ledger?enterpriseId=${xunwuMine}&year=${YEAR}`)).json;
    expect(ledger).toEqual([expect.objectContaining({ kind: 'allocation', amountTonnesReo: '1000.000000', indicator: 'mining_ion_adsorption' })]);
    const balances = (await admin.get(`/api/quota/balances?year=${YEAR}`)).json as { enterpriseId: string; indicator: string; balanceTonnesReo: string }[];
    for (const b of balances) {
      const entries = (await admin.get(`/api/quota/ledger?enterpriseId=${b.enterpriseId}&year=${YEAR}&indicator=${b.indicator}`)).json as { amountTonnesReo: string }[];
      const sum = entries.reduce((s, e) => s + (e.amountTonnesReo.startsWith('-') ? -tonnesToGrams(e.amountTonnesReo.slice(1)) : tonnesToGrams(e.amountTonnesReo)), 0n);
      expect(tonnesToGrams(b.balanceTonnesReo.replace('-', '')) * (b.balanceTonnesReo.startsWith('-') ? -1n : 1n)).toBe(sum);
    }
  });

  it('a group sub-allocates within what it received, only to its members, and notices go down to the county', async () => {
    const groups = (await admin.get('/api/groups?pageSize=50')).json.items as { id: string; code: string }[];
    const creg = groups.find((g) => g.code === 'CREG')!;
    const batch = await openBatch(admin, YEAR);
    const parent = await admin.post(`/api/quota/batches/${batch}/allocations`, { groupId: creg.id, indicator: 'mining_ion_adsorption', amountTonnesReo: '3000' });
    expect(parent.status, parent.body).toBe(201);
    await admin.post(`/api/quota/batches/${batch}/prepare`);
    const issued = (await reviewer.post(`/api/quota/batches/${batch}/issue`)).json;
    expect(issued.allocations[0].subAllocationDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const tooMuch = await admin.post(`/api/quota/allocations/${parent.json.id}/sub-allocations`, { enterpriseId: xunwuMine, amountTonnesReo: '3000.5' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.json.errors[0]).toMatchObject({ rule: 'exceeds_group_allocation' });
    const sub = await admin.post(`/api/quota/allocations/${parent.json.id}/sub-allocations`, { enterpriseId: xunwuMine, amountTonnesReo: '2000' });
    expect(sub.status, sub.body).toBe(201);
    expect((await admin.get(`/api/quota/batches/${batch}`)).json.allocations.find((a: { id: string }) => a.id === parent.json.id).subAllocatedTonnesReo).toBe('2000.000000');
    const notices = (await admin.get(`/api/quota/batches/${batch}/notices`)).json as { id: string; recipient: { code: string; kind: string }; acknowledgedAt: string | null }[];
    expect(notices.map((n) => n.recipient.code)).toEqual(expect.arrayContaining(['IIT-360000', 'NR-360000']));
    const jiangxi = await signIn(fx.app, 'jiangxi');
    const provinceNotices = (await jiangxi.get('/api/quota/notices')).json as { batchId: string; id: string; canForward: boolean }[];
    // One notice per department per batch, however many of its enterprises the batch reaches.
    for (const b of new Set(provinceNotices.map((n) => n.batchId))) expect(provinceNotices.filter((n) => n.batchId === b)).toHaveLength(1);
    const mine = provinceNotices.find((n) => n.batchId === batch)!;
    expect(mine.canForward).toBe(true);
    const forwarded = await jiangxi.post(`/api/quota/notices/${mine.id}/forward`);
    expect(forwarded.json.map((n: { recipient: { code: string } }) => n.recipient.code)).toEqual(expect.arrayContaining(['IIT-360734']));
    expect((await jiangxi.post(`/api/quota/notices/${mine.id}/forward`)).status).toBe(409);
    const xunwu = await signIn(fx.app, 'xunwu');
    const county = (await xunwu.get('/api/quota/notices')).json.find((n: { batchId: string }) => n.batchId === batch);
    expect((await xunwu.post(`/api/quota/notices/${county.id}/acknowledge`)).json.acknowledgedBy).toBe('xunwu');
    expect((await (await signIn(fx.app, 'longnan')).post(`/api/quota/notices/${county.id}/acknowledge`)).status).toBe(404);
    const open = (await admin.get(`/api/quota/batches/${batch}/notices`)).json.filter((n: { acknowledgedAt: string | null }) => !n.acknowledgedAt);
    expect(open.map((n: { recipient: { code: string } }) => n.recipient.code)).toContain('NR-360000');
    expect(open.map((n: { recipient: { code: string } }) => n.recipient.code)).not.toContain('IIT-360734');
  });

  it('posting production records consumption, re-posting is harmless, and thresholds and over-quota raise alerts', async () => {
    const mine = await signIn(fx.app, 'xunwu-mine');
    const balance = (await mine.get(`/api/quota/balances?year=${CURRENT}&indicator=mining_ion_adsorption`)).json[0];
    const allocated = tonnesToGrams(balance.allocatedTonnesReo);
    const consumedBefore = tonnesToGrams(balance.consumedTonnesReo);
    // Restate January so the year reaches 81%.
    const janEntries = ((await mine.get(`/api/quota/ledger?enterpriseId=${xunwuMine}&year=${CURRENT}&indicator=mining_ion_adsorption`)).json as { id: string; kind: string; periodMonth: number; amountTonnesReo: string }[])
      .filter((e) => e.kind === 'consumption' && e.periodMonth === 1);
    const jan = janEntries.reduce((s, e) => s + tonnesToGrams(e.amountTonnesReo.replace('-', '')), 0n);
    const target = (allocated * 81n) / 100n;
    const newJan = jan + (target - consumedBefore);
    const body = { enterpriseId: xunwuMine, year: CURRENT, month: 1, indicator: 'mining_ion_adsorption', amountTonnesReo: gramsToTonnes(newJan) };
    const posted = await mine.post('/api/quota/production', body);
    expect(posted.status, posted.body).toBe(200);
    expect(posted.json.entry.correctsEntryId).toBe(janEntries.at(-1)!.id);
    expect(posted.json.balance.thresholdsCrossed).toContain(80);
    const again = await mine.post('/api/quota/production', body);
    expect(again.json).toMatchObject({ unchanged: true, entry: null });
    const alerts = (await mine.get(`/api/quota/alerts?year=${CURRENT}`)).json;
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'threshold', thresholdPercent: 80, enterpriseId: xunwuMine }));
    const over = await mine.post('/api/quota/production', { ...body, month: 2, amountTonnesReo: balance.allocatedTonnesReo });
    expect(over.json.balance.overQuota).toBe(true);
    expect((await mine.get(`/api/quota/alerts?year=${CURRENT}`)).json).toContainEqual(expect.objectContaining({ kind: 'over_quota' }));
    const future = await mine.post('/api/quota/production', { ...body, year: CURRENT + 1 });
    expect(future.json.errors[0]).toMatchObject({ field: 'month', rule: 'future' });
    const other = await enterpriseOf(fx.app, 'baotou-sep');
    expect((await mine.post('/api/quota/production', { ...body, enterpriseId: other })).status).toBe(403);
  });

  it('a county official sees only allocations of enterprises in the county; an enterprise only its own', async () => {
    const xunwu = await signIn(fx.app, 'xunwu');
    const inCounty = new Set(((await xunwu.get('/api/enterprises?pageSize=500')).json.items as { id: string }[]).map((e) => e.id));
    const allocations = (await xunwu.get(`/api/quota/allocations?year=${CURRENT}`)).json as { enterpriseId: string }[];
    expect(allocations.length).toBeGreaterThan(0);
    for (const a of allocations) expect(inCounty.has(a.enterpriseId)).toBe(true);
    const all = (await admin.get(`/api/quota/allocations?year=${CURRENT}`)).json as unknown[];
    expect(all.length).toBeGreaterThan(allocations.length);
    for (const b of (await xunwu.get(`/api/quota/balances?year=${CURRENT}`)).json as { domicileDivisionCode: string }[]) expect(b.domicileDivisionCode).toBe('360734');
    const mine = await signIn(fx.app, 'xunwu-mine');
    for (const a of (await mine.get(`/api/quota/allocations?year=${CURRENT}`)).json as { enterpriseId: string }[]) expect(a.enterpriseId).toBe(xunwuMine);
    const other = await enterpriseOf(fx.app, 'baotou-sep');
    expect((await mine.get(`/api/quota/ledger?enterpriseId=${other}`)).status).toBe(404);
    expect((await xunwu.get(`/api/quota/ledger?enterpriseId=${other}`)).status).toBe(404);
  });

  it('Article 14: a penalty in year N reduces the N+1 allocation by the rule in force, and an override needs its reason', async () => {
    const baotouSep = await enterpriseOf(fx.app, 'baotou-sep');
    // Penalised this year, reduced next year.
    const next = CURRENT + 1;
    await approvedPlan(fx.app, next, { smelting_separation: '100000' });
    const penalty = await admin.post('/api/quota/penalties', { enterpriseId: baotouSep, decidedOn: `${CURRENT}-09-01`, authority: '包头市工业和信息化局', legalBasis: '《稀土管理条例》第二十二条', documentNo: '包工信罚〔2030〕1号', overProducedTonnesReo: '120' });
    expect(penalty.status, penalty.body).toBe(201);
    const batch = await openBatch(admin, next);
    const a = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: baotouSep, indicator: 'smelting_separation', amountTonnesReo: '2000' });
    expect(a.status, a.body).toBe(201);
    expect(a.json).toMatchObject({ reductionTonnesReo: '200.000000', netTonnesReo: '1800.000000' });
    expect(a.json.reductionBasis).toMatch(/包工信罚〔2030〕1号/);
    const noReason = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: baotouSep, indicator: 'smelting_separation', amountTonnesReo: '100', reductionOverride: { tonnesReo: '0', reason: '' } });
    expect(noReason.json.errors[0]).toMatchObject({ field: 'reductionOverride.reason', rule: 'required' });
    await admin.post(`/api/quota/batches/${batch}/prepare`);
    await reviewer.post(`/api/quota/batches/${batch}/issue`);
    const ledger = (await admin.get(`/api/quota/ledger?enterpriseId=${baotouSep}&year=${next}`)).json;
    expect(ledger.map((e: { kind: string; amountTonnesReo: string }) => [e.kind, e.amountTonnesReo])).toEqual([['allocation', '2000.000000'], ['reduction', '-200.000000']]);
    const balance = (await admin.get(`/api/quota/balances?year=${next}&enterpriseId=${baotouSep}`)).json[0];
    expect(balance).toMatchObject({ allocatedTonnesReo: '1800.000000', reductionTonnesReo: '200.000000' });
  });
});

describeEachTier('quota balances export', (tier) => {
  let fx: Fixture;
  beforeAll(async () => { fx = await demoApp(tier); });
  afterAll(() => fx?.close());

  it('exports the caller’s balances as CSV with a BOM and as an XLSX workbook with the same rows', async () => {
    const xunwu = await signIn(fx.app, 'xunwu');
    const balances = (await xunwu.get(`/api/quota/balances?year=${CURRENT}`)).json as { enterpriseNameZh: string; allocatedTonnesReo: string }[];
    const csv = await fx.app.inject({ method: 'GET', url: `/api/quota/balances/export?year=${CURRENT}&format=csv`, headers: { cookie: (await sessionCookie(fx, 'xunwu')) } });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toContain('下达量（吨 REO）');
    expect(lines).toHaveLength(balances.length + 1);
    expect(lines[1]).toContain(balances[0]!.allocatedTonnesReo);
    const xlsx = await fx.app.inject({ method: 'GET', url: `/api/quota/balances/export?year=${CURRENT}&format=xlsx&lang=en`, headers: { cookie: (await sessionCookie(fx, 'xunwu')) } });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(4).value).toBe('Allocated (t REO)');
    expect(sheet.rowCount).toBe(balances.length + 1);
    expect(sheet.getRow(2).getCell(1).value).toBe(balances[0]!.enterpriseNameZh);
  });
});

async function sessionCookie(fx: Fixture, username: string): Promise<string> {
  const res = await fx.app.inject({ method: 'POST', url: '/api/session', payload: { username, password: 'Ytterby-demo-2026' } });
  return `ytterby_session=${res.cookies.find((c) => c.name === 'ytterby_session')!.value}`;
}

describeEachTier('quota rules are data with effective dates', (tier) => {
  let fx: Fixture;
  beforeAll(async () => { fx = await demoApp(tier); });
  afterAll(() => fx?.close());

  it('a new threshold rule takes effect from its date and raises alerts at the new level; bad values are refused', async () => {
    const admin = await signIn(fx.app, 'admin');
    const rules = (await admin.get('/api/quota/rules')).json as { key: string; value: unknown }[];
    expect(rules.find((r) => r.key === 'alert_thresholds_percent')!.value).toEqual([80, 95, 100]);
    const bad = await admin.post('/api/quota/rules', { key: 'alert_thresholds_percent', value: ['eighty'], effectiveFrom: '2026-01-01' });
    expect(bad.json.errors[0]).toMatchObject({ field: 'value', rule: 'format' });
    expect((await (await signIn(fx.app, 'xunwu')).post('/api/quota/rules', { key: 'alert_thresholds_percent', value: [50], effectiveFrom: '2026-01-01' })).status).toBe(403);
    const added = await admin.post('/api/quota/rules', { key: 'alert_thresholds_percent', value: [10, 100], effectiveFrom: '2026-01-01', note: 'test' });
    expect(added.status).toBe(201);
    const mineId = await enterpriseOf(fx.app, 'xunwu-mine');
    const mine = await signIn(fx.app, 'xunwu-mine');
    const ledger = (await mine.get(`/api/quota/ledger?enterpriseId=${mineId}&year=${CURRENT}&indicator=mining_ion_adsorption`)).json as { kind: string; periodMonth: number; amountTonnesReo: string }[];
    const jan = ledger.filter((e) => e.kind === 'consumption' && e.periodMonth === 1).reduce((s, e) => s + tonnesToGrams(e.amountTonnesReo.replace('-', '')), 0n);
    const res = await mine.post('/api/quota/production', { enterpriseId: mineId, year: CURRENT, month: 1, indicator: 'mining_ion_adsorption', amountTonnesReo: gramsToTonnes(jan + 1_000_000n) });
    expect(res.json.balance.thresholdsCrossed).toEqual([10]);
    expect((await mine.get(`/api/quota/alerts?year=${CURRENT}`)).json).toContainEqual(expect.objectContaining({ thresholdPercent: 10 }));
  });
});

describeEachTier('quota: refusals found by review', (tier) => {
  let fx: Fixture;
  let admin: Caller;
  beforeAll(async () => {
    fx = await demoApp(tier);
    admin = await signIn(fx.app, 'admin');
  });
  afterAll(() => fx?.close());

  it('editing a signed draft’s figures starts a new round, so earlier sign-offs no longer count', async () => {
    const year = 2035;
    await admin.post('/api/quota/plans', { year, lines: [{ indicator: 'smelting_separation', amountTonnesReo: '100' }] });
    await admin.post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' });
    const edited = await admin.patch(`/api/quota/plans/${year}`, { lines: [{ indicator: 'smelting_separation', amountTonnesReo: '999999' }] });
    expect(edited.status, edited.body).toBe(200);
    expect(edited.json).toMatchObject({ round: 2, status: 'draft' });
    await (await signIn(fx.app, 'mnr')).post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' });
    expect((await (await signIn(fx.app, 'ndrc')).post(`/api/quota/plans/${year}/signoffs`, { decision: 'agree' })).json.status).toBe('draft');
    expect((await admin.patch(`/api/quota/plans/${year}`, {})).status).toBe(200);
  });

  it('refuses production for a year without an approved plan, future approvals and penalties, and early closing', async () => {
    const mine = await signIn(fx.app, 'xunwu-mine');
    const mineId = await enterpriseOf(fx.app, 'xunwu-mine');
    for (const year of [1999, 2025]) {
      const res = await mine.post('/api/quota/production', { enterpriseId: mineId, year, month: 1, indicator: 'mining_ion_adsorption', amountTonnesReo: '1' });
      expect(res.status).toBe(422);
      expect(res.json.errors[0]).toMatchObject({ field: 'year', rule: 'plan_not_approved' });
    }
    expect((await mine.get(`/api/quota/ledger?enterpriseId=${mineId}&year=2025`)).json).toEqual([]);
    const future = await admin.post('/api/quota/penalties', { enterpriseId: mineId, decidedOn: '2099-01-01', authority: 'x', legalBasis: 'x', documentNo: 'F-1' });
    expect(future.json.errors[0]).toMatchObject({ field: 'decidedOn', rule: 'future' });
    await approvedPlan(fx.app, 2036, { smelting_separation: '100' });
    expect((await admin.post('/api/quota/plans/2036/close')).json.code).toBe('quota.close_before_year_end');
    await admin.post('/api/quota/plans', { year: 2037, lines: [{ indicator: 'smelting_separation', amountTonnesReo: '1' }] });
    for (const signer of ['admin', 'mnr', 'ndrc']) await (await signIn(fx.app, signer)).post('/api/quota/plans/2037/signoffs', { decision: 'agree' });
    await admin.post('/api/quota/plans/2037/submit');
    expect((await admin.post('/api/quota/plans/2037/approval', { documentNo: 'x', approvedOn: '2099-01-01' })).json.errors[0]).toMatchObject({ field: 'approvedOn', rule: 'future' });
  });

  it('only MIIT or MNR issue; an Article 14 override needs a penalty; a factor rule cuts the year’s total once', async () => {
    await approvedPlan(fx.app, 2038, { smelting_separation: '10000' });
    const mofcom = (await admin.get('/api/departments?q=MOFCOM')).json.items.find((d: { code: string }) => d.code === 'MOFCOM');
    await admin.post('/api/users', { username: 'mofcom-rev', displayName: 'MOFCOM reviewer', password: 'long-enough-pw', role: 'ministry_reviewer', departmentId: mofcom.id });
    const longnanSep = await enterpriseOf(fx.app, 'longnan-sep');
    const batch = await openBatch(admin, 2038);
    const override = await admin.post(`/api/quota/batches/${batch}/allocations`, { enterpriseId: longnanSep, indicator: 'smelting_separation', amountTonnesReo: '1000', reductionOverride: { tonnesReo: '300', reason: 'no reason' } });
    expect(override.json.errors[0]).toMatchObject({ field: 'reductionOverride', rule: 'no_penalty' });
    expect((await admin.post('/api/quota/rules', { key: 'article14_reduction_rule', value: { kind: 'over_production_factor', factor: 2 }, effectiveFrom: '2026-01-01' })).status).toBe(201);
    await admin.post('/api/quota/penalties', { enterpriseId: longnanSep, decidedOn: '2026-03-01', authority: '龙南市工业和信息化局', legalBasis: '《稀土管理条例》', documentNo: '龙工信罚〔2026〕1号', overProducedTonnesReo: '120' });
    const year = 2027;
    await approvedPlan(fx.app, year, { smelting_separation: '10000' });
    const b = await openBatch(admin, year);
    const first = await admin.post(`/api/quota/batches/${b}/allocations`, { enterpriseId: longnanSep, indicator: 'smelting_separation', amountTonnesReo: '1000' });
    const second = await admin.post(`/api/quota/batches/${b}/allocations`, { enterpriseId: longnanSep, indicator: 'smelting_separation', amountTonnesReo: '1000' });
    expect([first.json.reductionTonnesReo, second.json.reductionTonnesReo]).toEqual(['240.000000', '0.000000']);
    await admin.post(`/api/quota/batches/${b}/prepare`);
    const byMofcom = await (await signIn(fx.app, 'mofcom-rev', 'long-enough-pw')).post(`/api/quota/batches/${b}/issue`);
    expect(byMofcom.status).toBe(403);
    expect(byMofcom.json.code).toBe('quota.not_an_issuing_ministry');
    expect((await (await signIn(fx.app, 'mnr')).post(`/api/quota/batches/${b}/issue`)).json.status).toBe('issued');
  });
});
