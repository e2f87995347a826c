import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Implementation reports (Order No. 71 Art. 9) and the compilations of each level: one row per
 * version, frozen once submitted. A correction is a new version that names the one it replaces.
 * `subject_key` is the enterprise id, the division code, or 'CN' for the national compilation.
 */
export const reports = pgTable('reports', {
  id: uuid('id').primaryKey(),
  level: text('level').notNull(),
  subjectKey: text('subject_key').notNull(),
  enterpriseId: uuid('enterprise_id'),
  divisionCode: varchar('division_code', { length: 6 }),
  /** The division whose departments receive it; null for the national compilation (the ministries). */
  recipientDivisionCode: varchar('recipient_division_code', { length: 6 }),
  /** The division code of the recipient level: 'county' … 'national'. */
  recipientLevel: text('recipient_level'),
  periodKind: text('period_kind').notNull(),
  period: text('period').notNull(),
  version: integer('version').notNull(),
  replacesReportId: uuid('replaces_report_id'),
  correctionReason: text('correction_reason'),
  status: text('status').notNull(),
  content: jsonb('content').notNull(),
  contentHash: text('content_hash').notNull(),
  seal: jsonb('seal').notNull(),
  signature: text('signature').notNull(),
  keyId: text('key_id').notNull(),
  dueDate: date('due_date').notNull(),
  /** Judged on the first version's submission: a correction after a return does not make a report late. */
  late: boolean('late').notNull(),
  submittedBy: text('submitted_by').notNull(),
  submittedAt: at('submitted_at').notNull(),
  reviewedBy: text('reviewed_by'),
  reviewedAt: at('reviewed_at'),
  returnReason: text('return_reason'),
}, (t) => [
  unique('reports_version').on(t.level, t.subjectKey, t.period, t.version),
  index('reports_recipient').on(t.recipientDivisionCode, t.period, t.status),
  index('reports_period_level').on(t.period, t.level, t.status),
  check('reports_level', sql`${t.level} in ('enterprise','county','prefecture','province','national')`),
  check('reports_period_kind', sql`${t.periodKind} in ('month','year')`),
  check('reports_status', sql`${t.status} in ('submitted','accepted','returned','superseded')`),
  check('reports_return_reason', sql`${t.status} <> 'returned' or ${t.returnReason} is not null`),
]);

/** Ed25519 keys that seal reports; the public half is published, retired keys stay for verification. */
export const signingKeys = pgTable('signing_keys', {
  id: text('id').primaryKey(),
  algorithm: text('algorithm').notNull(),
  publicKey: jsonb('public_key').notNull(),
  /** PKCS#8 PEM; null when the private key is held outside the database (YTTERBY_SIGNING_KEY_FILE). */
  privateKeyPem: text('private_key_pem'),
  createdAt: at('created_at').notNull().defaultNow(),
  retiredAt: at('retired_at'),
});

/**
 * The transactional outbox: messages to people and systems, written in the same transaction
 * as what caused them. In-app delivery reads them now; an e-mail or broker relay can later
 * take them from here without changing the writers. `dedupe_key` makes reminders idempotent.
 */
export const outbox = pgTable('outbox', {
  id: uuid('id').primaryKey(),
  topic: text('topic').notNull(),
  channel: text('channel').notNull(),
  recipientDepartmentId: uuid('recipient_department_id'),
  recipientEnterpriseId: uuid('recipient_enterprise_id'),
  /** Division whose departments are addressed, when no single department is. */
  recipientDivisionCode: varchar('recipient_division_code', { length: 6 }),
  subjectZh: text('subject_zh').notNull(),
  subjectEn: text('subject_en').notNull(),
  payload: jsonb('payload').notNull(),
  dedupeKey: text('dedupe_key').notNull().unique(),
  createdAt: at('created_at').notNull().defaultNow(),
  deliveredAt: at('delivered_at'),
  readAt: at('read_at'),
}, (t) => [
  index('outbox_enterprise').on(t.recipientEnterpriseId, t.createdAt),
  index('outbox_division').on(t.recipientDivisionCode, t.createdAt),
  check('outbox_channel', sql`${t.channel} in ('in_app','email')`),
]);

/** Overdue reports and compilations, raised by the reminder sweep; resolved when the report arrives. */
export const reportAlerts = pgTable('report_alerts', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull(),
  level: text('level').notNull(),
  subjectKey: text('subject_key').notNull(),
  period: text('period').notNull(),
  /** The division whose officials see it: the subject's own for compilations, the domicile for enterprises. */
  divisionCode: varchar('division_code', { length: 6 }),
  dueDate: date('due_date').notNull(),
  raisedAt: at('raised_at').notNull().defaultNow(),
  resolvedAt: at('resolved_at'),
}, (t) => [
  unique('report_alerts_once').on(t.kind, t.level, t.subjectKey, t.period),
  check('report_alerts_kind', sql`${t.kind} in ('report_overdue')`),
]);
