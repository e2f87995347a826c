/** Use cases for user accounts: each belongs to exactly one department or one enterprise. */
import { and, count, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enterpriseScopeCondition, findDepartment, findVisibleEnterprise, divisionSubtree } from '../registry/registry.service.ts';
import { departments, enterprises } from '../registry/registry.tables.ts';
import { conflict, notFound, ProblemList } from '../shared/errors.ts';
import { isUuid, newId } from '../shared/ids.ts';
import { likePattern, orderBy, type ListQuery, type Page } from '../shared/paging.ts';
import type { Actor } from './actor.ts';
import { requirePermission, systemActor } from './actor.ts';
import { users } from './auth.tables.ts';
import { hashPassword } from './passwords.ts';
import { roleNeedsNationalDepartment, roleOrganisation, type Role } from './roles.ts';

export interface UserOut {
  id: string; username: string; displayName: string; role: Role; departmentId: string | null; enterpriseId: string | null;
  active: boolean; createdAt: string;
}
export interface UserInput {
  username: string; displayName: string; password: string; role: Role; departmentId?: string | null; enterpriseId?: string | null;
}
export interface UserPatch { displayName?: string; role?: Role; password?: string; active?: boolean }
export interface UserFilters { role?: Role; departmentId?: string; enterpriseId?: string; active?: boolean }

type Row = typeof users.$inferSelect;
const toOut = (r: Row): UserOut => ({
  id: r.id, username: r.username, displayName: r.displayName, role: r.role as Role, departmentId: r.departmentId,
  enterpriseId: r.enterpriseId, active: r.active, createdAt: r.createdAt.toISOString(),
});

/**
 * Which accounts an actor may see: nationals all; a local official the accounts of its own
 * department and of enterprises in its jurisdiction; an enterprise only its own accounts.
 */
function visibility(db: Db, actor: Actor): SQL | undefined {
  const scope = actor.scope;
  if (scope.kind === 'national') return undefined;
  if (scope.kind === 'enterprise') return eq(users.enterpriseId, scope.enterpriseId);
  const scopedEnterprises = db.select({ id: enterprises.id }).from(enterprises).where(enterpriseScopeCondition(db, scope));
  const scopedDepartments = db.select({ id: departments.id }).from(departments)
    .where(inArray(departments.divisionCode, divisionSubtree(db, scope.divisionCode)));
  return or(inArray(users.enterpriseId, scopedEnterprises), inArray(users.departmentId, scopedDepartments));
}

