/**
 * `ytterby quota …`: the total-quantity-control lifecycle for batch work. Every command acts as a
 * named account (`--as`), so the audit log shows who did it, and two-person rules still hold.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import type { Database } from '../db/database.ts';
import { INDICATORS, type Indicator } from '../domain/quota.ts';
import { actorForUsername } from '../modules/auth/auth.service.ts';
import * as quota from '../modules/quota/quota.service.ts';
import { findGroupByCode, listEnterprises } from '../modules/registry/registry.service.ts';
import { systemActor } from '../modules/auth/actor.ts';
import { tonnesToGrams } from '../domain/mass.ts';
import { progressReporter } from './progress.ts';

type WithDatabase = <T>(fn: (database: Database) => Promise<T>) => Promise<T>;

function indicatorOf(value: string): Indicator {
  if (!(INDICATORS as readonly string[]).includes(value)) throw new Error(`indicator must be one of ${INDICATORS.join(', ')}`);
  return value as Indicator;
}

async function enterpriseIdByCreditCode(database: Database, creditCode: string): Promise<string> {
  const page = await listEnterprises(database.db, systemActor(), { q: creditCode, page: 1, pageSize: 5, order: 'asc' });
  const found = page.items.find((e) => e.creditCode === creditCode);
  if (!found) throw new Error(`no enterprise with credit code ${creditCode}`);
  return found.id;
}

function printPlan(plan: quota.PlanOut): void {
  console.log(`${plan.year}  ${plan.status}  round ${plan.round}${plan.approvalDocumentNo ? `  approved ${plan.approvalDocumentNo} ${plan.approvedOn}` : ''}`);
  for (const l of plan.lines) console.log(`  ${l.indicator.padEnd(24)} ${l.effectiveTonnesReo.padStart(18)} t REO`);
  for (const s of plan.signoffs.filter((x) => x.round === plan.round)) console.log(`  signed: ${s.departmentCode} ${s.decision}${s.reason ? ` (${s.reason})` : ''} by ${s.username}`);
}

export function registerQuotaCommands(program: Command, withDatabase: WithDatabase, fail: (e: unknown) => never): void {
  const q = program.command('quota').description('total quantity control: plans, batches, allocations, production, balances');
  const asOption = ['--as <username>', 'the account that acts (audited)', 'admin'] as const;

  const plan = q.command('plan').description('annual plans (Art. 5)');
  plan.command('create').description('draft a plan: --line indicator=tonnes, repeatable')
    .requiredOption('--year <year>', 'year', Number)
    .requiredOption('--line <indicator=tonnes...>', `lines; indicators: ${INDICATORS.join(', ')}`)
    .option('--basis <text>', 'basis of the figures (reserves, industry, ecology, demand)')
    .option(...asOption)
    .action((o: { year: number; line: string[]; basis?: string; as: string }) => withDatabase(async ({ db }) => {
      const lines = o.line.map((l) => { const [i, t] = l.split('='); return { indicator: indicatorOf(i ?? ''), amountTonnesReo: t ?? '' }; });
      printPlan(await quota.createPlan(db, await actorForUsername(db, o.as), { year: o.year, lines, basisText: o.basis ?? '' }));
    }).catch(fail));
  plan.command('signoff').description('agree to a draft or send it back, for the signer’s ministry (MIIT, MNR, NDRC)')
    .requiredOption('--year <year>', 'year', Number).requiredOption('--decision <agree|return>', 'decision').option('--reason <text>', 'required to send back')
    .requiredOption('--as <username>', 'the signing official (MIIT, MNR or NDRC)')
    .action((o: { year: number; decision: 'agree' | 'return'; reason?: string; as: string }) => withDatabase(async ({ db }) => {
      printPlan(await quota.signOffPlan(db, await actorForUsername(db, o.as), o.year, o.decision, o.reason));
    }).catch(fail));
  plan.command('submit').description('submit the agreed plan to the State Council').requiredOption('--year <year>', 'year', Number).option(...asOption)
    .action((o: { year: number; as: string }) => withDatabase(async ({ db }) => printPlan(await quota.submitPlan(db, await actorForUsername(db, o.as), o.year))).catch(fail));
  plan.command('approve').description('record State Council approval').requiredOption('--year <year>', 'year', Number)
    .requiredOption('--document <no>', 'approval document number').requiredOption('--date <YYYY-MM-DD>', 'approval date').option(...asOption)
    .action((o: { year: number; document: string; date: string; as: string }) => withDatabase(async ({ db }) =>
      printPlan(await quota.recordApproval(db, await actorForUsername(db, o.as), o.year, { documentNo: o.document, approvedOn: o.date }))).catch(fail));
  plan.command('show').description('show a plan').requiredOption('--year <year>', 'year', Number)
    .action((o: { year: number }) => withDatabase(async ({ db }) => printPlan(await quota.getPlan(db, systemActor(), o.year))).catch(fail));

  const batch = q.command('batch').description('allocation batches (Art. 6)');
  batch.command('create').description('open a batch for an approved year').requiredOption('--year <year>', 'year', Number).requiredOption('--name <name>', 'e.g. 第一批').option(...asOption)
    .action((o: { year: number; name: string; as: string }) => withDatabase(async ({ db }) => {
      const b = await quota.createBatch(db, await actorForUsername(db, o.as), { year: o.year, name: o.name });
      console.log(b.id);
    }).catch(fail));
  batch.command('allocate').description('allocate to an enterprise (--enterprise credit code) or a group (--group code)')
    .requiredOption('--batch <id>', 'batch id').requiredOption('--indicator <indicator>', 'indicator').requiredOption('--tonnes <t>', 'tonnes REO')
    .option('--enterprise <creditCode>', 'recipient enterprise').option('--group <code>', 'recipient group, e.g. CREG').option(...asOption)
    .action((o: { batch: string; indicator: string; tonnes: string; enterprise?: string; group?: string; as: string }) => withDatabase(async (database) => {
      const enterpriseId = o.enterprise ? await enterpriseIdByCreditCode(database, o.enterprise) : null;
      const groupId = o.group ? (await findGroupByCode(database.db, o.group))?.id ?? null : null;
      if (o.group && !groupId) throw new Error(`no group ${o.group}`);
      const a = await quota.addAllocation(database.db, await actorForUsername(database.db, o.as), o.batch, { enterpriseId, groupId, indicator: indicatorOf(o.indicator), amountTonnesReo: o.tonnes });
      console.log(`${a.id}  ${a.indicator}  ${a.amountTonnesReo} t${a.reductionTonnesReo !== '0.000000' ? `  (Art. 14 reduction ${a.reductionTonnesReo} t)` : ''}`);
    }).catch(fail));
  batch.command('prepare').description('first person: the batch is ready').requiredOption('--batch <id>', 'batch id').option(...asOption)
    .action((o: { batch: string; as: string }) => withDatabase(async ({ db }) => console.log((await quota.prepareBatch(db, await actorForUsername(db, o.as), o.batch)).status)).catch(fail));
  batch.command('issue').description('second person: issue (posts the ledger, sends notices)').requiredOption('--batch <id>', 'batch id').requiredOption('--as <username>', 'the approving account (not the preparer)')
    .action((o: { batch: string; as: string }) => withDatabase(async ({ db }) => console.log((await quota.issueBatch(db, await actorForUsername(db, o.as), o.batch)).status)).catch(fail));

  q.command('production').description('post monthly production from a CSV: creditCode,year,month,indicator,tonnes (idempotent per month; every row is checked before any is posted)')
    .requiredOption('--file <csv>', 'CSV file with a header row').requiredOption('--as <username>', 'the enterprise account that reports')
    .action((o: { file: string; as: string }) => withDatabase(async (database) => {
      const rows: Record<string, string>[] = parse(readFileSync(o.file), { columns: true, skip_empty_lines: true, trim: true, bom: true });
      const actor = await actorForUsername(database.db, o.as);
      const today = new Date().toISOString().slice(0, 7);
      const ids = new Map<string, string>();
      const problems: string[] = [];
      const checked: quota.ProductionInput[] = [];
      for (const [i, r] of rows.entries()) {
        const where = `row ${i + 2}`;
        try {
          const code = r.creditCode ?? '';
          if (!ids.has(code)) ids.set(code, await enterpriseIdByCreditCode(database, code));
          const year = Number(r.year);
          const month = Number(r.month);
          if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) throw new Error('year and month must be whole numbers, month 1–12');
          if (`${year}-${String(month).padStart(2, '0')}` > today) throw new Error(`${year}-${month} has not begun`);
          tonnesToGrams(r.tonnes ?? '');
          checked.push({ enterpriseId: ids.get(code)!, year, month, indicator: indicatorOf(r.indicator ?? ''), amountTonnesReo: r.tonnes ?? '' });
        } catch (error) {
          problems.push(`${where}: ${(error as Error).message}`);
        }
      }
      if (problems.length) throw new Error(`nothing posted; fix these rows first:\n  ${problems.join('\n  ')}`);
      const progress = progressReporter();
      let changed = 0;
      for (const [i, input] of checked.entries()) {
        try {
          if (!(await quota.postMonthlyProduction(database.db, actor, input)).unchanged) changed++;
        } catch (error) {
          progress.stop();
          throw new Error(`row ${i + 2}: ${(error as Error).message} (rows before it were posted: ${changed} changed the ledger)`);
        }
        progress.update('production rows', i + 1, checked.length);
      }
      progress.stop();
      console.log(`${rows.length} rows read, ${changed} changed the ledger, ${rows.length - changed} already recorded`);
    }).catch(fail));

  batch.command('split').description('record a group’s split of its allocation to a member enterprise')
    .requiredOption('--allocation <id>', 'the group allocation').requiredOption('--enterprise <creditCode>', 'member enterprise').requiredOption('--tonnes <t>', 'tonnes REO').option(...asOption)
    .action((o: { allocation: string; enterprise: string; tonnes: string; as: string }) => withDatabase(async (database) => {
      const a = await quota.subAllocate(database.db, await actorForUsername(database.db, o.as), o.allocation, { enterpriseId: await enterpriseIdByCreditCode(database, o.enterprise), amountTonnesReo: o.tonnes });
      console.log(`${a.id}  ${a.indicator}  ${a.amountTonnesReo} t`);
    }).catch(fail));

  q.command('penalty').description('record an administrative penalty that reduces next year’s allocation (Art. 14)')
    .requiredOption('--enterprise <creditCode>', 'penalised enterprise').requiredOption('--decided <YYYY-MM-DD>', 'decision date').requiredOption('--authority <name>', 'deciding department')
    .requiredOption('--basis <text>', 'legal basis').requiredOption('--document <no>', 'decision document number').option('--over-produced <t>', 'over-produced tonnes REO').option(...asOption)
    .action((o: { enterprise: string; decided: string; authority: string; basis: string; document: string; overProduced?: string; as: string }) => withDatabase(async (database) => {
      const p = await quota.recordPenalty(database.db, await actorForUsername(database.db, o.as), {
        enterpriseId: await enterpriseIdByCreditCode(database, o.enterprise), decidedOn: o.decided, authority: o.authority, legalBasis: o.basis, documentNo: o.document, overProducedTonnesReo: o.overProduced ?? null,
      });
      console.log(`recorded ${p.documentNo} (${p.id})`);
    }).catch(fail));

  q.command('balances').description('allocated, consumed and balance per enterprise and indicator').requiredOption('--year <year>', 'year', Number).option('--division <code>', 'division subtree')
    .action((o: { year: number; division?: string }) => withDatabase(async ({ db }) => {
      const rows = await quota.listBalances(db, systemActor(), { year: o.year, ...(o.division ? { divisionCode: o.division } : {}) });
      for (const b of rows) console.log(`${b.enterpriseNameZh.padEnd(28)} ${b.indicator.padEnd(22)} ${b.allocatedTonnesReo.padStart(16)} ${b.consumedTonnesReo.padStart(16)} ${b.balanceTonnesReo.padStart(16)} ${(b.utilisationPercent ?? '—').padStart(7)}%${b.overQuota ? '  OVER QUOTA' : ''}`);
    }).catch(fail));
}
