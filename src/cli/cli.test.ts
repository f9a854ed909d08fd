import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, it, type TestContext } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import { openRuntime } from '../main.js';
import { openDatabase } from '../storage/database.js';
import { testDataEnv } from '../test/database.js';

// These tests run the built `newsdesk` binary, as an operator would, so they also catch a
// command missing from the dispatcher or a build that leaves the CLI out.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'src/content/fixtures');
const builtEntry = path.join(root, 'dist/cli/main.js');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(full));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  const builtAt = fs.existsSync(builtEntry) ? fs.statSync(builtEntry).mtimeMs : 0;
  if (builtAt >= newestSourceTime(path.join(root, 'src'))) return;
  // tsc emits even when some file fails to typecheck; the typecheck step reports those.
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (!fs.existsSync(builtEntry)) throw new Error(`the build did not produce ${builtEntry}:\n${build.stdout}${build.stderr}`);
}, 60_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A fresh data folder for one test (and, on PostgreSQL, its own schema), and the binary run
 * against it; removed when the test ends. Concurrent tests must hand in their own context's
 * onTestFinished, the global one may pick another test.
 */
async function sandbox(onTestFinished: TestContext['onTestFinished']) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-cli-'));
  const database = await testDataEnv(dataDir);
  const env = { ...database.env, NEWSDESK_TIMEZONE: 'Europe/Kyiv' };
  onTestFinished(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  });
  const newsdesk = (...args: string[]) =>
    new Promise<Run>((resolve, reject) => {
      execFile(process.execPath, [path.join(root, 'bin/newsdesk.js'), ...args], {
        cwd: root, encoding: 'utf8', env: { ...process.env, ...env },
      }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        if (err && code === null) reject(err);
        else resolve({ code, stdout, stderr });
      });
    });
  const briefCount = async (): Promise<number> => {
    const db = openDatabase({ dataDir, databaseUrl: env.DATABASE_URL ?? null });
    try {
      return Number((await db.selectFrom('briefs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await db.destroy();
    }
  };
  return { dataDir, env, newsdesk, briefCount };
}

const ID_AND_PATH = /^([0-9a-z]{26})\t(\/news\/[a-z0-9-]+)$/;

// Each spawn mostly waits on Node starting up, so the tests run side by side.
describe.concurrent('newsdesk import and export', () => {
  it('imports a full brief and exports the identical text', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const file = path.join(fixtures, 'full-brief.en.txt');
    const imported = await newsdesk('import', file, '--publish');
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const lines = imported.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const [, id, urlPath] = ID_AND_PATH.exec(lines[0]!) ?? [];
    expect(urlPath).toBe('/news/officials-confirm-the-breach-of-the-kakhovka-dams-lower-spillway');

    const exported = await newsdesk('export', id!, '--format', 'text');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(fs.readFileSync(file, 'utf8'));

    // The API reads the same data folder and must give back the same text.
    const runtime = await openRuntime(loadConfig(env));
    const app = await buildApp({ ...runtime, logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: `/api/v1/briefs/${id}?format=text` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toBe(fs.readFileSync(file, 'utf8'));
    } finally {
      await app.close();
      await runtime.db.destroy();
    }
  });

  it('imports several files in one go, one line per brief', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const result = await newsdesk('import', path.join(fixtures, 'full-brief.en.txt'), path.join(fixtures, 'full-brief.uk.txt'));
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => ID_AND_PATH.test(l))).toBe(true);
    expect(await briefCount()).toBe(2);
  });

  it('refuses a malformed file, naming the line, and saves none of its briefs', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const file = path.join(dataDir, 'bad.txt');
    fs.writeFileSync(file, 'date 2026-03-14 A good brief\nSource: Police\n\ndate 2026-03-15 Another\n2 comments\nonly one\n');
    const result = await newsdesk('import', file, '--publish');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file} is not valid wire text.`);
    expect(result.stderr).toContain('line 5: says 2 comments but 1 line follows');
    expect(await briefCount()).toBe(0);
  });

  it('saves nothing when any one of several files is malformed', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const bad = path.join(dataDir, 'bad.txt');
    fs.writeFileSync(bad, 'date 2026-02-30 No such day\n');
    const result = await newsdesk('import', path.join(fixtures, 'full-brief.en.txt'), bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 1: 2026-02-30 is not a date in the calendar');
    expect(await briefCount()).toBe(0);
  });

  it('names a missing file', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const missing = path.join(dataDir, 'nowhere.txt');
    const result = await newsdesk('import', missing);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${missing}: no such file`);
  });

  it('refuses an unknown language as a usage error', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const result = await newsdesk('import', path.join(fixtures, 'full-brief.en.txt'), '--language', 'de');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--language must be one of uk, en, ru');
    expect(await briefCount()).toBe(0);
  });

  it('answers an unknown brief id with a message naming it', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const result = await newsdesk('export', 'no-such-brief', '--format', 'text');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no-such-brief');
  });
});

describe.concurrent('newsdesk token and users', () => {
  it('creates a token, printing only the token, and revokes it by the id it reports', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const created = await newsdesk('token', 'create', '--role', 'editor', '--label', 'wire desk');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^nd_[A-Za-z0-9_-]+\n$/);
    const id = /Token id (\S+)/.exec(created.stderr)?.[1];
    expect(id).toBeDefined();
    expect((await newsdesk('token', 'revoke', id!)).code).toBe(0);
    const again = await newsdesk('token', 'revoke', id!);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('id: no token with this id');
  });

  it('refuses a token without a role', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const result = await newsdesk('token', 'create');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('token create needs --role ROLE');
  });

  it('creates a user with a generated password and resets it to a new one', async ({ expect, onTestFinished }) => {
    const { dataDir, env, newsdesk, briefCount } = await sandbox(onTestFinished);
    const created = await newsdesk('users', 'create', '--email', 'Editor@Example.org', '--name', 'An Editor', '--role', 'editor');
    expect(created.code).toBe(0);
    const password = created.stdout.trimEnd();
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(password).not.toMatch(/\s/);
    const reset = await newsdesk('users', 'reset-password', '--email', 'editor@example.org');
    expect(reset.code).toBe(0);
    expect(reset.stdout.trimEnd()).not.toBe(password);
    expect(reset.stdout.trimEnd().length).toBeGreaterThanOrEqual(12);
    const duplicate = await newsdesk('users', 'create', '--email', 'editor@example.org', '--name', 'Again', '--role', 'editor');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('email: is already taken');
  });
});
