import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { AppError } from '../shared/errors.ts';
import { listQuerySchema, pageSchema } from '../shared/paging.ts';
import { ROLES } from './roles.ts';
import * as auth from './auth.service.ts';

export const SESSION_COOKIE = 'ytterby_session';

const meOut = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES),
  department: z.object({ id: z.string(), code: z.string(), nameZh: z.string(), nameEn: z.string(), level: z.string(), divisionCode: z.string().nullable() }).nullable(),
  enterprise: z.object({ id: z.string(), creditCode: z.string(), nameZh: z.string(), nameEn: z.string().nullable() }).nullable(),
  jurisdiction: z.object({ level: z.enum(['national', 'province', 'prefecture', 'county', 'enterprise']), divisionCode: z.string().nullable(), enterpriseId: z.string().nullable() }),
  permissions: z.array(z.string()),
});
const userOut = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES), departmentId: z.string().nullable(),
  enterpriseId: z.string().nullable(), active: z.boolean(), createdAt: z.string(),
});
const userCreate = z.strictObject({
  username: z.string().trim().min(2).max(40), displayName: z.string().trim().min(1).max(100), password: z.string().max(200),
  role: z.enum(ROLES), departmentId: z.string().uuid().nullish(), enterpriseId: z.string().uuid().nullish(),
});
const userPatch = z.strictObject({ displayName: z.string().trim().min(1).max(100).optional(), role: z.enum(ROLES).optional(), password: z.string().max(200).optional() });
const userFilters = z.object({
  role: z.enum(ROLES).optional(), departmentId: z.string().uuid().optional(), enterpriseId: z.string().uuid().optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export function authRoutes(app: App, deps: Deps, options: { secureCookie: boolean }): void {
  app.post('/api/session', {
    config: { public: true },
    schema: { tags: ['session'], summary: 'Sign in; sets an httpOnly session cookie', body: z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }), response: { 200: z.object({ user: meOut }) } },
  }, async (request, reply) => {
    try {
      const { secret, me, expiresAt } = await auth.login(deps.db, { ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
      reply.setCookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'strict', secure: options.secureCookie, path: '/', expires: expiresAt });
      return { user: me };
    } catch (error) {
      if (error instanceof AppError && error.kind === 'throttled') reply.header('retry-after', String(error.extra.retryAfterSeconds ?? 900));
      throw error;
    }
  });

  app.get('/api/session', {
    schema: { tags: ['session'], summary: 'The signed-in user, role and jurisdiction', response: { 200: z.object({ user: meOut }) } },
  }, (request) => {
    actorOf(request);
    return { user: request.me! };
  });

  app.delete('/api/session', { config: { public: true }, schema: { tags: ['session'], summary: 'Sign out' } }, async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE];
    if (secret) await auth.logout(deps.db, secret);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/users', {
    config: { permission: 'users.read' },
    schema: { tags: ['users'], summary: 'List user accounts within your jurisdiction', querystring: listQuerySchema.extend({ sort: z.enum(['username', 'displayName', 'role', 'createdAt']).optional() }).merge(userFilters), response: { 200: pageSchema(userOut) } },
  }, (request) => auth.listUsers(deps.db, actorOf(request), request.query));
  app.get('/api/users/:id', {
    schema: { tags: ['users'], params: z.object({ id: z.string().max(64) }), response: { 200: userOut } },
  }, (request) => auth.getUser(deps.db, actorOf(request), request.params.id));
  app.post('/api/users', {
    config: { permission: 'users.write' },
    schema: { tags: ['users'], summary: 'Create a user account in one department or one enterprise', body: userCreate, response: { 201: userOut } },
  }, async (request, reply) => reply.code(201).send(await auth.createUser(deps.db, actorOf(request), request.body)));
  app.patch('/api/users/:id', {
    config: { permission: 'users.write' },
    schema: { tags: ['users'], params: z.object({ id: z.string().max(64) }), body: userPatch, response: { 200: userOut } },
  }, (request) => auth.updateUser(deps.db, actorOf(request), request.params.id, request.body));
  for (const [verb, active] of [['deactivate', false], ['reactivate', true]] as const) {
    app.post(`/api/users/:id/${verb}`, {
      config: { permission: 'users.write' },
      schema: { tags: ['users'], summary: `${verb === 'deactivate' ? 'Deactivate' : 'Reactivate'} an account (nothing is deleted)`, params: z.object({ id: z.string().max(64) }), response: { 200: userOut } },
    }, (request) => auth.updateUser(deps.db, actorOf(request), request.params.id, { active }, verb));
  }
}
