/**
 * Quota module (total quantity control, Order No. 71 Art. 5–9, 14): annual plans with joint
 * sign-off and State Council approval, batch allocation with a second approver, group
 * sub-allocation, notices, the append-only quota ledger with alerts, and Article 14 reductions.
 */
export * from './plans.service.ts';
export * from './allocations.service.ts';
export * from './ledger.service.ts';
export * from './notices.service.ts';
export * from './flow-postings.service.ts';
export { rulesInForce, traceRulesInForce, reportRulesInForce, type TraceRulesInForce, type ReportRulesInForce } from './quota-rules.service.ts';
export * from './rules.service.ts';
export * from './execution.service.ts';
