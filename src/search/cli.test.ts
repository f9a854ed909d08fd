import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { runCli } from '../cli/main.js';
import { loadConfig } from '../config/index.js';
import { createBrief, publishBrief } from '../content/briefs.js';
import { openRuntime, type Runtime } from '../main.js';
import { engineOf } from '../storage/database.js';
import { TEST_ENGINE, testDataEnv } from '../test/database.js';
import { briefInput } from '../test/factories.js';

// The runtime and the CLI open the database from the environment, as in production: on
// PostgreSQL a schema of this test's own, named by DATABASE_URL.
let dataDir: string;
let env: NodeJS.ProcessEnv;
let drop: () => Promise<void>;
beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-search-cli-'));
  ({ env, drop } = await testDataEnv(dataDir));
});
afterEach(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  await drop();
});

const open = () => openRuntime(loadConfig(env));
const findIds = async (runtime: Runtime, q: string) => (await runtime.search!.search(q, {}, { offset: 0, limit: 10 })).briefs.map((b) => b.id);

async function seed(): Promise<string> {
  const runtime = await open();
  expect(engineOf(runtime.db)).toBe(TEST_ENGINE);
  const brief = await createBrief(runtime, CLI_ACTOR, briefInput({ headline: 'Columns reach Voronezh' }));
  await publishBrief(runtime, CLI_ACTOR, brief.id);
  expect(await findIds(runtime, 'Voronezh')).toEqual([brief.id]);
  // What an index from before this migration, or a lost one, looks like: no documents, no version.
  await sql`DELETE FROM search_brief_docs`.execute(runtime.db);
  await sql`DELETE FROM search_state`.execute(runtime.db);
  expect(await findIds(runtime, 'Voronezh')).toEqual([]);
  await runtime.db.destroy();
  return brief.id;
}

describe('filling and rebuilding the index', () => {
  it('opening the runtime fills an index that no analyser version has built', async () => {
    const id = await seed();
    const runtime = await open();
    try {
      expect(await findIds(runtime, 'Voronezh')).toEqual([id]);
    } finally {
      await runtime.db.destroy();
    }
  });

  it('`newsdesk search-rebuild` writes every public brief again', async () => {
    const id = await seed();
    const runtime = await open();
    await sql`DELETE FROM search_brief_docs`.execute(runtime.db);
    await runtime.db.destroy();
    const out: string[] = [];
    const code = await runCli(['search-rebuild'], { out: (l) => out.push(l), err: (l) => out.push(l) }, env);
    expect(code).toBe(0);
    expect(out).toEqual(['Indexed 1 public brief and 0 entities.']);
    const after = await open();
    try {
      expect(await findIds(after, 'Voronezh')).toEqual([id]);
    } finally {
      await after.db.destroy();
    }
    expect(await runCli(['search-rebuild', 'now'], { out: () => {}, err: () => {} }, env)).toBe(2);
  });
});
