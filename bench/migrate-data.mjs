#!/usr/bin/env node
// Times `newsdesk migrate-data` on a cached demo-data set (bench/.data, made by the same
// ensureData as the main bench, so a data set made for one serves the other) into a scratch
// PostgreSQL database created for the run and dropped after it, prints the command's own
// verification (row counts and checksums per table), then checks what readers see: one server on
// the SQLite folder and one on the PostgreSQL copy, and a fixed sample of public briefs whose
// reader page, brief JSON and comments JSON must be the same bytes from both.
// Options: --size 10k|100k|… (100k), --sample N (100), --pg URL of a database to create the
// target from (BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres), --save (also write
// the summary to bench/results/migrate-data-<size>.txt). Exit 1 when anything differs.
// Built product only: run `npm run build` first.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { DIST, ROOT, checkBuilt, ensureData, httpGet, parseSize, sizeLabel, startServer } from './lib/newsdesk.mjs';
import { ADMIN_URL, createScratchDatabase, instanceFolder, migrateInto } from './lib/postgres.mjs';

const { values: opts } = parseArgs({
  options: {
    size: { type: 'string', default: '100k' },
    sample: { type: 'string', default: '100' },
    pg: { type: 'string', default: ADMIN_URL },
    save: { type: 'boolean', default: false },
  },
  strict: true,
});
// The main bench's ratio (run.mjs), so its cached data sets are reused here.
const COMMENTS_PER_BRIEF = 1;
// Both servers name the site by the same address (as instances behind one proxy do, DEPLOY.md):
// canonical links, feeds and API `url` fields carry it, and by default it would be each one's port.
const PUBLIC_URL = 'http://newsdesk.bench.invalid';
// What readers can open (content/types.ts PUBLIC_STATUSES): corrected and retracted briefs too.
const PUBLIC_STATUSES = ['published', 'corrected', 'retracted'];

const log = (line) => process.stderr.write(`${line}\n`);
// Other work on the machine slows the copy: the saved summary says how busy it was.
const loadAtStart = os.loadavg()[0];
const summary = [];
const say = (line) => { summary.push(line); process.stdout.write(`${line}\n`); };

checkBuilt();
if (!existsSync(path.join(DIST, 'cli/migrate-data.js'))) throw new Error('the build has no migrate-data: run `npm run build` first');

const size = parseSize(opts.size);
const sampleSize = Number(opts.sample);
const data = await ensureData(size, size * COMMENTS_PER_BRIEF, log);

/**
 * `count` public briefs spread evenly over the archive in publication order (oldest to newest,
 * so old and new, with and without comments, every language), read from the SQLite file: the
 * same data set gives the same sample every run.
 */
