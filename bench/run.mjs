#!/usr/bin/env node
// `npm run bench`: nginx on a saved brief page as the baseline, then Newsdesk on generated data
// at each size, every scenario under the same wrk load (threads, connections, duration), on
// loopback. Prints one table; writes bench/results/<date>-<nproc>cpu.json, latest.json and
// latest.md. Then the PostgreSQL rows: one data set copied by `newsdesk migrate-data` into a
// scratch database, served by one instance and by two behind nginx (deploy/nginx.conf).
// Options: --quick (10k only, short runs), --sizes 10k,100k,1M, --workers N|auto, --no-postgres,
// --postgres-size 10k, --pg URL (the database the scratch one is created from).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, sampleRss, stopDaemon, treeRss, versionOf } from './lib/proc.mjs';
import { nginxBinary, startBalancer, startNginx } from './lib/nginx.mjs';
import { ADMIN_URL, createScratchDatabase, instanceFolder, migrateInto } from './lib/postgres.mjs';
import { commentScript, fixedScript, rotatingScript, wrk } from './lib/wrk.mjs';
import {
  DIST, ROOT, checkBuilt, discover, editorToken, ensureData, hasDemoData, httpGet, httpRequest, parseSize, productReads, seedOnlyData, sizeLabel, startServer,
} from './lib/newsdesk.mjs';
import { createDraft, openReaders, percentile, pollUntilVisible, publish } from './lib/live.mjs';
import { textTable, writeResults } from './lib/report.mjs';

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    workers: { type: 'string', default: 'auto' },
    'sse-readers': { type: 'string', default: '1000' },
    'no-lighthouse': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    'postgres-size': { type: 'string', default: '10k' },
    pg: { type: 'string', default: ADMIN_URL },
  },
});

const started = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);

// The machine has two cores shared by wrk, nginx and node: one wrk thread leaves the server the
// most CPU, and it is the same for the baseline and the product.
const LOAD = opts.quick
  ? { threads: 1, connections: 64, seconds: 2, warmupSeconds: 1 }
  : { threads: 1, connections: 64, seconds: 5, warmupSeconds: 2 };
const SIZES = (opts.sizes ?? (opts.quick ? '10k' : '10k,100k,1M')).split(',').map(parseSize).sort((a, b) => a - b);
const LARGEST = SIZES.at(-1);
const COMMENTS_PER_BRIEF = 1;
const SSE_READERS = Number(opts['sse-readers']);
const PUBLISHES = opts.quick ? 2 : 3;
const ROTATE_BRIEFS = opts.quick ? 500 : 2000;
const WORKERS = opts.workers;
// The PostgreSQL rows: one size (the copy and the extra servers cost time; the scale rows are
// SQLite's), every instance one process, so one instance against two is one process against two.
const PG_SIZE = parseSize(opts['postgres-size']);
const PG_WORKERS = 1;
const GHOST_PEER = 'Ghost 6 on SQLite: 47–62 req/s (issue 6, not measured here)';

for (const [tool, hint] of [['wrk', 'apt-get install wrk']]) {
  if (versionOf(tool, ['-v']) === null) throw new Error(`${tool} is not installed: run \`bash bench/install-deps.sh\` (${hint})`);
}
if (!nginxBinary()) throw new Error('nginx is not installed: run `bash bench/install-deps.sh` (apt-get install nginx)');
checkBuilt();

const temp = mkdtempSync(path.join(os.tmpdir(), 'newsdesk-bench-'));
process.on('exit', () => rmSync(temp, { recursive: true, force: true }));

const demoData = hasDemoData();
const knobs = { cache: productReads('NEWSDESK_PAGE_CACHE_MB'), workers: productReads('NEWSDESK_WORKERS') };
const notes = [];
if (!demoData) notes.push('`newsdesk demo-data` is not in this build: every size ran on the small demo newsroom `serve` seeds; scale rows are not meaningful.');
if (!knobs.cache) notes.push('NEWSDESK_PAGE_CACHE_MB is not read by this build: "cached" and "uncached" rows ran the same server.');
if (!knobs.workers) notes.push('NEWSDESK_WORKERS is not read by this build: every server ran one process.');

