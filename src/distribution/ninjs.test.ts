import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { AppError } from '../common/errors.js';
import { findBrief, listBriefsForDesk } from '../content/brief-repository.js';
import { correctBrief, createBrief, publishBrief, retractBrief } from '../content/briefs.js';
import { createEntity } from '../content/entities.js';
import type { Brief } from '../content/types.js';
import { ensureDemoNewsroom } from '../cli/demo.js';
import { runCli } from '../cli/main.js';
import { loadConfig } from '../config/index.js';
import type { Runtime } from '../main.js';
import { openDatabase, type Db } from '../storage/database.js';
import { createEventBus, type EventBus } from '../storage/events.js';
import { openTestDatabase, testDataEnv, type TestDatabase } from '../test/database.js';
import { briefInput, makeStory, makeUser } from '../test/factories.js';
import { briefToNinjs, htmlToParagraphs, importNinjs, loadNinjsContext, ninjsToBriefInput } from './ninjs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VENDORED = path.join(repoRoot, 'src/distribution/ninjs/ninjs-schema_3.1.json');
// Vendored copies of ../shared/reference/ninjs (CI clones the project alone); the checksums below
// are upstream's, as SOURCE.md records them, so a changed copy fails here.
const EXAMPLE = path.join(repoRoot, 'src/distribution/ninjs/examples/3.1_005_complex_text_article.json');
const ORIGIN = 'http://newsdesk.test';

// The test's own validator, built from the files rather than from the module under test.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;
function referenceValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const geo = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/geojson-schema/GeoJSON.json'), 'utf8')) as Record<string, unknown>;
  delete geo.$schema;
  ajv.addSchema(geo, 'https://geojson.org/schema/GeoJSON.json');
  return ajv.compile(JSON.parse(fs.readFileSync(VENDORED, 'utf8')) as object);
}
const validate = referenceValidator();
const errorsOf = (doc: unknown) => (validate(doc) ? [] : validate.errors);

let database: TestDatabase;
let db: Db;
let bus: EventBus;
let deps: { db: Db; bus: EventBus };
beforeEach(async () => {
  database = await openTestDatabase();
  db = database.db;
  bus = createEventBus();
  deps = { db, bus };
});
afterEach(async () => { await database.close(); });

const exportOf = async (brief: Brief) => briefToNinjs(brief, await loadNinjsContext(db, brief, ORIGIN));

