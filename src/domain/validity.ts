/**
 * Validity of dated grants (designations, licences) on a given day. Dates are ISO
 * 'YYYY-MM-DD' strings, which compare correctly as text.
 */
export type ValidityStatus = 'current' | 'pending' | 'expired' | 'revoked';

/** @example validityStatus({ validFrom: '2025-01-01', validTo: '2027-12-31', revokedAt: null }, '2026-11-21') // 'current' */
export function validityStatus(
  grant: { validFrom: string; validTo: string; revokedAt: Date | string | null },
  onDate: string,
): ValidityStatus {
  if (grant.revokedAt) return 'revoked';
  if (onDate < grant.validFrom) return 'pending';
  if (onDate > grant.validTo) return 'expired';
  return 'current';
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today in China Standard Time (UTC+8, no daylight saving), the calendar the rules use. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