export async function listUsers(db: Db, actor: Actor, query: ListQuery & UserFilters): Promise<Page<UserOut>> {
  requirePermission(actor, 'users.read');
  const conditions: SQL[] = [];
  const scope = visibility(db, actor);
  if (scope) conditions.push(scope);
  if (query.role) conditions.push(eq(users.role, query.role));
  if (query.departmentId) conditions.push(eq(users.departmentId, query.departmentId));
  if (query.enterpriseId) conditions.push(eq(users.enterpriseId, query.enterpriseId));
  if (query.active !== undefined) conditions.push(eq(users.active, query.active));
  if (query.q) conditions.push(or(ilike(users.username, likePattern(query.q)), ilike(users.displayName, likePattern(query.q)))!);
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(users).where(where)
      .orderBy(...orderBy(query, { username: users.username, displayName: users.displayName, role: users.role, createdAt: users.createdAt }, 'username', users.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items: rows.map(toOut), total: Number(total?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findVisible(db: Db, actor: Actor, id: string): Promise<UserOut | null> {
  if (!isUuid(id)) return null;
  const scope = visibility(db, actor);
  const [row] = await db.select().from(users).where(scope ? and(eq(users.id, id), scope) : eq(users.id, id));
  return row ? toOut(row) : null;
}

export async function getUser(db: Db, actor: Actor, id: string): Promise<UserOut> {
  requirePermission(actor, 'users.read');
  const found = await findVisible(db, actor, id);
  if (!found) throw notFound('user', id);
  return found;
}

export async function findUserByUsername(db: Db, username: string): Promise<Row | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username.toLowerCase()));
  return row ?? null;
}

function checkPassword(problems: ProblemList, password: string, username: string): void {
  if (password.length < 10) problems.add('password', 'min_length', 'at least 10 characters');
  else if (password.toLowerCase().includes(username.toLowerCase())) problems.add('password', 'contains_username', 'must not contain the username');
}

async function checkOrganisation(db: Db, problems: ProblemList, role: Role, departmentId: string | null, enterpriseId: string | null): Promise<void> {
  const needs = roleOrganisation(role);
  if (needs === 'department') {
    if (enterpriseId) problems.add('enterpriseId', 'not_allowed', `a ${role} belongs to a department, not an enterprise`);
    if (!departmentId) { problems.add('departmentId', 'required', `a ${role} belongs to a department`); return; }
    const department = await findDepartment(db, departmentId);
    if (!department || !department.active) { problems.add('departmentId', 'exists', `department ${departmentId} does not exist`); return; }
    if (roleNeedsNationalDepartment(role) && department.level !== 'national') problems.add('role', 'national_department', `a ${role} belongs to a national department`);
    if (role === 'local_official' && department.level === 'national') problems.add('role', 'local_department', 'a local official belongs to a province, prefecture or county department');
  } else {
    if (departmentId) problems.add('departmentId', 'not_allowed', `a ${role} belongs to an enterprise, not a department`);
    if (!enterpriseId) { problems.add('enterpriseId', 'required', `a ${role} belongs to an enterprise`); return; }
    if (!(await findVisibleEnterprise(db, systemActor(), enterpriseId))) problems.add('enterpriseId', 'exists', `enterprise ${enterpriseId} does not exist`);
  }
}

export async function createUser(db: Db, actor: Actor, input: UserInput): Promise<UserOut> {
  requirePermission(actor, 'users.write');
  const username = input.username.trim().toLowerCase();
  const problems = new ProblemList();
  if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(username)) problems.add('username', 'format', '2–40 letters, digits, . _ -, starting with a letter or digit');
  checkPassword(problems, input.password, username);
  await checkOrganisation(db, problems, input.role, input.departmentId ?? null, input.enterpriseId ?? null);
  problems.throwIfAny('auth.user_invalid');
  const passwordHash = await hashPassword(input.password);
  return withTransaction(db, async (tx) => {
    if (await findUserByUsername(tx, username)) throw conflict('username', 'unique', `username ${username} is taken`);
    const [row] = await tx.insert(users).values({
      id: newId(), username, displayName: input.displayName, passwordHash, role: input.role,
      departmentId: input.departmentId ?? null, enterpriseId: input.enterpriseId ?? null,
    }).returning();
    const out = toOut(row!);
    await recordAudit(tx, actor, { action: 'create', entity: 'user', entityId: out.id, after: out });
    return out;
  });
}

export async function updateUser(db: Db, actor: Actor, id: string, patch: UserPatch, action = 'update'): Promise<UserOut> {
  requirePermission(actor, 'users.write');
  return withTransaction(db, async (tx) => {
    const before = await findVisible(tx, actor, id);
    if (!before) throw notFound('user', id);
    const problems = new ProblemList();
    if (patch.password !== undefined) checkPassword(problems, patch.password, before.username);
    if (patch.role && patch.role !== before.role) await checkOrganisation(tx, problems, patch.role, before.departmentId, before.enterpriseId);
    problems.throwIfAny('auth.user_invalid');
    const { password, ...fields } = patch;
    const [row] = await tx.update(users).set({
      ...fields, ...(password ? { passwordHash: await hashPassword(password) } : {}), updatedAt: new Date(),
    }).where(eq(users.id, id)).returning();
    const after = toOut(row!);
    // The password hash never enters the audit log; a change is recorded as a flag.
    await recordAudit(tx, actor, { action: password ? `${action}+password` : action, entity: 'user', entityId: id, before, after });
    return after;
  });
}

export async function countUsers(db: Db, actor: Actor): Promise<number> {
  const scope = visibility(db, actor);
  const [row] = await db.select({ n: count() }).from(users).where(scope ? and(scope, eq(users.active, true)) : eq(users.active, true));
  return Number(row?.n ?? 0);
}
