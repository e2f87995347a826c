import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** Locations (mines, plants, warehouses, ports): master data tied to an enterprise and a county. */
export const traceLocations = pgTable('trace_locations', {
  uri: text('uri').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull(),
  siteCode: text('site_code').notNull(),
  kind: text('kind').notNull(),
  /** For mines: the ore kind mined there, which decides the mining indicator. */
  oreKind: text('ore_kind'),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en'),
  divisionCode: varchar('division_code', { length: 6 }).notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [
  unique('trace_locations_site').on(t.enterpriseId, t.siteCode),
  check('trace_locations_kind', sql`${t.kind} in ('mine','plant','warehouse','port')`),
  check('trace_locations_ore', sql`(${t.kind} = 'mine') = (${t.oreKind} is not null) and (${t.oreKind} is null or ${t.oreKind} in ('rock_type','ion_adsorption'))`),
]);

/** A lot: created by mining, import or a transformation; its identity stays with it when shipped. */
export const traceLots = pgTable('trace_lots', {
  id: uuid('id').primaryKey(),
  uri: text('uri').notNull().unique(),
  productId: uuid('product_id').notNull(),
  producerEnterpriseId: uuid('producer_enterprise_id').notNull(),
  originKind: text('origin_kind').notNull(),
  /** The mine's county for mined lots. */
  originDivisionCode: varchar('origin_division_code', { length: 6 }),
  originCountry: text('origin_country'),
  /** REO per mass in ppm (metals and alloys above 1,000,000: their oxide equivalent). */
  reoPpm: bigint('reo_ppm', { mode: 'bigint' }).notNull(),
  assay: jsonb('assay'),
  producedGrams: bigint('produced_grams', { mode: 'bigint' }).notNull(),
  producedReoGrams: bigint('produced_reo_grams', { mode: 'bigint' }).notNull(),
  producedAt: at('produced_at').notNull(),
  eventEnterpriseId: uuid('event_enterprise_id').notNull(),
  eventRowId: uuid('event_row_id').notNull(),
  /** The quota ledger entry its production consumed (mining or separation), and whether it stayed within quota. */
  quotaEntryId: uuid('quota_entry_id'),
  withinQuota: boolean('within_quota'),
}, (t) => [
  check('trace_lots_origin', sql`${t.originKind} in ('mined','imported','transformed')`),
  index('trace_lots_producer').on(t.producerEnterpriseId, t.productId),
]);

/** What each enterprise holds of each lot (never negative: no over-shipment, no over-use). */
export const traceStock = pgTable('trace_stock', {
  lotId: uuid('lot_id').notNull(),
  enterpriseId: uuid('enterprise_id').notNull(),
  grams: bigint('grams', { mode: 'bigint' }).notNull(),
}, (t) => [primaryKey({ columns: [t.lotId, t.enterpriseId] }), check('trace_stock_non_negative', sql`${t.grams} >= 0`), index('trace_stock_holder').on(t.enterpriseId)]);

/** Every change of what an enterprise holds; sums give stock, mass balance and genealogy quantities. */
export const traceMovements = pgTable('trace_movements', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull(),
  lotId: uuid('lot_id').notNull(),
  productId: uuid('product_id').notNull(),
  kind: text('kind').notNull(),
  grams: bigint('grams', { mode: 'bigint' }).notNull(),
  reoGrams: bigint('reo_grams', { mode: 'bigint' }).notNull(),
  year: integer('year').notNull(),
  month: integer('month').notNull(),
  eventTime: at('event_time').notNull(),
  eventEnterpriseId: uuid('event_enterprise_id').notNull(),
  eventRowId: uuid('event_row_id').notNull(),
  counterpartyEnterpriseId: uuid('counterparty_enterprise_id'),
  /** Set on the movements that undo a movement of an event declared in error. */
  reversesMovementId: uuid('reverses_movement_id'),
}, (t) => [
  check('trace_movements_kind', sql`${t.kind} in ('mined','imported','produced','received','used','shipped','exported')`),
  index('trace_movements_balance').on(t.enterpriseId, t.year, t.month, t.productId),
  index('trace_movements_lot').on(t.lotId),
  index('trace_movements_event').on(t.eventEnterpriseId, t.eventRowId),
]);

