import { z } from 'zod';
import { crudRoutes } from '../../http/crud-routes.ts';
import { actorOf, type App, type Deps } from '../../http/context.ts';
import * as registry from './registry.service.ts';
import * as s from './registry.schemas.ts';

export function registryRoutes(app: App, deps: Deps): void {
  crudRoutes(app, deps, {
    path: '/api/divisions', tag: 'divisions', writePermission: 'registry.write', idParam: 'code', out: s.divisionOut, filters: s.divisionFilters,
    sortKeys: ['code', 'nameZh', 'level'], create: s.divisionCreate, patch: s.divisionPatch,
    list: registry.listDivisions, get: registry.getDivision, createOne: registry.createDivision, update: registry.updateDivision,
  });
  crudRoutes(app, deps, {
    path: '/api/departments', tag: 'departments', writePermission: 'registry.write', out: s.departmentOut, filters: s.departmentFilters,
    sortKeys: ['code', 'nameZh', 'level'], create: s.departmentCreate, patch: s.departmentPatch,
    list: registry.listDepartments, get: registry.getDepartment, createOne: registry.createDepartment, update: registry.updateDepartment,
  });
  crudRoutes(app, deps, {
    path: '/api/groups', tag: 'groups', writePermission: 'registry.write', out: s.groupOut, filters: z.object({ active: s.divisionFilters.shape.active }),
    sortKeys: ['code', 'nameZh', 'status'], create: s.groupCreate, patch: s.groupPatch,
    list: registry.listGroups, get: registry.getGroup, createOne: registry.createGroup, update: registry.updateGroup,
  });
  crudRoutes(app, deps, {
    path: '/api/enterprises', tag: 'enterprises', writePermission: 'enterprise.write', out: s.enterpriseOut, filters: s.enterpriseFilters,
    sortKeys: ['nameZh', 'creditCode', 'domicileDivisionCode', 'capacity', 'createdAt'], create: s.enterpriseCreate, patch: s.enterprisePatch,
    list: registry.listEnterprises, get: registry.getEnterprise, createOne: registry.createEnterprise, update: registry.updateEnterprise,
  });
  crudRoutes(app, deps, {
    path: '/api/designations', tag: 'designations', writePermission: 'registry.write', out: s.designationOut, filters: s.designationFilters,
    sortKeys: ['validFrom', 'validTo', 'enterpriseNameZh', 'activity'], create: s.designationCreate, patch: s.designationPatch,
    list: registry.listDesignations, get: registry.getDesignation, createOne: registry.createDesignation, update: registry.updateDesignation,
  });
  crudRoutes(app, deps, {
    path: '/api/products', tag: 'products', writePermission: 'registry.write', out: s.productOut, filters: s.productFilters,
    sortKeys: ['code', 'nameZh', 'category', 'reoContent'], create: s.productCreate, patch: s.productPatch,
    list: registry.listProducts, get: registry.getProduct, createOne: registry.createProduct, update: registry.updateProduct,
  });

  app.post('/api/designations/:id/revoke', {
    config: { permission: 'registry.write' },
    schema: { tags: ['designations'], summary: 'Revoke a designation, with the reason', params: z.object({ id: z.string().max(64) }), body: s.designationRevoke, response: { 200: s.designationOut } },
  }, (request) => registry.revokeDesignation(deps.db, actorOf(request), request.params.id, request.body.reason));

  app.get('/api/elements', {
    schema: { tags: ['reference'], summary: 'Rare earth elements with oxide factors', response: { 200: z.array(s.elementOut) } },
  }, (request) => registry.listElements(deps.db, actorOf(request)));

  app.get('/api/export-control-rules', {
    schema: { tags: ['reference'], summary: 'Export-control announcements with their dates and status today', response: { 200: z.array(s.exportControlRuleOut) } },
  }, (request) => registry.listExportControlRules(deps.db, actorOf(request)));

  const holidayOut = z.object({ date: z.string(), nameZh: z.string(), isOffDay: z.boolean() });
  const dateParam = z.object({ date: z.string().max(10) });
  app.get('/api/holidays', {
    schema: { tags: ['reference'], summary: 'The official holiday calendar that working-day deadlines count with', querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }), response: { 200: z.array(holidayOut) } },
  }, (request) => registry.listHolidays(deps.db, actorOf(request), request.query.year));
  app.put('/api/holidays/:date', {
    config: { permission: 'registry.write' },
    schema: { tags: ['reference'], summary: 'Set a day off or a worked weekend day (调休), as the State Council notice gives it', params: dateParam, body: z.strictObject({ nameZh: z.string().max(100), isOffDay: z.boolean() }), response: { 200: holidayOut } },
  }, (request) => registry.setHoliday(deps.db, actorOf(request), request.params.date, request.body));
  app.delete('/api/holidays/:date', {
    config: { permission: 'registry.write' },
    schema: { tags: ['reference'], summary: 'Remove a day from the calendar', params: dateParam },
  }, async (request, reply) => {
    await registry.removeHoliday(deps.db, actorOf(request), request.params.date);
    return reply.code(204).send();
  });
}
