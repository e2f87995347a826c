import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { pageSchema } from '../shared/paging.ts';
import { searchAudit } from './audit.service.ts';

const entryOut = z.object({
  id: z.string(), at: z.string(), actorUserId: z.string().nullable(), actorUsername: z.string().nullable(), ip: z.string().nullable(),
  action: z.string(), entity: z.string(), entityId: z.string(), before: z.unknown(), after: z.unknown(),
});

export function auditRoutes(app: App, deps: Deps): void {
  app.get('/api/audit', {
    config: { permission: 'audit.read' },
    schema: {
      tags: ['audit'], summary: 'Search the append-only audit log (auditors and ministry administrators)',
      querystring: z.object({
        actor: z.string().max(100).optional(), entity: z.string().max(40).optional(), entityId: z.string().max(100).optional(),
        action: z.string().max(40).optional(), from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(), to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
        page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(500).default(50),
      }),
      response: { 200: pageSchema(entryOut) },
    },
  }, (request) => searchAudit(deps.db, actorOf(request), request.query));
}