/** The 422's pointers, or a failure naming what came instead. */
function pointersOf(doc: unknown): string[] {
  try {
    ninjsToBriefInput(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(422);
    return (err as AppError).fields.map((f) => f.path);
  }
  throw new Error('expected a 422');
}

describe('the vendored ninjs 3.1 schema', () => {
  it('and the IPTC example are the IPTC files byte for byte (the checksums SOURCE.md records)', () => {
    const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(sha(VENDORED)).toBe('404f578a299bf34e76e98f2de26ad9989882ebd7abf3a4d3cf3aa689b70a8744');
    expect(sha(EXAMPLE)).toBe('c97e728fb248cbd866ffe9fc029aa9e3b6d83507f83f9359a55cbe5ab67a53a2');
  });
});

describe('briefToNinjs', () => {
  it('exports every demo brief, whatever its status, as valid ninjs 3.1', async () => {
    const runtime: Runtime = { config: loadConfig({}), db, bus, cookieSecret: randomBytes(32).toString('hex') };
    await ensureDemoNewsroom(runtime);
    const briefs = await listBriefsForDesk(db, { limit: 1000 });
    expect(briefs.length).toBeGreaterThanOrEqual(10);
    expect(briefs.some((b) => b.status === 'corrected')).toBe(true);
    for (const brief of briefs) {
      const item = await exportOf(brief);
      expect(errorsOf(item), `${brief.id} ${brief.status}`).toEqual([]);
      expect(item.headlines[0]!.value).toBe(brief.headline);
      expect(item.infoSources?.map((s) => s.name)).toEqual(brief.sources.length ? brief.sources.map((s) => s.name) : undefined);
      if (brief.entityIds.length) expect([...(item.people ?? []), ...(item.places ?? []), ...(item.organisations ?? [])].map((c) => c.literal).sort()).toEqual([...brief.entityIds].sort());
    }
  });

  it('maps each section of a brief to its ninjs property, exactly', async () => {
    const story = await makeStory(deps, 'Dam breach on the Dnipro');
    const person = await createEntity(deps, CLI_ACTOR, { kind: 'person', names: { en: 'Olena Kovalenko', uk: 'Олена Коваленко', ru: 'Елена Коваленко' } });
    const place = await createEntity(deps, CLI_ACTOR, { kind: 'place', names: { en: 'Nova Kakhovka', uk: 'Нова Каховка', ru: 'Новая Каховка' } });
    const org = await createEntity(deps, CLI_ACTOR, { kind: 'organisation', names: { en: 'State Emergency Service', uk: 'ДСНС', ru: 'ГСЧС' } });
    const editor = await makeUser(db, 'editor');
    const draft = await createBrief(deps, editor.actor, briefInput({
      headline: 'Water rises <fast> & the bridge closes',
      storyId: story.id,
      publishedAt: '2026-06-06T05:30:00Z',
      sources: [
        { name: 'State Emergency Service', url: 'https://example.org/statement', kind: 'official_statement' },
        { name: 'Local radio', kind: 'media' },
      ],
      quotes: [{ text: '“Water is rising.”\nLeave now.', speaker: 'Spokesperson', sourceIndex: 0 }],
      details: ['Rescuers moved **400 people**.', 'See [the map](https://example.org/map).'],
      previously: ['Cracks were reported.'],
      background: [{ text: 'The dam was built in 1956.', status: 'confirmed', attribution: 'Archive' }],
      entityIds: [person.id, place.id, org.id],
    }));
    const published = await publishBrief(deps, editor.actor, draft.id);
    // Timestamps are milliseconds: a correction in the publication's millisecond would carry its time.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const corrected = await correctBrief(deps, editor.actor, published.id, { details: ['Rescuers moved **450 people**.', 'See [the map](https://example.org/map).'] }, 'The number was wrong.');
    const item = await exportOf(corrected);
    expect(errorsOf(item)).toEqual([]);
    const html = item.bodies[0]!.value;
    expect(item).toMatchObject({
      uri: `tag:newsdesk.test,${corrected.createdAt.slice(0, 10)}:brief:${corrected.id}`,
      type: 'text', representationType: 'full', version: String(corrected.revision),
      firstCreated: corrected.createdAt, versionCreated: corrected.updatedAt, contentCreated: '2026-06-06T05:30:00.000Z',
      pubStatus: 'usable', language: 'en', by: 'Test editor',
      headlines: [{ role: 'main', contentType: 'text/plain', value: 'Water rises <fast> & the bridge closes' }],
      descriptions: [{ role: 'correction', contentType: 'text/plain', value: 'The number was wrong.' }],
      infoSources: [
        { name: 'State Emergency Service', role: 'official_statement', uri: 'https://example.org/statement' },
        { name: 'Local radio', role: 'media' },
      ],
      subjects: [{ name: 'Dam breach on the Dnipro', rel: 'story', uri: `${ORIGIN}/en/stories/${story.slug}`, literal: story.id }],
      people: [{ name: 'Olena Kovalenko', rel: 'mentions', uri: `${ORIGIN}/en/entities/${person.slug}`, literal: person.id }],
      places: [{ name: 'Nova Kakhovka', rel: 'mentions', uri: `${ORIGIN}/en/entities/${place.slug}`, literal: place.id }],
      organisations: [{ name: 'State Emergency Service', rel: 'mentions', uri: `${ORIGIN}/en/entities/${org.slug}`, literal: org.id }],
      altIds: [{ role: 'newsdesk-id', value: corrected.id }, { role: 'url', value: `${ORIGIN}/news/${corrected.slug}` }],
      standard: { name: 'ninjs', version: '3.1', schema: 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#' },
    });
    expect(item.versionCreated > published.updatedAt).toBe(true);
    expect(item).not.toHaveProperty('renditions');
    expect(item.bodies.map((b) => [b.role, b.contentType])).toEqual([['main', 'text/html'], ['main', 'text/plain'], ['quote', 'text/plain']]);
    expect(item.bodies[2]!.value).toBe('“Water is rising.”\nLeave now.\n— Spokesperson, State Emergency Service');
    // Sections in the page's order, markup escaped, Markdown rendered.
    const order = ['id="sources"', 'id="quotes"', 'id="details"', 'id="previously"', 'id="background"'].map((s) => html.indexOf(s));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(html).toContain('<a href="https://example.org/statement">State Emergency Service</a> (');
    expect(html).toContain('<p>Rescuers moved <strong>450 people</strong>.</p>');
    expect(html).toContain('<blockquote><p>“Water is rising.”<br>Leave now.</p></blockquote><figcaption>Spokesperson, State Emergency Service</figcaption>');
    expect(html).toContain('<li>The dam was built in 1956. — Confirmed — Archive</li>');
    const text = item.bodies[1]!.value;
    expect(text).toContain('Rescuers moved 450 people.');
    expect(text).not.toContain('**');
    expect(item.bodies[1]!.wordCount).toBe(text.split(/\s+/).filter(Boolean).length);

    const retracted = await retractBrief(deps, editor.actor, corrected.id, 'Withdrawn by the source.');
    const gone = await exportOf(retracted);
    expect(errorsOf(gone)).toEqual([]);
    expect(gone.pubStatus).toBe('canceled');
    expect(gone.descriptions).toContainEqual({ role: 'retraction', contentType: 'text/plain', value: 'Withdrawn by the source.' });
  });

  it('marks a draft withheld, without a public URL, in its own language', async () => {
    const draft = await createBrief(deps, CLI_ACTOR, briefInput({ language: 'uk', headline: 'Вода прибуває', storyId: null }));
    const item = await exportOf(draft);
    expect(errorsOf(item)).toEqual([]);
    expect(item.pubStatus).toBe('withheld');
    expect(item.altIds).toEqual([{ role: 'newsdesk-id', value: draft.id }]);
    expect(item.bodies[0]!.value).toContain('<h2>Цитата</h2>');
    expect(item).not.toHaveProperty('subjects');
    expect(item).not.toHaveProperty('contentCreated');
  });
});

describe('importing ninjs', () => {
  it('makes a draft of the IPTC example whose export validates and keeps headline, body and subjects', async () => {
    const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    expect(errorsOf(example)).toEqual([]);
    const person = await createEntity(deps, CLI_ACTOR, { kind: 'person', names: { en: 'Francesco Schettino', uk: 'Франческо Скеттіно', ru: 'Франческо Скеттино' } });
    const italy = await createEntity(deps, CLI_ACTOR, { kind: 'place', names: { en: 'Italy', uk: 'Італія', ru: 'Италия' } });
    const contributor = await makeUser(db, 'contributor');
    const { brief, unmatched } = await importNinjs(deps, contributor.actor, example);
    expect(brief.status).toBe('draft');
    expect(brief.headline).toBe('Captain of wrecked cruise ship on trial in Italy');
    expect(brief.language).toBe('en');
    // The rich body's four paragraphs, as plain text: no markup kept.
    expect(brief.details.slice(0, 4)).toEqual([
      'GROSSETO, Italy (AP) -- The trial of the captain of the shipwrecked Costa Concordia cruise liner has begun in a theater converted into a courtroom in Tuscany to accommodate all the survivors and relatives of the 32 victims who want to see justice carried out in the 2012 tragedy.',
      'The sole defendant, Francesco Schettino, his eyes shaded by sunglasses and slipping into a back door, made no comment to reporters as he arrived for his trial Tuesday on charges of multiple manslaughter, abandoning ship and causing the shipwreck near the island of Giglio.',
      'His lawyer, Domenico Pepe, told reporters that, as expected, the judge was postponing the hearing due to an eight-day nationwide lawyers\' strike.',
      'Pepe said some 1,000 witnesses are expected to eventually testify. Many of them are expected to be from among the 4,200 passengers and crew aboard the ship that struck a jagged reef off Giglio, took on water and capsized. Schettino has denied wrongdoing.',
    ]);
    expect(brief.details.join('')).not.toMatch(/[<>]/);
    expect(unmatched).toEqual([
      { pointer: '/organisations/0/name', name: 'Costa Crociere SpA' },
      { pointer: '/places/0/name', name: 'Grossetto' },
      { pointer: '/places/1/name', name: 'Tuscany' },
    ]);
    expect(brief.details[4]).toBe('Subjects (from the partner\'s ninjs, not in the gazetteer): Costa Crociere SpA; Grossetto; Tuscany');
    expect(brief.entityIds).toEqual(expect.arrayContaining([person.id, italy.id]));

    const stored = (await findBrief(db, brief.id))!;
    const item = await exportOf(stored);
    expect(errorsOf(item)).toEqual([]);
    expect(item.headlines[0]!.value).toBe('Captain of wrecked cruise ship on trial in Italy');
    expect(item.bodies[1]!.value).toContain('Schettino has denied wrongdoing.');
    expect(item.people?.map((p) => p.name)).toEqual(['Francesco Schettino']);
    expect(item.places?.map((p) => p.name)).toEqual(['Italy']);
    expect(item.bodies[1]!.value).toContain('Costa Crociere SpA; Grossetto; Tuscany');
  });

  it('imported by an editor, keeps every person, place and organisation of the IPTC example as a subject of the export', async () => {
    const example = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown> & Record<'people' | 'places' | 'organisations', { name: string }[]>;
    const italy = await createEntity(deps, CLI_ACTOR, { kind: 'place', names: { en: 'Italy', uk: 'Італія', ru: 'Италия' } });
    const editor = await makeUser(db, 'editor');
    const { brief, unmatched } = await importNinjs(deps, editor.actor, example);
    expect(unmatched).toEqual([]);
    expect(brief.details.join('\n')).not.toContain('Subjects');
    const item = await exportOf((await findBrief(db, brief.id))!);
    expect(errorsOf(item)).toEqual([]);
    const names = (list?: { name?: string }[]) => (list ?? []).map((c) => c.name).sort();
    expect(names(item.people)).toEqual(names(example.people));
    expect(names(item.places)).toEqual(names(example.places));
    expect(names(item.organisations)).toEqual(names(example.organisations));
    // An entity the gazetteer had is reused, not made twice.
    expect((await db.selectFrom('entities').select('id').where('name_en', '=', 'Italy').execute()).map((r) => r.id)).toEqual([italy.id]);
  });

  it('keeps subjects that match an entity by any of its names or aliases, and quotes and sources', () => {
    const entity = { id: 'e1', slug: 'kyiv', kind: 'place' as const, names: { en: 'Kyiv', uk: 'Київ', ru: 'Киев' }, aliases: ['Kiev'] };
    const { input, unmatched } = ninjsToBriefInput({
      uri: 'urn:partner:1', language: 'uk-UA',
      headlines: [{ role: 'sub', value: 'Підзаголовок' }, { role: 'main', value: 'Заголовок' }],
      bodies: [{ role: 'main', contentType: 'text/plain', value: 'Перший абзац.\n\nДругий *абзац*.' }, { role: 'quote', value: '«Ми тримаємось»' }],
      infoSources: [{ name: 'Укрінформ', role: 'news_agency', uri: 'https://ukrinform.ua' }, { name: 'Партнер', role: 'originator' }],
      subjects: [{ name: 'kiev' }],
    }, [entity]);
    expect(input).toEqual({
      language: 'uk', headline: 'Заголовок',
      sources: [{ name: 'Укрінформ', url: 'https://ukrinform.ua', kind: 'news_agency' }, { name: 'Партнер', url: null, kind: 'news_agency' }],
      quotes: [{ text: '«Ми тримаємось»' }],
      details: ['Перший абзац.', 'Другий \\*абзац\\*.'],
      entityIds: ['e1'],
    });
    expect(unmatched).toEqual([]);
  });

  it('imports simple ninjs 2.x with lower-case names', () => {
    const { input } = ninjsToBriefInput({
      uri: 'urn:partner:2', type: 'text', language: 'en', versioncreated: '2024-01-01T10:00:00Z', byline: 'Agency staff',
      headline: 'Floods in the south', body_html: '<p>First <b>bold</b> line.</p><p>Second, <a href="https://example.org/x">linked</a>.</p>',
      infosources: [{ name: 'Agency' }],
      person: [{ name: 'Jane Doe' }],
    });
    expect(input.headline).toBe('Floods in the south');
    expect(input.details).toEqual(['First **bold** line.', 'Second, [linked](https://example.org/x).', 'Subjects (from the partner\'s ninjs, not in the gazetteer): Jane Doe']);
    expect(input.sources).toEqual([{ name: 'Agency', url: null, kind: 'news_agency' }]);
    expect(pointersOf({ uri: 'urn:x', headline: 'H', body_text: 'T', associations: {} })).toEqual(['/associations']);
    expect(pointersOf({ headline: 5, body_text: 'T' })).toEqual(['/uri', '/headline']);
  });

  it('answers 422 naming the JSON pointer of each problem', () => {
    expect(pointersOf({ headlines: [{ value: 'H' }] })).toEqual(['/uri']);
    expect(pointersOf({ uri: 'urn:x', headlines: 'H', bodies: [{ value: 5 }], foo: 1 }).sort()).toEqual(['/bodies/0/value', '/foo', '/headlines'].sort());
    expect(pointersOf({ uri: 'urn:x', type: 'picture', headlines: [{ value: 'H' }], renditions: [{ name: 'thumb', href: 'https://example.org/a.jpg' }], embargoedUntil: '2030-01-01T00:00:00Z' }).sort())
      .toEqual(['/embargoedUntil', '/renditions', '/type']);
    expect(pointersOf({ uri: 'urn:x', language: 'de', headlines: [{ value: 'H' }] })).toEqual(['/language']);
    expect(pointersOf({ uri: 'urn:x', versionCreated: 'yesterday', headlines: [{ value: 'H' }] })).toEqual(['/versionCreated']);
    expect(pointersOf({ uri: 'urn:x', bodies: [{ value: 'Text' }] })).toEqual(['/headlines']);
    expect(pointersOf({ uri: 'urn:x', headlines: [{ value: 'x'.repeat(301) }] })).toEqual(['/headlines/0/value']);
    expect(pointersOf({ headlines: [{ value: 'x'.repeat(301) }] })).toEqual(['/uri', '/headlines/0/value']);
    expect(pointersOf({ uri: 'urn:x', headlines: [{ value: 'H' }], bodies: [{ contentType: 'image/png', value: 'AAAA' }] })).toEqual(['/bodies/0/contentType']);
    expect(pointersOf({ uri: 'urn:x', 'a/b~c': 1, headlines: [{ value: 'H' }] })).toEqual(['/a~1b~0c']);
    expect(pointersOf([1, 2])).toEqual(['/']);
  });

  it('refuses the import to roles that may not write briefs, before looking at the document', async () => {
    const moderator = await makeUser(db, 'moderator');
    await expect(importNinjs(deps, moderator.actor, {})).rejects.toMatchObject({ status: 403 });
  });
});

describe('htmlToParagraphs', () => {
  it('keeps text, paragraphs, emphasis and http links, and nothing else of the markup', () => {
    expect(htmlToParagraphs('<p onclick="x()">A &amp; B &lt;script&gt;</p><script>alert(1)</script><style>p{}</style><!-- c --><div>C<br/>D</div>'))
      .toEqual(['A & B <script>', 'C', 'D']);
    expect(htmlToParagraphs('<p><a href="javascript:alert(1)">bad</a> <a href=\'https://ok.example/\'>ok</a> <em>it</em> 2*3</p>'))
      .toEqual(['bad [ok](https://ok.example/) *it* 2\\*3']);
    expect(htmlToParagraphs('<p>a<b></b>b <strong>c</strong></p><p><b> </b></p>')).toEqual(['ab **c**']);
  });

  it('reads unclosed markup to the end in one pass: the rest of an unclosed tag is text, an unclosed comment or script is dropped', () => {
    expect(htmlToParagraphs('<p>Kept</p><a href="https://x.example/')).toEqual(['Kept', '<a href="https://x.example/']);
    expect(htmlToParagraphs('<p>Kept</p><!-- never closed <p>lost</p>')).toEqual(['Kept']);
    expect(htmlToParagraphs('<p>Kept</p><script>while(1);<p>lost</p>')).toEqual(['Kept']);
    expect(htmlToParagraphs('1 < 2 and <p>3 > 2</p>')).toEqual(['1 < 2 and', '3 > 2']);
    // Thousands of unclosed tags, which once took a regular expression quadratic time: still the whole text back.
    const hostile = '<a "'.repeat(50_000);
    expect(htmlToParagraphs(`<p>Start</p>${hostile}`)).toEqual(['Start', hostile.replace(/\s+/g, ' ').trim()]);
  });
});

describe('newsdesk import --format ninjs', () => {
  it('imports each file as a draft, all or nothing, naming the file and pointer of a problem', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsdesk-ninjs-'));
    const { env, drop } = await testDataEnv(dataDir);
    try {
      const bad = path.join(dataDir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ uri: 'urn:x', headlines: [{ value: 'H' }], renditions: [] }));
      const lines = { out: [] as string[], err: [] as string[] };
      const io = { out: (l: string) => void lines.out.push(l), err: (l: string) => void lines.err.push(l) };
      expect(await runCli(['import', '--format', 'ninjs', EXAMPLE, bad], io, env)).toBe(1);
      expect(lines.err.join('\n')).toContain(`${bad}:`);
      expect(lines.err.join('\n')).toContain('/renditions:');
      expect(lines.out).toEqual([]);

      expect(await runCli(['import', '--format', 'ninjs', EXAMPLE], io, env)).toBe(0);
      expect(lines.out).toHaveLength(1);
      const [id] = lines.out[0]!.split('\t');
      const check = openDatabase({ dataDir, databaseUrl: env.DATABASE_URL ?? null });
      try {
        const rows = await check.selectFrom('briefs').select(['id', 'status', 'headline']).execute();
        expect(rows).toEqual([{ id, status: 'draft', headline: 'Captain of wrecked cruise ship on trial in Italy' }]);
      } finally {
        await check.destroy();
      }
      expect(await runCli(['import', '--format', 'ninjs', '--publish', EXAMPLE], io, env)).toBe(2);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await drop();
    }
  });
});
