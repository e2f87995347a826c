import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** EPCIS 2.0 capture jobs: one per captured document, all of its events stored or none. */
export const captureJobs = pgTable('epcis_capture_jobs', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull(),
  submittedBy: text('submitted_by').notNull(),
  submittedAt: at('submitted_at').notNull().defaultNow(),
  finishedAt: at('finished_at'),
  success: boolean('success').notNull().default(true),
  eventCount: integer('event_count').notNull().default(0),
  storedCount: integer('stored_count').notNull().default(0),
  duplicateCount: integer('duplicate_count').notNull().default(0),
  errors: jsonb('errors').$type<unknown[]>().notNull().default([]),
  documentSha256: text('document_sha256').notNull(),
}, (t) => [index('capture_jobs_enterprise').on(t.enterpriseId, t.submittedAt)]);

/**
 * Captured events, keyed by the recording enterprise (the future distribution column): an event
 * whose eventID or event hash the enterprise already recorded is not stored again.
 */
export const epcisEvents = pgTable('epcis_events', {
  enterpriseId: uuid('enterprise_id').notNull(),
  id: uuid('id').notNull(),
  captureJobId: uuid('capture_job_id').notNull(),
  /** The event's eventID, or its event hash when it has none (so every event can be fetched by ID). */
  eventId: text('event_id'),
  eventHash: text('event_hash').notNull(),
  eventType: text('event_type').notNull(),
  eventTime: at('event_time').notNull(),
  eventTimeZoneOffset: text('event_time_zone_offset').notNull(),
  recordTime: at('record_time').notNull().defaultNow(),
  action: text('action'),
  bizStep: text('biz_step'),
  disposition: text('disposition'),
  readPoint: text('read_point'),
  bizLocation: text('biz_location'),
  /** Every EPC the event names (epcList, childEPCs, inputs, outputs, parentID), canonical Digital Link. */
  epcs: text('epcs').array().notNull().default(sql`'{}'::text[]`),
  /** Every EPC class of its quantity lists, canonical. */
  epcClasses: text('epc_classes').array().notNull().default(sql`'{}'::text[]`),
  event: jsonb('event').notNull(),
  /** Position in the enterprise's hash chain (tamper evidence, DESIGN invariant 7). */
  chainSeq: bigint('chain_seq', { mode: 'bigint' }).notNull().default(sql`0`),
  prevChainHash: text('prev_chain_hash').notNull().default(''),
  chainHash: text('chain_hash').notNull().default(''),
}, (t) => [
  unique('epcis_events_chain').on(t.enterpriseId, t.chainSeq),
  index('epcis_events_epcs').using('gin', t.epcs),
  index('epcis_events_epc_classes').using('gin', t.epcClasses),
  index('epcis_events_record_time').on(t.recordTime, t.id),
  primaryKey({ columns: [t.enterpriseId, t.id] }),
  unique('epcis_events_hash').on(t.enterpriseId, t.eventHash),
  index('epcis_events_event_id').on(t.enterpriseId, t.eventId),
  index('epcis_events_time').on(t.enterpriseId, t.eventTime),
  check('epcis_events_type', sql`${t.eventType} in ('ObjectEvent','AggregationEvent','TransactionEvent','TransformationEvent','AssociationEvent')`),
]);
