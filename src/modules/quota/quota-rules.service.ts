/** Quota rules in force on a date (data with effective dates, never constants in code). */
import { and, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { ReductionRule } from '../../domain/quota.ts';
import { tonnesToGrams } from '../../domain/mass.ts';
import { quotaRules } from './quota.tables.ts';

async function ruleValue<T>(db: Db, key: string, onDate: string): Promise<T> {
  const [row] = await db.select({ value: quotaRules.value }).from(quotaRules)
    .where(and(eq(quotaRules.key, key), lte(quotaRules.effectiveFrom, onDate)))
    .orderBy(desc(quotaRules.effectiveFrom)).limit(1);
  if (!row) throw new Error(`no quota rule ${key} in force on ${onDate}; add one to quota_rules`);
  return row.value as T;
}

export interface QuotaRulesInForce {
  alertThresholdsPercent: number[];
  minSeparationCapacityGrams: bigint;
  groupSubAllocationWorkingDays: number;
  reductionRule: ReductionRule;
}

export async function rulesInForce(db: Db, onDate: string): Promise<QuotaRulesInForce> {
  const [thresholds, minCapacity, workingDays, reduction] = await Promise.all([
    ruleValue<number[]>(db, 'alert_thresholds_percent', onDate),
    ruleValue<string>(db, 'min_separation_capacity_tonnes', onDate),
    ruleValue<number>(db, 'group_sub_allocation_working_days', onDate),
    ruleValue<ReductionRule>(db, 'article14_reduction_rule', onDate),
  ]);
  return {
    alertThresholdsPercent: [...thresholds].sort((a, b) => a - b),
    minSeparationCapacityGrams: tonnesToGrams(minCapacity),
    groupSubAllocationWorkingDays: workingDays,
    reductionRule: reduction,
  };
}
