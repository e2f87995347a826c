/** Overview module: the dashboard's counts, each within the caller's jurisdiction. */
import { z } from 'zod';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import { countCurrentDesignations, countEnterprises, countProducts } from '../registry/registry.service.ts';
import { countUsers } from '../auth/auth.service.ts';
import { roleHas } from '../auth/roles.ts';

export function overviewRoutes(app: App, deps: Deps): void {
  app.get('/api/stats', {
    schema: {
      tags: ['overview'], summary: 'Counts for the dashboard within your jurisdiction',
      response: { 200: z.object({ enterprises: z.number(), designationsCurrent: z.number(), products: z.number(), users: z.number().nullable() }) },
    },
  }, async (request) => {
    const actor = actorOf(request);
    const [enterprises, designationsCurrent, products, users] = await Promise.all([
      countEnterprises(deps.db, actor), countCurrentDesignations(deps.db, actor), countProducts(deps.db),
      roleHas(actor.role, 'users.read') ? countUsers(deps.db, actor) : Promise.resolve(null),
    ]);
    return { enterprises, designationsCurrent, products, users };
  });
}
