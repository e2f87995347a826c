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
  'quota.read',
  'quota.plan', // draft, submit, record approval, adjust, close annual plans
  'quota.signoff', // agree to or send back a draft plan for the signer's ministry
  'quota.allocate', // prepare batches and allocations, record group sub-allocations, penalties
  'quota.approve', // the second person who issues a prepared batch
  'quota.consume', // post a month's production against the enterprise's own indicators
  'quota.notice', // read, acknowledge and forward allocation notices
  'trace.capture', // record product-flow events (EPCIS capture) for the actor's own enterprise
  'trace.read', // read captured events within jurisdiction
  'reports.read', // implementation reports and compilations within jurisdiction
  'reports.submit', // submit the enterprise's own monthly and annual implementation reports
  'reports.review', // accept or return reports received by the actor's department
  'reports.compile', // compile and submit the reports of the actor's division upward
  'exchange.deliver', // deliver the department's own export licences, customs declarations or special VAT invoices
  'exchange.read', // read shared licences, declarations and invoices within mandate (end users only for MOFCOM and MIIT)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  ministry_admin: ['registry.read', 'registry.write', 'enterprise.write', 'users.read', 'users.write', 'audit.read',
    'quota.read', 'quota.plan', 'quota.signoff', 'quota.allocate', 'quota.approve', 'quota.consume', 'quota.notice', 'trace.read',
    'reports.read', 'reports.review', 'reports.compile', 'exchange.read'],
  ministry_reviewer: ['registry.read', 'users.read', 'quota.read', 'quota.signoff', 'quota.approve', 'trace.read', 'reports.read', 'reports.review', 'exchange.read'],
  local_official: ['registry.read', 'enterprise.write', 'users.read', 'quota.read', 'quota.notice', 'trace.read', 'reports.read', 'reports.review', 'reports.compile',
    'exchange.read'],
  enterprise_operator: ['registry.read', 'users.read', 'quota.read', 'quota.consume', 'quota.notice', 'trace.capture', 'trace.read', 'reports.read', 'reports.submit'],
  enterprise_reporter: ['registry.read', 'quota.read', 'quota.consume', 'trace.capture', 'trace.read', 'reports.read', 'reports.submit'],
  exchange_system: ['registry.read', 'trace.read', 'exchange.deliver', 'exchange.read'],
  auditor: ['registry.read', 'users.read', 'audit.read', 'quota.read', 'trace.read', 'reports.read', 'exchange.read'],
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
