/**
 * The five registry verbs every resource shares: list (paging, filtering, sorting), get,
 * create, update, deactivate. Nothing is hard-deleted, so DELETE is answered with 405.
 */
import { z } from 'zod';
import type { Actor } from '../modules/auth/actor.ts';
import type { Permission } from '../modules/auth/roles.ts';
import { listQuerySchema, pageSchema, type ListQuery, type Page } from '../modules/shared/paging.ts';
import type { Db } from '../db/database.ts';
import { actorOf, type App, type Deps } from './context.ts';

export interface CrudSpec<Out, Filters extends z.ZodObject, Create extends z.ZodType, Patch extends z.ZodType> {
  path: string;
  /** The right needed to write; reads need registry.read. */
  writePermission: Permission;
  tag: string;
  idParam?: string;
  out: z.ZodType<Out>;
  filters: Filters;
  sortKeys: string[];
  create: Create;
  patch: Patch;
  list(db: Db, actor: Actor, query: ListQuery & z.infer<Filters>): Promise<Page<Out>>;
  get(db: Db, actor: Actor, id: string): Promise<Out>;
  createOne(db: Db, actor: Actor, input: z.infer<Create>): Promise<Out>;
  update(db: Db, actor: Actor, id: string, patch: z.infer<Patch> & { active?: boolean }, action?: string): Promise<Out>;
}

export function crudRoutes<Out, Filters extends z.ZodObject, Create extends z.ZodType, Patch extends z.ZodType>(
  app: App, deps: Deps, spec: CrudSpec<Out, Filters, Create, Patch>,
): void {
  const id = spec.idParam ?? 'id';
  const params = z.object({ [id]: z.string().max(64) });
  const item = `${spec.path}/:${id}`;
  const query = listQuerySchema.extend({ sort: z.enum(spec.sortKeys as [string, ...string[]]).optional() }).merge(spec.filters);
  const problemResponses = { 401: z.unknown(), 403: z.unknown(), 404: z.unknown(), 422: z.unknown() };
  const idOf = (p: unknown) => (p as Record<string, string>)[id]!;

  const read = { config: { permission: 'registry.read' as const } };
  const write = { config: { permission: spec.writePermission } };

  app.get(spec.path, {
    ...read,
    schema: { tags: [spec.tag], summary: `List ${spec.tag}`, querystring: query, response: { 200: pageSchema(spec.out), ...problemResponses } },
  }, (request) => spec.list(deps.db, actorOf(request), request.query as ListQuery & z.infer<Filters>));

  app.get(item, {
    ...read,
    schema: { tags: [spec.tag], summary: `Get one of ${spec.tag}`, params, response: { 200: spec.out, ...problemResponses } },
  }, (request) => spec.get(deps.db, actorOf(request), idOf(request.params)));

  app.post(spec.path, {
    ...write,
    schema: { tags: [spec.tag], summary: `Create in ${spec.tag}`, body: spec.create, response: { 201: spec.out, 409: z.unknown(), ...problemResponses } },
  }, async (request, reply) => {
    const created = await spec.createOne(deps.db, actorOf(request), request.body as z.infer<Create>);
    return reply.code(201).send(created);
  });

  app.patch(item, {
    ...write,
    schema: { tags: [spec.tag], summary: `Update one of ${spec.tag}`, params, body: spec.patch, response: { 200: spec.out, 409: z.unknown(), ...problemResponses } },
  }, (request) => spec.update(deps.db, actorOf(request), idOf(request.params), request.body as z.infer<Patch> & { active?: boolean }));

  app.post(`${item}/deactivate`, {
    ...write,
    schema: { tags: [spec.tag], summary: `Deactivate one of ${spec.tag} (nothing is hard-deleted)`, params, response: { 200: spec.out, ...problemResponses } },
  }, (request) => spec.update(deps.db, actorOf(request), idOf(request.params), { active: false } as z.infer<Patch> & { active: boolean }, 'deactivate'));

  app.post(`${item}/reactivate`, {
    ...write,
    schema: { tags: [spec.tag], summary: `Reactivate one of ${spec.tag}`, params, response: { 200: spec.out, ...problemResponses } },
  }, (request) => spec.update(deps.db, actorOf(request), idOf(request.params), { active: true } as z.infer<Patch> & { active: boolean }, 'reactivate'));
}
