/**
 * Tamper evidence for captured events (DESIGN invariant 7): each enterprise's events form a hash
 * chain in capture order; each link covers the event's content, its event hash and the link
 * before it. Per enterprise, so chains stay within one shard when events are distributed.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { epcisEvents } from './trace.tables.ts';

export const CHAIN_GENESIS = '0'.repeat(64);

export function chainLink(prev: string, eventHash: string, event: unknown): string {
  return createHash('sha256').update(prev).update('\n').update(eventHash).update('\n').update(canonicalJson(event)).digest('hex');
}

/** Locks the enterprise's chain for this transaction and returns its tip. */
export async function lockChainTip(tx: Db, enterpriseId: string): Promise<{ seq: bigint; hash: string }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`epcis-chain:${enterpriseId}`}))`);
  const [tip] = await tx.select({ seq: epcisEvents.chainSeq, hash: epcisEvents.chainHash }).from(epcisEvents)
    .where(eq(epcisEvents.enterpriseId, enterpriseId)).orderBy(sql`${epcisEvents.chainSeq} desc`).limit(1);
  return tip ? { seq: tip.seq, hash: tip.hash } : { seq: 0n, hash: CHAIN_GENESIS };
}

export interface ChainBreak { enterpriseId: string; seq: string; eventId: string | null; reason: 'content_changed' | 'link_broken' }

/** Recomputes every enterprise's chain; returns the first break per enterprise. */
export async function verifyEventChains(db: Db, onProgress?: (checked: number) => void): Promise<{ checked: number; breaks: ChainBreak[] }> {
  const owners = await db.selectDistinct({ enterpriseId: epcisEvents.enterpriseId }).from(epcisEvents);
  const breaks: ChainBreak[] = [];
  let checked = 0;
  for (const { enterpriseId } of owners) {
    let prev = CHAIN_GENESIS;
    let after = 0n;
    chain: for (;;) {
      const rows = await db.select().from(epcisEvents).where(and(eq(epcisEvents.enterpriseId, enterpriseId), gt(epcisEvents.chainSeq, after)))
        .orderBy(asc(epcisEvents.chainSeq)).limit(1000);
      if (rows.length === 0) break;
      for (const r of rows) {
        checked++;
        if (r.prevChainHash !== prev) { breaks.push({ enterpriseId, seq: r.chainSeq.toString(), eventId: r.eventId, reason: 'link_broken' }); break chain; }
        if (chainLink(prev, r.eventHash, r.event) !== r.chainHash) { breaks.push({ enterpriseId, seq: r.chainSeq.toString(), eventId: r.eventId, reason: 'content_changed' }); break chain; }
        prev = r.chainHash;
        after = r.chainSeq;
      }
      onProgress?.(checked);
    }
  }
  return { checked, breaks };
}
