import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, text, timestamp, unique, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Records shared by Commerce (export licences), Customs (declarations) and Taxation (special VAT
 * invoices), as each department's system delivered them.
 *
 * Same number, different content = a revision, kept as history (never a 409): the delivering
 * department's system is the system of record for its documents, and licences are amended,
 * declarations corrected (报关单修改) and invoices re-issued there. Refusing an amendment would
 * leave Ytterby holding a version the department itself has replaced; overwriting would lose what
 * was relied on before. So the old row stays, marked not current, and the new one takes the next
 * revision number (corrections are appended, never edited: DESIGN §3.3).
 *
 * Parties are kept by unified social credit code and name as delivered, with the enterprise
 * linked when that code is registered. Masses are integer grams, money integer fen.
 */
export const exchangeDeliveries = pgTable('exchange_deliveries', {
  id: uuid('id').primaryKey(),
  departmentId: uuid('department_id').notNull(),
  departmentCode: text('department_code').notNull(),
  kind: text('kind').notNull(),
  channel: text('channel').notNull(),
  fileName: text('file_name'),
  /** 'stored', or 'refused' (all-or-nothing: a refused delivery stored no record; it is logged so both sides can see it failed). */
  status: text('status').notNull(),
  recordCount: integer('record_count').notNull(),
  /** Records with at least one problem (refused deliveries), and the number of problems reported. */
  refused: integer('refused').notNull(),
  problemCount: integer('problem_count').notNull(),
  created: integer('created').notNull(),
  unchanged: integer('unchanged').notNull(),
  revised: integer('revised').notNull(),
  deliveredBy: text('delivered_by').notNull(),
  at: at('at').notNull().defaultNow(),
}, (t) => [
  check('exchange_deliveries_kind', sql`${t.kind} in ('licences','declarations','invoices')`),
  check('exchange_deliveries_channel', sql`${t.channel} in ('api','file')`),
  check('exchange_deliveries_status', sql`${t.status} in ('stored','refused')`),
  index('exchange_deliveries_department').on(t.departmentCode, t.at),
]);

const recordColumns = {
  id: uuid('id').primaryKey(),
  revision: integer('revision').notNull(),
  current: boolean('current').notNull(),
  deliveryId: uuid('delivery_id').notNull().references(() => exchangeDeliveries.id),
  departmentCode: text('department_code').notNull(),
  contentHash: text('content_hash').notNull(),
  receivedAt: at('received_at').notNull().defaultNow(),
};

export const exchangeLicences = pgTable('exchange_licences', {
  ...recordColumns,
  licenceNo: text('licence_no').notNull(),
  exporterCreditCode: varchar('exporter_credit_code', { length: 18 }).notNull(),
  exporterName: text('exporter_name').notNull(),
  exporterEnterpriseId: uuid('exporter_enterprise_id'),
  /** Sensitive (draft traceability measures): shown only to MOFCOM and MIIT. */
  endUserName: text('end_user_name').notNull(),
  endUserCountry: varchar('end_user_country', { length: 2 }).notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to').notNull(),
}, (t) => [
  unique('exchange_licences_revision').on(t.licenceNo, t.revision),
  uniqueIndex('exchange_licences_current').on(t.licenceNo).where(sql`${t.current}`),
  index('exchange_licences_exporter').on(t.exporterEnterpriseId),
  check('exchange_licences_validity', sql`${t.validTo} >= ${t.validFrom}`),
]);

export const exchangeLicenceItems = pgTable('exchange_licence_items', {
  licenceId: uuid('licence_id').notNull().references(() => exchangeLicences.id),
  lineNo: integer('line_no').notNull(),
  element: varchar('element', { length: 2 }).notNull(),
  productCode: text('product_code').notNull(),
  productId: uuid('product_id'),
  quantityGrams: bigint('quantity_grams', { mode: 'bigint' }).notNull(),
  reoGrams: bigint('reo_grams', { mode: 'bigint' }),
}, (t) => [
  unique('exchange_licence_items_line').on(t.licenceId, t.lineNo),
  check('exchange_licence_items_quantity', sql`${t.quantityGrams} > 0`),
]);

