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
  | 'audit'
  | 'quotaPlans'
  | 'quotaBatches'
  | 'quotaNotices'
  | 'quotaBalances'
  | 'traceCaptures'
  | 'traceEvents'
  | 'traceLots'
  | 'traceClosings'
  | 'traceUpload'
  | 'traceAlerts'
  | 'reportsEnterprise'
  | 'reportsInbox'
  | 'reportsCompile'
  | 'reportsOverview'
  | 'reportsVerify';

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
  quotaPlans: [],
  quotaBatches: [],
  quotaNotices: [],
  quotaBalances: [],
  traceCaptures: [],
  traceEvents: [],
  traceLots: [],
  traceClosings: [],
  traceUpload: [],
  traceAlerts: [],
  reportsEnterprise: [],
  reportsInbox: [],
  reportsCompile: [],
  reportsOverview: [],
  reportsVerify: [],
};

/** The console's traceability pages: people who read events (trace.read); machine accounts use the API. */
const TRACE_READERS: readonly Role[] = ['ministry_admin', 'ministry_reviewer', 'local_official', 'enterprise_operator', 'enterprise_reporter', 'auditor'];
const traceReader = (me: Me) => can(me, 'trace.read') && TRACE_READERS.includes(me.role);

/** Quota sections follow the permissions the server reports for the session. */
const QUOTA_SECTIONS: Partial<Record<Section, (me: Me) => boolean>> = {
  // Plans and batches are the ministries' and local officials' business; enterprises see their own balances.
  quotaPlans: (me) => can(me, 'quota.read') && !isEnterpriseRole(me.role),
  quotaBatches: (me) => can(me, 'quota.read') && !isEnterpriseRole(me.role),
  quotaNotices: (me) => can(me, 'quota.notice'),
  quotaBalances: (me) => can(me, 'quota.read'),
  traceCaptures: traceReader,
  traceEvents: traceReader,
  traceLots: traceReader,
  traceClosings: traceReader,
  // Uploads record the enterprise's own flows: enterprise users who capture.
  traceUpload: (me) => traceReader(me) && can(me, 'trace.capture') && isEnterpriseRole(me.role),
  traceAlerts: traceReader,
  // Implementation reports (Art. 9): enterprises submit their own; departments review, compile and oversee.
  reportsEnterprise: (me) => can(me, 'reports.submit') && isEnterpriseRole(me.role),
  reportsInbox: (me) => can(me, 'reports.read') && !isEnterpriseRole(me.role),
  reportsCompile: (me) => can(me, 'reports.compile') && !isEnterpriseRole(me.role),
  reportsOverview: (me) => can(me, 'reports.read') && !isEnterpriseRole(me.role),
  reportsVerify: (me) => can(me, 'reports.read'),
};

export function canSee(me: Me | null | undefined, section: Section): boolean {
  if (!me) return false;
  const rule = QUOTA_SECTIONS[section];
  if (rule) return rule(me);
  return (SECTIONS[section] ?? []).includes(me.role);
}

export type QuotaPermission = 'trace.read' | 'trace.capture' | 'quota.read' | 'quota.plan' | 'quota.signoff' | 'quota.allocate' | 'quota.approve' | 'quota.consume' | 'quota.notice';

/** Whether the signed-in user holds a permission (as listed by GET /api/session). */
export function can(me: Me | null | undefined, permission: QuotaPermission | string): boolean {
  return !!me && (me.permissions ?? []).includes(permission);
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
