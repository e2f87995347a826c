import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachTier } from '../../../test/support/databases.ts';
import { demoApp, type Fixture } from '../../../test/support/fixture.ts';
import { anonymous, signIn, type Caller } from '../../../test/support/api.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { sumClosings, sumLines, sumMassBalances, type IndicatorLine } from '../../domain/reports/content.ts';
import { monthInChina, previousMonth } from '../../domain/trace/months.ts';
import { todayInChina } from '../../domain/validity.ts';

const last = previousMonth(monthInChina(new Date()));
const period = `${last.year}-${String(last.month).padStart(2, '0')}`;
const figures = (lines: IndicatorLine[]) => lines.map((l) => [l.indicator, l.allocatedReoGrams, l.periodReoGrams, l.yearToDateReoGrams, l.remainingReoGrams, l.flowReoGrams]);

describeEachTier('reports: enterprise → county → prefecture → province → ministries (Art. 9, 12)', (tier) => {
  let fx: Fixture;
  let mine: Caller; // 赣州寻乌南岭, county 寻乌县
  let county: Caller; // 寻乌县
  let otherCounty: Caller; // 龙南市
  let province: Caller; // 江西省
  let admin: Caller;
  let enterpriseId: string;
  let first: { id: string; late: boolean; dueDate: string };
  let second: { id: string; version: number; late: boolean };
  let compilationId: string;

  beforeAll(async () => {
    fx = await demoApp(tier);
    mine = await signIn(fx.app, 'xunwu-mine');
    county = await signIn(fx.app, 'xunwu');
    otherCounty = await signIn(fx.app, 'longnan');
    province = await signIn(fx.app, 'jiangxi');
    admin = await signIn(fx.app, 'admin');
    enterpriseId = (await mine.get('/api/session')).json.user.enterprise.id;
  });
  afterAll(() => fx?.close());

  it('prefills the report from the ledger and the flows and names the explanation it needs', async () => {
    const res = await mine.get(`/api/reports/prefill?enterpriseId=${enterpriseId}&period=${period}`);
    expect(res.status).toBe(200);
    const { content, explanationsRequired, latest } = res.json;
    expect(latest).toBeNull();
    expect(content.subject).toMatchObject({ level: 'enterprise', enterpriseId, divisionCode: '360734' });
    const line = content.lines[0];
    expect(line.indicator).toBe('mining_ion_adsorption');
    expect(BigInt(line.yearToDateReoGrams)).toBe(BigInt(line.allocatedReoGrams) - BigInt(line.remainingReoGrams));
    expect(BigInt(line.flowReoGrams)).toBeGreaterThan(0n); // the demo's mining events of the month
    expect(line.periodReoGrams).not.toBe(line.flowReoGrams);
    expect(explanationsRequired).toEqual([{ index: 0, indicator: 'mining_ion_adsorption', reason: 'differs_from_flows' }]);
    // the mass balance of the month: the flows' concentrate, mined and partly shipped
    const concentrate = content.massBalance[0];
    expect(BigInt(concentrate.closingGrams)).toBe(BigInt(concentrate.openingGrams) + BigInt(concentrate.receiptsGrams) + BigInt(concentrate.productionGrams) - BigInt(concentrate.useGrams) - BigInt(concentrate.shipmentsGrams));
  });

  it('refuses a report without the required explanation, for another enterprise, or for a month not over', async () => {
    const missing = await mine.post('/api/reports/enterprise', { enterpriseId, period });
    expect(missing.status).toBe(422);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json.errors).toEqual([expect.objectContaining({ field: 'lines.0.explanation', rule: 'required' })]);
    const current = `${monthInChina(new Date()).year}-${String(monthInChina(new Date()).month).padStart(2, '0')}`;
    expect((await mine.post('/api/reports/enterprise', { enterpriseId, period: current, lines: [] })).json.errors[0]).toMatchObject({ field: 'period', rule: 'not_ended' });
    expect((await mine.post('/api/reports/enterprise', { enterpriseId, period: '2026-13' })).json.errors[0]).toMatchObject({ field: 'period', rule: 'format' });
    const separator = await signIn(fx.app, 'longnan-sep');
    const foreign = await separator.post('/api/reports/enterprise', { enterpriseId, period, lines: [{ indicator: 'mining_ion_adsorption', explanation: 'x' }] });
    expect(foreign.status).toBe(403);
    expect(foreign.json.code).toBe('reports.not_own_enterprise');
    expect((await county.post('/api/reports/enterprise', { enterpriseId, period })).status).toBe(403); // officials do not submit for enterprises
    expect((await admin.get(`/api/reports?enterpriseId=${enterpriseId}&period=${period}`)).json).toEqual([]); // nothing stored
  });

  it('annual reports: a year that is over is reported over its twelve months; the current year is refused', async () => {
    const year = String(monthInChina(new Date()).year - 1);
    const prefill = await mine.get(`/api/reports/prefill?enterpriseId=${enterpriseId}&period=${year}`);
    expect(prefill.status).toBe(200);
    expect(prefill.json.content).toMatchObject({ period: year, closing: { months: 12 } });
    // the end of January, or the next working day after it
    expect(prefill.json.dueDate >= `${Number(year) + 1}-01-31` && prefill.json.dueDate <= `${Number(year) + 1}-02-10`).toBe(true);
    const lines = prefill.json.explanationsRequired.map((r: { indicator: string }) => ({ indicator: r.indicator, explanation: '年度说明' }));
    const res = await mine.post('/api/reports/enterprise', { enterpriseId, period: year, lines });
    expect(res.status).toBe(201);
    expect(res.json.report).toMatchObject({ periodKind: 'year', period: year, version: 1, recipientDivisionCode: '360734' });
    const current = String(monthInChina(new Date()).year);
    expect((await mine.post('/api/reports/enterprise', { enterpriseId, period: current })).json.errors[0]).toMatchObject({ field: 'period', rule: 'not_ended' });
  });

  it('seals, signs and submits to the county; late when after the due date', async () => {
    const res = await mine.post('/api/reports/enterprise', { enterpriseId, period, lines: [{ indicator: 'mining_ion_adsorption', explanation: '部分产量在系统上线前入库' }] });
    expect(res.status).toBe(201);
    first = res.json.report;
    expect(res.json.report).toMatchObject({ level: 'enterprise', version: 1, status: 'submitted', recipientDivisionCode: '360734', submittedBy: 'xunwu-mine' });
    expect(first.late).toBe(todayInChina() > first.dueDate);
    const again = await mine.post('/api/reports/enterprise', { enterpriseId, period, lines: [{ indicator: 'mining_ion_adsorption', explanation: '部分产量在系统上线前入库' }] });
    expect(again.status).toBe(200); // the same document again stores nothing
    expect(again.json).toMatchObject({ unchanged: true, report: { id: first.id } });
    const inbox = await county.get('/api/reports?inbox=true');
    expect(inbox.json.map((r: { id: string }) => r.id)).toContain(first.id);
  });

  it('keeps other counties out, and only the recipient decides', async () => {
    expect((await otherCounty.get(`/api/reports/${first.id}`)).status).toBe(404);
    expect((await otherCounty.post(`/api/reports/${first.id}/accept`)).status).toBe(404);
    expect((await otherCounty.get('/api/reports?inbox=true')).json.map((r: { id: string }) => r.id)).not.toContain(first.id);
    const seen = await province.get(`/api/reports/${first.id}`); // the province sees it
    expect(seen.status).toBe(200);
    expect(seen.json.canReview).toBe(false);
    const byProvince = await province.post(`/api/reports/${first.id}/accept`);
    expect(byProvince.status).toBe(403);
    expect(byProvince.json.code).toBe('reports.not_recipient');
    expect((await mine.post(`/api/reports/${first.id}/accept`)).status).toBe(403); // enterprises do not review
    const auditor = await signIn(fx.app, 'auditor');
    expect((await auditor.get(`/api/reports/${first.id}`)).status).toBe(200);
    expect((await auditor.post(`/api/reports/${first.id}/return`, { reason: 'x' })).status).toBe(403);
  });

  it('returns with a reason; the enterprise corrects with a new version that names the one it replaces', async () => {
    expect((await county.post(`/api/reports/${first.id}/return`, { reason: '  ' })).json.errors[0]).toMatchObject({ field: 'reason', rule: 'required' });
    const returned = await county.post(`/api/reports/${first.id}/return`, { reason: '请说明差额对应的入库批次' });
    expect(returned.json).toMatchObject({ status: 'returned', returnReason: '请说明差额对应的入库批次', reviewedBy: 'xunwu' });
    expect((await county.post(`/api/reports/${first.id}/accept`)).status).toBe(409); // decided already
    const notices = await mine.get('/api/reports/notices');
    expect(notices.json.some((n: { topic: string; subjectZh: string }) => n.topic === 'report.returned' && n.subjectZh.includes('请说明差额'))).toBe(true);
    const body = { enterpriseId, period, lines: [{ indicator: 'mining_ion_adsorption', explanation: '差额为 2025 年 12 月入库的 3 批矿产品' }] };
    const unnamed = await mine.post('/api/reports/enterprise', body);
    expect(unnamed.status).toBe(409);
    expect(unnamed.json.errors[0]).toMatchObject({ field: 'replacesReportId', rule: 'required' });
    const res = await mine.post('/api/reports/enterprise', { ...body, replacesReportId: first.id });
    expect(res.status).toBe(201);
    second = res.json.report;
    expect(second.version).toBe(2);
    expect(second.late).toBe(first.late); // lateness is the first submission's
    const detail = await mine.get(`/api/reports/${second.id}`);
    expect(detail.json.replacesReportId).toBe(first.id);
    expect(detail.json.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'submitted'], [1, 'returned']]);
    expect((await mine.get(`/api/reports/${first.id}`)).json.content.lines[0].explanation).toBe('部分产量在系统上线前入库'); // both stay readable
    const stale = await mine.post('/api/reports/enterprise', { ...body, lines: [{ indicator: 'mining_ion_adsorption', explanation: '另一说明' }], replacesReportId: first.id, correctionReason: '补充' });
    expect(stale.json.errors[0]).toMatchObject({ field: 'replacesReportId', rule: 'stale' });
    const noReason = await mine.post('/api/reports/enterprise', { ...body, lines: [{ indicator: 'mining_ion_adsorption', explanation: '另一说明' }], replacesReportId: second.id });
    expect(noReason.json.errors[0]).toMatchObject({ field: 'correctionReason', rule: 'required' });
  });

  it('compiles the county only once every report is decided; figures are the sums of the accepted reports', async () => {
    const held = await county.post('/api/reports/compilations', { period });
    expect(held.status).toBe(409);
    expect(held.json.code).toBe('reports.pending_review');
    expect((await otherCounty.post('/api/reports/compilations', { period, divisionCode: '360734' })).json.code).toBe('reports.not_own_division');
    expect((await county.post(`/api/reports/${second.id}/accept`)).json.status).toBe('accepted');
    const res = await county.post('/api/reports/compilations', { period, remarks: '寻乌县两家矿山均已报送' });
    expect(res.status).toBe(201);
    compilationId = res.json.report.id;
    expect(res.json.report).toMatchObject({ level: 'county', subjectKey: '360734', recipientDivisionCode: '360700', enterpriseReports: 2 });
    const compiled = (await county.get(`/api/reports/${compilationId}`)).json;
    const parts = await Promise.all(compiled.content.constituents.map((c: { reportId: string }) => county.get(`/api/reports/${c.reportId}`)));
    expect(parts.map((p) => p.json.level)).toEqual(['enterprise', 'enterprise']);
    expect(figures(compiled.content.lines)).toEqual(figures(sumLines(parts.map((p) => p.json.content.lines))));
    expect(compiled.content.massBalance).toEqual(sumMassBalances(parts.map((p) => p.json.content.massBalance)));
    expect(compiled.content.closing).toEqual(sumClosings(parts.map((p) => p.json.content.closing)));
    expect(compiled.content.explanations.map((e: { text: string }) => e.text)).toContain('差额为 2025 年 12 月入库的 3 批矿产品');
    // nothing missing or returned; the enterprise's report is listed as late when its first version was
    expect(compiled.content.listed.map((u: { reason: string; key: string }) => [u.reason, u.key])).toEqual(first.late ? [['late', enterpriseId]] : []);
  });

  it('shows the province the compiled figures and the missing county (安远县), at every level below', async () => {
    const overview = await province.get(`/api/reports/overview?period=${period}`);
    expect(overview.status).toBe(200);
    expect(overview.json.unit).toMatchObject({ key: '360000', level: 'province' });
    expect(overview.json.children.find((c: { key: string }) => c.key === '360700')).toMatchObject({ level: 'prefecture', status: 'missing' });
    const outstanding = overview.json.outstanding.map((u: { level: string; key: string }) => `${u.level}:${u.key}`);
    expect(outstanding).toContain('county:360726');
    expect(outstanding).toContain('prefecture:360700');
    expect(outstanding).not.toContain('county:360734');
    // a report submitted after its due date is listed as late at the levels above
    expect(overview.json.late.some((u: { key: string }) => u.key === enterpriseId)).toBe(first.late);
    const ganzhou = await province.get(`/api/reports/overview?period=${period}&divisionCode=360700`);
    const xunwu = ganzhou.json.children.find((c: { key: string }) => c.key === '360734');
    const compiled = (await county.get(`/api/reports/${compilationId}`)).json;
    expect(xunwu).toMatchObject({ status: 'submitted', reportId: compilationId, enterpriseReports: 2 });
    expect(figures(xunwu.lines)).toEqual(figures(compiled.content.lines));
    expect(ganzhou.json.children.find((c: { key: string }) => c.key === '360726')).toMatchObject({ status: 'missing', overdue: todayInChina() > ganzhou.json.children.find((c: { key: string }) => c.key === '360726').dueDate });
    // officials see their own subtree only
    expect((await otherCounty.get(`/api/reports/overview?period=${period}&divisionCode=360734`)).status).toBe(404);
    expect((await mine.get(`/api/reports/overview?period=${period}`)).status).toBe(403);
    expect((await county.get(`/api/reports/overview?period=${period}&divisionCode=CN`)).status).toBe(403);
  });

  it('at every level of the demo, each compilation equals the sum of the reports it names', async () => {
    const all = (await admin.get(`/api/reports?period=${period}`)).json.filter((r: { level: string }) => r.level !== 'enterprise');
    expect(all.length).toBeGreaterThan(20);
    for (const summary of all) {
      const c = (await admin.get(`/api/reports/${summary.id}`)).json.content;
      const parts = await Promise.all(c.constituents.map((x: { reportId: string }) => admin.get(`/api/reports/${x.reportId}`)));
      expect(figures(c.lines), `${summary.level} ${summary.subjectKey}`).toEqual(figures(sumLines(parts.map((p) => p.json.content.lines))));
      expect(c.enterpriseReports).toBe(parts.reduce((n, p) => n + p.json.content.enterpriseReports, 0));
    }
  });

  it('the ministries: provinces pending review hold the national compilation; NDRC does not review; MNR does', async () => {
    const held = await admin.post('/api/reports/compilations', { period });
    expect(held.json.code).toBe('reports.pending_review');
    const inbox = (await admin.get('/api/reports?inbox=true')).json.filter((r: { period: string }) => r.period === period);
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.every((r: { level: string }) => r.level === 'province')).toBe(true);
    const ndrc = await signIn(fx.app, 'ndrc');
    expect((await ndrc.post(`/api/reports/${inbox[0].id}/accept`)).json.code).toBe('reports.not_recipient');
    const mnr = await signIn(fx.app, 'mnr');
    expect((await mnr.post(`/api/reports/${inbox[0].id}/accept`)).json.status).toBe('accepted');
    const national = await admin.get(`/api/reports/overview?period=${period}`);
    expect(national.json.unit.key).toBe('CN');
    expect(national.json.children.length).toBeGreaterThan(5);
    const execution = await admin.get(`/api/reports/execution?year=${last.year}`);
    expect(execution.json.months.at(-1)).toMatchObject({ month: last.month, source: 'enterprise_reports' });
  });

  it('a downloaded report verifies with the published key and fails when one figure is changed', async () => {
    const signed = JSON.parse((await county.get(`/api/reports/${compilationId}/signed`)).body);
    const keys = (await anonymous(fx.app).get('/api/reports/keys')).json.keys;
    const key = keys.find((k: { kid: string }) => k.kid === signed.seal.keyId);
    // Checked with node:crypto alone, as anyone holding the published key would.
    const publicKey = createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x }, format: 'jwk' });
    expect(verifySignature(null, Buffer.from(canonicalJson(signed.seal)), publicKey, Buffer.from(signed.signature, 'base64url'))).toBe(true);
    expect((await anonymous(fx.app).post('/api/reports/verify', signed)).json).toMatchObject({ valid: true, seal: { reportId: compilationId } });
    const tampered = structuredClone(signed);
    tampered.content.lines[0].periodReoGrams = String(BigInt(tampered.content.lines[0].periodReoGrams) + 1000n);
    expect((await anonymous(fx.app).post('/api/reports/verify', tampered)).json).toMatchObject({ valid: false, reason: 'content_changed' });
    const forgedSeal = structuredClone(signed);
    forgedSeal.seal.submittedBy = 'someone-else';
    expect((await anonymous(fx.app).post('/api/reports/verify', forgedSeal)).json).toMatchObject({ valid: false, reason: 'signature_invalid' });
    const pdf = await fx.app.inject({ method: 'GET', url: `/api/reports/${compilationId}/pdf`, headers: { cookie: await cookieOf('xunwu') } });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const checked = await fx.app.inject({ method: 'POST', url: '/api/reports/verify', headers: { 'content-type': 'application/pdf' }, payload: pdf.rawPayload });
    expect(JSON.parse(checked.body)).toMatchObject({ valid: true, seal: { reportId: compilationId } });
    const xlsx = await fx.app.inject({ method: 'GET', url: `/api/reports/${compilationId}/xlsx?lang=en`, headers: { cookie: await cookieOf('xunwu') } });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await otherCounty.get(`/api/reports/${compilationId}/signed`)).status).toBe(404);
  });

  it('lists overdue reports as alerts once, and the deadlines are rules with effective dates', async () => {
    const sweep1 = await admin.post('/api/reports/reminders/run');
    const sweep2 = await admin.post('/api/reports/reminders/run');
    expect(sweep1.status).toBe(200);
    expect(sweep2.json).toEqual({ reminders: 0, overdue: 0 }); // nothing queued twice
    const prefill = (await mine.get(`/api/reports/prefill?enterpriseId=${enterpriseId}&period=${period}`)).json;
    const alerts = (await county.get('/api/reports/alerts')).json;
    const anyuan = alerts.find((a: { level: string; subjectKey: string; period: string }) => a.level === 'county' && a.subjectKey === '360726' && a.period === period);
    if (todayInChina() > (await province.get(`/api/reports/overview?period=${period}&divisionCode=360700`)).json.children.find((c: { key: string }) => c.key === '360726').dueDate) {
      expect((await province.get('/api/reports/alerts')).json.some((a: { subjectKey: string; period: string }) => a.subjectKey === '360726' && a.period === period)).toBe(true);
    }
    expect(anyuan).toBeUndefined(); // 寻乌县 does not see 安远县's alert
    const bad = await admin.post('/api/quota/rules', { key: 'report_due_enterprise_month', value: { monthsAfter: 1, day: 40 }, effectiveFrom: `${period}-01` });
    expect(bad.status).toBe(422);
    const added = await admin.post('/api/quota/rules', { key: 'report_due_enterprise_month', value: { monthsAfter: 2, day: 1 }, effectiveFrom: `${period}-01` });
    expect(added.status).toBe(201);
    await new Promise((r) => setTimeout(r, 5_100)); // rules are cached for five seconds
    const after = (await mine.get(`/api/reports/prefill?enterpriseId=${enterpriseId}&period=${period}`)).json;
    expect(after.dueDate > prefill.dueDate).toBe(true);
    expect(after.dueDate.slice(5, 7)).toBe(String(((last.month + 1) % 12) + 1).padStart(2, '0'));
    // the holiday calendar is configurable: a day off on the due date moves it to the next working day
    expect((await county.patch('/api/holidays/2026-10-01', {})).status).toBe(405);
    const byCounty = await fx.app.inject({ method: 'PUT', url: `/api/holidays/${after.dueDate}`, headers: { cookie: await cookieOf('xunwu') }, payload: { nameZh: '测试', isOffDay: true } });
    expect(byCounty.statusCode).toBe(403);
    const weekday = await fx.app.inject({ method: 'PUT', url: '/api/holidays/2026-11-18', headers: { cookie: await cookieOf('admin') }, payload: { nameZh: '调休', isOffDay: false } });
    expect(JSON.parse(weekday.body).errors[0]).toMatchObject({ field: 'isOffDay', rule: 'weekday' });
    const set = await fx.app.inject({ method: 'PUT', url: `/api/holidays/${after.dueDate}`, headers: { cookie: await cookieOf('admin') }, payload: { nameZh: '临时休假', isOffDay: true } });
    expect(set.statusCode).toBe(200);
    const moved = (await mine.get(`/api/reports/prefill?enterpriseId=${enterpriseId}&period=${period}`)).json;
    expect(moved.dueDate > after.dueDate).toBe(true);
  });

  it.runIf(tier === 'postgres')('concurrent submissions: the same document stores one version; different ones, one and 409s', async () => {
    const separator = await signIn(fx.app, 'baotou-sep');
    const id = (await separator.get('/api/session')).json.user.enterprise.id;
    const earlier = previousMonth(last);
    const p = `${earlier.year}-${String(earlier.month).padStart(2, '0')}`;
    const prefill = (await separator.get(`/api/reports/prefill?enterpriseId=${id}&period=${p}`)).json;
    const body = (text: string) => ({ enterpriseId: id, period: p, lines: prefill.content.lines.map((l: { indicator: string }) => ({ indicator: l.indicator, explanation: text })) });
    const same = await Promise.all(Array.from({ length: 8 }, () => separator.post('/api/reports/enterprise', body('同一份报告'))));
    expect(same.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(same.map((r) => r.json.report.id)).size).toBe(1);
    const different = await Promise.all(Array.from({ length: 8 }, (_, i) => separator.post('/api/reports/enterprise', { ...body(`更正 ${i}`), replacesReportId: same[0]!.json.report.id, correctionReason: `原因 ${i}` })));
    expect(different.filter((r) => r.status === 201)).toHaveLength(1);
    expect(different.filter((r) => r.status === 409).every((r) => r.json.errors[0].rule === 'stale')).toBe(true);
    const versions = (await admin.get(`/api/reports?enterpriseId=${id}&period=${p}&includeSuperseded=true`)).json;
    expect(versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'submitted'], [1, 'superseded']]);
  });

  async function cookieOf(username: string): Promise<string> {
    const res = await fx.app.inject({ method: 'POST', url: '/api/session', payload: { username, password: 'Ytterby-demo-2026' } });
    return `ytterby_session=${res.cookies.find((c) => c.name === 'ytterby_session')!.value}`;
  }
});