// Other work on the machine takes the cores the measurement needs; say so rather than hide it.
if (os.loadavg()[0] > 0.5 * os.availableParallelism()) {
  notes.push(`The machine was busy when the bench started (load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores): numbers are low.`);
}
const rows = [];
const add = (row) => { rows.push(row); log(`${row.name} @${row.size ?? '-'}: ${row.value ?? (row.rps ? `${Math.round(row.rps)} req/s` : '')}${row.p99 !== undefined ? `, p99 ${row.p99.toFixed(2)} ms` : ''}${row.errors ? `, ${row.errors} errors` : ''}`); return row; };
const timings = [];
const timed = async (label, fn) => { const t = Date.now(); try { return await fn(); } finally { timings.push([label, Date.now() - t]); } };

/** Checks a URL answers 200 before loading it, so a broken page is an error, not a fast 404. */
async function expectOk(url, headers = {}) {
  const res = await httpGet(url, headers);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status} before the load: ${res.body.toString().slice(0, 300)}`);
  return res;
}

/**
 * After a run, waits until the server answers a small request again, so renders still queued
 * from one scenario (wrk stops sending, the server keeps working) do not slow the next.
 */
async function settle(base) {
  const start = Date.now();
  while (Date.now() - start < 120_000) {
    try {
      const res = await httpGet(`${base}/robots.txt`);
      if (res.status < 500) return Date.now() - start;
    } catch { /* still busy */ }
  }
  throw new Error(`${base} did not answer for 120 s after a load run`);
}

async function load(name, base, urlPath, { size, config, headers = {}, script, nginxRps, target, check, rss }) {
  const url = `${base}${urlPath}`;
  if (!script) await expectOk(url, headers);
  const file = script ?? fixedScript(temp, name.replace(/\W+/g, '-'), headers);
  const { failures, ...result } = await wrk(url, file, LOAD);
  for (const failure of failures) log(`${name} (${config}): answered ${failure}`);
  // A server still draining slow renders two minutes after the load is a finding, not a crash of
  // the bench: the row says so and counts as failed, and the run goes on.
  const drained = await settle(base).then(() => true, () => false);
  if (rss) rss.max = Math.max(rss.max, rss.sampler.peek());
  const row = { name, size: sizeLabel(size), config, ...result, ratio: nginxRps ? result.rps / nginxRps : undefined, target };
  if (!drained) {
    row.errors = Math.max(row.errors, 1);
    row.note = 'still answering the load 120 s after it stopped';
    row.pass = false;
  }
  // A server that answered nothing at all in the run stalled: every connection is an error.
  if (result.requests === 0) row.errors = Math.max(row.errors, LOAD.connections);
  if (check && drained) row.pass = check(row);
  return add(row);
}

/**
 * Comment POSTs: many readers on many briefs, unique bodies, through auth, limits, moderation and
 * events. The reader sessions are in the data set (demo-data --sessions), on either engine.
 */
async function commentPosts(base, { size, config, sessionsFile, briefs, target, check, rss }) {
  if (!sessionsFile || !existsSync(sessionsFile)) {
    return add({ name: 'comment POST', size: sizeLabel(size), config, value: 'not run: no reader sessions (needs demo-data --sessions)', target, pass: target ? false : undefined });
  }
  const sessions = readFileSync(sessionsFile, 'utf8').split('\n').filter(Boolean);
  briefs = briefs.filter(isOpenForComments);
  if (briefs.length === 0) return add({ name: 'comment POST', size: sizeLabel(size), config, value: 'not run: no brief open for comments', target, pass: target ? false : undefined });
  const briefIdsFile = path.join(temp, 'comment-briefs.txt');
  writeFileSync(briefIdsFile, `${briefs.map((b) => b.id).join('\n')}\n`);
  const probe = await httpRequest('POST', `${base}/api/v1/briefs/${briefs[0].id}/comments`, {
    headers: { authorization: `Bearer nds_${sessions[0]}`, 'x-forwarded-for': '192.0.2.1' }, body: { body: `Bench probe ${Date.now()}` },
  });
  if (probe.status !== 201) log(`comment probe answered ${probe.status}: ${probe.body.toString().slice(0, 300)}`);
  return load('comment POST', base, '/', {
    size, config: `${config}, ${sessions.length} readers × ${briefs.length} briefs`,
    script: commentScript(temp, sessionsFile, briefIdsFile, String(Date.now())), target, check, rss,
  });
}

/**
 * The newest briefs split in two: the uncached render rotates through the first ROTATE_BRIEFS,
 * the comment load goes to the others. Comments posted by a run stay in the cached data set, and
 * landing on the rotated pages they made each later run render heavier pages (1,983 req/s on fresh
 * data, 1,497 two runs later). Where none of the others is open for comments (10k, whose
 * newest 2,000 reach back weeks), the comments go to the rotated briefs after all.
 */
function splitBriefs(briefs) {
  const rotating = briefs.slice(0, ROTATE_BRIEFS);
  const rest = briefs.slice(ROTATE_BRIEFS);
  return { rotating, commented: rest.some(isOpenForComments) ? rest : rotating };
}

// A retracted brief takes no comments, nor one published more than 14 days ago (the default of
// closeAfterDays, which demo data keeps): both answer 409 comments_closed, so the load goes to
// briefs open for comments (a day's margin). At 10k the newest briefs reach back weeks.
const isOpenForComments = (b) => (b.status === 'published' || b.status === 'corrected') && Date.parse(b.publishedAt) > Date.now() - 13 * 86_400_000;

/** Brief pages in turn, a different one each request: with the page cache off, every one renders. */
async function rotatingBriefs(base, { size, config, briefs, target, check, rss }) {
  const pathsFile = path.join(temp, 'brief-paths.txt');
  writeFileSync(pathsFile, `${briefs.map((b) => `/news/${encodeURIComponent(b.slug)}`).join('\n')}\n`);
  await expectOk(`${base}/news/${encodeURIComponent(briefs.at(-1).slug)}`);
  return load(`brief page (uncached, ${briefs.length} briefs rotating)`, base, '/', {
    size, config, script: rotatingScript(temp, 'uncached-briefs', pathsFile), nginxRps, target, check, rss,
  });
}

const machine = {
  date: new Date().toISOString(),
  nproc: os.availableParallelism?.() ?? os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  nginx: versionOf(nginxBinary(), ['-v']),
  wrk: versionOf('wrk', ['-v'])?.split(' [')[0] ?? 'wrk',
  load: `-t${LOAD.threads} -c${LOAD.connections} -d${LOAD.seconds}s after a ${LOAD.warmupSeconds} s warm-up`,
  sizes: SIZES.map(sizeLabel),
  commentsPerBrief: COMMENTS_PER_BRIEF,
  workers: WORKERS,
  quick: opts.quick,
  loadAverageAtStart: os.loadavg()[0],
};
log(`machine: ${machine.nproc} × ${machine.cpu}, node ${machine.node}, ${machine.nginx}, ${machine.wrk}`);
log(`sizes ${machine.sizes.join(', ')}; load ${machine.load}; workers=${WORKERS}`);

// Per size: home, story and feed, cached and uncached; at the largest size, everything.
const perSize = new Map();
let nginxRps = null;
let nginxGzipRps = null;
let peakRss = 0;

for (const size of SIZES) {
  const data = demoData
    ? await timed(`data ${sizeLabel(size)}`, () => ensureData(size, size * COMMENTS_PER_BRIEF, log))
    : seedOnlyData(path.join(temp, sizeLabel(size)));
  const isLargest = size === LARGEST;
  const cachedConfig = `workers=${WORKERS}, cache on`;
  const uncachedConfig = `workers=${WORKERS}, cache off`;

  // --- cached server ---
  const server = await timed(`start ${sizeLabel(size)}`, () => startServer(data.dir, { workers: WORKERS }));
  log(`serve ${sizeLabel(size)}: answering after ${server.startMs} ms`);
  const found = await timed(`discover ${sizeLabel(size)}`, () => discover(server.base, isLargest ? 2 * ROTATE_BRIEFS : 100));
  const { rotating, commented } = splitBriefs(found.briefs);
  const storyPath = found.story ? `/en/stories/${encodeURIComponent(found.story.slug)}` : null;
  const briefPath = `/news/${encodeURIComponent(found.brief.slug)}`;
  const rss = { sampler: sampleRss(server.child.pid), max: 0 };

  if (isLargest) {
    // The baseline serves exactly the bytes this server sends for the brief page.
    const page = await expectOk(`${server.base}${briefPath}`);
    writeFileSync(path.join(temp, 'brief.html'), page.body);
    await server.stop();
    const nginx = await startNginx(path.join(temp, 'nginx'), page.body);
    await timed('nginx', async () => {
      const plain = await load('nginx: saved brief page', nginx.url.replace(/\/brief$/, ''), '/brief', { size, config: 'nginx, workers auto' });
      nginxRps = plain.rps;
      plain.ratio = 1;
      const gz = await load('nginx: saved brief page, gzip', nginx.url.replace(/\/brief$/, ''), '/brief', { size, config: 'nginx, gzip_static', headers: { 'accept-encoding': 'gzip' } });
      nginxGzipRps = gz.rps;
      gz.ratio = 1;
    });
    await stopDaemon(nginx.child);
    rss.sampler.stop();
    Object.assign(server, await startServer(data.dir, { workers: WORKERS }));
    rss.sampler = sampleRss(server.child.pid);
  }

  const sizeRows = {};
  await timed(`pages ${sizeLabel(size)}`, async () => {
    sizeRows.home = await load('home', server.base, '/', { size, config: cachedConfig, rss });
    if (storyPath) sizeRows.story = await load('story page', server.base, storyPath, { size, config: cachedConfig, rss });
    sizeRows.feed = await load('feed (RSS)', server.base, '/feed.xml', { size, config: cachedConfig, rss });
  });

  if (isLargest) {
    await timed('brief and reads', async () => {
      const p99ok = (r) => r.ratio >= 0.5 && r.p99 <= 20 && r.errors === 0;
      await load('brief page (cached)', server.base, briefPath, { size, config: cachedConfig, nginxRps, target: '≥ 50 % of nginx, p99 ≤ 20 ms', check: p99ok, rss });
      await load('brief page (cached), gzip', server.base, briefPath, {
        size, config: cachedConfig, headers: { 'accept-encoding': 'gzip' }, nginxRps: nginxGzipRps, target: '≥ 50 % of nginx gzip, p99 ≤ 20 ms', check: p99ok, rss,
      });
      await load('search query', server.base, `/${found.search.language}/search?q=${encodeURIComponent(found.search.word)}`, { size, config: cachedConfig, nginxRps, rss });
      if (found.entity) await load('entity page', server.base, `/en/entities/${encodeURIComponent(found.entity.slug)}`, { size, config: cachedConfig, nginxRps, rss });
      await load('brief API JSON', server.base, `/api/v1/briefs/${found.brief.id}`, { size, config: cachedConfig, nginxRps, rss });
    });

    await timed('comment POST', () => commentPosts(server.base, {
      size, config: cachedConfig, sessionsFile: data.sessionsFile, briefs: commented,
      target: '≥ 2,000/s', check: (r) => r.rps >= 2000 && r.errors === 0, rss,
    }));

    // 1,000 readers on the live stream while briefs are published; the same publishes time the pages.
    await timed('live and publish', async () => {
      const token = await editorToken(data.dir);
      const { readers, close } = await openReaders(server.base, '/live/briefs?lang=en', SSE_READERS);
      log(`live: ${readers.length} readers connected`);
      const delays = [];
      let okReaders = 0;
      const visible = { home: [], story: [], brief: [] };
      const publishedIds = [];
      try {
        for (let i = 0; i < PUBLISHES; i++) {
          const marker = `m${Date.now().toString(36)}${i}`;
          const draft = await createDraft(server.base, token, found.story?.id ?? null, marker);
          const pages = { home: `${server.base}/`, story: storyPath ? `${server.base}${storyPath}` : null, brief: `${server.base}/news/${encodeURIComponent(draft.slug)}` };
          // Each page is requested before the publish, so a cached old version is what must go.
          for (const url of Object.values(pages)) if (url) await httpGet(url);
          const { answered, brief } = await publish(server.base, token, draft.id);
          publishedIds.push(brief.id);
          const [home, story, briefPage] = await Promise.all([
            pollUntilVisible(pages.home, marker, answered), pages.story ? pollUntilVisible(pages.story, marker, answered) : null, pollUntilVisible(pages.brief, marker, answered),
          ]);
          visible.home.push(home);
          visible.story.push(story);
          visible.brief.push(briefPage);
          // Every reader has up to 5 s to hear of it; later counts as not received.
          const deadline = performance.now() + 5000;
          while (performance.now() < deadline && readers.some((r) => !r.arrivals.has(brief.id) && !r.closed)) await new Promise((r) => setTimeout(r, 20));
          for (const r of readers) if (r.arrivals.has(brief.id)) delays.push(Math.max(0, r.arrivals.get(brief.id) - answered));
        }
        okReaders = readers.filter((r) => publishedIds.every((id) => r.arrivals.has(id) && r.arrivals.get(id) >= 0)).length;
      } finally {
        close();
      }
      const expected = readers.length * PUBLISHES;
      const within = delays.filter((d) => d <= 1000).length;
      const p50 = percentile(delays, 50);
      const p99 = percentile(delays, 99);
      const max = delays.length ? Math.max(...delays) : null;
      add({
        name: `SSE: ${SSE_READERS} readers get a published brief`, size: sizeLabel(size), config: cachedConfig,
        value: `${within}/${expected} within 1 s; max ${max === null ? '–' : max.toFixed(0)} ms`, p50: p50 ?? undefined, p99: p99 ?? undefined,
        errors: expected - delays.length, target: 'all within 1 s', pass: within === expected && okReaders === readers.length,
        detail: { readers: readers.length, publishes: PUBLISHES, delivered: delays.length, okReaders, maxMs: max },
      });
      for (const [page, times] of Object.entries(visible)) {
        if (!storyPath && page === 'story') continue;
        const missing = times.filter((t) => t === null).length;
        const worst = missing ? null : Math.max(...times);
        add({
          name: `publish → visible: ${page}`, size: sizeLabel(size), config: cachedConfig,
          value: worst === null ? `${missing}/${times.length} never (10 s)` : `${worst.toFixed(0)} ms (worst of ${times.length})`,
          target: '≤ 1,000 ms', pass: worst !== null && worst <= 1000, detail: { ms: times },
        });
      }
    });
  }
  peakRss = Math.max(peakRss, rss.sampler.stop(), rss.max);
  await server.stop();

  // --- uncached server: every request renders ---
  const uncached = await timed(`start uncached ${sizeLabel(size)}`, () => startServer(data.dir, { workers: WORKERS, cacheMb: 0 }));
  const urss = { sampler: sampleRss(uncached.child.pid), max: 0 };
  await timed(`pages uncached ${sizeLabel(size)}`, async () => {
    sizeRows.homeUncached = await load('home (uncached)', uncached.base, '/', { size, config: uncachedConfig, rss: urss });
    if (storyPath) sizeRows.storyUncached = await load('story page (uncached)', uncached.base, storyPath, { size, config: uncachedConfig, rss: urss });
    sizeRows.feedUncached = await load('feed (RSS, uncached)', uncached.base, '/feed.xml', { size, config: uncachedConfig, rss: urss });
    if (isLargest) {
      await rotatingBriefs(uncached.base, {
        size, config: uncachedConfig, briefs: rotating, target: '≥ 2,000 req/s', check: (r) => r.rps >= 2000 && r.errors === 0, rss: urss,
      });
      add({ name: 'peer: Ghost 6 on SQLite, post page', size: '–', config: 'from the issue', value: '47–62 req/s', target: 'not measured here' });
    }
  });
  const uncachedPeak = Math.max(urss.sampler.stop(), urss.max);
  if (isLargest) peakRss = Math.max(peakRss, uncachedPeak);
  await uncached.stop();
  perSize.set(size, sizeRows);
  if (isLargest) {
    add({
      name: 'server RSS under load (all processes)', size: sizeLabel(size), config: `workers=${WORKERS}`,
      value: `${(peakRss / 1048576).toFixed(0)} MB`, target: '≤ 300 MB', pass: peakRss <= 300 * 1048576, detail: { bytes: peakRss },
    });
  }
}

// --- PostgreSQL: one data set moved by migrate-data, served by one instance, then by two ---
// Home and a brief page from the cache, comment writes and uncached brief renders, as in the SQLite
// rows but with DATABASE_URL set. The scratch database is dropped at the end, whatever happened.
async function postgresRows() {
  const size = PG_SIZE;
  const label = sizeLabel(size);
  if (!existsSync(path.join(DIST, 'cli/migrate-data.js'))) {
    notes.push('PostgreSQL rows not run: this build has no `newsdesk migrate-data`.');
    return;
  }
  const data = await ensureData(size, size * COMMENTS_PER_BRIEF, log);
  let db;
  try {
    db = await createScratchDatabase({ adminUrl: opts.pg, log });
  } catch (err) {
    add({ name: 'PostgreSQL rows', size: label, config: 'postgres', value: `not run: ${new URL(opts.pg).host} refused (${err.message})`, pass: false });
    return;
  }
  machine.postgres = db.version;
  const servers = [];
  let balancer = null;
  const stopAll = async () => {
    if (balancer) await stopDaemon(balancer.child);
    balancer = null;
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  };
  // One folder for every instance: it holds only the cookie secret, which instances of a site share.
  const folder = instanceFolder(path.join(temp, 'pg-instance'), data.dir);
  const start = async (options) => {
    const server = await startServer(folder, { workers: PG_WORKERS, ...options, env: { DATABASE_URL: db.url, ...options.env } });
    servers.push(server);
    return server;
  };
  /** Two instances and nginx in front of them; answers nginx's address, which the instances call theirs. */
  const startPair = async (cacheMb) => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const pair = [];
    for (let i = 0; i < 2; i++) pair.push(await start({ cacheMb, env: { NEWSDESK_PUBLIC_URL: publicUrl } }));
    balancer = await startBalancer(path.join(temp, `balancer-${cacheMb ?? 'cached'}`), pair.map((s) => `127.0.0.1:${s.port}`), { port });
    return balancer.url;
  };
  try {
    const migration = await timed(`migrate-data ${label} → postgres`, () => migrateInto({ dataDir: data.dir, targetUrl: db.url }));
    add({
      name: 'migrate-data SQLite → PostgreSQL', size: label, config: 'newsdesk migrate-data',
      value: `${(migration.ms / 1000).toFixed(1)} s; ${migration.isVerified ? 'counts and checksums equal' : 'DIFFERENT or failed'}`,
      target: 'equal', pass: migration.isVerified,
    });
    if (!migration.isVerified) {
      log(`migrate-data: ${migration.verdict}`);
      return;
    }
    const one = `postgres, 1 instance, workers=${PG_WORKERS}`;
    const two = `postgres, 2 instances × workers=${PG_WORKERS} behind nginx`;
    let found;
    await timed(`postgres ${label}: 1 instance`, async () => {
      const server = await start({});
      log(`serve on postgres ${label}: answering after ${server.startMs} ms`);
      const discovered = await discover(server.base, 2 * ROTATE_BRIEFS);
      found = { ...splitBriefs(discovered.briefs), brief: discovered.brief };
      const briefPath = `/news/${encodeURIComponent(found.brief.slug)}`;
      await load('home', server.base, '/', { size, config: `${one}, cache on` });
      await load('brief page (cached)', server.base, briefPath, { size, config: `${one}, cache on`, nginxRps });
      await commentPosts(server.base, { size, config: `${one}, cache on`, sessionsFile: data.sessionsFile, briefs: found.commented });
      await stopAll();
      const uncached = await start({ cacheMb: 0 });
      await rotatingBriefs(uncached.base, { size, config: `${one}, cache off`, briefs: found.rotating });
      await stopAll();
    });
    await timed(`postgres ${label}: 2 instances`, async () => {
      const base = await startPair(undefined);
      await load('brief page (cached)', base, `/news/${encodeURIComponent(found.brief.slug)}`, { size, config: `${two}, cache on`, nginxRps });
      await commentPosts(base, { size, config: `${two}, cache on`, sessionsFile: data.sessionsFile, briefs: found.commented });
      await stopAll();
      const uncachedBase = await startPair(0);
      await rotatingBriefs(uncachedBase, { size, config: `${two}, cache off`, briefs: found.rotating });
    });
    notes.push(`PostgreSQL rows: the ${label} data set copied by \`newsdesk migrate-data\` (${(migration.ms / 1000).toFixed(1)} s) into a scratch database on PostgreSQL ${db.version} on this machine, sharing its cores with the servers, nginx and wrk; each instance one process (NEWSDESK_WORKERS=${PG_WORKERS}); two instances behind deploy/nginx.conf as shipped. On one machine the second instance adds no cores: the two-instance rows show what the proxy hop and the instances' coordination cost, not added capacity.`);
  } finally {
    await stopAll();
    await db.drop();
  }
}

