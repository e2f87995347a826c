/** Settings from the environment; the names are conventions other tools rely on. */
import { databaseTargetFromEnv, type DatabaseTarget } from './db/database.ts';

export interface Config { port: number; host: string; database: DatabaseTarget; logLevel: string }

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not ${env.PORT}`);
  return { port, host: env.HOST ?? '0.0.0.0', database: databaseTargetFromEnv(env), logLevel: env.LOG_LEVEL ?? 'info' };
}
