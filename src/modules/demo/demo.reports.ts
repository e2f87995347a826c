/**
 * Demo implementation reports (Art. 9): the current year's months reported, checked and
 * compiled up to the national level on time, and the previous month left part-way so the
 * console has work to show — 赣州寻乌南岭 (xunwu-mine) has not yet reported, 寻乌县 waits
 * for it, 安远县 is the county that has not compiled, and 赣州市, 江西省 and the national
 * compilation wait for them. Everything goes through the reports use cases.
 */
import type { Db } from '../../db/database.ts';
import { NATIONAL_KEY, type Unit } from '../../domain/reports/hierarchy.ts';
import { formatPeriod, isoDate, type ReportPeriod } from '../../domain/reports/period.ts';
import { monthInChina, nextMonth, previousMonth } from '../../domain/trace/months.ts';
import type { Actor } from '../auth/actor.ts';
import { findDepartmentByCode } from '../registry/registry.service.ts';
import { decideReport, loadUnitTree, prefillEnterpriseReport, submitCompilation, submitEnterpriseReport } from '../reports/reports.service.ts';
import type { DemoDataset } from './demo.dataset.ts';

type Progress = (step: string, done: number, total: number) => void;

/** Left undone in the previous month, for the walk through the console. */
export const DEMO_PENDING = { enterpriseKey: 'xunwu-mine', counties: ['360734', '360726'], waiting: ['360700', '360000', NATIONAL_KEY] };

const EXPLANATION = '月度产量按企业生产台账填报；流向自系统上线起逐批录入，差额为上线前已入库的矿产品。';

const LEVEL_ORDER: Unit['level'][] = ['county', 'prefecture', 'province', 'national'];

async function departmentActor(db: Db, unit: Unit): Promise<Actor> {
  if (unit.level === 'national') {
    const miit = (await findDepartmentByCode(db, 'MIIT'))!;
    return { userId: null, username: 'admin', role: 'ministry_admin', departmentId: miit.id, enterpriseId: null, scope: { kind: 'national' }, ip: null };
  }
  const department = await findDepartmentByCode(db, `IIT-${unit.key}`);
  if (!department) throw new Error(`demo: no department IIT-${unit.key}`);
  const level = unit.level as 'county' | 'prefecture' | 'province';
  return { userId: null, username: `demo-${unit.key}`, role: 'local_official', departmentId: department.id, enterpriseId: null, scope: { kind: 'division', level, divisionCode: unit.key }, ip: null };
}

const enterpriseActor = (id: string): Actor => ({
  userId: null, username: 'demo-seed', role: 'enterprise_operator', departmentId: null, enterpriseId: id, scope: { kind: 'enterprise', enterpriseId: id }, ip: null,
});

/** One period reported bottom-up, on the given day, leaving out what `skip` names. */
async function reportPeriod(db: Db, period: ReportPeriod, at: Date, skip: { enterprises: Set<string>; units: Set<string> }): Promise<void> {
  const p = formatPeriod(period);
  const tree = await loadUnitTree(db, period);
  const units = [...tree.values()];
  const actors = new Map<string, Actor>();
  const actorFor = async (u: Unit) => actors.get(u.key) ?? actors.set(u.key, await departmentActor(db, u)).get(u.key)!;
  for (const e of units.filter((u) => u.level === 'enterprise' && !skip.enterprises.has(u.key))) {
    const actor = enterpriseActor(e.key);
    const prefill = await prefillEnterpriseReport(db, actor, { enterpriseId: e.key, period: p });
    const lines = prefill.explanationsRequired.map((r) => ({ indicator: r.indicator, explanation: EXPLANATION }));
    const { row } = await submitEnterpriseReport(db, actor, { enterpriseId: e.key, period: p, lines }, { submittedAt: at });
    await decideReport(db, await actorFor(tree.get(e.parentKey!)!), row.id, 'accept');
  }
  for (const level of LEVEL_ORDER) {
    for (const u of units.filter((x) => x.level === level && !skip.units.has(x.key))) {
      const { row } = await submitCompilation(db, await actorFor(u), { period: p }, { submittedAt: at });
      if (u.parentKey && !skip.units.has(u.parentKey)) await decideReport(db, await actorFor(tree.get(u.parentKey)!), row.id, 'accept');
    }
  }
}

export async function seedReports(db: Db, data: DemoDataset, ids: Map<string, string>, onProgress: Progress, options: { history: boolean }): Promise<void> {
  const now = new Date();
  const current = monthInChina(now);
  const last = previousMonth(current);
  const months: ReportPeriod[] = [];
  if (options.history) for (let m = 1; m < last.month && last.year === current.year; m++) months.push({ kind: 'month', year: last.year, month: m });
  const pendingKey = data.enterprises.find((e) => e.creditCode === creditCodeOf(data, DEMO_PENDING.enterpriseKey));
  for (const [i, period] of months.entries()) {
    const due = nextMonth({ year: period.year, month: (period as { month: number }).month });
    await reportPeriod(db, period, new Date(`${isoDate(due.year, due.month, 8)}T10:00:00+08:00`), { enterprises: new Set(), units: new Set() });
    onProgress('implementation reports', i + 1, months.length + 1);
  }
  const eighth = new Date(`${isoDate(current.year, current.month, 8)}T10:00:00+08:00`);
  await reportPeriod(db, { kind: 'month', ...last }, eighth < now ? eighth : now, {
    enterprises: new Set(pendingKey ? [ids.get(pendingKey.creditCode)!] : []),
    units: new Set([...DEMO_PENDING.counties, ...DEMO_PENDING.waiting]),
  });
  onProgress('implementation reports', months.length + 1, months.length + 1);
}

/** The credit code of a demo enterprise by its key (the dataset keeps keys only for users). */
function creditCodeOf(data: DemoDataset, key: string): string | undefined {
  return data.users.find((u) => u.username === key)?.enterpriseCreditCode ?? undefined;
}
