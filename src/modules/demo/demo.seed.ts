/**
 * Demo module: seeds a believable country from the deterministic demo dataset, through the
 * same use cases the API runs, so every demo row passes the registry's validation and is audited.
 */
import { seedReports } from './demo.reports.ts';
import { runReminderSweep } from '../reports/reports.service.ts';
import type { Db } from '../../db/database.ts';
import { systemActor } from '../auth/actor.ts';
import { createUser, findUserByUsername } from '../auth/auth.service.ts';
import {
  createDepartment, createDesignation, createEnterprise, createGroup, createProduct, findDepartmentByCode, findGroupByCode,
  loadReferenceData,
} from '../registry/registry.service.ts';
import { buildDemoDataset, DEMO_PASSWORD } from './demo.dataset.ts';
import { seedCurrentYear, seedQuotaHistory } from './demo.quota.ts';
import { seedFlows, seedLocations } from './demo.trace.ts';

export { DEMO_PASSWORD };

export type SeedProgress = (step: string, done: number, total: number) => void;

export interface DemoSeedResult {
  seeded: boolean;
  departments: number; groups: number; enterprises: number; designations: number; products: number; users: number;
}

export async function demoIsSeeded(db: Db): Promise<boolean> {
  return (await findUserByUsername(db, 'admin')) !== null;
}

export interface SeedOptions {
  /** Report, check and compile every earlier month of the year too (the console's charts); tests leave it out for speed. */
  reportHistory?: boolean;
}

export async function seedDemo(db: Db, onProgress: SeedProgress = () => undefined, options: SeedOptions = {}): Promise<DemoSeedResult> {
  await loadReferenceData(db, onProgress);
  const data = buildDemoDataset();
  const counts = {
    departments: data.departments.length, groups: data.groups.length, enterprises: data.enterprises.length,
    designations: data.designations.length, products: data.products.length, users: data.users.length,
  };
  if (await demoIsSeeded(db)) return { seeded: false, ...counts };
  const actor = systemActor('demo-seed');

  for (const [i, d] of data.departments.entries()) {
    if (!(await findDepartmentByCode(db, d.code))) await createDepartment(db, actor, d);
    onProgress('departments', i + 1, data.departments.length);
  }
  // Active groups first, so merged ones can name their successor.
  const groups = [...data.groups].sort((a, b) => Number(a.status === 'merged') - Number(b.status === 'merged'));
  for (const [i, g] of groups.entries()) {
    if (!(await findGroupByCode(db, g.code))) {
      const mergedIntoId = g.mergedIntoCode ? (await findGroupByCode(db, g.mergedIntoCode))!.id : null;
      await createGroup(db, actor, { code: g.code, nameZh: g.nameZh, nameEn: g.nameEn, status: g.status, mergedIntoId });
    }
    onProgress('groups', i + 1, groups.length);
  }
  const enterpriseIds = new Map<string, string>();
  for (const [i, e] of data.enterprises.entries()) {
    const groupId = e.groupCode ? (await findGroupByCode(db, e.groupCode))!.id : null;
    const created = await createEnterprise(db, actor, { ...e, groupId });
    enterpriseIds.set(e.creditCode, created.id);
    onProgress('enterprises', i + 1, data.enterprises.length);
  }
  for (const [i, d] of data.designations.entries()) {
    const { creditCode, ...rest } = d;
    await createDesignation(db, actor, { ...rest, enterpriseId: enterpriseIds.get(creditCode)! });
    onProgress('designations', i + 1, data.designations.length);
  }
  for (const [i, p] of data.products.entries()) {
    await createProduct(db, actor, p);
    onProgress('products', i + 1, data.products.length);
  }
  const operatorOf = new Map<string, string>();
  for (const [i, u] of data.users.entries()) {
    const departmentId = u.departmentCode ? (await findDepartmentByCode(db, u.departmentCode))!.id : null;
    const enterpriseId = u.enterpriseCreditCode ? enterpriseIds.get(u.enterpriseCreditCode)! : null;
    await createUser(db, actor, { username: u.username, displayName: u.displayName, password: u.password, role: u.role, departmentId, enterpriseId });
    if (enterpriseId && u.role === 'enterprise_operator') operatorOf.set(enterpriseId, u.username);
    onProgress('users', i + 1, data.users.length);
  }
  await seedQuotaHistory(db, onProgress);
  await seedCurrentYear(db, operatorOf, onProgress);
  await seedLocations(db, data, enterpriseIds, onProgress);
  await seedFlows(db, data, enterpriseIds, onProgress);
  await seedReports(db, data, enterpriseIds, onProgress, { history: options.reportHistory ?? false });
  await runReminderSweep(db);
  return { seeded: true, ...counts };
}

/** The demo logins, for the start banner and the README. */
export function demoLogins(): { username: string; role: string; organisation: string }[] {
  const data = buildDemoDataset();
  return data.users.map((u) => ({ username: u.username, role: u.role, organisation: u.departmentCode ?? u.enterpriseCreditCode ?? '' }));
}

