import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { CLI_ACTOR } from '../accounts/policy.js';
import type { Db } from '../storage/database.js';
import { openTestDatabase, testDataEnv, type TestDatabase } from '../test/database.js';
import { createEventBus } from '../storage/events.js';
import { findBrief } from './brief-repository.js';
import { listEntities, loadGazetteer } from './entities.js';
import { GAZETTEER, type GazetteerKey } from './fixtures/gazetteer.js';
import { importWireText } from './import.js';

// The acceptance case: a wire-text brief that mentions Prigozhin, Lukashenko, Putin, the Wagner
// Group, Belarus and the Kremlin, in running text with their case forms, is tagged with exactly
// those six, whatever the language of the text. Source lines are not scanned: "Press service of
// the President of Belarus" names who reported, not what the brief is about.
const SIX: GazetteerKey[] = ['prigozhin', 'lukashenko', 'putin', 'wagner', 'belarus', 'kremlin'];

const WIRE: Record<'uk' | 'en' | 'ru', string> = {
  uk: `date 2023-06-24 20:30 Лукашенко заявив, що домовився з Пригожиним
Source: Пресслужба президента Білорусі
Quote: «Ми не дамо пролити кров»
Details: За словами Лукашенка, колони «Вагнера» зупинилися, а бійцям запропонували табір у Білорусі.
Путін раніше назвав заколот ударом у спину.
Background:
- У Кремлі підтвердили, що справу проти Пригожина закриють.
`,
  en: `date 2023-06-24 20:30 Lukashenko says he struck a deal with Prigozhin
Source: Reuters
Details: Wagner Group columns halted, according to the Belarusian leader's office; Belarus offered Prigozhin's men a camp.
Putin earlier called the mutiny a stab in the back.
Background:
- The Kremlin said the criminal case would be dropped.
`,
  ru: `date 2023-06-24 20:30 Лукашенко заявил, что договорился с Пригожиным
Source: Пресс-служба президента Беларуси
Details: Колонны ЧВК «Вагнер» остановились, бойцам предложили лагерь в Беларуси.
Путин ранее назвал мятеж ударом в спину.
Background:
- В Кремле заявили, что уголовное дело против Пригожина прекратят.
`,
};

let database: TestDatabase;
let db: Db;
let deps: { db: Db; bus: ReturnType<typeof createEventBus> };
let idOf: Map<string, GazetteerKey>;
beforeEach(async () => {
  database = await openTestDatabase();
  db = database.db;
  deps = { db, bus: createEventBus() };
  await loadGazetteer(deps, CLI_ACTOR);
  const keyByName = new Map(Object.entries(GAZETTEER).map(([key, input]) => [input.names.en, key as GazetteerKey]));
  idOf = new Map((await listEntities(db)).map((e) => [e.id, keyByName.get(e.names.en)!]));
});
afterEach(async () => {
  await database.close();
});

describe('importing wire text tags its entities', () => {
  it.each(['uk', 'en', 'ru'] as const)('a %s brief gets exactly the six entities it names', async (language) => {
    const [brief] = await importWireText(deps, CLI_ACTOR, WIRE[language]);
    expect(brief!.language).toBe(language);
    const stored = await findBrief(db, brief!.id);
    expect(stored!.entityIds.map((id) => idOf.get(id)).sort()).toEqual([...SIX].sort());
    const origins = await db.selectFrom('brief_entities').select('origin').where('brief_id', '=', brief!.id).execute();
    expect(origins.every((r) => r.origin === 'auto')).toBe(true);
  });

  it('tags briefs imported as published archive briefs too', async () => {
    const [brief] = await importWireText(deps, CLI_ACTOR, WIRE.en, { publish: true });
    expect(brief!.status).toBe('published');
    expect(brief!.entityIds.map((id) => idOf.get(id)).sort()).toEqual([...SIX].sort());
  });
});

describe('newsdesk gazetteer', () => {
  it('adds the gazetteer once and then nothing, printing one line per added entity', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-gazetteer-'));
    const { env, drop } = await testDataEnv(dataDir);
    try {
      const run = async () => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli(['gazetteer'], { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
        return { code, out, err };
      };
      const first = await run();
      expect(first.code).toBe(0);
      expect(first.out).toHaveLength(Object.keys(GAZETTEER).length);
      expect(first.out).toContainEqual(expect.stringMatching(/^[0-9a-z]{26}\tyevgeny-prigozhin\tYevgeny Prigozhin$/));
      const second = await run();
      expect(second.code).toBe(0);
      expect(second.out).toEqual([]);
      expect(second.err.join('\n')).toContain(`0 entities added, ${Object.keys(GAZETTEER).length} already there.`);
      expect((await runCli(['gazetteer', 'extra'], { out: () => {}, err: () => {} }, env))).toBe(2);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await drop();
    }
  });
});
