// Every table of every module, for drizzle-kit and the migrator.
export * from '../modules/registry/registry.tables.ts';
export * from '../modules/auth/auth.tables.ts';
export * from '../modules/audit/audit.tables.ts';
export * from '../modules/quota/quota.tables.ts';
export * from '../modules/trace/trace.tables.ts';
export * from '../modules/trace/flow.tables.ts';
export * from '../modules/reports/reports.tables.ts';
export * from '../modules/exchange/exchange.tables.ts';
