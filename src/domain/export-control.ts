/**
 * Export control is decided by the rule in force on a date: rules carry effective and
 * suspension dates (MOFCOM announcements), never constants in code.
 */
export interface ExportControlRule {
  announcement: string;
  elements: string[];
  effectiveFrom: string | null;
  suspendedFrom: string | null;
  suspendedTo: string | null;
}

export type ExportControlStatus = 'controlled' | 'suspended' | 'not_yet_effective';

/**
 * Status of one rule on a date. A rule suspended before it took effect, with no effective date
 * recorded, counts as suspended during the suspension and as not yet effective after it,
 * until someone records what followed.
 */
export function ruleStatusOn(rule: ExportControlRule, onDate: string): ExportControlStatus {
  const suspended = rule.suspendedFrom !== null && onDate >= rule.suspendedFrom
    && (rule.suspendedTo === null || onDate <= rule.suspendedTo);
  if (suspended) return 'suspended';
  if (rule.effectiveFrom !== null && onDate >= rule.effectiveFrom) return 'controlled';
  return 'not_yet_effective';
}

/** Each rule that names the element (or 'all controlled'), with its status on the date. */
export function exportControlOf(element: string, rules: ExportControlRule[], onDate: string) {
  return rules
    .filter((r) => r.elements.includes(element))
    .map((r) => ({
      element,
      announcement: r.announcement,
      effectiveFrom: r.effectiveFrom,
      suspendedFrom: r.suspendedFrom,
      suspendedTo: r.suspendedTo,
      status: ruleStatusOn(r, onDate),
    }));
}

/** Whether exporting the element needs a licence on the date. */
export function needsExportLicence(element: string, rules: ExportControlRule[], onDate: string): boolean {
  return exportControlOf(element, rules, onDate).some((s) => s.status === 'controlled');
}
