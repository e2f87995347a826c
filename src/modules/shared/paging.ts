import { z } from 'zod';
import { asc, desc, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** Query parameters shared by every list endpoint. */
export const listQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  sort: z.string().max(40).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
  q: z.string().trim().max(100).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

/**
 * ORDER BY for a whitelisted sort key; unknown keys fall back to the default so a stale
 * bookmark never errors. The tiebreaker keeps pages stable.
 */
export function orderBy(
  query: Pick<ListQuery, 'sort' | 'order'>,
  columns: Record<string, AnyPgColumn>,
  fallback: string,
  tiebreaker: AnyPgColumn,
): SQL[] {
  const column = columns[query.sort ?? fallback] ?? columns[fallback]!;
  const direction = query.order === 'desc' ? desc : asc;
  return [direction(column), asc(tiebreaker)];
}

/** `%text%` for ILIKE with the user's wildcards escaped. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
