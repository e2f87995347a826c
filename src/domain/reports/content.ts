/**
 * What an implementation report states (Order No. 71 Art. 9) and how a level's compilation is
 * the sum of the level below. Masses are integer grams of REO (or of product, with the REO
 * beside it), written as decimal strings so the content is plain JSON that can be hashed and
 * signed. No I/O here.
 */
import { INDICATORS, thresholdsReached, utilisationBasisPoints, type Indicator } from '../quota.ts';
import type { ReportLevel } from './deadlines.ts';

export const REPORT_SCHEMA = 'ytterby.report/1';

export interface ReportSubject {
  level: ReportLevel;
  /** Enterprise reports: the enterprise. */
  enterpriseId: string | null;
  creditCode: string | null;
  /** Enterprise: its domicile county; compilations: the division compiled; national: null. */
  divisionCode: string | null;
  nameZh: string;
  nameEn: string;
}

/** One total control indicator's execution. */
export interface IndicatorLine {
  indicator: Indicator;
  /** The year's allocation after adjustments and reductions. */
  allocatedReoGrams: string;
  /** Production in the period, as the quota ledger holds it. */
  periodReoGrams: string;
  /** Production from 1 January to the period's end. */
  yearToDateReoGrams: string;
  /** Allocated minus year to date; negative when over quota. */
  remainingReoGrams: string;
  /** Production in the period derived from the recorded product flows. */
  flowReoGrams: string;
  /** Year to date ÷ allocated, two decimals; null without an allocation. */
  utilisationPercent: string | null;
  /** Alert thresholds (percent) crossed during the period. */
  thresholdsCrossed: number[];
  /** The enterprise's explanation; required when a threshold was crossed or the ledger differs from the flows. */
  explanation: string | null;
}

export const MASS_FIELDS = ['opening', 'receipts', 'production', 'use', 'shipments', 'closing'] as const;
export type MassField = (typeof MASS_FIELDS)[number];

/** A product's mass balance over the period: product grams with their REO grams beside them. */
export type MassBalanceLine = { productCode: string; productNameZh: string; productNameEn: string }
  & { [K in MassField as `${K}Grams`]: string }
  & { [K in MassField as `${K}ReoGrams`]: string };

/** Monthly flow closing (Art. 10) over the period: months counted per status. */
export interface ClosingSummary { months: number; closed: number; late: number; missing: number; open: number }

/** A report of the level below that a compilation summed. */
export interface Constituent {
  reportId: string; version: number; level: ReportLevel; key: string; nameZh: string; nameEn: string;
  contentHash: string; submittedAt: string; late: boolean;
}

/** A unit whose report is absent from a compilation, or was late or returned. */
export interface ListedUnit { level: ReportLevel; key: string; nameZh: string; nameEn: string; reason: 'missing' | 'returned' | 'late'; viaKey: string | null }

export interface Explanation { level: ReportLevel; key: string; nameZh: string; nameEn: string; indicator: Indicator | null; text: string }

export interface ReportContent {
  schema: typeof REPORT_SCHEMA;
  period: string;
  subject: ReportSubject;
  lines: IndicatorLine[];
  massBalance: MassBalanceLine[];
  closing: ClosingSummary;
  remarks: string | null;
  /** How many enterprise reports the figures contain (1 for an enterprise report). */
  enterpriseReports: number;
  /** Compilations only: what was summed, and what is missing, late or returned at any level below. */
  constituents: Constituent[];
  listed: ListedUnit[];
  /** Compilations: the explanations given below, carried upward. */
  explanations: Explanation[];
}

const big = (s: string): bigint => BigInt(s);

