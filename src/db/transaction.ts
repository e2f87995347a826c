import type { Db } from './database.ts';

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The SQLSTATE of a database error, looking through drizzle's wrapping. */
export { sqlState };

/**
 * Runs fn in one transaction, retrying serialization failures and deadlocks.
 * Inside fn use only the transaction handed in: on PGlite the outer db would wait forever.
 */
export async function withTransaction<T>(
  db: Db,
  fn: (tx: Db) => Promise<T>,
  options: { isolation?: Isolation; retries?: number } = {},
): Promise<T> {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(
        (tx) => fn(tx as unknown as Db), // PgTransaction is a PgDatabase with its own HKT
        options.isolation ? { isolationLevel: options.isolation } : undefined,
      );
    } catch (error) {
      const state = sqlState(error);
      if (attempt < retries && state && RETRYABLE.has(state)) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw error;
    }
  }
}
