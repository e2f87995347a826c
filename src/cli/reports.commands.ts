/**
 * `ytterby reports …`: check a downloaded report's signature (offline with a saved key set, or
 * against this database's published keys), run the reminder sweep, compile as a named account,
 * and print where reporting stands for a period.
 */
import { readFileSync } from 'node:fs';
import type { JsonWebKey } from 'node:crypto';
import type { Command } from 'commander';
import type { Database } from '../db/database.ts';
import { verifySignedReport, type SignedReport } from '../domain/reports/seal.ts';
import { actorForUsername } from '../modules/auth/auth.service.ts';
import { signedReportFromPdf } from '../modules/reports/report.pdf.ts';
import * as reports from '../modules/reports/reports.service.ts';

type WithDatabase = <T>(fn: (database: Database) => Promise<T>) => Promise<T>;

function readSignedReport(file: string): SignedReport {
  const bytes = readFileSync(file);
  if (bytes.subarray(0, 5).toString() === '%PDF-') {
    const doc = signedReportFromPdf(bytes);
    if (!doc) throw new Error(`${file} is a PDF without an attached signed report (report.signed.json)`);
    return doc;
  }
  return JSON.parse(bytes.toString('utf8')) as SignedReport;
}

export function registerReportCommands(program: Command, withDatabase: WithDatabase, fail: (e: unknown) => never): void {
  const r = program.command('reports').description('implementation reports: verify signatures, reminders, compilation, status');

  r.command('verify <file>').description('check a downloaded report (PDF or signed JSON) against the published keys; exit 2 if it fails')
    .option('--keys <file>', 'a saved key set (GET /api/reports/keys) to check offline instead of this database’s keys')
    .action(async (file: string, opts: { keys?: string }) => {
      try {
        const doc = readSignedReport(file);
        const outcome = opts.keys
          ? verifySignedReport(doc, new Map((JSON.parse(readFileSync(opts.keys, 'utf8')) as { keys: (JsonWebKey & { kid: string })[] }).keys.map((k) => [k.kid, { kty: k.kty, crv: k.crv, x: k.x }])))
          : await withDatabase((database) => reports.verifyReportDocument(database.db, doc));
        const s = doc.seal;
        console.log(`${s.level} ${s.subjectKey} ${s.period} version ${s.version}, submitted by ${s.submittedBy} (${s.submittedByName}) at ${s.submittedAt}`);
        console.log(`content ${s.contentHash}, key ${s.keyId}`);
        if (outcome.valid) console.log('signature valid');
        else {
          console.error(`NOT VALID (${outcome.reason}): ${outcome.message}`);
          process.exit(2);
        }
      } catch (error) {
        fail(error);
      }
    });

  r.command('remind').description('queue reminders before reports are due and raise alerts for overdue ones (the server does this hourly)')
    .action(() => withDatabase(async (database) => {
      const result = await reports.runReminderSweep(database.db);
      console.log(`reminders queued: ${result.reminders}; overdue alerts raised: ${result.overdue}`);
    }).catch(fail));

  r.command('compile').description('compile the accepted reports of the level below for the account’s division, sign and submit upward')
    .requiredOption('--period <period>', 'YYYY-MM or YYYY')
    .requiredOption('--as <username>', 'the department account that compiles (audited)')
    .option('--remarks <text>', 'remarks carried with the compilation')
    .action((opts: { period: string; as: string; remarks?: string }) => withDatabase(async (database) => {
      const actor = await actorForUsername(database.db, opts.as);
      const { row, unchanged } = await reports.submitCompilation(database.db, actor, { period: opts.period, remarks: opts.remarks ?? null });
      console.log(`${unchanged ? 'unchanged' : 'submitted'}: ${row.level} ${row.subjectKey} ${row.period} version ${row.version} → ${row.recipientDivisionCode ?? 'final'} (${row.id})`);
    }).catch(fail));

  r.command('status').description('where reporting stands for a period: each unit below, and everything outstanding')
    .requiredOption('--period <period>', 'YYYY-MM or YYYY')
    .option('--as <username>', 'whose view (default: admin, national)', 'admin')
    .option('--division <code>', 'a division inside that account’s jurisdiction')
    .action((opts: { period: string; as: string; division?: string }) => withDatabase(async (database) => {
      const actor = await actorForUsername(database.db, opts.as);
      const o = await reports.reportOverview(database.db, actor, { period: opts.period, divisionCode: opts.division });
      console.log(`${o.unit.nameZh} (${o.unit.key}) ${o.period}: ${o.unit.status}${o.unit.late ? ', late' : ''}, due ${o.unit.dueDate}`);
      for (const c of o.children) console.log(`  ${c.level.padEnd(10)} ${c.key.padEnd(38)} ${c.status.padEnd(9)} ${c.overdue ? 'OVERDUE ' : c.late ? 'late    ' : '        '} ${c.nameZh}`);
      console.log(`outstanding below: ${o.outstanding.length}`);
      for (const u of o.outstanding) console.log(`  ${u.level.padEnd(10)} ${u.nameZh} due ${u.dueDate}${u.overdue ? ' OVERDUE' : ''}${u.status === 'returned' ? ' (returned)' : ''}`);
    }).catch(fail));
}
