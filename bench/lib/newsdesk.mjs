// Newsdesk under test: generated data sets (kept between runs in bench/.data, keyed by size and
// by the generator's and schema's compiled code, so a changed generator makes new data), the
// built server started from dist/, and plain HTTP helpers that keep the bytes as sent.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort, run, startDaemon, stopDaemon, waitForHttp } from './proc.mjs';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
// BENCH_NEWSDESK_DIST points the bench at another compiled tree (say, built with --outDir while
// dist/ is in use); by default it runs what `npm run build` made, through bin/newsdesk.js.
export const DIST = process.env.BENCH_NEWSDESK_DIST ? path.resolve(process.env.BENCH_NEWSDESK_DIST) : path.join(ROOT, 'dist');
export const CLI = process.env.BENCH_NEWSDESK_DIST ? path.join(DIST, 'cli/main.js') : path.join(ROOT, 'bin/newsdesk.js');
const DATA_CACHE = path.join(ROOT, 'bench/.data');
const SESSIONS = 5000;
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

export function checkBuilt() {
  if (!existsSync(path.join(DIST, 'cli/main.js'))) {
    throw new Error(`${path.relative(ROOT, DIST)}/ is missing: run \`npm run build\` first (npm install runs it)`);
  }
}

/** Whether the built CLI has `demo-data` (the generator at scale). */
export function hasDemoData() {
  const main = path.join(DIST, 'cli/main.js');
  return existsSync(main) && readFileSync(main, 'utf8').includes('demo-data');
}

/** Whether the built product reads a knob (an environment variable) at all. */
export function productReads(variable) {
  const stack = [DIST];
  while (stack.length) {
    const dir = stack.pop();
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) { if (entry.name !== 'assets') stack.push(full); } else if (entry.name.endsWith('.js') && readFileSync(full, 'utf8').includes(variable)) return true;
    }
  }
  return false;
}

function generatorVersion() {
  const hash = createHash('sha256');
  const files = [];
  for (const dir of ['cli', 'storage/migrations']) {
    const full = path.join(DIST, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) {
      if (dir === 'cli' && !/demo/.test(name)) continue;
      if (name.endsWith('.js')) files.push(path.join(full, name));
    }
  }
  for (const file of files) hash.update(path.relative(DIST, file)).update(readFileSync(file));
  return hash.digest('hex').slice(0, 12);
}

