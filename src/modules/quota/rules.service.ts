/** Officials add quota rules with the date they take effect; earlier rules stay for the record. */
import type { Db } from '../../db/database.ts';
import { withTransaction } from '../../db/transaction.ts';
import { isIsoDate } from '../../domain/validity.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { conflict, invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { clearRulesCache, listRules, ruleValueProblem, type RuleKey, type RuleOut } from './quota-rules.service.ts';
import { quotaRules } from './quota.tables.ts';

export async function getRules(db: Db, actor: Actor): Promise<RuleOut[]> {
  requirePermission(actor, 'quota.read');
  return listRules(db);
}

export async function addRule(db: Db, actor: Actor, input: { key: RuleKey; value: unknown; effectiveFrom: string; note?: string | null }): Promise<RuleOut[]> {
  requirePermission(actor, 'quota.plan');
  if (!isIsoDate(input.effectiveFrom)) throw invalid('effectiveFrom', 'date', 'not a calendar date');
  const problem = ruleValueProblem(input.key, input.value);
  if (problem) throw invalid('value', 'format', problem);
  return withTransaction(db, async (tx) => {
    const existing = (await listRules(tx)).find((r) => r.key === input.key && r.effectiveFrom === input.effectiveFrom);
    if (existing) throw conflict('effectiveFrom', 'unique', `a ${input.key} rule already takes effect on ${input.effectiveFrom}`);
    const id = newId();
    await tx.insert(quotaRules).values({ id, key: input.key, value: input.value, effectiveFrom: input.effectiveFrom, note: input.note ?? null });
    await recordAudit(tx, actor, { action: 'create', entity: 'quota_rule', entityId: id, after: input });
    clearRulesCache();
    return listRules(tx);
  });
}
