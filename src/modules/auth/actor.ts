import type { Role, Permission } from './roles.ts';
import { roleHas } from './roles.ts';
import { forbidden } from '../shared/errors.ts';

/**
 * Where an actor may look: the whole country, one division's subtree, or one enterprise.
 */
export type Scope =
  | { kind: 'national' }
  | { kind: 'division'; level: 'province' | 'prefecture' | 'county'; divisionCode: string }
  | { kind: 'enterprise'; enterpriseId: string };

/** The authenticated caller of a use case, from a web session, an API token or the CLI. */
export interface Actor {
  userId: string | null;
  username: string;
  role: Role;
  departmentId: string | null;
  enterpriseId: string | null;
  scope: Scope;
  ip: string | null;
}

/** The CLI acts as the system itself, with national scope; its actions are audited as 'cli'. */
export function systemActor(username = 'cli'): Actor {
  return { userId: null, username, role: 'ministry_admin', departmentId: null, enterpriseId: null, scope: { kind: 'national' }, ip: null };
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!roleHas(actor.role, permission)) {
    throw forbidden(`role ${actor.role} may not do this (needs ${permission})`);
  }
}