/** Utilisation in percent with two decimals. */
export function utilisationPercent(consumed: bigint, allocated: bigint): string | null {
  const bp = utilisationBasisPoints(consumed, allocated);
  return bp === null ? null : `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

export interface LineFacts {
  indicator: Indicator; allocated: bigint; period: bigint; yearToDateBefore: bigint; flow: bigint;
}

/** An indicator line from ledger facts; thresholds crossed are those reached by the period's end and not before it. */
export function indicatorLine(f: LineFacts, thresholds: number[], explanation: string | null = null): IndicatorLine {
  const ytd = f.yearToDateBefore + f.period;
  const before = new Set(thresholdsReached(f.yearToDateBefore, f.allocated, thresholds));
  return {
    indicator: f.indicator,
    allocatedReoGrams: String(f.allocated), periodReoGrams: String(f.period), yearToDateReoGrams: String(ytd),
    remainingReoGrams: String(f.allocated - ytd), flowReoGrams: String(f.flow),
    utilisationPercent: utilisationPercent(ytd, f.allocated),
    thresholdsCrossed: thresholdsReached(ytd, f.allocated, thresholds).filter((t) => !before.has(t)),
    explanation,
  };
}

export type ExplanationReason = 'threshold_crossed' | 'differs_from_flows';

/** Why a line needs an explanation, or null. */
export function explanationNeeded(line: IndicatorLine): ExplanationReason | null {
  if (line.thresholdsCrossed.length > 0) return 'threshold_crossed';
  if (line.periodReoGrams !== line.flowReoGrams) return 'differs_from_flows';
  return null;
}

/** Sum of indicator lines by indicator, in the catalogue's order; compilations carry no explanations of their own. */
export function sumLines(lists: IndicatorLine[][]): IndicatorLine[] {
  const sums = new Map<Indicator, { allocated: bigint; period: bigint; ytd: bigint; remaining: bigint; flow: bigint }>();
  for (const line of lists.flat()) {
    const s = sums.get(line.indicator) ?? { allocated: 0n, period: 0n, ytd: 0n, remaining: 0n, flow: 0n };
    s.allocated += big(line.allocatedReoGrams); s.period += big(line.periodReoGrams); s.ytd += big(line.yearToDateReoGrams);
    s.remaining += big(line.remainingReoGrams); s.flow += big(line.flowReoGrams);
    sums.set(line.indicator, s);
  }
  return INDICATORS.filter((i) => sums.has(i)).map((indicator) => {
    const s = sums.get(indicator)!;
    return {
      indicator, allocatedReoGrams: String(s.allocated), periodReoGrams: String(s.period), yearToDateReoGrams: String(s.ytd),
      remainingReoGrams: String(s.remaining), flowReoGrams: String(s.flow), utilisationPercent: utilisationPercent(s.ytd, s.allocated),
      thresholdsCrossed: [], explanation: null,
    };
  });
}

/** Sum of mass balances by product code. */
export function sumMassBalances(lists: MassBalanceLine[][]): MassBalanceLine[] {
  const byCode = new Map<string, MassBalanceLine>();
  for (const line of lists.flat()) {
    const s = byCode.get(line.productCode);
    if (!s) { byCode.set(line.productCode, { ...line }); continue; }
    for (const f of MASS_FIELDS) {
      s[`${f}Grams`] = String(big(s[`${f}Grams`]) + big(line[`${f}Grams`]));
      s[`${f}ReoGrams`] = String(big(s[`${f}ReoGrams`]) + big(line[`${f}ReoGrams`]));
    }
  }
  return [...byCode.values()].sort((a, b) => a.productCode.localeCompare(b.productCode));
}

export function sumClosings(list: ClosingSummary[]): ClosingSummary {
  return list.reduce((s, c) => ({ months: s.months + c.months, closed: s.closed + c.closed, late: s.late + c.late, missing: s.missing + c.missing, open: s.open + c.open }),
    { months: 0, closed: 0, late: 0, missing: 0, open: 0 });
}

export interface CompilationInput {
  period: string;
  subject: ReportSubject;
  included: { content: ReportContent; constituent: Constituent }[];
  /** Units of the level below without an accepted report (missing or returned), and late ones are marked on their constituent. */
  listed: ListedUnit[];
  remarks: string | null;
}

/**
 * A compilation: every figure is the sum of the included reports' figures; what is missing,
 * late or returned here and at every level below is listed.
 */
export function compile(input: CompilationInput): ReportContent {
  const contents = input.included.map((i) => i.content);
  const late: ListedUnit[] = input.included.filter((i) => i.constituent.late)
    .map(({ constituent: c }) => ({ level: c.level, key: c.key, nameZh: c.nameZh, nameEn: c.nameEn, reason: 'late', viaKey: null }));
  const below = input.included.flatMap(({ content, constituent }) =>
    content.listed.map((u) => ({ ...u, viaKey: u.viaKey ?? constituent.key })));
  return {
    schema: REPORT_SCHEMA,
    period: input.period,
    subject: input.subject,
    lines: sumLines(contents.map((c) => c.lines)),
    massBalance: sumMassBalances(contents.map((c) => c.massBalance)),
    closing: sumClosings(contents.map((c) => c.closing)),
    remarks: input.remarks,
    enterpriseReports: contents.reduce((n, c) => n + c.enterpriseReports, 0),
    constituents: input.included.map((i) => i.constituent),
    listed: [...input.listed, ...late, ...below],
    explanations: contents.flatMap((c) => c.subject.level === 'enterprise'
      ? [...c.lines.filter((l) => l.explanation).map((l) => ({ level: c.subject.level, key: c.subject.creditCode ?? '', nameZh: c.subject.nameZh, nameEn: c.subject.nameEn, indicator: l.indicator, text: l.explanation! })),
        ...(c.remarks ? [{ level: c.subject.level, key: c.subject.creditCode ?? '', nameZh: c.subject.nameZh, nameEn: c.subject.nameEn, indicator: null, text: c.remarks }] : [])]
      : [...c.explanations, ...(c.remarks ? [{ level: c.subject.level, key: c.subject.divisionCode ?? '', nameZh: c.subject.nameZh, nameEn: c.subject.nameEn, indicator: null, text: c.remarks }] : [])]),
  };
}