if (opts['no-postgres']) notes.push('PostgreSQL rows skipped (--no-postgres).');
else if (!demoData) notes.push('PostgreSQL rows not run: they copy a `newsdesk demo-data` set, which this build cannot make.');
else {
  // A failure here (a server that would not start on PostgreSQL) is a finding for its row; the
  // SQLite rows measured before it are still written.
  await timed('postgres', postgresRows).catch((err) => {
    log(`postgres rows failed: ${err.stack ?? err}`);
    add({ name: 'PostgreSQL rows', size: sizeLabel(PG_SIZE), config: 'postgres', value: `failed: ${String(err.message).split('\n')[0]}`, pass: false });
  });
}

// Every product row against nginx on the same page bytes (compressed rows against compressed).
for (const row of rows) {
  if (row.ratio !== undefined || row.rps === undefined || row.name.startsWith('nginx') || row.name === 'comment POST') continue;
  row.ratio = (row.name.includes('gzip') ? nginxGzipRps : nginxRps) ? row.rps / (row.name.includes('gzip') ? nginxGzipRps : nginxRps) : undefined;
}

// Cost growth: the same page at the largest size against the smallest, as time per request.
if (SIZES.length > 1) {
  const small = perSize.get(SIZES[0]);
  const big = perSize.get(LARGEST);
  for (const key of ['home', 'story', 'feed', 'homeUncached', 'storyUncached', 'feedUncached']) {
    if (!small[key] || !big[key]) continue;
    const ratio = big[key].rps > 0 ? small[key].rps / big[key].rps : Infinity;
    add({
      name: `${big[key].name}: cost ${sizeLabel(LARGEST)} ÷ ${sizeLabel(SIZES[0])}`, size: `${sizeLabel(SIZES[0])}→${sizeLabel(LARGEST)}`, config: big[key].config,
      value: Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : `no answers at ${sizeLabel(LARGEST)}`, target: '≤ 1.5×', pass: ratio <= 1.5 && big[key].errors === 0,
    });
  }
}

