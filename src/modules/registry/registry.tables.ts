import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn, bigint, boolean, check, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uuid, varchar,
} from 'drizzle-orm/pg-core';

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** GB/T 2260 administrative divisions. province_code/prefecture_code are denormalised so jurisdiction checks need no recursion. */
export const divisions = pgTable('divisions', {
  code: varchar('code', { length: 6 }).primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en'),
  level: text('level').notNull(),
  parentCode: varchar('parent_code', { length: 6 }).references((): AnyPgColumn => divisions.code),
  provinceCode: varchar('province_code', { length: 6 }).notNull(),
  prefectureCode: varchar('prefecture_code', { length: 6 }),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  check('divisions_level', sql`${t.level} in ('province','prefecture','county')`),
  check('divisions_code_digits', sql`${t.code} ~ '^[0-9]{6}$'`),
  index('divisions_parent').on(t.parentCode),
  index('divisions_province').on(t.provinceCode),
  index('divisions_prefecture').on(t.prefectureCode),
]);

export const departments = pgTable('departments', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  kind: text('kind').notNull(),
  level: text('level').notNull(),
  divisionCode: varchar('division_code', { length: 6 }).references(() => divisions.code),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  check('departments_level', sql`${t.level} in ('national','province','prefecture','county')`),
  check('departments_division_by_level', sql`(${t.level} = 'national') = (${t.divisionCode} is null)`),
  index('departments_division').on(t.divisionCode),
]);

export const rareEarthGroups = pgTable('rare_earth_groups', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  status: text('status').notNull().default('active'),
  mergedIntoId: uuid('merged_into_id'),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [check('groups_status', sql`${t.status} in ('active','merged')`)]);

export const enterprises = pgTable('enterprises', {
  id: uuid('id').primaryKey(),
  creditCode: varchar('credit_code', { length: 18 }).notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en'),
  groupId: uuid('group_id').references(() => rareEarthGroups.id),
  domicileDivisionCode: varchar('domicile_division_code', { length: 6 }).notNull().references(() => divisions.code),
  activities: text('activities').array().notNull(),
  /** Annual capacity in grams of REO; tonnes only at the edges. */
  capacityReoGrams: bigint('capacity_reo_grams', { mode: 'bigint' }),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  check('enterprises_capacity_non_negative', sql`${t.capacityReoGrams} is null or ${t.capacityReoGrams} >= 0`),
  index('enterprises_domicile').on(t.domicileDivisionCode),
  index('enterprises_group').on(t.groupId),
]);

export const enterpriseLicences = pgTable('enterprise_licences', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull().references(() => enterprises.id),
  kind: text('kind').notNull(),
  number: text('number').notNull(),
  issuedBy: text('issued_by').notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to').notNull(),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  check('licences_date_range', sql`${t.validTo} >= ${t.validFrom}`),
  index('licences_enterprise').on(t.enterpriseId),
]);

/** Article 7: only designated enterprises may mine or separate. */
export const designations = pgTable('designations', {
  id: uuid('id').primaryKey(),
  enterpriseId: uuid('enterprise_id').notNull().references(() => enterprises.id),
  activity: text('activity').notNull(),
  oreKind: text('ore_kind'),
  designatedBy: text('designated_by').notNull(),
  documentNo: text('document_no').notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to').notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revocationReason: text('revocation_reason'),
  revokedBy: uuid('revoked_by'),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  check('designations_activity', sql`${t.activity} in ('mining','smelting_separation')`),
  check('designations_ore_kind', sql`(${t.activity} = 'mining' and ${t.oreKind} in ('rock_type','ion_adsorption')) or (${t.activity} = 'smelting_separation' and ${t.oreKind} is null)`),
  check('designations_date_range', sql`${t.validTo} >= ${t.validFrom}`),
  check('designations_revocation_reason', sql`${t.revokedAt} is null or ${t.revocationReason} is not null`),
  index('designations_enterprise').on(t.enterpriseId),
]);

export const products = pgTable('products', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  category: text('category').notNull(),
  hsCode: varchar('hs_code', { length: 10 }),
  /** REO content as parts per million of the product's mass (0–1,000,000). */
  reoPpm: integer('reo_ppm').notNull(),
  /** Element → parts per million of the REO; sums to 1,000,000. */
  elementSplitPpm: jsonb('element_split_ppm').$type<Record<string, number>>(),
  active: boolean('active').notNull().default(true),
  ...timestamps,
}, (t) => [
  check('products_reo_range', sql`${t.reoPpm} between 0 and 1000000`),
  check('products_hs_digits', sql`${t.hsCode} is null or ${t.hsCode} ~ '^[0-9]{10}$'`),
]);

export const rareEarthElements = pgTable('rare_earth_elements', {
  symbol: varchar('symbol', { length: 2 }).primaryKey(),
  nameEn: text('name_en').notNull(),
  nameZh: text('name_zh').notNull(),
  oxide: text('oxide').notNull(),
  metalToOxide: numeric('metal_to_oxide', { precision: 6, scale: 4 }).notNull(),
  oxideToMetal: numeric('oxide_to_metal', { precision: 6, scale: 4 }).notNull(),
  elementGroup: text('element_group').notNull(),
});

/** Export-control announcements: which elements need a licence, from when, suspended when. Data, never code. */
export const exportControlRules = pgTable('export_control_rules', {
  id: uuid('id').primaryKey(),
  announcement: text('announcement').notNull().unique(),
  authority: text('authority').notNull(),
  announcedOn: date('announced_on').notNull(),
  elements: text('elements').array().notNull(),
  scope: text('scope').notNull(),
  effectiveFrom: date('effective_from'),
  suspendedFrom: date('suspended_from'),
  suspendedTo: date('suspended_to'),
  statusNote: text('status_note'),
  active: boolean('active').notNull().default(true),
  ...timestamps,
});

/** The State Council holiday calendar: days off and adjusted working weekends. */
export const holidays = pgTable('holidays', {
  date: date('date').primaryKey(),
  nameZh: text('name_zh').notNull(),
  isOffDay: boolean('is_off_day').notNull(),
});
