import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { enterprises, rareEarthGroups } from '../registry/registry.tables.ts';

const at = (name: string) => timestamp(name, { withTimezone: true });

/** Art. 5: the annual total control indicators, drafted jointly and approved by the State Council. */
export const annualPlans = pgTable('annual_plans', {
  id: uuid('id').primaryKey(),
  year: integer('year').notNull().unique(),
  status: text('status').notNull().default('draft'),
  /** Increases each time a ministry sends the draft back; sign-offs count per round. */
  round: integer('round').notNull().default(1),
  basisText: text('basis_text').notNull().default(''),
  basisFigures: jsonb('basis_figures').$type<Record<string, string>>().notNull().default({}),
  /** Published figures of past years, loaded as approved history. */
  historical: boolean('historical').notNull().default(false),
  note: text('note'),
  submittedAt: at('submitted_at'),
  approvalDocumentNo: text('approval_document_no'),
  approvedOn: date('approved_on'),
  closedAt: at('closed_at'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
}, (t) => [check('annual_plans_status', sql`${t.status} in ('draft','agreed','submitted','approved','closed')`)]);

export const planSignoffs = pgTable('plan_signoffs', {
  id: uuid('id').primaryKey(),
  planId: uuid('plan_id').notNull().references(() => annualPlans.id),
  round: integer('round').notNull(),
  departmentCode: text('department_code').notNull(),
  decision: text('decision').notNull(),
  reason: text('reason'),
  userId: uuid('user_id'),
  username: text('username').notNull(),
  at: at('at').notNull().defaultNow(),
}, (t) => [
  unique('plan_signoffs_once_per_round').on(t.planId, t.round, t.departmentCode),
  check('plan_signoffs_decision', sql`${t.decision} in ('agree','return')`),
]);

export const planLines = pgTable('plan_lines', {
  id: uuid('id').primaryKey(),
  planId: uuid('plan_id').notNull().references(() => annualPlans.id),
  indicator: text('indicator').notNull(),
  amountReoGrams: bigint('amount_reo_grams', { mode: 'bigint' }).notNull(),
}, (t) => [
  unique('plan_lines_indicator').on(t.planId, t.indicator),
  check('plan_lines_amount', sql`${t.amountReoGrams} >= 0`),
]);

/** After approval a line changes only through a recorded adjustment. */
export const planAdjustments = pgTable('plan_adjustments', {
  id: uuid('id').primaryKey(),
  planLineId: uuid('plan_line_id').notNull().references(() => planLines.id),
  deltaReoGrams: bigint('delta_reo_grams', { mode: 'bigint' }).notNull(),
  reason: text('reason').notNull(),
  documentNo: text('document_no').notNull(),
  username: text('username').notNull(),
  at: at('at').notNull().defaultNow(),
});

/** Art. 6: indicators are issued in batches; issuing needs a second person. */
export const allocationBatches = pgTable('allocation_batches', {
  id: uuid('id').primaryKey(),
  year: integer('year').notNull(),
  ordinal: integer('ordinal').notNull(),
  name: text('name').notNull(),
  status: text('status').notNull().default('draft'),
  preparedBy: uuid('prepared_by'),
  preparedByUsername: text('prepared_by_username'),
  preparedAt: at('prepared_at'),
  issuedBy: uuid('issued_by'),
  issuedByUsername: text('issued_by_username'),
  issuedAt: at('issued_at'),
  documentNo: text('document_no'),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [
  unique('allocation_batches_ordinal').on(t.year, t.ordinal),
  check('allocation_batches_status', sql`${t.status} in ('draft','prepared','issued')`),
]);

export const allocations = pgTable('allocations', {
  id: uuid('id').primaryKey(),
  batchId: uuid('batch_id').notNull().references(() => allocationBatches.id),
  year: integer('year').notNull(),
  indicator: text('indicator').notNull(),
  planLineId: uuid('plan_line_id').notNull().references(() => planLines.id),
  enterpriseId: uuid('enterprise_id').references(() => enterprises.id),
  groupId: uuid('group_id').references(() => rareEarthGroups.id),
  /** A group's sub-allocation to a member enterprise points at the group's allocation. */
  parentAllocationId: uuid('parent_allocation_id'),
  amountReoGrams: bigint('amount_reo_grams', { mode: 'bigint' }).notNull(),
  /** Article 14 reduction applied when the allocation is issued, with its basis. */
  reductionReoGrams: bigint('reduction_reo_grams', { mode: 'bigint' }).notNull().default(sql`0`),
  reductionBasis: text('reduction_basis'),
  reductionOverrideReason: text('reduction_override_reason'),
  basis: jsonb('basis').$type<Record<string, string>>().notNull().default({}),
  status: text('status').notNull().default('draft'),
  subAllocationDue: date('sub_allocation_due'),
  createdBy: text('created_by').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [
  check('allocations_recipient', sql`(${t.enterpriseId} is null) <> (${t.groupId} is null)`),
  check('allocations_amount', sql`${t.amountReoGrams} > 0`),
  check('allocations_reduction', sql`${t.reductionReoGrams} >= 0 and ${t.reductionReoGrams} <= ${t.amountReoGrams}`),
  check('allocations_status', sql`${t.status} in ('draft','issued','withdrawn')`),
  index('allocations_line').on(t.planLineId),
  index('allocations_enterprise').on(t.enterpriseId, t.year),
  index('allocations_parent').on(t.parentAllocationId),
  index('allocations_batch').on(t.batchId),
]);

/**
 * Art. 8: the quota ledger, append-only. Amounts are signed grams of REO: allocations and
 * positive adjustments add, consumption and reductions subtract from the balance.
 */
export const ledgerEntries = pgTable('ledger_entries', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull().references(() => enterprises.id),
  year: integer('year').notNull(),
  indicator: text('indicator').notNull(),
  kind: text('kind').notNull(),
  amountReoGrams: bigint('amount_reo_grams', { mode: 'bigint' }).notNull(),
  periodMonth: integer('period_month'),
  /** Where a consumption came from: the enterprise's monthly posting, or recorded product flows (reports compare the two). */
  source: text('source').notNull().default('posting'),
  allocationId: uuid('allocation_id'),
  correctsEntryId: uuid('corrects_entry_id'),
  note: text('note'),
  createdBy: text('created_by').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [
  check('ledger_kind', sql`${t.kind} in ('allocation','consumption','adjustment','reduction')`),
  check('ledger_month', sql`${t.periodMonth} is null or ${t.periodMonth} between 1 and 12`),
  check('ledger_source', sql`${t.source} in ('posting','flow')`),
  index('ledger_enterprise_year').on(t.enterpriseId, t.year, t.indicator),
]);

export const quotaAlerts = pgTable('quota_alerts', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull().references(() => enterprises.id),
  year: integer('year').notNull(),
  indicator: text('indicator').notNull(),
  kind: text('kind').notNull(),
  thresholdPercent: integer('threshold_percent').notNull(),
  consumedReoGrams: bigint('consumed_reo_grams', { mode: 'bigint' }).notNull(),
  allocatedReoGrams: bigint('allocated_reo_grams', { mode: 'bigint' }).notNull(),
  ledgerEntryId: uuid('ledger_entry_id'),
  raisedAt: at('raised_at').notNull().defaultNow(),
}, (t) => [
  unique('quota_alerts_once').on(t.enterpriseId, t.year, t.indicator, t.kind, t.thresholdPercent),
  check('quota_alerts_kind', sql`${t.kind} in ('threshold','over_quota')`),
]);

/** Configurable rules with effective dates: thresholds, minimum capacity, deadlines, reduction rule. */
export const quotaRules = pgTable('quota_rules', {
  id: uuid('id').primaryKey(),
  key: text('key').notNull(),
  value: jsonb('value').notNull(),
  effectiveFrom: date('effective_from').notNull(),
  note: text('note'),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [unique('quota_rules_key_from').on(t.key, t.effectiveFrom)]);

/** Administrative penalties that feed Article 14 (cases themselves belong to supervision). */
export const penalties = pgTable('penalties', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull().references(() => enterprises.id),
  decidedOn: date('decided_on').notNull(),
  authority: text('authority').notNull(),
  legalBasis: text('legal_basis').notNull(),
  documentNo: text('document_no').notNull().unique(),
  overProducedReoGrams: bigint('over_produced_reo_grams', { mode: 'bigint' }),
  createdBy: text('created_by').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** Art. 6 notices: to the enterprise and provinces on issue; provinces forward to counties. */
export const quotaNotices = pgTable('quota_notices', {
  id: uuid('id').primaryKey(),
  batchId: uuid('batch_id').notNull().references(() => allocationBatches.id),
  departmentId: uuid('department_id'),
  enterpriseId: uuid('enterprise_id'),
  forwardedFromId: uuid('forwarded_from_id'),
  deliveredAt: at('delivered_at').notNull().defaultNow(),
  readAt: at('read_at'),
  acknowledgedAt: at('acknowledged_at'),
  acknowledgedBy: text('acknowledged_by'),
  forwardedAt: at('forwarded_at'),
}, (t) => [
  check('quota_notices_recipient', sql`(${t.departmentId} is null) <> (${t.enterpriseId} is null)`),
  // One of the recipient columns is always NULL: NULLs must count as equal here.
  unique('quota_notices_once').on(t.batchId, t.departmentId, t.enterpriseId).nullsNotDistinct(),
  index('quota_notices_department').on(t.departmentId),
  index('quota_notices_enterprise').on(t.enterpriseId),
]);
