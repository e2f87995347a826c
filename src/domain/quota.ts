/**
 * Total quantity control rules (Order No. 71 Art. 5–8, 14), without I/O: indicators and the
 * designation each needs, eligibility for an allocation, threshold crossings and Article 14
 * reductions. All amounts are integer grams of REO.
 */
export const INDICATORS = ['mining', 'mining_rock_type', 'mining_ion_adsorption', 'smelting_separation'] as const;
export type Indicator = (typeof INDICATORS)[number];

/** The designation an indicator needs. `mining` (undivided) is only used for historical plans whose split was not published. */
export function designationFor(indicator: Indicator): { activity: 'mining' | 'smelting_separation'; oreKind: 'rock_type' | 'ion_adsorption' | null } {
  switch (indicator) {
    case 'mining': return { activity: 'mining', oreKind: null };
    case 'mining_rock_type': return { activity: 'mining', oreKind: 'rock_type' };
    case 'mining_ion_adsorption': return { activity: 'mining', oreKind: 'ion_adsorption' };
    case 'smelting_separation': return { activity: 'smelting_separation', oreKind: null };
  }
}

export type IneligibilityReason =
  | 'no_current_designation' | 'licence_missing' | 'licence_expired' | 'below_minimum_capacity' | 'enterprise_inactive';

export interface EligibilityFacts {
  active: boolean;
  hasCurrentDesignation: boolean;
  /** Licence kind → the latest validTo among its licences, or absent. */
  licenceValidTo: Partial<Record<string, string>>;
  capacityReoGrams: bigint | null;
}

/** Licences a recipient needs for an indicator: mines a mining and a safety licence, separators a safety licence. */
export function requiredLicences(indicator: Indicator): string[] {
  return designationFor(indicator).activity === 'mining' ? ['mining_licence', 'safety_licence'] : ['safety_licence'];
}

/**
 * Why an enterprise may not receive an indicator on a date, or an empty list when it may.
 * @example eligibilityProblems('smelting_separation', facts, '2026-03-01', 1_000_000_000n)
 */
export function eligibilityProblems(indicator: Indicator, facts: EligibilityFacts, onDate: string, minSeparationCapacityGrams: bigint): { reason: IneligibilityReason; detail: string }[] {
  const problems: { reason: IneligibilityReason; detail: string }[] = [];
  if (!facts.active) problems.push({ reason: 'enterprise_inactive', detail: 'the enterprise is deactivated' });
  if (!facts.hasCurrentDesignation) {
    const d = designationFor(indicator);
    problems.push({ reason: 'no_current_designation', detail: `no current designation for ${d.activity}${d.oreKind ? ` (${d.oreKind})` : ''} (Art. 7)` });
  }
  for (const kind of requiredLicences(indicator)) {
    const validTo = facts.licenceValidTo[kind];
    if (!validTo) problems.push({ reason: 'licence_missing', detail: `no ${kind}` });
    else if (validTo < onDate) problems.push({ reason: 'licence_expired', detail: `${kind} expired on ${validTo}` });
  }
  if (indicator === 'smelting_separation' && (facts.capacityReoGrams ?? 0n) < minSeparationCapacityGrams) {
    problems.push({ reason: 'below_minimum_capacity', detail: 'capacity below the minimum for separation indicators' });
  }
  return problems;
}

/**
 * Thresholds (percent of the allocation) that consumption has reached.
 * @example thresholdsReached(81n, 100n, [80, 95, 100]) // [80]
 */
export function thresholdsReached(consumed: bigint, allocated: bigint, thresholds: number[]): number[] {
  if (allocated <= 0n) return consumed > 0n ? [...thresholds] : [];
  return thresholds.filter((t) => consumed * 100n >= allocated * BigInt(t));
}

/** Utilisation in basis points (1/100 of a percent), integer-only. */
export function utilisationBasisPoints(consumed: bigint, allocated: bigint): number | null {
  if (allocated <= 0n) return null;
  return Number((consumed * 10_000n) / allocated);
}

export type ReductionRule =
  | { kind: 'percent'; percent: number }
  | { kind: 'over_production_factor'; factor: number; minimumPercent?: number };

export interface PenaltyFact { documentNo: string; decidedOn: string; overProducedReoGrams: bigint | null }

/**
 * Article 14: the reduction of next year's allocation for penalties in the previous year.
 * Percent rules cut the draft amount; factor rules cut the over-produced amount times the
 * factor (at least minimumPercent of the draft when given). Never more than the draft.
 */
export function article14Reduction(draftAmount: bigint, penalties: PenaltyFact[], rule: ReductionRule): { reduction: bigint; basis: string } {
  if (penalties.length === 0) return { reduction: 0n, basis: '' };
  const docs = penalties.map((p) => `${p.documentNo} (${p.decidedOn})`).join(', ');
  let reduction: bigint;
  let how: string;
  if (rule.kind === 'percent') {
    reduction = (draftAmount * BigInt(Math.round(rule.percent * 100))) / 10_000n;
    how = `${rule.percent}% of the draft allocation`;
  } else {
    const over = penalties.reduce((sum, p) => sum + (p.overProducedReoGrams ?? 0n), 0n);
    reduction = (over * BigInt(Math.round(rule.factor * 100))) / 100n;
    how = `${rule.factor} × over-produced amount`;
    if (rule.minimumPercent !== undefined) {
      const floor = (draftAmount * BigInt(Math.round(rule.minimumPercent * 100))) / 10_000n;
      if (reduction < floor) { reduction = floor; how += `, at least ${rule.minimumPercent}%`; }
    }
  }
  if (reduction > draftAmount) reduction = draftAmount;
  return { reduction, basis: `Order No. 71 Art. 14: penalties ${docs}; ${how}` };
}