export const exchangeDeclarations = pgTable('exchange_declarations', {
  ...recordColumns,
  declarationNo: text('declaration_no').notNull(),
  direction: text('direction').notNull(),
  declarantCreditCode: varchar('declarant_credit_code', { length: 18 }).notNull(),
  declarantName: text('declarant_name').notNull(),
  declarantEnterpriseId: uuid('declarant_enterprise_id'),
  /** The consignor of an export, the consignee of an import. */
  partyCreditCode: varchar('party_credit_code', { length: 18 }).notNull(),
  partyName: text('party_name').notNull(),
  partyEnterpriseId: uuid('party_enterprise_id'),
  hsCode: varchar('hs_code', { length: 10 }).notNull(),
  goodsDescription: text('goods_description').notNull(),
  productCode: text('product_code'),
  /** As declared (e.g. '1.5' 't'); grams derived from it. */
  quantity: text('quantity').notNull(),
  unit: text('unit').notNull(),
  quantityGrams: bigint('quantity_grams', { mode: 'bigint' }).notNull(),
  reoGrams: bigint('reo_grams', { mode: 'bigint' }),
  country: varchar('country', { length: 2 }).notNull(),
  port: text('port').notNull(),
  declaredOn: date('declared_on').notNull(),
  licenceNo: text('licence_no'),
}, (t) => [
  unique('exchange_declarations_revision').on(t.declarationNo, t.revision),
  uniqueIndex('exchange_declarations_current').on(t.declarationNo).where(sql`${t.current}`),
  index('exchange_declarations_licence').on(t.licenceNo),
  index('exchange_declarations_party').on(t.partyEnterpriseId),
  check('exchange_declarations_direction', sql`${t.direction} in ('import','export')`),
  check('exchange_declarations_quantity', sql`${t.quantityGrams} > 0`),
]);

export const exchangeInvoices = pgTable('exchange_invoices', {
  ...recordColumns,
  invoiceCode: text('invoice_code').notNull(),
  invoiceNumber: text('invoice_number').notNull(),
  sellerCreditCode: varchar('seller_credit_code', { length: 18 }).notNull(),
  sellerName: text('seller_name').notNull(),
  sellerEnterpriseId: uuid('seller_enterprise_id'),
  buyerCreditCode: varchar('buyer_credit_code', { length: 18 }).notNull(),
  buyerName: text('buyer_name').notNull(),
  buyerEnterpriseId: uuid('buyer_enterprise_id'),
  goodsName: text('goods_name').notNull(),
  productCode: text('product_code').notNull(),
  productId: uuid('product_id').notNull(),
  /** 'reo' for mixed carbonates and oxalates, which the rare earth edition states in REO. */
  quantityBasis: text('quantity_basis').notNull(),
  /** The stated quantity in grams (of REO when the basis is 'reo'). */
  quantityGrams: bigint('quantity_grams', { mode: 'bigint' }).notNull(),
  reoGrams: bigint('reo_grams', { mode: 'bigint' }).notNull(),
  amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
  issuedOn: date('issued_on').notNull(),
}, (t) => [
  unique('exchange_invoices_revision').on(t.invoiceCode, t.invoiceNumber, t.revision),
  uniqueIndex('exchange_invoices_current').on(t.invoiceCode, t.invoiceNumber).where(sql`${t.current}`),
  index('exchange_invoices_seller').on(t.sellerEnterpriseId),
  index('exchange_invoices_buyer').on(t.buyerEnterpriseId),
  check('exchange_invoices_basis', sql`${t.quantityBasis} in ('product','reo')`),
  check('exchange_invoices_quantity', sql`${t.quantityGrams} > 0 and ${t.amountFen} >= 0`),
]);
