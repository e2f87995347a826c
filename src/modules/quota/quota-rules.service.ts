/** Quota rules in force on a date (data with effective dates, never constants in code). */
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { ReductionRule } from '../../domain/quota.ts';
import { tonnesToGrams } from '../../domain/mass.ts';
import { parseScaledDecimal } from '../../domain/decimal.ts';
import { deadlineRuleProblem, REPORT_LEVELS, type DeadlineRule } from '../../domain/reports/deadlines.ts';
import { quotaRules } from './quota.tables.ts';

async function ruleValue<T>(db: Db, key: string, onDate: string): Promise<T> {
  const [row] = await db.select({ value: quotaRules.value }).from(quotaRules)
    .where(and(eq(quotaRules.key, key), lte(quotaRules.effectiveFrom, onDate)))
    .orderBy(desc(quotaRules.effectiveFrom)).limit(1);
  if (!row) throw new Error(`no quota rule ${key} in force on ${onDate}; add one to quota_rules`);
  return row.value as T;
}

export interface TraceRulesInForce {
  monthClosingDay: number;
  receiptDueDays: number;
  /** Tolerances in parts per million of the compared quantity. */
  receiptTolerancePpm: bigint;
  massBalanceTolerancePpm: bigint;
}

const percentToPpm = (v: string | number): bigint => parseScaledDecimal(String(v), 4); // percent × 10^4 = ppm

/** Traceability rules in force on a date (Art. 10 closing day, receipt and mass-balance tolerances); cached like the quota rules. */
export async function traceRulesInForce(db: Db, onDate: string): Promise<TraceRulesInForce> {
  const key = (db as unknown as { session: object }).session ?? db;
  let byDate = traceCache.get(key);
  if (!byDate) traceCache.set(key, (byDate = new Map()));
  const hit = byDate.get(onDate);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.rules;
  const rules = loadTraceRules(db, onDate);
  byDate.set(onDate, { at: Date.now(), rules });
  rules.catch(() => byDate.delete(onDate));
  return rules;
}