/** Genealogy: a transformation turned (part of) parent lot into child lot. */
export const traceLotEdges = pgTable('trace_lot_edges', {
  parentLotId: uuid('parent_lot_id').notNull(),
  childLotId: uuid('child_lot_id').notNull(),
  enterpriseId: uuid('enterprise_id').notNull(),
  eventRowId: uuid('event_row_id').notNull(),
  parentGrams: bigint('parent_grams', { mode: 'bigint' }).notNull(),
  parentReoGrams: bigint('parent_reo_grams', { mode: 'bigint' }).notNull(),
  childGrams: bigint('child_grams', { mode: 'bigint' }).notNull(),
  childReoGrams: bigint('child_reo_grams', { mode: 'bigint' }).notNull(),
  /** False once the transformation is declared in error. */
  active: boolean('active').notNull().default(true),
}, (t) => [
  primaryKey({ columns: [t.parentLotId, t.childLotId, t.eventRowId] }),
  index('trace_lot_edges_child').on(t.childLotId),
]);

/** A shipment awaiting receipt, received, or exported. */
export const traceShipments = pgTable('trace_shipments', {
  id: uuid('id').primaryKey(),
  lotId: uuid('lot_id').notNull(),
  fromEnterpriseId: uuid('from_enterprise_id').notNull(),
  toEnterpriseId: uuid('to_enterprise_id'),
  shipEventRowId: uuid('ship_event_row_id').notNull(),
  grams: bigint('grams', { mode: 'bigint' }).notNull(),
  reoGrams: bigint('reo_grams', { mode: 'bigint' }).notNull(),
  shippedAt: at('shipped_at').notNull(),
  dueBy: at('due_by'),
  invoiceNo: text('invoice_no'),
  exportCountry: text('export_country'),
  customsDeclarationNo: text('customs_declaration_no'),
  status: text('status').notNull(),
  receivedGrams: bigint('received_grams', { mode: 'bigint' }),
  receiptEventRowId: uuid('receipt_event_row_id'),
  receivedAt: at('received_at'),
}, (t) => [
  check('trace_shipments_status', sql`${t.status} in ('in_transit','received','exported','cancelled')`),
  index('trace_shipments_open').on(t.toEnterpriseId, t.lotId, t.status),
  index('trace_shipments_lot').on(t.lotId),
  // Error declarations find the shipments and receipts an event made.
  index('trace_shipments_ship_event').on(t.shipEventRowId),
  index('trace_shipments_receipt_event').on(t.receiptEventRowId),
]);

/** Alerts raised by captures and closings (designation, receipt, mass balance). */
export const traceAlerts = pgTable('trace_alerts', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull(),
  enterpriseId: uuid('enterprise_id').notNull(),
  year: integer('year'),
  month: integer('month'),
  eventId: text('event_id'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  raisedAt: at('raised_at').notNull().defaultNow(),
}, (t) => [
  check('trace_alerts_kind', sql`${t.kind} in ('undesignated_activity','receipt_mismatch','mass_balance_difference')`),
  index('trace_alerts_enterprise').on(t.enterpriseId, t.raisedAt),
]);

/** Art. 10: an enterprise closes month M by the rule's day of M+1. */
export const monthClosings = pgTable('trace_month_closings', {
  enterpriseId: uuid('enterprise_id').notNull(),
  year: integer('year').notNull(),
  month: integer('month').notNull(),
  deadline: date('deadline').notNull(),
  closedAt: at('closed_at').notNull().defaultNow(),
  closedBy: text('closed_by').notNull(),
  late: boolean('late').notNull(),
}, (t) => [primaryKey({ columns: [t.enterpriseId, t.year, t.month] }), check('trace_closings_month', sql`${t.month} between 1 and 12`)]);

/** Declared closing stock per product and month, compared with the mass balance. */
export const stocktakes = pgTable('trace_stocktakes', {
  enterpriseId: uuid('enterprise_id').notNull(),
  productId: uuid('product_id').notNull(),
  year: integer('year').notNull(),
  month: integer('month').notNull(),
  grams: bigint('grams', { mode: 'bigint' }).notNull(),
  declaredBy: text('declared_by').notNull(),
  declaredAt: at('declared_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.enterpriseId, t.productId, t.year, t.month] }), check('trace_stocktakes_grams', sql`${t.grams} >= 0`)]);

/** EPCIS error declarations: the original event stays, marked, with its corrective events named. */
export const errorDeclarations = pgTable('epcis_error_declarations', {
  enterpriseId: uuid('enterprise_id').notNull(),
  eventRowId: uuid('event_row_id').notNull(),
  declarationTime: at('declaration_time').notNull(),
  reason: text('reason'),
  correctiveEventIds: text('corrective_event_ids').array().notNull().default(sql`'{}'::text[]`),
  declaration: jsonb('declaration').notNull(),
  captureJobId: uuid('capture_job_id').notNull(),
  recordedAt: at('recorded_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.enterpriseId, t.eventRowId] })]);
