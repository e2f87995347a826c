/** API shapes of the registry: what goes in and what comes out (response schemas strip anything unlisted). */
import { z } from 'zod';

export const DIVISION_LEVELS = ['province', 'prefecture', 'county'] as const;
export const DEPARTMENT_LEVELS = ['national', 'province', 'prefecture', 'county'] as const;
export const DEPARTMENT_KINDS = ['industry_it', 'natural_resources', 'development_reform', 'commerce', 'customs', 'taxation', 'state_council'] as const;
export const ACTIVITIES = ['mining', 'smelting_separation', 'metal_smelting', 'magnet_and_materials', 'trading', 'export', 'import', 'recycling'] as const;
export const LICENCE_KINDS = ['mining_licence', 'safety_licence', 'pollutant_discharge_permit'] as const;
export const DESIGNATED_ACTIVITIES = ['mining', 'smelting_separation'] as const;
export const ORE_KINDS = ['rock_type', 'ion_adsorption'] as const;
export const PRODUCT_CATEGORIES = [
  'mineral_product', 'separation_oxide', 'separation_salt', 'separation_other_compound',
  'metal', 'alloy', 'magnet', 'other_functional_material',
] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const decimal = z.union([z.string(), z.number()]);
const name = z.string().trim().min(1).max(200);
const booleanParam = z.enum(['true', 'false']).transform((v) => v === 'true');

// Divisions
export const divisionOut = z.object({
  code: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), level: z.enum(DIVISION_LEVELS),
  parentCode: z.string().nullable(), provinceCode: z.string(), prefectureCode: z.string().nullable(), active: z.boolean(),
});
export const divisionCreate = z.strictObject({
  code: z.string().trim(), nameZh: name, nameEn: name.nullish(), parentCode: z.string().trim().nullish(),
});
export const divisionPatch = z.strictObject({ nameZh: name.optional(), nameEn: name.nullish() });
export const divisionFilters = z.object({
  level: z.enum(DIVISION_LEVELS).optional(), parentCode: z.string().optional(), active: booleanParam.optional(),
});

// Departments
export const departmentOut = z.object({
  id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string(), kind: z.enum(DEPARTMENT_KINDS),
  level: z.enum(DEPARTMENT_LEVELS), divisionCode: z.string().nullable(), active: z.boolean(),
});
export const departmentCreate = z.strictObject({
  code: z.string().trim().min(2).max(40).regex(/^[A-Z0-9_-]+$/, 'capital letters, digits, - and _'),
  nameZh: name, nameEn: name, kind: z.enum(DEPARTMENT_KINDS), level: z.enum(DEPARTMENT_LEVELS),
  divisionCode: z.string().trim().nullish(),
});
export const departmentPatch = z.strictObject({ nameZh: name.optional(), nameEn: name.optional() });
export const departmentFilters = z.object({
  level: z.enum(DEPARTMENT_LEVELS).optional(), kind: z.enum(DEPARTMENT_KINDS).optional(),
  divisionCode: z.string().optional(), active: booleanParam.optional(),
});

// Groups
export const GROUP_STATUSES = ['active', 'merged'] as const;
export const groupOut = z.object({
  id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string(), status: z.enum(GROUP_STATUSES),
  mergedIntoId: z.string().nullable(), active: z.boolean(),
});
export const groupCreate = z.strictObject({
  code: z.string().trim().min(2).max(40).regex(/^[A-Z0-9_-]+$/, 'capital letters, digits, - and _'),
  nameZh: name, nameEn: name, status: z.enum(GROUP_STATUSES).default('active'), mergedIntoId: z.string().uuid().nullish(),
});
export const groupPatch = z.strictObject({
  nameZh: name.optional(), nameEn: name.optional(), status: z.enum(GROUP_STATUSES).optional(), mergedIntoId: z.string().uuid().nullish(),
});

