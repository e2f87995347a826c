/** Types of the quota API (/api/quota/…): total quantity control, Order No. 71 Art. 5–9, 14. */

export const INDICATORS = ['mining', 'mining_rock_type', 'mining_ion_adsorption', 'smelting_separation'] as const;
export type Indicator = (typeof INDICATORS)[number];
/** Indicators a new plan or allocation uses (undivided `mining` is for published history only). */
export const CURRENT_INDICATORS = ['mining_rock_type', 'mining_ion_adsorption', 'smelting_separation'] as const satisfies readonly Indicator[];

export const PLAN_STATUSES = ['draft', 'agreed', 'submitted', 'approved', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const SIGNING_MINISTRIES = ['MIIT', 'MNR', 'NDRC'] as const;

export interface PlanLine { id: string; indicator: Indicator; approvedTonnesReo: string; adjustmentsTonnesReo: string; effectiveTonnesReo: string }
export interface PlanSignoff { departmentCode: string; decision: 'agree' | 'return'; reason: string | null; username: string; at: string; round: number }
export interface PlanAdjustment { id: string; indicator: Indicator; deltaTonnesReo: string; reason: string; documentNo: string; username: string; at: string }
export interface Plan {
  id: string; year: number; status: PlanStatus; round: number; historical: boolean; note: string | null;
  basisText: string; basisFigures: Record<string, string>; lines: PlanLine[]; signoffs: PlanSignoff[]; adjustments: PlanAdjustment[];
  submittedAt: string | null; approvalDocumentNo: string | null; approvedOn: string | null; closedAt: string | null;
}

export type BatchStatus = 'draft' | 'prepared' | 'issued';
export type AllocationStatus = 'draft' | 'issued' | 'withdrawn';
export interface Allocation {
  id: string; batchId: string; year: number; indicator: Indicator; enterpriseId: string | null; enterpriseNameZh: string | null;
  groupId: string | null; parentAllocationId: string | null; amountTonnesReo: string; reductionTonnesReo: string; netTonnesReo: string;
  reductionBasis: string | null; reductionOverrideReason: string | null; basis: Record<string, string>; status: AllocationStatus;
  subAllocationDue: string | null; subAllocatedTonnesReo: string | null; createdBy: string; createdAt: string;
}
export interface Batch {
  id: string; year: number; ordinal: number; name: string; status: BatchStatus; documentNo: string | null;
  preparedByUsername: string | null; preparedAt: string | null; issuedByUsername: string | null; issuedAt: string | null;
  totals: { indicator: Indicator; tonnesReo: string }[]; allocations: Allocation[];
}

export interface Notice {
  id: string; batchId: string; batchName: string; year: number;
  recipient: { kind: 'department' | 'enterprise'; id: string; code: string | null; nameZh: string; level: string | null };
  forwardedFromId: string | null; deliveredAt: string; readAt: string | null; acknowledgedAt: string | null;
  acknowledgedBy: string | null; forwardedAt: string | null; canForward: boolean;
}

export interface LedgerEntry {
  id: string; enterpriseId: string; year: number; indicator: Indicator; kind: 'allocation' | 'consumption' | 'adjustment' | 'reduction' | string;
  amountTonnesReo: string; periodMonth: number | null; allocationId: string | null; correctsEntryId: string | null; note: string | null;
  createdBy: string; createdAt: string;
}
export interface Balance {
  enterpriseId: string; enterpriseNameZh: string; domicileDivisionCode: string; provinceCode: string; groupId: string | null; year: number; indicator: Indicator;
  allocatedTonnesReo: string; consumedTonnesReo: string; balanceTonnesReo: string; reductionTonnesReo: string;
  utilisationPercent: string | null; thresholdsCrossed: number[]; overQuota: boolean;
}
export interface QuotaAlert {
  id: string; enterpriseId: string; enterpriseNameZh: string; year: number; indicator: Indicator; kind: 'threshold' | 'over_quota';
  thresholdPercent: number; consumedTonnesReo: string; allocatedTonnesReo: string; raisedAt: string;
}
interface Pair { allocatedTonnesReo: string; consumedTonnesReo: string }
export interface QuotaSummary {
  year: number;
  byIndicator: ({ indicator: Indicator } & Pair)[];
  byProvince: ({ provinceCode: string; provinceNameZh: string; indicator: Indicator } & Pair)[];
  byGroup: ({ groupId: string | null; groupNameZh: string | null; indicator: Indicator } & Pair)[];
  monthly: { month: number; indicator: Indicator; consumedTonnesReo: string; cumulativeTonnesReo: string }[];
}
export interface ProductionResult { entry: LedgerEntry | null; unchanged: boolean; balance: Balance }

/** Current year in China (the server's calendar for plans and production). */
export function currentYear(): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}
export function currentMonth(): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', month: 'numeric' }).format(new Date()));
}

/** Mining total of a plan: undivided `mining`, or rock-type plus ion-adsorption. */
export function planTotals(plan: Plan): { mining: number; smelting: number } {
  const get = (i: Indicator) => Number(plan.lines.find((l) => l.indicator === i)?.effectiveTonnesReo ?? 0);
  return { mining: get('mining') + get('mining_rock_type') + get('mining_ion_adsorption'), smelting: get('smelting_separation') };
}

/** Art. 14: an administrative penalty that reduces the enterprise's allocation of the following year. */
export interface Penalty {
  id: string; enterpriseId: string; enterpriseNameZh: string; decidedOn: string; authority: string; legalBasis: string; documentNo: string;
  overProducedTonnesReo: string | null; createdBy: string; createdAt: string;
}

export const RULE_KEYS = ['alert_thresholds_percent', 'min_separation_capacity_tonnes', 'group_sub_allocation_working_days', 'article14_reduction_rule'] as const;
export type RuleKey = (typeof RULE_KEYS)[number];
/** A quota rule taking effect on a date (the latest one not after a date is in force on it). */
export interface QuotaRule { id: string; key: RuleKey | string; value: unknown; effectiveFrom: string; note: string | null; createdAt: string }
