/** Types of the Ytterby REST API (see the contract in the server's OpenAPI document). */

export const ROLES = [
  'ministry_admin',
  'ministry_reviewer',
  'local_official',
  'enterprise_operator',
  'enterprise_reporter',
  'exchange_system',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const DIVISION_LEVELS = ['province', 'prefecture', 'county'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

export const DEPARTMENT_LEVELS = ['national', 'province', 'prefecture', 'county'] as const;
export type DepartmentLevel = (typeof DEPARTMENT_LEVELS)[number];

export const JURISDICTION_LEVELS = ['national', 'province', 'prefecture', 'county', 'enterprise'] as const;
export type JurisdictionLevel = (typeof JURISDICTION_LEVELS)[number];

export const DEPARTMENT_KINDS = [
  'industry_it',
  'natural_resources',
  'development_reform',
  'commerce',
  'customs',
  'taxation',
  'state_council',
] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const ACTIVITIES = [
  'mining',
  'smelting_separation',
  'metal_smelting',
  'magnet_and_materials',
  'trading',
  'export',
  'import',
  'recycling',
] as const;
export type Activity = (typeof ACTIVITIES)[number];

export const LICENCE_KINDS = ['mining_licence', 'safety_licence', 'pollutant_discharge_permit'] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];

export const DESIGNATION_ACTIVITIES = ['mining', 'smelting_separation'] as const;
export type DesignationActivity = (typeof DESIGNATION_ACTIVITIES)[number];

export const ORE_KINDS = ['rock_type', 'ion_adsorption'] as const;
export type OreKind = (typeof ORE_KINDS)[number];

export const DESIGNATION_STATUSES = ['current', 'pending', 'expired', 'revoked'] as const;
export type DesignationStatus = (typeof DESIGNATION_STATUSES)[number];

export const PRODUCT_CATEGORIES = [
  'mineral_product',
  'separation_oxide',
  'separation_salt',
  'separation_other_compound',
  'metal',
  'alloy',
  'magnet',
  'other_functional_material',
] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export const EXPORT_CONTROL_STATUSES = ['controlled', 'suspended', 'not_yet_effective'] as const;
export type ExportControlStatus = (typeof EXPORT_CONTROL_STATUSES)[number];

export const GROUP_STATUSES = ['active', 'merged'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** The 17 rare earth elements, in atomic-number order. */
export const ELEMENTS = [
  'Sc', 'Y', 'La', 'Ce', 'Pr', 'Nd', 'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu',
] as const;
export type Element = (typeof ELEMENTS)[number];

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  department: {
    id: string;
    code: string;
    nameZh: string;
    nameEn: string;
    level: DepartmentLevel;
    divisionCode: string | null;
  } | null;
  enterprise: { id: string; creditCode: string; nameZh: string; nameEn: string | null } | null;
  jurisdiction: { level: JurisdictionLevel; divisionCode: string | null; enterpriseId: string | null };
  /** What the role may do (quota.read, quota.plan …); drives menus and buttons. */
  permissions: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Division {
  code: string;
  nameZh: string;
  nameEn: string | null;
  level: DivisionLevel;
  parentCode: string | null;
  provinceCode: string;
  prefectureCode: string | null;
  active: boolean;
}

export interface Department {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: DepartmentKind;
  level: DepartmentLevel;
  divisionCode: string | null;
  active: boolean;
}

export interface Group {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  status: GroupStatus;
  mergedIntoId: string | null;
  active: boolean;
}

export interface Licence {
  id?: string;
  kind: LicenceKind;
  number: string;
  issuedBy: string;
  validFrom: string;
  validTo: string;
  /** Output only. */
  status?: 'current' | 'pending' | 'expired' | 'revoked';
}

export interface Enterprise {
  id: string;
  creditCode: string;
  nameZh: string;
  nameEn: string | null;
  groupId: string | null;
  domicileDivisionCode: string;
  activities: Activity[];
  capacityTonnesReo: string | null;
  licences: Licence[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export type EnterpriseInput = Omit<Enterprise, 'id' | 'active' | 'createdAt' | 'updatedAt'>;

export interface Designation {
  id: string;
  enterpriseId: string;
  enterpriseNameZh: string;
  enterpriseNameEn: string | null;
  activity: DesignationActivity;
  oreKind: OreKind | null;
  designatedBy: string;
  documentNo: string;
  validFrom: string;
  validTo: string;
  revokedAt: string | null;
  revocationReason: string | null;
  status: DesignationStatus;
  active: boolean;
}

export interface ExportControlEntry {
  element: string;
  announcement: string;
  effectiveFrom: string | null;
  suspendedFrom: string | null;
  suspendedTo: string | null;
  status: ExportControlStatus;
}

export interface Product {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  category: ProductCategory;
  hsCode: string | null;
  reoContent: string;
  elementSplit: Record<string, string> | null;
  exportControl: ExportControlEntry[];
  active: boolean;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  departmentId: string | null;
  enterpriseId: string | null;
  active: boolean;
  createdAt: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorUsername: string | null;
  action: string;
  entity: string;
  entityId: string;
  ip: string | null;
  before: unknown;
  after: unknown;
}

export interface Stats {
  enterprises: number;
  designationsCurrent: number;
  products: number;
  users: number;
}

export interface ProblemFieldError {
  field: string;
  rule: string;
  message: string;
}

export interface Problem {
  type?: string;
  /** The rule broken, as a stable code (quota.four_eyes, quota.exceeds_plan_line …). */
  code?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: ProblemFieldError[];
}
