/**
 * Login, sessions and API tokens: turns a cookie or bearer secret into an Actor with its
 * scope. Logins are throttled per username and per address across all server processes.
 */
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { departments, enterprises } from '../registry/registry.tables.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Actor, Scope } from './actor.ts';
import { apiTokens, loginAttempts, sessions, users } from './auth.tables.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { permissionsOf, type Permission, type Role } from './roles.ts';
import { newSecret, secretHash } from './tokens.ts';
import { findUserByUsername } from './users.service.ts';

export const SESSION_TTL_MS = 12 * 3600_000;

export interface ThrottlePolicy { windowMs: number; maxFailuresPerUsername: number; maxFailuresPerIp: number }
export const DEFAULT_THROTTLE: ThrottlePolicy = { windowMs: 15 * 60_000, maxFailuresPerUsername: 5, maxFailuresPerIp: 30 };

export interface Me {
  id: string; username: string; displayName: string; role: Role;
  department: { id: string; code: string; nameZh: string; nameEn: string; level: string; divisionCode: string | null } | null;
  enterprise: { id: string; creditCode: string; nameZh: string; nameEn: string | null } | null;
  jurisdiction: { level: 'national' | 'province' | 'prefecture' | 'county' | 'enterprise'; divisionCode: string | null; enterpriseId: string | null };
  permissions: Permission[];
}

interface Principal { actor: Actor; me: Me }

async function principalOf(db: Db, userId: string, ip: string | null): Promise<Principal | null> {
  const [row] = await db.select({ user: users, department: departments, enterprise: enterprises })
    .from(users)
    .leftJoin(departments, eq(departments.id, users.departmentId))
    .leftJoin(enterprises, eq(enterprises.id, users.enterpriseId))
    .where(and(eq(users.id, userId), eq(users.active, true)));
  if (!row) return null;
  const { user, department, enterprise } = row;
  // A deactivated enterprise or department takes its accounts with it.
  if ((enterprise && !enterprise.active) || (department && !department.active)) return null;
  let scope: Scope;
  if (enterprise) scope = { kind: 'enterprise', enterpriseId: enterprise.id };
  else if (department && department.level !== 'national' && department.divisionCode) {
    scope = { kind: 'division', level: department.level as 'province' | 'prefecture' | 'county', divisionCode: department.divisionCode };
  } else scope = { kind: 'national' };
  const role = user.role as Role;
  return {
    actor: { userId: user.id, username: user.username, role, departmentId: user.departmentId, enterpriseId: user.enterpriseId, scope, ip },
    me: {
      id: user.id, username: user.username, displayName: user.displayName, role,
      department: department ? { id: department.id, code: department.code, nameZh: department.nameZh, nameEn: department.nameEn, level: department.level, divisionCode: department.divisionCode } : null,
      enterprise: enterprise ? { id: enterprise.id, creditCode: enterprise.creditCode, nameZh: enterprise.nameZh, nameEn: enterprise.nameEn } : null,
      jurisdiction: {
        level: scope.kind === 'enterprise' ? 'enterprise' : scope.kind === 'national' ? 'national' : scope.level,
        divisionCode: scope.kind === 'division' ? scope.divisionCode : null,
        enterpriseId: scope.kind === 'enterprise' ? scope.enterpriseId : null,
      },
      permissions: permissionsOf(role),
    },
  };
}

async function recentFailures(db: Db, column: typeof loginAttempts.username | typeof loginAttempts.ip, value: string, since: Date): Promise<number> {
  const [row] = await db.select({ n: count() }).from(loginAttempts)
    .where(and(eq(column, value), eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since)));
  return Number(row?.n ?? 0);
}

/** Checks the password and opens a session; the returned secret goes into the cookie. */
export async function login(
  db: Db, input: { username: string; password: string; ip: string | null; userAgent: string | null }, policy = DEFAULT_THROTTLE,
): Promise<{ secret: string; me: Me; expiresAt: Date }> {
  const username = input.username.trim().toLowerCase();
  const since = new Date(Date.now() - policy.windowMs);
  if (await recentFailures(db, loginAttempts.username, username, since) >= policy.maxFailuresPerUsername
    || (input.ip && await recentFailures(db, loginAttempts.ip, input.ip, since) >= policy.maxFailuresPerIp)) {
    throw new AppError('throttled', 'auth.throttled', `too many failed logins; try again in ${Math.round(policy.windowMs / 60_000)} minutes`, [], { retryAfterSeconds: Math.round(policy.windowMs / 1000) });
  }
  const user = await findUserByUsername(db, username);
  const ok = user && user.active ? await verifyPassword(user.passwordHash, input.password) : (await verifyPassword(await decoyHash(), input.password), false);
  // An account whose enterprise or department is deactivated cannot sign in either.
  if (!ok || !user || !(await principalOf(db, user.id, input.ip))) {
    await db.insert(loginAttempts).values({ id: newId(), username, ip: input.ip, succeeded: false });
    throw new AppError('unauthenticated', 'auth.bad_credentials', 'wrong username or password', [{ field: 'password', rule: 'credentials', message: 'wrong username or password' }]);
  }
  const secret = newSecret('yts');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  const principal = await withTransaction(db, async (tx) => {
    await tx.insert(loginAttempts).values({ id: newId(), username, ip: input.ip, succeeded: true });
    await tx.insert(sessions).values({ tokenHash: secretHash(secret), userId: user.id, expiresAt, ip: input.ip, userAgent: input.userAgent });
    const p = (await principalOf(tx, user.id, input.ip))!;
    await recordAudit(tx, p.actor, { action: 'login', entity: 'session', entityId: user.id });
    return p;
  });
  return { secret, me: principal.me, expiresAt };
}

export async function logout(db: Db, secret: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, secretHash(secret)));
}

/** Resolves a session cookie secret. */
export async function authenticateSession(db: Db, secret: string, ip: string | null): Promise<Principal | null> {
  const [session] = await db.select().from(sessions).where(and(eq(sessions.tokenHash, secretHash(secret)), gt(sessions.expiresAt, new Date())));
  return session ? principalOf(db, session.userId, ip) : null;
}

/** Resolves a bearer API token. */
export async function authenticateToken(db: Db, secret: string, ip: string | null): Promise<Principal | null> {
  const [token] = await db.select().from(apiTokens).where(and(eq(apiTokens.tokenHash, secretHash(secret)), isNull(apiTokens.revokedAt)));
  if (!token) return null;
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, token.id));
  return principalOf(db, token.userId, ip);
}

/** Creates an API token for a user; the secret is shown once and only its hash is kept. */
export async function createApiToken(db: Db, actor: Actor, username: string, name: string): Promise<{ id: string; secret: string }> {
  const user = await findUserByUsername(db, username);
  if (!user || !user.active) throw new AppError('not_found', 'user.not_found', `no active user ${username}`);
  const secret = newSecret('ytt');
  const id = newId();
  await withTransaction(db, async (tx) => {
    await tx.insert(apiTokens).values({ id, userId: user.id, name, tokenHash: secretHash(secret) });
    await recordAudit(tx, actor, { action: 'create', entity: 'api_token', entityId: id, after: { userId: user.id, username: user.username, name } });
  });
  return { id, secret };
}

/** The actor for a username, for the CLI's `--as`: batch work is audited under a real account. */
export async function actorForUsername(db: Db, username: string): Promise<Actor> {
  const user = await findUserByUsername(db, username);
  const principal = user && user.active ? await principalOf(db, user.id, null) : null;
  if (!principal) throw new AppError('not_found', 'user.not_found', `no active user ${username}`);
  return principal.actor;
}
