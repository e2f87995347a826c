/**
 * Registry module: owns divisions, departments, rare earth groups, enterprises and their
 * licences, designations (Art. 7), the product catalogue (Art. 2–3) and reference data.
 * Other modules reach registry data only through the functions exported here.
 */
export * from './divisions.service.ts';
export * from './departments.service.ts';
export * from './groups.service.ts';
export * from './enterprises.service.ts';
export * from './designations.service.ts';
export * from './products.service.ts';
export * from './reference-data.service.ts';
export { enterpriseScopeCondition, divisionInScope } from './registry.scope.ts';
export * from './holidays.service.ts';