// Lighthouse on the brief page, when its script is there (it writes its own result file).
if (!opts['no-lighthouse'] && existsSync(path.join(ROOT, 'bench/lighthouse.mjs'))) {
  await timed('lighthouse', async () => {
    const { run } = await import('./lib/proc.mjs');
    try {
      await run(process.execPath, [path.join(ROOT, 'bench/lighthouse.mjs')], { cwd: ROOT, echo: true });
      notes.push('Lighthouse: see bench/results/lighthouse.json.');
    } catch (err) {
      notes.push(`Lighthouse failed: ${String(err.message).split('\n')[0]}`);
    }
  });
}

notes.push(`Data: ${COMMENTS_PER_BRIEF} comment per brief at every size, ${SIZES.map(sizeLabel).join(', ')} briefs; the servers ran with NEWSDESK_WORKERS=${WORKERS}.`);
notes.push('Errors: socket errors plus answers with status ≥ 400, as wrk counts them (a 429 or a 500 is an error).');
notes.push(`Uncached brief render peer: ${GHOST_PEER}.`);
const totalMs = Date.now() - started;
machine.durationSeconds = Math.round(totalMs / 1000);
machine.timings = Object.fromEntries(timings.map(([k, v]) => [k, Math.round(v / 100) / 10]));

const table = textTable(rows);
process.stdout.write(`\n${table}\n\n${notes.map((n) => `* ${n}`).join('\n')}\n`);
const isFull = !opts.quick && ['10k', '100k', '1M'].every((s) => machine.sizes.includes(s));
// Partial runs land beside the data (not in git), so trying things out never replaces the results.
const written = writeResults(path.join(ROOT, isFull ? 'bench/results' : 'bench/.data'), machine, rows, notes, { partial: !isFull });
process.stdout.write(`\nWrote ${written.map((f) => path.relative(ROOT, f)).join(', ')} in ${(totalMs / 1000).toFixed(0)} s.\n`);
process.stdout.write(`Time: ${timings.map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}\n`);
process.exit(0);
