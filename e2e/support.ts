import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createTestSchema, dropTestSchema, TEST_ENGINE } from '../src/test/database.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = path.join(root, 'bin', 'newsdesk.js');

export interface RunningSite {
  url: string;
  dataDir: string;
  /** Everything the server printed to stdout so far. */
  output: () => string;
  /** The server process, for tests of signals and exit codes. */
  process: ChildProcess;
  /** SIGTERM, then removes the data folder. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: no shutdown hooks run and the data folder stays. */
  crash(): Promise<void>;
}

/** A loopback port nobody listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The database a site's data folder stands for: on SQLite the file in it; on PostgreSQL (the
 * engine under test) a schema made on first use and named in the folder, so a site restarted on
 * the same folder finds its data again. Empty: the server migrates it, as in production.
 */
async function databaseUrlFor(dataDir: string): Promise<string> {
  if (TEST_ENGINE !== 'postgres') return '';
  const file = path.join(dataDir, 'test-database-url');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  const { url } = await createTestSchema();
  fs.writeFileSync(file, url);
  return url;
}

/** The environment a `newsdesk` process needs for a site's data: its folder and its database. */
export function siteEnv(dataDir: string): NodeJS.ProcessEnv {
  const file = path.join(dataDir, 'test-database-url');
  return { ...process.env, NEWSDESK_DATA: dataDir, DATABASE_URL: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '' };
}

/**
 * Starts the real server exactly as a newcomer does (`newsdesk serve`, compiled by the
 * pretest build) on a free port with its own data folder, and waits for /healthz.
 */
export async function startSite(opts: { dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningSite> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-e2e-'));
  await databaseUrlFor(dataDir);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve'], {
    env: { ...siteEnv(dataDir), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  // A first start on PostgreSQL migrates a fresh schema, which alone can take 30 s on a busy machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok && out.includes('/desk/login')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy: ${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    output: () => out,
    process: child,
    async stop() {
      // After crash() the exit has happened (signalCode set, exitCode still null): no event will come.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      const databaseUrl = siteEnv(dataDir).DATABASE_URL;
      if (databaseUrl) await dropTestSchema(databaseUrl);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async crash() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

/** Runs a `newsdesk` subcommand against a site's data folder; answers its stdout. */
export function cli(site: RunningSite, args: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...args], { env: siteEnv(site.dataDir), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`newsdesk ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Debian's Chromium, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

/** axe's violations on the page, as readable lines (empty when there are none). */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Records what a page complains about from now on: uncaught errors and console errors (a CSP
 * violation is reported there), each with the address it happened on, into `errors` (a list
 * several pages may share), which it answers.
 */
export function recordPageErrors(page: Page, label: string, errors: string[] = []): string[] {
  page.on('pageerror', (error) => errors.push(`${label} ${page.url()}: uncaught ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A failed load names the resource only in its location.
    const source = message.location().url;
    errors.push(`${label} ${page.url()}: console ${message.text()}${source ? ` (${source})` : ''}`);
  });
  return errors;
}

/**
 * The Nu HTML Checker's errors on whole pages as the browser received them, one readable line
 * each (empty when there are none); the same checker run as the server-side tests use.
 */
export { vnuErrors as htmlCheckerErrors } from '../src/test/vnu.js';
