// PostgreSQL for the bench: a scratch database per use, made for the run and dropped after it,
// and a cached SQLite data set copied into it by `newsdesk migrate-data`, as an operator moves an
// archive. Used by run.mjs (the PostgreSQL rows) and migrate-data.mjs (timing and page checks).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { CLI, ROOT } from './newsdesk.mjs';
import { run } from './proc.mjs';

/** The database the scratch ones are created from (BENCH_PG_URL, or the machine's server). */
export const ADMIN_URL = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
// The creating process's id is in the name, so a later run can tell a leftover from a live one.
const PREFIX = 'nd_bench_';
let made = 0;

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};

const dropStatement = (name) => `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`;

/**
 * A scratch database in byte-order collation (as the test databases have, so pages list names in
 * the order SQLite does), dropped by `drop()`. Should the process end before that (Ctrl-C, an
 * uncaught error: proc.mjs calls process.exit, where only synchronous code runs), a child process
 * drops it; ones left by a run killed outright (SIGKILL) are dropped by the next run.
 */
export async function createScratchDatabase({ adminUrl = ADMIN_URL, log = () => {} } = {}) {
  const name = `${PREFIX}${process.pid}_${made++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let version;
  try {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX.replace(/_/g, '\\_')}%'`);
    for (const { datname } of rows) {
      const pid = Number(/^nd_bench_(\d+)_/.exec(datname)?.[1]);
      if (!pid || isAlive(pid)) continue;
      log(`postgres: dropping ${datname}, left by an earlier run (process ${pid} is gone)`);
      await admin.query(dropStatement(datname));
    }
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    version = (await admin.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dropOnExit = () => {
    // `node -e` resolves `pg` from its working directory: the project's node_modules.
    spawnSync(process.execPath, ['-e', `const c = new (require('pg').Client)(${JSON.stringify(adminUrl)});
c.connect().then(() => c.query(${JSON.stringify(dropStatement(name))})).finally(() => c.end());`], { cwd: ROOT, stdio: 'ignore', timeout: 20_000 });
  };
  process.on('exit', dropOnExit);
  let dropped = false;
  return {
    name,
    url: url.toString(),
    /** The server's version, for the results. */
    version,
    /** Drops the database, closing any connection still open to it (a server that did not stop). */
    async drop() {
      if (dropped) return;
      dropped = true;
      process.off('exit', dropOnExit);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(dropStatement(name));
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * `newsdesk migrate-data` from a SQLite data folder into `targetUrl` (an empty database): answers
 * how long it took, whether its own verification found both databases equal, and its output.
 */
export async function migrateInto({ dataDir, targetUrl, echo = false }) {
  // Builds before 2026-11-30 08:30 opened NEWSDESK_DATA's database before any command, migrate-data
  // too (BENCH_NEWSDESK_DIST may point at one): a scratch folder keeps it off the cached data set.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'newsdesk-bench-migrate-'));
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  // Ctrl-C ends the process without running the finally below.
  process.on('exit', removeScratch);
  const started = Date.now();
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'migrate-data', '--from', `sqlite:${dataDir}`, '--to', targetUrl], {
      cwd: ROOT, env: { ...process.env, NEWSDESK_DATA: scratch, DATABASE_URL: '', LOG_LEVEL: 'warn' }, echo,
    });
    // Its progress lines say how long the copy, the search rebuild and the verification took.
    const phases = stderr.split('\n').filter((l) => /^(copied .* in |search index rebuilt in |verified in )/.test(l));
    return { ms: Date.now() - started, isVerified: true, stdout, phases, verdict: stdout.trim().split('\n').pop() };
  } catch (err) {
    // Exit 3: copied, and the verification found differences; anything else failed outright.
    return { ms: Date.now() - started, isVerified: false, stdout: '', phases: [], verdict: String(err.message).trim(), error: err };
  } finally {
    process.off('exit', removeScratch);
    removeScratch();
  }
}

/**
 * A data folder for instances on PostgreSQL. It holds only the cookie secret, copied from the
 * SQLite data set: every instance of one site shares it (docs/DEPLOY.md), and an archive moved to
 * PostgreSQL keeps it, so cookies signed before the move still verify.
 */
export function instanceFolder(dir, sqliteDataDir) {
  mkdirSync(dir, { recursive: true });
  const secret = path.join(sqliteDataDir, 'secret.key');
  if (existsSync(secret)) copyFileSync(secret, path.join(dir, 'secret.key'));
  return dir;
}
