#!/usr/bin/env node
// Times `newsdesk migrate-data` on a cached demo-data set (bench/.data, made by the same
// ensureData as the main bench, so a data set made for one serves the other): a fresh PostgreSQL
// database is created for the run and dropped after it, and the command's own verification is
// printed. Options: --size 10k|100k|… (100k), --pg URL of a database to create the target
// from (postgres://postgres@127.0.0.1:5432/postgres). Built product only: run `npm run build`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT, checkBuilt, ensureData, parseSize, sizeLabel } from './lib/newsdesk.mjs';
import { run } from './lib/proc.mjs';

const { values: opts } = parseArgs({
  options: { size: { type: 'string', default: '100k' }, pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' } },
  strict: true,
});
// The main bench's ratio (run.mjs), so its cached data sets are reused here.
const COMMENTS_PER_BRIEF = 1;

const DIST = process.env.BENCH_NEWSDESK_DIST ? path.resolve(process.env.BENCH_NEWSDESK_DIST) : path.join(ROOT, 'dist');
const CLI = process.env.BENCH_NEWSDESK_DIST ? path.join(DIST, 'cli/main.js') : path.join(ROOT, 'bin/newsdesk.js');
const log = (line) => process.stderr.write(`${line}\n`);

checkBuilt();
if (!existsSync(path.join(DIST, 'cli/migrate-data.js'))) throw new Error('the build has no migrate-data: run `npm run build` first');

const size = parseSize(opts.size);
const data = await ensureData(size, size * COMMENTS_PER_BRIEF, log);

const database = `nd_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: opts.pg });
await admin.connect();
// Byte-order collation, as the test databases have: pages list names in the order SQLite does.
await admin.query(`CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
const target = new URL(opts.pg);
target.pathname = `/${database}`;
// The dispatcher opens NEWSDESK_DATA's database before any command: a scratch folder keeps it off the cached data set.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'newsdesk-bench-migrate-'));
try {
  log(`migrate-data ${sizeLabel(size)}: ${data.dir} → ${target.host}/${database}`);
  const started = Date.now();
  let result;
  let failure = null;
  try {
    result = await run(process.execPath, [CLI, 'migrate-data', '--from', `sqlite:${data.dir}`, '--to', target.toString()], {
      // Echoed as it comes: the progress and then the verification table.
      cwd: ROOT, env: { ...process.env, NEWSDESK_DATA: scratch, LOG_LEVEL: 'warn' }, echo: true,
    });
  } catch (err) {
    failure = err;
  }
  const seconds = (Date.now() - started) / 1000;
  if (failure) {
    process.stdout.write(`migrate-data ${sizeLabel(size)}: FAILED after ${seconds.toFixed(1)} s\n${failure.message}\n`);
    process.exitCode = 1;
  } else {
    const verdict = result.stdout.trim().split('\n').pop();
    process.stdout.write(`migrate-data ${sizeLabel(size)}: ${seconds.toFixed(1)} s (${size} briefs, ${size * COMMENTS_PER_BRIEF} comments)\n${verdict}\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}
