/**
 * The `ytterby` command line: administration and batch work over the same use cases as the API.
 */
import { Command, Option } from 'commander';
import { configFromEnv } from '../config.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { verifyAuditChain } from '../modules/audit/audit.service.ts';
import { createApiToken, createUser, ROLES, systemActor, type Role } from '../modules/auth/auth.service.ts';
import { demoIsSeeded, demoLogins, DEMO_PASSWORD, seedDemo } from '../modules/demo/demo.seed.ts';
import { findDepartmentByCode, listEnterprises, loadReferenceData, referenceDataLoaded } from '../modules/registry/registry.service.ts';
import { AppError } from '../modules/shared/errors.ts';
import { buildServer } from '../server.ts';
import { progressReporter } from './progress.ts';
import { registerQuotaCommands } from './quota.commands.ts';
import { registerReportCommands } from './reports.commands.ts';
import { runReminderSweep } from '../modules/reports/reports.service.ts';
import { verifyEventChains } from '../modules/trace/event-chain.ts';

async function withDatabase<T>(fn: (database: Database) => Promise<T>, migrate = true): Promise<T> {
  const database = await openDatabase(configFromEnv().database);
  try {
    if (migrate) await database.migrate();
    return await fn(database);
  } finally {
    await database.close();
  }
}

function fail(error: unknown): never {
  if (error instanceof AppError) {
    console.error(`error: ${error.message}`);
    for (const p of error.problems) console.error(`  ${p.field}: ${p.message} (${p.rule})`);
  } else {
    console.error(`error: ${(error as Error).message ?? error}`);
  }
  process.exit(1);
}

// `ytterby … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('ytterby')
  .description('Ytterby: rare earth total quantity control and product traceability')
  .showHelpAfterError();

const db = program.command('db').description('database administration');
db.command('migrate').description('apply pending migrations and load reference data (divisions, elements, export-control rules, holidays)')
  .action(() => withDatabase(async (database) => {
    const progress = progressReporter();
    const loaded = await loadReferenceData(database.db, progress.update);
    progress.stop();
    console.log(`migrated ${database.kind} (${database.location}); reference data: ${loaded.divisions} divisions, ${loaded.elements} elements, ${loaded.exportControlRules} export-control rules, ${loaded.holidays} holiday dates`);
  }).catch(fail));

const seed = program.command('seed').description('load data');
seed.command('demo').description('seed the demo country: departments, groups, ~130 enterprises, designations, catalogue, one user per role')
  .option('--report-history', 'also report and compile every earlier month of the year (as npm start does; about 40 s more on PGlite)')
  .action((opts: { reportHistory?: boolean }) => withDatabase(async (database) => {
    const progress = progressReporter();
    const result = await seedDemo(database.db, progress.update, { reportHistory: opts.reportHistory === true });
    progress.stop();
    console.log(result.seeded
      ? `seeded demo data: ${result.departments} departments, ${result.groups} groups, ${result.enterprises} enterprises, ${result.designations} designations, ${result.products} products, ${result.users} users`
      : 'demo data already present; nothing changed');
  }).catch(fail));

const user = program.command('user').description('user accounts');
user.command('create').description('create a user account in a department or an enterprise')
  .requiredOption('--username <name>', 'login name')
  .requiredOption('--password <password>', 'at least 10 characters')
  .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
  .option('--display-name <name>', 'shown name (defaults to the username)')
  .option('--department <code>', 'department code, e.g. MIIT or IIT-360734')
  .option('--enterprise <creditCode>', 'enterprise unified social credit code')
  .action((opts: { username: string; password: string; role: Role; displayName?: string; department?: string; enterprise?: string }) => withDatabase(async (database) => {
    const actor = systemActor();
    const departmentId = opts.department ? (await findDepartmentByCode(database.db, opts.department))?.id : null;
    if (opts.department && !departmentId) throw new Error(`no department with code ${opts.department}`);
    let enterpriseId: string | null = null;
    if (opts.enterprise) {
      const page = await listEnterprises(database.db, actor, { q: opts.enterprise, page: 1, pageSize: 1, order: 'asc' });
      enterpriseId = page.items.find((e) => e.creditCode === opts.enterprise)?.id ?? null;
      if (!enterpriseId) throw new Error(`no enterprise with credit code ${opts.enterprise}`);
    }
    const created = await createUser(database.db, actor, {
      username: opts.username, password: opts.password, role: opts.role, displayName: opts.displayName ?? opts.username,
      departmentId: departmentId ?? null, enterpriseId,
    });
    console.log(`created user ${created.username} (${created.role}), id ${created.id}`);
  }).catch(fail));

