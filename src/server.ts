/**
 * Composition root: builds the HTTP server from the modules. The JSON API lives under /api,
 * the OpenAPI document at /openapi.json with docs at /docs, and the web console at /.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db/database.ts';
import { problem, sendProblem, toProblem } from './http/problem.ts';
import { AppError, invalid } from './modules/shared/errors.ts';
import { sql } from 'drizzle-orm';
import { actorOf, type App } from './http/context.ts';
import { requirePermission } from './modules/auth/actor.ts';
import type { Permission } from './modules/auth/roles.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes, SESSION_COOKIE } from './modules/auth/auth.routes.ts';
import { authenticateSession, authenticateToken } from './modules/auth/auth.service.ts';
import { overviewRoutes } from './modules/overview/overview.routes.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { quotaRoutes } from './modules/quota/quota.routes.ts';
import { traceRoutes } from './modules/trace/trace.routes.ts';
import { reportsRoutes } from './modules/reports/reports.routes.ts';
import { exchangeRoutes } from './modules/exchange/exchange.routes.ts';

export const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface ServerOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Serve the built console from web/dist when it exists. */
  serveWeb?: boolean;
  secureCookie?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Checked before the body is validated, so a caller without the right gets 403, not a list of field errors. */
    permission?: Permission;
  }
}

export async function buildServer(options: ServerOptions): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: process.env.YTTERBY_TRUST_PROXY === '1',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const deps = { db: options.database.db };

  // find-my-way mirror of every route, so an unknown method on a known path answers 405.
  const routeTable = FindMyWay();
  const noop = () => undefined;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD') {
        try { routeTable.on(method as HTTPMethod, route.url, noop); } catch { /* duplicate registration */ }
      }
    }
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Ytterby API', version: '0.1.0', description: 'Rare earth total quantity control and product traceability. Errors are application/problem+json (RFC 9457).' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('actor', null);
  app.decorateRequest('me', null);
  app.addHook('onRequest', async (request) => {
    if (!isApiPath(request.url)) return;
    const authorization = request.headers.authorization;
    const match = authorization ? /^bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    const bearer = match ? match[1]! : null;
    const cookieSecret = request.cookies[SESSION_COOKIE];
    const principal = bearer
      ? await authenticateToken(deps.db, bearer, request.ip)
      : cookieSecret ? await authenticateSession(deps.db, cookieSecret, request.ip) : null;
    if (principal) {
      request.actor = principal.actor;
      request.me = principal.me;
    } else if (bearer && !request.routeOptions.config.public) {
      throw new AppError('unauthenticated', 'auth.bad_token', 'the bearer token is unknown or revoked');
    }
  });

  app.addHook('preValidation', async (request) => {
    if (!isApiPath(request.url)) return;
    // PostgreSQL text cannot hold NUL; refuse it at the edge with the field named.
    const nul = findNul({ body: request.body, query: request.query, params: request.params });
    if (nul) throw invalid(nul.replace(/^(body|query|params)\.?/, '') || nul, 'nul_character', 'text must not contain the NUL character (U+0000)');
    if (request.routeOptions.config.public) return;
    const actor = actorOf(request);
    const permission = request.routeOptions.config.permission;
    if (permission) requirePermission(actor, permission);
  });

  app.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request)));

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    await options.database.db.execute(sql`select 1`);
    return reply.send({ status: 'ok', database: options.database.kind });
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  app.register(async (api) => {
    registryRoutes(api as App, deps);
    authRoutes(api as App, deps, { secureCookie: options.secureCookie ?? false });
    auditRoutes(api as App, deps);
    overviewRoutes(api as App, deps);
    quotaRoutes(api as App, deps);
    traceRoutes(api as App, deps);
    reportsRoutes(api as App, deps);
    exchangeRoutes(api as App, deps);
  });

  const indexHtml = options.serveWeb !== false && existsSync(`${WEB_DIST}index.html`) ? readFileSync(`${WEB_DIST}index.html`, 'utf8') : null;
  if (indexHtml) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: false });
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/html').send(indexHtml));
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const other = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((m) => m !== request.method && routeTable.find(m, path));
    if (other.length > 0) {
      reply.header('allow', other.join(', '));
      return sendProblem(reply, problem(405, 'method_not_allowed', `${request.method} is not allowed on ${path}; use ${other.join(', ')}`));
    }
    const isApi = path.startsWith('/api') || path.startsWith('/epcis') || path === '/openapi.json';
    if (!isApi && indexHtml && request.method === 'GET' && !path.includes('.')) {
      return reply.type('text/html').send(indexHtml); // client-side route of the console
    }
    return sendProblem(reply, problem(404, 'not_found', `no route ${request.method} ${path}`));
  });

  return app as unknown as App;
}

/** The path of the first string holding U+0000, or null. */
function findNul(value: unknown, path = ''): string | null {
  if (Buffer.isBuffer(value)) return null; // raw uploads (XLSX) are binary, not text
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
      const found = findNul(v, path ? `${path}.${key}` : key);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Paths that need an actor: the JSON API and the EPCIS interface. */
function isApiPath(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/epcis/');
}
