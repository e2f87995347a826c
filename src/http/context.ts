import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/database.ts';
import type { Actor } from '../modules/auth/actor.ts';
import type { Me } from '../modules/auth/sessions.service.ts';
import { AppError } from '../modules/shared/errors.ts';

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>; // any: fastify's server generics vary by transport; routes only need the type provider

export interface Deps { db: Db }

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    me: Me | null;
  }
}

/** The authenticated actor, or a 401 problem. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'auth.required', 'sign in, or send Authorization: Bearer <token>');
  return request.actor;
}