export const sizeLabel = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));
export function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a size like 10k, 100k or 1M`);
  return Math.round(Number(match[1]) * (match[2].toLowerCase() === 'm' ? 1e6 : match[2].toLowerCase() === 'k' ? 1e3 : 1));
}

/**
 * The data folder for `briefs` briefs with `comments` comments and reader sessions, generated
 * once into a staging folder and renamed when complete, so an interrupted run never leaves a
 * half data set that a later run would trust.
 */
export async function ensureData(briefs, comments, log) {
  const key = `${sizeLabel(briefs)}-c${comments}-s${SESSIONS}-${generatorVersion()}`;
  const dir = path.join(DATA_CACHE, key);
  const sessionsFile = path.join(dir, 'sessions.txt');
  const done = path.join(dir, 'complete.json');
  // Comments close 14 days after a brief is published: a data set made weeks ago has no open
  // briefs left to comment on, so it is made again after a week.
  if (existsSync(done) && Date.now() - Date.parse(JSON.parse(readFileSync(done, 'utf8')).at) < MAX_AGE_MS) {
    log(`data ${sizeLabel(briefs)}: reusing ${path.relative(ROOT, dir)}`);
    return { dir, sessionsFile, generatedMs: 0, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  log(`data ${sizeLabel(briefs)}: generating ${briefs} briefs, ${comments} comments, ${SESSIONS} reader sessions`);
  const start = Date.now();
  await run(process.execPath, [CLI, 'demo-data', '--briefs', String(briefs), '--comments', String(comments),
    '--sessions', path.join(staging, 'sessions.txt'), '--sessions-count', String(SESSIONS)], {
    cwd: ROOT, env: { ...process.env, NEWSDESK_DATA: staging, LOG_LEVEL: 'warn' }, echo: true,
  });
  const generatedMs = Date.now() - start;
  writeFileSync(path.join(staging, 'complete.json'), JSON.stringify({ briefs, comments, sessions: SESSIONS, generatedMs, at: new Date().toISOString() }));
  // Older data sets of the same size made by an earlier generator are only disk space now.
  for (const name of existsSync(DATA_CACHE) ? readdirSync(DATA_CACHE) : []) {
    if (name.startsWith(`${sizeLabel(briefs)}-`) && name !== key && !name.includes('.partial-')) rmSync(path.join(DATA_CACHE, name), { recursive: true, force: true });
  }
  renameSync(staging, dir);
  log(`data ${sizeLabel(briefs)}: generated in ${(generatedMs / 1000).toFixed(1)} s`);
  return { dir, sessionsFile, generatedMs, reused: false };
}

/**
 * Without `demo-data` (before it exists in the build): the demo newsroom `serve` seeds on first
 * start, in a fresh folder. Enough to check the bench itself, not to measure scale.
 */
export function seedOnlyData(tempDir) {
  const dir = path.join(tempDir, 'seed-data');
  mkdirSync(dir, { recursive: true });
  return { dir, sessionsFile: null, generatedMs: 0, reused: false };
}

/**
 * Starts `newsdesk serve` from dist/ on a free loopback port. `env` adds to its environment
 * (DATABASE_URL for PostgreSQL, whose data folder then holds only the cookie secret).
 */
export async function startServer(dataDir, { workers, cacheMb, env: extra = {} }) {
  const port = await freePort();
  const env = {
    ...process.env,
    NEWSDESK_DATA: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    // Readers' addresses come in X-Forwarded-For, as behind nginx, so the comment load comes
    // from many addresses and not one.
    NEWSDESK_TRUST_PROXY: 'loopback',
    NEWSDESK_WORKERS: String(workers),
    // The SQLite rows run on the data folder's file even from a shell that has DATABASE_URL set.
    DATABASE_URL: '',
    ...extra,
  };
  if (cacheMb !== undefined) env.NEWSDESK_PAGE_CACHE_MB = String(cacheMb);
  const child = startDaemon(process.execPath, [CLI, 'serve'], { cwd: ROOT, env });
  const base = `http://127.0.0.1:${port}`;
  const startMs = await waitForHttp(`${base}/api/v1/briefs?limit=1`, child, 300_000);
  return { base, port, child, startMs, stop: () => stopDaemon(child) };
}

/** GET without Accept-Encoding unless asked: answers status, headers and the body's bytes. */
export function httpGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false, maxHeaderSize: 1 << 20 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: GET ${url}`)));
    req.on('error', reject);
  });
}

export async function getJson(url, headers = {}) {
  const res = await httpGet(url, headers);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.body.toString().slice(0, 500)}`);
  return JSON.parse(res.body.toString());
}

export function httpRequest(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(url, {
      method, agent: false, maxHeaderSize: 1 << 20,
      headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** An editor's API token, made with the CLI against the data folder. */
export async function editorToken(dataDir) {
  const { stdout } = await run(process.execPath, [CLI, 'token', 'create', '--role', 'editor', '--label', 'bench'], {
    cwd: ROOT, env: { ...process.env, NEWSDESK_DATA: dataDir, LOG_LEVEL: 'warn' },
  });
  const token = stdout.trim().split('\n').pop();
  if (!token) throw new Error('token create printed no token');
  return token;
}

/**
 * What the scenarios ask for, found through the public API: the newest briefs (slugs and ids),
 * a story and an entity that have briefs, and a search word from an English headline.
 */
export async function discover(base, briefCount) {
  const briefs = [];
  let cursor = null;
  while (briefs.length < briefCount) {
    const page = await getJson(`${base}/api/v1/briefs?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    briefs.push(...page.items);
    if (!page.next) break;
    cursor = page.next;
  }
  if (briefs.length === 0) throw new Error('the data set has no public briefs');
  const withStory = briefs.find((b) => b.storyId) ?? null;
  const story = withStory ? (await getJson(`${base}/api/v1/stories/${withStory.storyId}`)) : (await getJson(`${base}/api/v1/stories?limit=1`)).items[0];
  const withEntity = briefs.find((b) => b.entityIds?.length);
  const entity = withEntity ? await getJson(`${base}/api/v1/entities/${withEntity.entityIds[0]}`) : (await getJson(`${base}/api/v1/entities`)).items[0];
  const english = briefs.find((b) => b.language === 'en') ?? briefs[0];
  const word = english.headline.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 5).sort((a, b) => b.length - a.length)[0] ?? english.headline.split(/\s+/)[0];
  return {
    briefs,
    brief: briefs[0],
    story: story ?? null,
    entity: entity ?? null,
    search: { language: english.language, word },
  };
}
