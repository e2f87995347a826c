/**
 * Audit module: owns the append-only, hash-chained audit log (Order No. 71 Art. 11, 15).
 * Every write of every module appends here in the same transaction; auditors search it, and
 * `verifyChain` detects rows changed behind the application's back.
 */
import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { canonicalJson, plainJson } from '../../domain/canonical-json.ts';
import type { Page } from '../shared/paging.ts';
import { auditLog } from './audit.tables.ts';

export const GENESIS_HASH = '0'.repeat(64);
// Any constant works: it only has to be the same for every writer of the chain.
const AUDIT_CHAIN_LOCK = 0x59_74_74_72;

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorUserId: string | null;
  actorUsername: string | null;
  ip: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface AuditSearch {
  actor?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

function sameIgnoringTimestamps(a: unknown, b: unknown): boolean {
  const strip = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...(v as object), updatedAt: undefined } : v);
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

function entryHash(prevHash: string, content: Omit<AuditEntry, 'id'>): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

/** Appends one entry; call inside the transaction of the write it records. */
export async function recordAudit(tx: Db, actor: Actor, record: AuditRecord): Promise<void> {
  if (record.before !== undefined && record.after !== undefined && sameIgnoringTimestamps(record.before, record.after)) return; // nothing changed

  // Serialise appenders so each row chains to the one before it.
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content = {
    at: new Date().toISOString(),
    actorUserId: actor.userId,
    actorUsername: actor.username,
    ip: actor.ip,
    action: record.action,
    entity: record.entity,
    entityId: record.entityId,
    before: plainJson(record.before),
    after: plainJson(record.after),
  };
  await tx.insert(auditLog).values({ ...content, at: new Date(content.at), prevHash, hash: entryHash(prevHash, content) });
}

function toEntry(row: typeof auditLog.$inferSelect): AuditEntry {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actorUserId: row.actorUserId,
    actorUsername: row.actorUsername,
    ip: row.ip,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
  };
}

export async function searchAudit(db: Db, actor: Actor, search: AuditSearch): Promise<Page<AuditEntry>> {
  requirePermission(actor, 'audit.read');
  const conditions: SQL[] = [];
  if (search.actor) conditions.push(eq(auditLog.actorUsername, search.actor));
  if (search.entity) conditions.push(eq(auditLog.entity, search.entity));
  if (search.entityId) conditions.push(eq(auditLog.entityId, search.entityId));
  if (search.action) conditions.push(eq(auditLog.action, search.action));
  if (search.from) conditions.push(gte(auditLog.at, new Date(search.from)));
  if (search.to) conditions.push(lte(auditLog.at, new Date(search.to)));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.id))
      .limit(search.pageSize).offset((search.page - 1) * search.pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return { items: rows.map(toEntry), total: Number(total?.n ?? 0), page: search.page, pageSize: search.pageSize };
}

export interface ChainVerification {
  checked: number;
  firstBrokenId: string | null;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | null;
}

/** Recomputes the chain in id order; reports the first row whose content or link does not match. */
export async function verifyAuditChain(db: Db, onProgress?: (checked: number) => void): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let afterId = 0n;
  let checked = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(1000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prevHash !== prevHash) return { checked, firstBrokenId: row.id.toString(), reason: 'prev_hash_mismatch' };
      const { id: _id, ...content } = toEntry(row);
      if (entryHash(prevHash, content) !== row.hash) return { checked, firstBrokenId: row.id.toString(), reason: 'hash_mismatch' };
      prevHash = row.hash;
      afterId = row.id;
      checked++;
    }
    onProgress?.(checked);
  }
  return { checked, firstBrokenId: null, reason: null };
}