// Enterprises
export const licenceIn = z.strictObject({
  kind: z.enum(LICENCE_KINDS), number: z.string().trim().min(1).max(100), issuedBy: z.string().trim().min(1).max(200),
  validFrom: isoDate, validTo: isoDate,
});
export const licenceOut = licenceIn.extend({ id: z.string(), status: z.enum(['current', 'pending', 'expired', 'revoked']) });
export const enterpriseOut = z.object({
  id: z.string(), creditCode: z.string(), nameZh: z.string(), nameEn: z.string().nullable(), groupId: z.string().nullable(),
  domicileDivisionCode: z.string(), activities: z.array(z.enum(ACTIVITIES)), capacityTonnesReo: z.string().nullable(),
  licences: z.array(licenceOut), active: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
});
export const enterpriseCreate = z.strictObject({
  creditCode: z.string().trim().toUpperCase(), nameZh: name, nameEn: name.nullish(), groupId: z.string().uuid().nullish(),
  domicileDivisionCode: z.string().trim(), activities: z.array(z.enum(ACTIVITIES)).min(1),
  capacityTonnesReo: decimal.nullish(), licences: z.array(licenceIn).max(50).default([]),
});
export const enterprisePatch = enterpriseCreate.omit({ creditCode: true }).partial().extend({ licences: z.array(licenceIn).max(50).optional() });
export const enterpriseFilters = z.object({
  groupId: z.string().uuid().optional(), divisionCode: z.string().optional(), activity: z.enum(ACTIVITIES).optional(),
  active: booleanParam.optional(),
});

// Designations
export const DESIGNATION_STATUSES = ['current', 'pending', 'expired', 'revoked'] as const;
export const designationOut = z.object({
  id: z.string(), enterpriseId: z.string(), enterpriseNameZh: z.string(), enterpriseNameEn: z.string().nullable(), activity: z.enum(DESIGNATED_ACTIVITIES),
  oreKind: z.enum(ORE_KINDS).nullable(), designatedBy: z.string(), documentNo: z.string(), validFrom: z.string(),
  validTo: z.string(), revokedAt: z.string().nullable(), revocationReason: z.string().nullable(),
  status: z.enum(DESIGNATION_STATUSES), active: z.boolean(),
});
export const designationCreate = z.strictObject({
  enterpriseId: z.string().uuid(), activity: z.enum(DESIGNATED_ACTIVITIES), oreKind: z.enum(ORE_KINDS).nullish(),
  designatedBy: z.string().trim().min(1).max(100), documentNo: z.string().trim().min(1).max(100),
  validFrom: isoDate, validTo: isoDate,
});
export const designationPatch = designationCreate.pick({ designatedBy: true, documentNo: true, validFrom: true, validTo: true }).partial();
export const designationRevoke = z.strictObject({ reason: z.string().trim().min(1).max(1000) });
export const designationFilters = z.object({
  enterpriseId: z.string().uuid().optional(), activity: z.enum(DESIGNATED_ACTIVITIES).optional(),
  status: z.enum(DESIGNATION_STATUSES).optional(),
});

// Products
export const exportControlOut = z.object({
  element: z.string(), announcement: z.string(), effectiveFrom: z.string().nullable(), suspendedFrom: z.string().nullable(),
  suspendedTo: z.string().nullable(), status: z.enum(['controlled', 'suspended', 'not_yet_effective']),
});
export const productOut = z.object({
  id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string(), category: z.enum(PRODUCT_CATEGORIES),
  hsCode: z.string().nullable(), reoContent: z.string(), elementSplit: z.record(z.string(), z.string()).nullable(),
  exportControl: z.array(exportControlOut), active: z.boolean(),
});
export const productCreate = z.strictObject({
  code: z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, . - and _'),
  nameZh: name, nameEn: name, category: z.enum(PRODUCT_CATEGORIES), hsCode: z.string().trim().nullish(),
  reoContent: decimal, elementSplit: z.record(z.string(), decimal).nullish(),
});
export const productPatch = productCreate.omit({ code: true }).partial();
export const productFilters = z.object({ category: z.enum(PRODUCT_CATEGORIES).optional(), active: booleanParam.optional() });

// Reference data
export const elementOut = z.object({
  symbol: z.string(), nameEn: z.string(), nameZh: z.string(), oxide: z.string(), metalToOxide: z.string(),
  oxideToMetal: z.string(), group: z.string(),
});
export const exportControlRuleOut = z.object({
  id: z.string(), announcement: z.string(), authority: z.string(), announcedOn: z.string(), elements: z.array(z.string()),
  scope: z.string(), effectiveFrom: z.string().nullable(), suspendedFrom: z.string().nullable(),
  suspendedTo: z.string().nullable(), statusNote: z.string().nullable(), statusToday: z.enum(['controlled', 'suspended', 'not_yet_effective']),
});

export type DivisionOut = z.infer<typeof divisionOut>;
export type DepartmentOut = z.infer<typeof departmentOut>;
export type GroupOut = z.infer<typeof groupOut>;
export type EnterpriseOut = z.infer<typeof enterpriseOut>;
export type DesignationOut = z.infer<typeof designationOut>;
export type ProductOut = z.infer<typeof productOut>;
