/**
 * Roles and what each may do. Jurisdiction (which rows) is checked separately, by scope.
 */
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

export const PERMISSIONS = [
  'registry.read',
  'registry.write', // divisions, departments, groups, products, designations
  'enterprise.write', // enterprises and their licences, within jurisdiction
  'users.read',
  'users.write',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  ministry_admin: ['registry.read', 'registry.write', 'enterprise.write', 'users.read', 'users.write', 'audit.read'],
  ministry_reviewer: ['registry.read', 'users.read'],
  local_official: ['registry.read', 'enterprise.write', 'users.read'],
  enterprise_operator: ['registry.read', 'users.read'],
  enterprise_reporter: ['registry.read'],
  exchange_system: ['registry.read'],
  auditor: ['registry.read', 'users.read', 'audit.read'],
};

export function roleHas(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}

/** Which organisation a role belongs to: a department or an enterprise. */
export function roleOrganisation(role: Role): 'department' | 'enterprise' {
  return role === 'enterprise_operator' || role === 'enterprise_reporter' ? 'enterprise' : 'department';
}

/** Roles that belong to national departments only. */
export function roleNeedsNationalDepartment(role: Role): boolean {
  return role === 'ministry_admin' || role === 'ministry_reviewer' || role === 'exchange_system';
}
