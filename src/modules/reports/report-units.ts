/**
 * The reporting tree for a period, loaded from the registry: the enterprises that owe reports
 * and the divisions above them. Also: which unit an actor speaks for.
 */
import type { Db } from '../../db/database.ts';
import { buildUnitTree, divisionCodesFor, NATIONAL_KEY, parentOfDivision, type Unit } from '../../domain/reports/hierarchy.ts';
import { periodDays, type ReportPeriod } from '../../domain/reports/period.ts';
import type { Actor } from '../auth/actor.ts';
import { divisionsByCodes, findDepartment, reportingEnterprises } from '../registry/registry.service.ts';
import { forbidden } from '../shared/errors.ts';

/** Ministries that receive provincial compilations and compile the national report (Art. 9, 12). */
export const RECEIVING_MINISTRIES = ['MIIT', 'MNR'];

export async function loadUnitTree(db: Db, period: ReportPeriod, within?: string): Promise<Map<string, Unit>> {
  const enterprises = await reportingEnterprises(db, periodDays(period), { within: within === NATIONAL_KEY ? undefined : within });
  const domiciles = await divisionsByCodes(db, enterprises.map((e) => e.domicileDivisionCode));
  const all = await divisionsByCodes(db, [...divisionCodesFor(enterprises, domiciles), ...(within && within !== NATIONAL_KEY ? [within] : [])]);
  const tree = buildUnitTree(enterprises, all);
  // A division with nothing to report still has a (empty) place of its own.
  if (within && within !== NATIONAL_KEY && !tree.has(within)) {
    const d = all.get(within);
    if (d) {
      const parentKey = parentOfDivision(d);
      tree.set(within, { level: d.level, key: within, nameZh: d.nameZh, nameEn: d.nameEn ?? d.nameZh, parentKey, divisionCode: within, creditCode: null });
      const parent = parentKey === NATIONAL_KEY ? null : (await divisionsByCodes(db, [parentKey])).get(parentKey);
      if (parent) tree.set(parentKey, { level: parent.level, key: parentKey, nameZh: parent.nameZh, nameEn: parent.nameEn ?? parent.nameZh, parentKey: parentOfDivision(parent), divisionCode: parentKey, creditCode: null });
    }
  }
  return tree;
}

/** The unit (division code or CN) a department official speaks for, or null for enterprises and others. */
export async function actorUnitKey(db: Db, actor: Actor): Promise<string | null> {
  if (actor.scope.kind === 'division') return actor.scope.divisionCode;
  if (actor.scope.kind === 'national' && actor.departmentId) {
    const department = await findDepartment(db, actor.departmentId);
    if (department && RECEIVING_MINISTRIES.includes(department.code)) return NATIONAL_KEY;
  }
  return null;
}

export async function requireActorUnit(db: Db, actor: Actor, what: string): Promise<string> {
  const key = await actorUnitKey(db, actor);
  if (!key) throw forbidden(`${what}: only the departments of a division, or MIIT and MNR for the national level, do this`, 'reports.not_a_reporting_department');
  return key;
}

/** Whether an actor may see a report about a subject (enterprise id or division code). */
export function visibleTo(actor: Actor, row: { level: string; enterpriseId: string | null; divisionCode: string | null }, division: { code: string; provinceCode: string; prefectureCode: string | null } | null): boolean {
  switch (actor.scope.kind) {
    case 'national': return true;
    case 'enterprise': return row.level === 'enterprise' && row.enterpriseId === actor.scope.enterpriseId;
    case 'division': {
      if (!division) return false;
      const code = actor.scope.divisionCode;
      return division.code === code || division.provinceCode === code || division.prefectureCode === code;
    }
  }
}
