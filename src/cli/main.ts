import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { AppError } from '../common/errors.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { openRuntime, startServer, type Runtime } from '../main.js';
import { tokenCommand, usersCommand } from './accounts.js';
import { exportCommand, importCommand } from './briefs.js';
import { ensureDemoNewsroom } from './demo.js';
import { startCluster, startClusterWorker } from './cluster.js';
import { gazetteerCommand } from './gazetteer.js';
import { demoDataCommand } from './demo-data.js';
import { migrateDataCommand } from './migrate-data.js';
import { searchRebuildCommand } from '../search/cli.js';
import { UsageError } from './usage.js';

/** Where a command writes; tests pass their own to read what was printed. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export type Command = (args: string[], io: CliIo, runtime: Runtime) => Promise<number | 'keep-running'>;
/** A command that opens only what its arguments name (see standaloneCommands). */
export type StandaloneCommand = (args: string[], io: CliIo) => Promise<number | 'keep-running'>;

const USAGE = `Usage: newsdesk [command]

Commands:
  serve                          run the web server (the default)
  import FILE… [--publish] [--language uk|en|ru]
                                 import wire-text briefs (all or nothing); prints id<TAB>path per brief
  import --format ninjs FILE…    import IPTC ninjs 3.1 (or simple 2.x) news items as drafts
  export ID --format text        print a brief as wire text
  gazetteer                      add the starting gazetteer's entities (people, organisations, places)
                                 that are missing; prints id<TAB>slug<TAB>name per added entity
  token create --role ROLE [--label L]
                                 create an API token; prints the token alone
  token revoke ID                revoke an API token
  users create --email E --name N --role ROLE   create a staff account; prints its password
  users reset-password --email E set a new password; prints it
  search-rebuild                 rebuild the search index from the briefs and entities
  demo-data --briefs N --comments M [--seed S] [--readers R] [--sessions FILE [--sessions-count C]]
                                 for benchmarks on a demo database: append N generated briefs (uk/en/ru,
                                 in stories, tagged, searchable) and M comments by R reader accounts;
                                 --sessions writes C (2000) signed-in readers' session cookies to FILE
  migrate-data --from sqlite:PATH --to postgres://… [--replace | --verify-only]
                                 copy the embedded archive (PATH: newsdesk.sqlite or its data folder, opened
                                 read-only) into a PostgreSQL database, migrated first and empty (--replace
                                 deletes the rows it holds), rebuild its search index, then compare every
                                 table's row count and checksum; --verify-only compares only. Stop the servers
                                 first. Exit 3: the databases differ

Environment: PORT (3000), HOST (127.0.0.1), NEWSDESK_DATA (./data), NEWSDESK_TIMEZONE (Europe/Kyiv),
  NEWSDESK_WORKERS (1; a number or auto: server processes sharing the port),
  DATABASE_URL (unset: the embedded SQLite file in NEWSDESK_DATA; postgres://… runs on PostgreSQL),
  REDIS_URL (unset: login and sign-up limits counted in the database; redis://… counts them in Redis)`;

const serve: Command = async (_args, io, runtime) => {
  // A worker forked by `serve` itself (NEWSDESK_WORKERS > 1): the primary seeded and prints.
  if (cluster.isWorker) {
    await startClusterWorker(runtime);
    return 'keep-running';
  }
  const login = await ensureDemoNewsroom(runtime);
  if (runtime.config.workers > 1) await startCluster(runtime, io.err);
  else await startServer(runtime);
  const base = runtime.config.publicUrl;
  io.out(`Newsdesk is running at ${base}/`);
  io.out(`Desk: ${base}/desk/login`);
  if (login) {
    io.out(`Log in as ${login.email} with the one-time password: ${login.password}`);
    io.out('(shown only now; reset it with: npx newsdesk users reset-password --email ' + login.email + ')');
  }
  return 'keep-running';
};

const commands: Record<string, Command> = {
  serve, import: importCommand, export: exportCommand, token: tokenCommand, users: usersCommand, gazetteer: gazetteerCommand,
  'search-rebuild': searchRebuildCommand, 'demo-data': demoDataCommand,
};

/**
 * Commands that open only the databases their arguments name: the runtime (NEWSDESK_DATA's
 * database, migrated, created if missing) is not opened for them, so copying an archive never
 * leaves an empty newsroom behind in the current folder.
 */
const standaloneCommands: Record<string, StandaloneCommand> = {
  'migrate-data': migrateDataCommand,
};

/** Adds a subcommand; modules register theirs so this file stays a dispatcher. */
export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number | 'keep-running'> {
  const [name = 'serve', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return 0;
  }
  const command = commands[name];
  const standalone = standaloneCommands[name];
  if (!command && !standalone) {
    io.err(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  let runtime: Runtime | undefined;
  try {
    if (standalone) return await standalone(rest, io);
    runtime = await openRuntime(loadConfig(env));
    const result = await command!(rest, io, runtime);
    if (result !== 'keep-running') await runtime.db.destroy();
    return result;
  } catch (err) {
    await runtime?.db.destroy();
    if (err instanceof AppError) {
      io.err(`error: ${err.message}`);
      for (const f of err.fields) io.err(`  ${f.path}: ${f.reason}`);
      return 1;
    }
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) {
      io.err(`error: ${(err as Error).message}`);
      return 2;
    }
    throw err;
  }
}

export { parseArgs };

const isEntryPoint = process.argv[1] && /newsdesk(\.js)?$|cli[\\/]main\.js$/.test(process.argv[1]);
if (isEntryPoint) {
  const io: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      if (code !== 'keep-running') process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
