/** Captured events referred to by their key: the recording enterprise and the row id (the table's primary key). */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { epcisEvents } from './trace.tables.ts';

/** The eventIDs of stored events, looked up by their key (recording enterprise, row id). */
export async function eventIdsOf(db: Db, refs: { enterpriseId: string; rowId: string }[]): Promise<Map<string, string | null>> {
  const unique = [...new Map(refs.map((r) => [r.rowId, r])).values()];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: epcisEvents.id, eventId: epcisEvents.eventId }).from(epcisEvents)
    .where(sql`(${epcisEvents.enterpriseId}, ${epcisEvents.id}) in (${sql.join(unique.map((r) => sql`(${r.enterpriseId}::uuid, ${r.rowId}::uuid)`), sql`, `)})`);
  return new Map(rows.map((r) => [r.id, r.eventId]));
}
