import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';
import { createToken, createUser } from '../accounts/service.js';
import { CLI_ACTOR, type Actor, type StaffRole } from '../accounts/policy.js';
import type { Db } from '../storage/database.js';
import { openTestDatabase } from './database.js';
import { createEventBus, type DomainEvent, type EventBus } from '../storage/events.js';
import { createBrief, publishBrief } from '../content/briefs.js';
import { createStory } from '../content/stories.js';
import { createEntity } from '../content/entities.js';
import type { BriefInput } from '../content/schema.js';
import { keepSearchIndexCurrent } from '../search/indexer.js';
import { createSearchIndex } from '../search/engine.js';
import type { SearchIndex } from '../search/types.js';

export interface TestContext {
  app: FastifyInstance;
  db: Db;
  bus: EventBus;
  /** Every event emitted since the context was built, in order. */
  events: DomainEvent[];
  deps: { db: Db; bus: EventBus };
  /** Kept current from the bus, as in the real runtime: a published brief is findable at once. */
  search: SearchIndex;
  close(): Promise<void>;
}

/** A fresh app on a private database of the engine under test; nothing leaks between tests. */
export async function buildTestApp(): Promise<TestContext> {
  const database = await openTestDatabase();
  const { db } = database;
  const events: DomainEvent[] = [];
  const bus = createEventBus();
  bus.subscribe((e) => void events.push(e));
  const search = createSearchIndex(db);
  keepSearchIndexCurrent(bus, search);
  const config = { ...loadConfig({}), publicUrl: 'http://newsdesk.test' };
  const app = await buildApp({ config, db, bus, cookieSecret: randomBytes(32).toString('hex'), logger: false, search });
  await app.ready();
  return {
    app, db, bus, events, deps: { db, bus }, search,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/**
 * An app on a database the test opened (and closes) itself, as buildTestApp assembles one: the
 * same pages from two databases side by side. Pass one `cookieSecret` to both for equal cookies.
 */
export async function buildAppOn(db: Db, cookieSecret = randomBytes(32).toString('hex')): Promise<FastifyInstance> {
  const config = { ...loadConfig({}), publicUrl: 'http://newsdesk.test' };
  const app = await buildApp({ config, db, bus: createEventBus(), cookieSecret, logger: false, search: createSearchIndex(db) });
  await app.ready();
  return app;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function makeUser(db: Db, role: StaffRole = 'editor'): Promise<{ id: string; email: string; password: string; actor: Actor }> {
  const email = `${role}-${unique()}@newsdesk.test`;
  const { user, password } = await createUser({ db, actor: CLI_ACTOR, input: { email, displayName: `Test ${role}`, role } });
  return { id: user.id, email, password, actor: { userId: user.id, role, label: email } };
}

export async function makeToken(db: Db, role: StaffRole = 'editor'): Promise<{ id: string; token: string }> {
  return createToken({ db, actor: CLI_ACTOR, role, label: `test-${role}` });
}

export function briefInput(overrides: Partial<BriefInput> = {}): BriefInput {
  return {
    language: 'en',
    headline: `Officials confirm the dam breach at ${unique()}`,
    sources: [{ name: 'Regional Emergency Service', url: 'https://example.org/statement', kind: 'official_statement' }],
    quotes: [{ text: '“Water is rising in the lower town.”', speaker: 'Spokesperson', sourceIndex: 0 }],
    details: ['Rescuers moved **400 people** overnight.', 'The bridge is closed.'],
    previously: ['Earlier, the service reported cracks in the dam.'],
    background: [{ text: 'The dam was built in 1961.', status: 'confirmed' }],
    ...overrides,
  };
}

export async function makeStory(deps: { db: Db; bus: EventBus }, title = `Dam breach ${unique()}`) {
  return createStory(deps, CLI_ACTOR, { title, summary: 'A developing story.', language: 'en' });
}

export async function makeEntity(deps: { db: Db; bus: EventBus }, name = `Person ${unique()}`) {
  return createEntity(deps, CLI_ACTOR, { kind: 'person', names: { en: name, uk: name, ru: name }, aliases: [] });
}

export async function makePublishedBrief(deps: { db: Db; bus: EventBus }, overrides: Partial<BriefInput> = {}) {
  const brief = await createBrief(deps, CLI_ACTOR, briefInput(overrides));
  return publishBrief(deps, CLI_ACTOR, brief.id);
}

/** A published brief without quotes, details, previously or background: in search tests, every word that can match is one the test chose. */
export async function makeBareBrief(deps: { db: Db; bus: EventBus }, overrides: Partial<BriefInput> = {}) {
  return makePublishedBrief(deps, { quotes: [], details: [], previously: [], background: [], ...overrides });
}
