/**
 * Auth module: owns user accounts, roles, web sessions, API tokens and login throttling.
 * Every other module receives an Actor (who, role, scope) from here and checks it.
 */
export * from './users.service.ts';
export * from './sessions.service.ts';
export * from './actor.ts';
export * from './roles.ts';