function sampleBriefs(dataDir, count) {
  const sqlite = new SQLite(path.join(dataDir, 'newsdesk.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const all = sqlite.prepare(`SELECT id, slug, status FROM briefs WHERE status IN (${PUBLIC_STATUSES.map(() => '?').join(', ')}) ORDER BY published_at, id`).all(...PUBLIC_STATUSES);
    if (all.length === 0) throw new Error(`${dataDir} has no public briefs`);
    const picked = Math.min(count, all.length);
    return Array.from({ length: picked }, (_, i) => all[Math.floor(((i + 0.5) * all.length) / picked)]);
  } finally {
    sqlite.close();
  }
}

/** Where two bodies first differ: the line number and both lines (a window of long ones). */
function firstDifference(a, b) {
  const left = a.toString('utf8').split('\n');
  const right = b.toString('utf8').split('\n');
  let line = 0;
  while (line < Math.min(left.length, right.length) && left[line] === right[line]) line++;
  const l = left[line] ?? '';
  const r = right[line] ?? '';
  let column = 0;
  while (column < Math.min(l.length, r.length) && l[column] === r[column]) column++;
  const from = Math.max(0, column - 120);
  const cut = (s) => `${from > 0 ? '…' : ''}${s.slice(from, column + 200)}${s.length > column + 200 ? '…' : ''}`;
  return { line: line + 1, column: column + 1, sqlite: line < left.length ? cut(l) : '(no such line)', postgres: line < right.length ? cut(r) : '(no such line)' };
}

/** The reader page, the brief's JSON and its comments' JSON from both servers, compared as bytes. */
async function comparePages(sqliteBase, postgresBase, briefs) {
  const kinds = {
    'reader page': (b) => `/news/${encodeURIComponent(b.slug)}`,
    'brief JSON': (b) => `/api/v1/briefs/${b.id}`,
    'comments JSON': (b) => `/api/v1/briefs/${b.id}/comments`,
  };
  const results = Object.fromEntries(Object.keys(kinds).map((k) => [k, { same: 0, differing: [], bytes: 0 }]));
  // What the sample held, so "identical" is seen to cover pages with comments and not only empty ones.
  let withComments = 0;
  for (const brief of briefs) {
    for (const [kind, pathOf] of Object.entries(kinds)) {
      const urlPath = pathOf(brief);
      // Side by side: a page that shows time-dependent state (comments closing) is read at one moment.
      const [s, p] = await Promise.all([httpGet(`${sqliteBase}${urlPath}`), httpGet(`${postgresBase}${urlPath}`)]);
      // No normalisation: anonymous reads carry no CSRF token, nonce or render time, and both
      // servers share the public address and the cookie secret, so every byte must match.
      const isSame = s.status === 200 && p.status === 200 && s.headers['content-type'] === p.headers['content-type'] && s.body.equals(p.body);
      if (isSame) results[kind].same++;
      else results[kind].differing.push({ urlPath, s, p });
      results[kind].bytes += s.body.length;
      if (kind === 'comments JSON' && s.status === 200 && JSON.parse(s.body.toString()).items.length > 0) withComments++;
    }
  }
  return { results, withComments };
}

const db = await createScratchDatabase({ adminUrl: opts.pg, log });
const temp = mkdtempSync(path.join(os.tmpdir(), 'newsdesk-bench-migrate-check-'));
process.on('exit', () => rmSync(temp, { recursive: true, force: true }));
let isOk = false;
try {
  log(`migrate-data ${sizeLabel(size)}: ${data.dir} → ${new URL(db.url).host}/${db.name}`);
  // Echoed as it comes: the progress and then the verification table.
  const migration = await migrateInto({ dataDir: data.dir, targetUrl: db.url, echo: true });
  const seconds = (migration.ms / 1000).toFixed(1);
  if (!migration.isVerified) {
    say(`migrate-data ${sizeLabel(size)}: FAILED or DIFFERENT after ${seconds} s\n${migration.verdict}`);
  } else {
    say(`migrate-data ${sizeLabel(size)}: ${seconds} s (${size} briefs, ${size * COMMENTS_PER_BRIEF} comments, ${path.basename(data.dir)})`);
    for (const line of migration.phases) say(`  ${line}`);
    for (const line of migration.stdout.trim().split('\n')) say(`  ${line}`);

    const briefs = sampleBriefs(data.dir, sampleSize);
    const counts = new Map();
    for (const b of briefs) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
    const statuses = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
    // Page cache off on both: every answer is rendered from its database, none from memory.
    const common = { workers: 1, cacheMb: 0 };
    const onSqlite = await startServer(data.dir, { ...common, env: { NEWSDESK_PUBLIC_URL: PUBLIC_URL } });
    const onPostgres = await startServer(instanceFolder(path.join(temp, 'instance'), data.dir), {
      ...common, env: { NEWSDESK_PUBLIC_URL: PUBLIC_URL, DATABASE_URL: db.url },
    });
    let results;
    let withComments;
    const comparing = Date.now();
    try {
      ({ results, withComments } = await comparePages(onSqlite.base, onPostgres.base, briefs));
    } finally {
      await onSqlite.stop();
      await onPostgres.stop();
    }
    say(`sample: ${briefs.length} public briefs evenly spread in publication order (${statuses}; ${withComments} with published comments); page cache off; compared in ${((Date.now() - comparing) / 1000).toFixed(1)} s`);
    for (const [kind, { same, differing, bytes }] of Object.entries(results)) {
      say(`${kind}: ${same}/${briefs.length} identical (SQLite vs PostgreSQL, byte for byte; ${(bytes / 1024).toFixed(0)} KB from SQLite)`);
      for (const { urlPath, s, p } of differing.slice(0, 3)) {
        const where = firstDifference(s.body, p.body);
        say(`  DIFFERENT ${urlPath}: status ${s.status} vs ${p.status}, ${s.body.length} vs ${p.body.length} bytes; first at line ${where.line}, column ${where.column}`);
        say(`    sqlite:   ${where.sqlite}`);
        say(`    postgres: ${where.postgres}`);
      }
      if (differing.length > 3) say(`  … and ${differing.length - 3} more`);
    }
    isOk = Object.values(results).every((r) => r.differing.length === 0);
    const n = briefs.length;
    say(isOk ? `Verdict: equal counts and checksums; ${n}/${n} reader pages identical, and their brief and comments JSON.` : 'Verdict: DIFFERENT (above).');
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
  await db.drop();
}
if (opts.save) {
  const file = path.join(ROOT, `bench/results/migrate-data-${sizeLabel(size)}.txt`);
  writeFileSync(file, `# node bench/migrate-data.mjs --size ${sizeLabel(size)} --sample ${sampleSize}, ${new Date().toISOString()}, ${os.availableParallelism()} cores, load average ${loadAtStart.toFixed(1)} at the start\n${summary.join('\n')}\n`);
  log(`wrote ${path.relative(ROOT, file)}`);
}
process.exit(isOk ? 0 : 1);