async function loadTraceRules(db: Db, onDate: string): Promise<TraceRulesInForce> {
  // One after another: inside a transaction the queries share one connection.
  const day = await ruleValue<number>(db, 'month_closing_day', onDate);
  const due = await ruleValue<number>(db, 'receipt_due_days', onDate);
  const receipt = await ruleValue<string | number>(db, 'receipt_tolerance_percent', onDate);
  const balance = await ruleValue<string | number>(db, 'mass_balance_tolerance_percent', onDate);
  return { monthClosingDay: day, receiptDueDays: due, receiptTolerancePpm: percentToPpm(receipt), massBalanceTolerancePpm: percentToPpm(balance) };
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
let cache = new WeakMap<object, Map<string, { at: number; rules: Promise<QuotaRulesInForce> }>>();
let traceCache = new WeakMap<object, Map<string, { at: number; rules: Promise<TraceRulesInForce> }>>();

export async function rulesInForce(db: Db, onDate: string): Promise<QuotaRulesInForce> {
  // Keyed by the database's session, so two databases in one process never share rules.
  const key = (db as unknown as { session: object }).session ?? db;
  let byDate = cache.get(key);
  if (!byDate) cache.set(key, (byDate = new Map()));
  const hit = byDate.get(onDate);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.rules;
  const rules = loadRules(db, onDate);
  byDate.set(onDate, { at: Date.now(), rules });
  rules.catch(() => byDate.delete(onDate));
  return rules;
}

async function loadRules(db: Db, onDate: string): Promise<QuotaRulesInForce> {
  // One after another: inside a transaction the queries share one connection.
  const thresholds = await ruleValue<number[]>(db, 'alert_thresholds_percent', onDate);
  const minCapacity = await ruleValue<string | number>(db, 'min_separation_capacity_tonnes', onDate);
  const workingDays = await ruleValue<number>(db, 'group_sub_allocation_working_days', onDate);
  const reduction = await ruleValue<ReductionRule>(db, 'article14_reduction_rule', onDate);
  return {
    alertThresholdsPercent: [...thresholds].sort((a, b) => a - b),
    minSeparationCapacityGrams: tonnesToGrams(String(minCapacity)),
    groupSubAllocationWorkingDays: workingDays,
    reductionRule: reduction,
  };
}

export const RULE_KEYS = [
  'alert_thresholds_percent', 'min_separation_capacity_tonnes', 'group_sub_allocation_working_days', 'article14_reduction_rule',
  'month_closing_day', 'receipt_due_days', 'receipt_tolerance_percent', 'mass_balance_tolerance_percent',
  ...REPORT_LEVELS.flatMap((level) => [`report_due_${level}_month`, `report_due_${level}_year`] as const),
  'supervision_report_due_province_year', 'report_due_reminder_days',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

export interface RuleOut { id: string; key: string; value: unknown; effectiveFrom: string; note: string | null; createdAt: string }

export async function listRules(db: Db): Promise<RuleOut[]> {
  const rows = await db.select().from(quotaRules).orderBy(quotaRules.key, desc(quotaRules.effectiveFrom));
  return rows.map((r) => ({ id: r.id, key: r.key, value: r.value, effectiveFrom: r.effectiveFrom, note: r.note, createdAt: r.createdAt.toISOString() }));
}

/** Checks a rule's value against its key; returns the problem or null. */
export function ruleValueProblem(key: RuleKey, value: unknown): string | null {
  switch (key) {
    case 'report_due_reminder_days':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 30 ? null : 'a whole number of days, 0–30';
    case 'alert_thresholds_percent':
      return Array.isArray(value) && value.length > 0 && value.every((v) => Number.isInteger(v) && v > 0 && v <= 1000) ? null : 'a list of whole percentages, e.g. [80, 95, 100]';
    case 'min_separation_capacity_tonnes':
      return (typeof value === 'string' || typeof value === 'number') && /^\d+(\.\d{1,6})?$/.test(String(value)) ? null : 'tonnes as a decimal, e.g. "1000"';
    case 'group_sub_allocation_working_days':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 60 ? null : 'a whole number of working days, 0–60';
    case 'month_closing_day':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 28 ? null : 'a day of the month, 1–28';
    case 'receipt_due_days':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 180 ? null : 'a whole number of days, 1–180';
    case 'receipt_tolerance_percent':
    case 'mass_balance_tolerance_percent':
      return (typeof value === 'string' || typeof value === 'number') && /^\d{1,2}(\.\d{1,4})?$/.test(String(value)) ? null : 'a percentage with up to 4 decimals, e.g. "0.5"';
    case 'article14_reduction_rule': {
      const v = value as { kind?: unknown; percent?: unknown; factor?: unknown; minimumPercent?: unknown };
      if (v?.kind === 'percent') return typeof v.percent === 'number' && v.percent > 0 && v.percent <= 100 ? null : 'percent between 0 and 100';
      if (v?.kind === 'over_production_factor') return typeof v.factor === 'number' && v.factor > 0 && v.factor <= 100 ? null : 'a positive factor';
      return '{"kind":"percent","percent":10} or {"kind":"over_production_factor","factor":2}';
    }
    default:
      return deadlineRuleProblem(value); // report_due_* and the supervision report: deadline rules
  }
}

export interface ReportRulesInForce {
  /** `${level}_${periodKind}` → deadline rule; plus the provincial supervision report. */
  deadlines: Record<string, DeadlineRule>;
  reminderDays: number;
}

const REPORT_RULE_KEYS = [
  ...REPORT_LEVELS.flatMap((level) => [`report_due_${level}_month`, `report_due_${level}_year`]), 'supervision_report_due_province_year', 'report_due_reminder_days',
];
let reportCache = new WeakMap<object, Map<string, { at: number; rules: Promise<ReportRulesInForce> }>>();

/** The reporting calendar in force on a date (Art. 9 and 12); one query, cached like the other rules. */
export async function reportRulesInForce(db: Db, onDate: string): Promise<ReportRulesInForce> {
  const key = (db as unknown as { session: object }).session ?? db;
  let byDate = reportCache.get(key);
  if (!byDate) reportCache.set(key, (byDate = new Map()));
  const hit = byDate.get(onDate);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.rules;
  const rules = loadReportRules(db, onDate);
  byDate.set(onDate, { at: Date.now(), rules });
  rules.catch(() => byDate.delete(onDate));
  return rules;
}

async function loadReportRules(db: Db, onDate: string): Promise<ReportRulesInForce> {
  const rows = await db.selectDistinctOn([quotaRules.key], { key: quotaRules.key, value: quotaRules.value }).from(quotaRules)
    .where(and(inArray(quotaRules.key, REPORT_RULE_KEYS), lte(quotaRules.effectiveFrom, onDate)))
    .orderBy(quotaRules.key, desc(quotaRules.effectiveFrom));
  const value = new Map(rows.map((r) => [r.key, r.value]));
  const missing = REPORT_RULE_KEYS.filter((k) => !value.has(k));
  if (missing.length) throw new Error(`no quota rule ${missing.join(', ')} in force on ${onDate}; add them to quota_rules`);
  const deadlines: Record<string, DeadlineRule> = {};
  for (const level of REPORT_LEVELS) {
    for (const kind of ['month', 'year'] as const) deadlines[`${level}_${kind}`] = value.get(`report_due_${level}_${kind}`) as DeadlineRule;
  }
  deadlines.supervision_year = value.get('supervision_report_due_province_year') as DeadlineRule;
  return { deadlines, reminderDays: value.get('report_due_reminder_days') as number };
}

export function clearRulesCache(): void {
  cache = new WeakMap();
  traceCache = new WeakMap();
  reportCache = new WeakMap();
}
