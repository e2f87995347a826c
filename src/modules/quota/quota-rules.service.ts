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

// Rules change by decision, a few times a year; every posting reads them. A few seconds of
// staleness across processes is harmless, four queries per posting are not.
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; rules: Promise<QuotaRulesInForce> }>();

export async function rulesInForce(db: Db, onDate: string): Promise<QuotaRulesInForce> {
  const hit = cache.get(onDate);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.rules;
  const rules = loadRules(db, onDate);
  cache.set(onDate, { at: Date.now(), rules });
  rules.catch(() => cache.delete(onDate));
  return rules;
}

async function loadRules(db: Db, onDate: string): Promise<QuotaRulesInForce> {
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