const token = program.command('token').description('API tokens for systems');
token.command('create').description('print a new API token for a user (shown once; send it as Authorization: Bearer <token>)')
  .requiredOption('--user <name>', 'username the token acts as')
  .option('--name <label>', 'what the token is for', 'cli')
  .action((opts: { user: string; name: string }) => withDatabase(async (database) => {
    const created = await createApiToken(database.db, systemActor(), opts.user, opts.name);
    console.log(created.secret);
  }).catch(fail));

/** Recomputes the audit chain; prints what it found and says whether it is intact. */
async function auditChainIntact(database: Database): Promise<boolean> {
  const result = await verifyAuditChain(database.db, (n) => process.stderr.write(`\r  audit entries checked ${n}`));
  process.stderr.write('\n');
  if (result.firstBrokenId) {
    console.error(`audit chain broken at entry ${result.firstBrokenId} (${result.reason}) after ${result.checked} good entries`);
    return false;
  }
  console.log(`audit chain intact: ${result.checked} entries`);
  return true;
}

/** Recomputes every enterprise's event chain; prints the first broken link of each. */
async function eventChainsIntact(database: Database): Promise<boolean> {
  const result = await verifyEventChains(database.db, (n) => process.stderr.write(`\r  events checked ${n}`));
  process.stderr.write('\n');
  for (const b of result.breaks) console.error(`enterprise ${b.enterpriseId}: event chain broken at position ${b.seq} (${b.reason}), event ${b.eventId}`);
  if (result.breaks.length) return false;
  console.log(`event chains intact: ${result.checked} events`);
  return true;
}

const audit = program.command('audit').description('the audit log');
audit.command('verify').description('recompute the audit hash chain and report the first row changed behind the application’s back')
  .action(() => withDatabase(async (database) => { if (!(await auditChainIntact(database))) process.exit(2); }).catch(fail));

registerQuotaCommands(program, withDatabase, fail);
registerReportCommands(program, withDatabase, fail);

program.command('trace').description('product flows').command('verify')
  .description('recompute every enterprise’s event hash chain and report events changed behind the application’s back')
  .action(() => withDatabase(async (database) => { if (!(await eventChainsIntact(database))) process.exit(2); }).catch(fail));

program.command('verify').description('recompute the audit chain and every enterprise’s event chain; name the first broken link (exit 2)')
  .action(() => withDatabase(async (database) => {
    const audited = await auditChainIntact(database);
    const events = await eventChainsIntact(database);
    if (!audited || !events) process.exit(2);
  }).catch(fail));

program.command('serve').description('start the API and web console (migrates first)')
  .option('--seed-demo', 'seed the demo data if the database is empty')
  .option('--port <port>', 'port (default PORT or 3000)')
  .action(async (opts: { seedDemo?: boolean; port?: string }) => {
    try {
      const config = configFromEnv({ ...process.env, ...(opts.port ? { PORT: opts.port } : {}) });
      const database = await openDatabase(config.database);
      console.log(`database: ${database.kind} (${database.location}); migrating…`);
      await database.migrate();
      const seedingDemo = opts.seedDemo === true && !(await demoIsSeeded(database.db));
      if (seedingDemo) {
        console.log('seeding reference and demo data (first run)…');
        const progress = progressReporter();
        await seedDemo(database.db, progress.update, { reportHistory: true });
        progress.stop();
      } else if (!(await referenceDataLoaded(database.db))) {
        const progress = progressReporter();
        await loadReferenceData(database.db, progress.update);
        progress.stop();
      }
      const app = await buildServer({ database, logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] } });
      await app.listen({ port: config.port, host: config.host });
      const url = `http://localhost:${config.port}`;
      console.log(`\nYtterby is running at ${url}   (API docs: ${url}/docs)`);
      if (await demoIsSeeded(database.db)) {
        console.log(`demo logins (password for all: ${DEMO_PASSWORD}):`);
        for (const login of demoLogins()) console.log(`  ${login.username.padEnd(22)} ${login.role.padEnd(20)} ${login.organisation}`);
      }
      // Reminders before due dates and overdue alerts (Art. 9 calendar): now, then hourly.
      const sweep = () => runReminderSweep(database.db).catch((error: unknown) => app.log.error({ err: error }, 'reminder sweep failed'));
      void sweep();
      const sweeper = setInterval(sweep, 3_600_000);
      sweeper.unref();
      const shutdown = async () => {
        clearInterval(sweeper);
        await app.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    } catch (error) {
      fail(error);
    }
  });

await program.parseAsync(process.argv);
