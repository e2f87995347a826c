import type { Me, Role } from '../api/types';

export type Section =
  | 'dashboard'
  | 'divisions'
  | 'enterprises'
  | 'designations'
  | 'products'
  | 'groups'
  | 'departments'
  | 'users'
  | 'audit';

const ALL: readonly Role[] = [
  'ministry_admin', 'ministry_reviewer', 'local_official', 'enterprise_operator', 'enterprise_reporter', 'exchange_system', 'auditor',
];
const GOVERNMENT: readonly Role[] = ['ministry_admin', 'ministry_reviewer', 'local_official', 'auditor'];
const ENTERPRISE: readonly Role[] = ['enterprise_operator', 'enterprise_reporter'];

/** Which roles see which section of the console (the server enforces the same, and more). */
const SECTIONS: Record<Section, readonly Role[]> = {
  dashboard: ALL,
  divisions: GOVERNMENT,
  enterprises: ALL,
  designations: [...GOVERNMENT, ...ENTERPRISE],
  products: ALL,
  groups: GOVERNMENT,
  departments: GOVERNMENT,
  users: ['ministry_admin', 'ministry_reviewer', 'local_official', 'auditor', 'enterprise_operator'],
  audit: ['ministry_admin', 'auditor'],
};

export function canSee(me: Me | null | undefined, section: Section): boolean {
  return !!me && SECTIONS[section].includes(me.role);
}

/** Writes to reference data (divisions, departments, groups, products, designations) and users: the ministry administrator. */
export function canWrite(me: Me | null | undefined): boolean {
  return me?.role === 'ministry_admin';
}

/** Enterprises and their licences: the ministry administrator, and local officials within their jurisdiction. */
export function canWriteEnterprises(me: Me | null | undefined): boolean {
  return me?.role === 'ministry_admin' || me?.role === 'local_official';
}

export function isEnterpriseRole(role: Role): boolean {
  return ENTERPRISE.includes(role);
}
