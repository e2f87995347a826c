/**
 * JSON with object keys sorted at every level, so a hash over it does not depend on key order
 * (jsonb reorders keys on the way back).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** A value made plain for JSON storage: bigints to strings, dates to ISO strings, undefined dropped. */
export function plainJson<T>(value: T): unknown {
  return value === null || value === undefined ? null : JSON.parse(canonicalJson(value));
}
