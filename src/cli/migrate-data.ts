import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { createSearchIndex } from '../search/engine.js';
import { migrateToLatest, openPostgres, type Db, type Executor } from '../storage/database.js';
import { migrationProvider } from '../storage/migrations/index.js';
import type { Database } from '../storage/schema.js';
import type { StandaloneCommand } from './main.js';
import { UsageError } from './usage.js';

// `newsdesk migrate-data`: the embedded archive copied into PostgreSQL, then read back from both
// and compared table by table. The source is opened read-only and read in one snapshot; the
// target is written in one transaction, so a failed copy leaves it as empty as it was.

/**
 * Every table of the archive, parents before children: a row's references are in the target
 * before it is (each run checks this order against the source's foreign keys).
 */
export const COPIED_TABLES = [
  'users', 'sessions', 'api_tokens', 'stories', 'entities', 'background_items', 'background_item_changes',
  'briefs', 'brief_entities', 'brief_entity_removals', 'brief_authors', 'brief_revisions',
  'comments', 'comment_reports', 'comment_revisions', 'comment_policies', 'moderation_settings', 'moderation_actions',
  'events', 'webhooks', 'webhook_deliveries', 'webhook_cursor', 'rate_limits',
] as const satisfies readonly (keyof Database)[];

// A table added to schema.ts and not to the list above fails the build here, before any archive
// could be copied without it.
type Uncopied = Exclude<keyof Database, (typeof COPIED_TABLES)[number]>;
export const EVERY_SCHEMA_TABLE_COPIED: [Uncopied] extends [never] ? true : Uncopied = true;

/**
 * Left out on purpose: each database keeps its own migration history, and the search documents
 * are laid out per engine (FTS5 tables here, tsvector columns there), so the target's index is
 * rebuilt from the copied content instead.
 */
const LEFT_OUT = new Set(['kysely_migration', 'kysely_migration_lock', 'search_brief_docs', 'search_entity_docs', 'search_state']);
/** FTS5's own tables behind a virtual table (`search_brief_fts_data`, …). */
const FTS5_SHADOWS = ['data', 'idx', 'docsize', 'config', 'content'];

/**
 * Columns only the PostgreSQL schema has: `events.seq` numbers the events in commit order there
 * (migration 202612010900); it is assigned anew, in the source's rowid order.
 */
const TARGET_ONLY_COLUMNS: Record<string, string[]> = { events: ['seq'] };

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 65_535;
const ROWS_PER_INSERT = 4000;
/** Long texts (brief contents, revision snapshots) close an INSERT early, to bound its size. */
const CHARS_PER_INSERT = 8_000_000;
const ROWS_PER_FETCH = 2000;
const PROGRESS_EVERY_MS = 3000;

export interface MigrateOptions {
  /** The SQLite file (newsdesk.sqlite). */
  sourceFile: string;
  targetUrl: string;
  /** Empty the target's tables first instead of refusing a target that holds data. */
  isReplacing?: boolean;
  /** Verify an earlier copy only: nothing is written. */
  isVerifyOnly?: boolean;
  /** Progress lines (stderr in the command). */
  log?: (line: string) => void;
}

export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  /** The primary key of the first row (in key order) that differs or is missing on one side. */
  firstDifference: string | null;
}

export interface MigrationReport {
  tables: TableCheck[];
  isVerified: boolean;
  copiedRows: number;
  /** Documents the target's rebuilt search index holds; null when verifying only. */
  search: { briefs: number; entities: number } | null;
  elapsedMs: number;
}

interface TablePlan {
  name: string;
  /** In the source's column order; the target has the same ones (checked). */
  columns: string[];
  /** The primary key: the order both sides are read in for the checksum. */
  key: string[];
  /**
   * Columns that reference the same table (a reply's parent): written NULL first and set in a
   * second pass once every row of the table is there, whatever order the rows came in.
   */
  selfReferences: string[];
  /** PostgreSQL's data type of each column (casts in the second pass, collation of the key). */
  targetTypes: Map<string, string>;
}

type Row = unknown[];

// ---- Arguments --------------------------------------------------------------------------------

/** The SQLite file `--from sqlite:PATH` names: the file itself, or a data folder holding newsdesk.sqlite. */
export function sourceFileOf(from: string | undefined): string {
  if (from === undefined || from.trim() === '') throw new UsageError('migrate-data needs --from sqlite:PATH');
  if (!from.startsWith('sqlite:')) throw new UsageError(`--from must be sqlite:PATH, the embedded database's file or data folder (got "${from}")`);
  const given = from.slice('sqlite:'.length);
  if (given.trim() === '') throw new UsageError('--from sqlite: needs a path after "sqlite:"');
  const resolved = path.resolve(given);
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`--from: ${resolved} does not exist`);
  const file = stat.isDirectory() ? path.join(resolved, 'newsdesk.sqlite') : resolved;
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--from: ${resolved} is a folder without newsdesk.sqlite in it`);
  return file;
}

/** The target of `--to postgres://…`, checked for its form only (connecting comes later). */
export function targetUrlOf(to: string | undefined): string {
  if (to === undefined || to.trim() === '') throw new UsageError('migrate-data needs --to postgres://…');
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new UsageError(`--to must be a postgres:// URL (got "${to}", which is not a URL)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError(`--to must be a postgres:// URL (got the scheme "${url.protocol}")`);
  }
  return to;
}

// ---- The source -------------------------------------------------------------------------------

/** Opens the archive read-only; a file that is not a Newsdesk database is the --from option's fault. */
function openSource(file: string): SQLite.Database {
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    sqlite?.close();
    throw new UsageError(`--from: ${file} cannot be read as a SQLite database (${(err as Error).message})`);
  }
  return sqlite;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Refuses a source whose schema is older or newer than this version's: the copy assumes the latest. */
async function checkSourceHistory(sqlite: SQLite.Database, file: string): Promise<void> {
  const hasHistory = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get();
  if (!hasHistory) throw new UsageError(`--from: ${file} is not a Newsdesk database (it has no migration history)`);
  const applied = sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all() as string[];
  const known = Object.keys(await migrationProvider.getMigrations()).sort();
  const missing = known.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length) throw new Error(`the source was migrated by a newer Newsdesk (${unknown.join(', ')}); migrate it with that version`);
  if (missing.length) {
    throw new Error(`the source's schema is behind this version (missing ${missing.join(', ')}); open it once with this version `
      + `(for example NEWSDESK_DATA=<its folder> npx newsdesk search-rebuild) so it is migrated, then copy it`);
  }
}

/** The source's tables that are neither copied nor left out on purpose: refused, never dropped silently. */
function unknownSourceTables(sqlite: SQLite.Database): string[] {
  const tables = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string | null }[];
  const virtual = tables.filter((t) => /^\s*create\s+virtual\s+table/i.test(t.sql ?? '') && t.name.startsWith('search_')).map((t) => t.name);
  const searchShadows = new Set(virtual.flatMap((v) => [v, ...FTS5_SHADOWS.map((s) => `${v}_${s}`)]));
  const copied = new Set<string>(COPIED_TABLES);
  return tables.map((t) => t.name)
    .filter((name) => !copied.has(name) && !LEFT_OUT.has(name) && !searchShadows.has(name) && !name.startsWith('sqlite_'));
}

interface SourceTable {
  columns: string[];
  key: string[];
  references: { table: string; from: string }[];
}

function describeSourceTable(sqlite: SQLite.Database, table: string): SourceTable {
  const info = sqlite.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string; pk: number }[];
  if (info.length === 0) throw new Error(`the source has no table ${table}`);
  const key = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  if (key.length === 0) throw new Error(`the source's table ${table} has no primary key to order its rows by`);
  const references = sqlite.prepare(`PRAGMA foreign_key_list(${quote(table)})`).all() as { table: string; from: string }[];
  return { columns: info.map((c) => c.name), key, references: references.map((r) => ({ table: r.table, from: r.from })) };
}

// ---- The target -------------------------------------------------------------------------------

interface TargetSchema {
  tables: Set<string>;
  /** Column name → data type, per table, in the connection's schema (search_path). */
  columns: Map<string, Map<string, string>>;
}

async function describeTarget(db: Executor): Promise<TargetSchema> {
  const run = <T>(text: string) => db.executeQuery<T>(CompiledQuery.raw(text, []));
  const tables = (await run<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  )).rows.map((r) => r.table_name);
  const columns = new Map<string, Map<string, string>>();
  const rows = (await run<{ table_name: string; column_name: string; data_type: string }>(
    'SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
  )).rows;
  for (const r of rows) {
    if (!columns.has(r.table_name)) columns.set(r.table_name, new Map());
    columns.get(r.table_name)!.set(r.column_name, r.data_type);
  }
  return { tables: new Set(tables), columns };
}

/**
 * What to copy, table by table, from the two schemas: both must hold the same columns, the
 * target no table the copier does not know, and the list's order must put every parent first.
 */
function planTables(sqlite: SQLite.Database, target: TargetSchema): TablePlan[] {
  const unknownSource = unknownSourceTables(sqlite);
  if (unknownSource.length) throw new Error(`the source has tables migrate-data does not know how to copy: ${unknownSource.join(', ')}`);
  const known = new Set<string>([...COPIED_TABLES, ...LEFT_OUT]);
  const unknownTarget = [...target.tables].filter((t) => !known.has(t));
  if (unknownTarget.length) throw new Error(`the target has tables migrate-data does not know how to fill: ${unknownTarget.join(', ')}`);

  return COPIED_TABLES.map((name, position) => {
    const source = describeSourceTable(sqlite, name);
    const targetTypes = target.columns.get(name);
    if (!targetTypes) throw new Error(`the target has no table ${name}`);
    const targetColumns = [...targetTypes.keys()].filter((c) => !(TARGET_ONLY_COLUMNS[name] ?? []).includes(c));
    const sameColumns = targetColumns.length === source.columns.length && source.columns.every((c) => targetTypes.has(c));
    if (!sameColumns) {
      throw new Error(`table ${name} has other columns in the source (${source.columns.join(', ')}) than in the target (${targetColumns.join(', ')})`);
    }
    for (const ref of source.references) {
      const parent = (COPIED_TABLES as readonly string[]).indexOf(ref.table);
      if (parent === -1 || parent > position) {
        throw new Error(`copy order: ${name}.${ref.from} references ${ref.table}, which COPIED_TABLES does not list before it`);
      }
    }
    const selfReferences = [...new Set(source.references.filter((r) => r.table === name).map((r) => r.from))];
    return { name, columns: source.columns, key: source.key, selfReferences, targetTypes };
  });
}

/**
 * The target must hold none of the archive's rows: copying next to other rows would mix two
 * newsrooms (and collide on keys). `isReplacing` empties the tables instead, in the copy's
 * transaction, so a failed copy leaves the old rows in place.
 */
async function emptyTarget(trx: Executor, plans: TablePlan[], isReplacing: boolean): Promise<void> {
  if (isReplacing) {
    // The search documents reference briefs and entities; they are rebuilt after the copy. With
    // search_state gone too, an index whose rebuild fails counts as never built, and the next
    // start of the app builds it.
    const tables = [...plans.map((p) => p.name), 'search_brief_docs', 'search_entity_docs', 'search_state'].map(quote).join(', ');
    await trx.executeQuery(CompiledQuery.raw(`TRUNCATE ${tables} RESTART IDENTITY`, []));
    return;
  }
  const counts = (await trx.executeQuery<Record<string, number>>(CompiledQuery.raw(
    `SELECT ${plans.map((p) => `(SELECT count(*) FROM ${quote(p.name)}) AS ${quote(p.name)}`).join(', ')}`, [],
  ))).rows[0]!;
  const holding = plans.filter((p) => Number(counts[p.name]) > 0).map((p) => `${p.name}: ${Number(counts[p.name])}`);
  if (holding.length) {
    throw new Error(`the target already holds data (${holding.join(', ')}); copy into an empty database, `
      + 'or pass --replace to delete these rows first');
  }
}

// ---- Copying ----------------------------------------------------------------------------------

/** better-sqlite3 reads integers as BigInt (safeIntegers, so none past 2^53 is rounded); pg takes their text. */
const toParameter = (value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

const placeholderCache = new Map<string, string>();

/** `($1, $2), ($3, $4)…` for `rows` rows of `width` values; the same few shapes recur, so they are kept. */
function placeholders(rows: number, width: number, casts: string[] = []): string {
  const cacheKey = `${rows}:${width}:${casts.join(',')}`;
  let text = placeholderCache.get(cacheKey);
  if (!text) {
    const tuples: string[] = [];
    for (let r = 0, n = 1; r < rows; r++) {
      const values: string[] = [];
      for (let c = 0; c < width; c++, n++) values.push(casts[c] ? `$${n}::${casts[c]}` : `$${n}`);
      tuples.push(`(${values.join(', ')})`);
    }
    text = tuples.join(', ');
    if (placeholderCache.size > 50) placeholderCache.clear();
    placeholderCache.set(cacheKey, text);
  }
  return text;
}

/** Rows of a table sent to the target so far; printed every few seconds and at each table's end. */
type Progress = (table: string, done: number, total: number) => void;

function progressReporter(log: (line: string) => void): Progress {
  let last = 0;
  return (table, done, total) => {
    const now = performance.now();
    if (done < total && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    log(`${table}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} rows`);
  };
}

/**
 * Streams one table into the target in multi-row INSERTs. The next batch is read from SQLite
 * while PostgreSQL writes the last one; the rows go in rowid order, so `events.seq` follows the
 * order the events were recorded in.
 */
async function copyTable(sqlite: SQLite.Database, trx: Executor, plan: TablePlan, progress: Progress): Promise<number> {
  const total = Number(sqlite.prepare(`SELECT count(*) FROM ${quote(plan.name)}`).pluck().get());
  const width = plan.columns.length;
  const rowsPerInsert = Math.min(ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / width));
  const insertHead = `INSERT INTO ${quote(plan.name)} (${plan.columns.map(quote).join(', ')}) VALUES `;
  const selfIndexes = plan.selfReferences.map((c) => plan.columns.indexOf(c));
  const keyIndexes = plan.key.map((c) => plan.columns.indexOf(c));
  const deferred: Row[] = [];

  let pending: Promise<unknown> = Promise.resolve();
  let params: unknown[] = [];
  let rows = 0;
  let chars = 0;
  let done = 0;
  const flush = async () => {
    await pending;
    const text = insertHead + placeholders(rows, width);
    pending = trx.executeQuery(CompiledQuery.raw(text, params));
    // Awaited at the next flush; until then a failure must not count as unhandled.
    pending.catch(() => {});
    done += rows;
    progress(plan.name, done, total);
    params = [];
    rows = 0;
    chars = 0;
  };

  const select = sqlite.prepare(`SELECT ${plan.columns.map(quote).join(', ')} FROM ${quote(plan.name)} ORDER BY rowid`).raw(true).safeIntegers(true);
  for (const row of select.iterate() as IterableIterator<Row>) {
    if (selfIndexes.some((i) => row[i] !== null)) {
      deferred.push([...keyIndexes.map((i) => toParameter(row[i])), ...selfIndexes.map((i) => toParameter(row[i]))]);
      for (const i of selfIndexes) row[i] = null;
    }
    for (const value of row) {
      params.push(toParameter(value));
      if (typeof value === 'string') chars += value.length;
    }
    rows++;
    if (rows === rowsPerInsert || chars >= CHARS_PER_INSERT) await flush();
  }
  if (rows > 0) await flush();
  await pending;
  if (done === 0) progress(plan.name, 0, 0);
  await setSelfReferences(trx, plan, deferred);
  return done;
}

/** The second pass: self-references set by key, now that every row they can point at exists. */
async function setSelfReferences(trx: Executor, plan: TablePlan, deferred: Row[]): Promise<void> {
  if (deferred.length === 0) return;
  const keys = plan.key.map((_, i) => `k${i}`);
  const refs = plan.selfReferences.map((_, i) => `r${i}`);
  const casts = [...plan.key, ...plan.selfReferences].map((c) => plan.targetTypes.get(c)!);
  const width = keys.length + refs.length;
  const rowsPerUpdate = Math.min(ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / width));
  const set = plan.selfReferences.map((c, i) => `${quote(c)} = v.${refs[i]}`).join(', ');
  const match = plan.key.map((c, i) => `t.${quote(c)} = v.${keys[i]}`).join(' AND ');
  for (let start = 0; start < deferred.length; start += rowsPerUpdate) {
    const batch = deferred.slice(start, start + rowsPerUpdate);
    const text = `UPDATE ${quote(plan.name)} AS t SET ${set} FROM (VALUES ${placeholders(batch.length, width, casts)}) AS v(${[...keys, ...refs].join(', ')}) WHERE ${match}`;
    await trx.executeQuery(CompiledQuery.raw(text, batch.flat()));
  }
}

// ---- Verifying --------------------------------------------------------------------------------

/**
 * One value as text, the same for both drivers: SQLite's BigInt and PostgreSQL's number of the
 * same integer both become its digits, a boolean 1 or 0 (as SQLite stores it), bytes hex; NULL
 * stays null, which JSON keeps apart from the text "null".
 */
function normalise(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  throw new Error(`cannot compare a value of type ${typeof value}`);
}

const rowText = (row: Row) => JSON.stringify(row.map(normalise));

function* sourceRows(sqlite: SQLite.Database, plan: TablePlan): Generator<Row> {
  // BINARY is SQLite's byte order of UTF-8, the order COLLATE "C" gives on PostgreSQL.
  const order = plan.key.map((c) => `${quote(c)} COLLATE BINARY`).join(', ');
  const select = sqlite.prepare(`SELECT ${plan.columns.map(quote).join(', ')} FROM ${quote(plan.name)} ORDER BY ${order}`).raw(true).safeIntegers(true);
  yield* select.iterate() as IterableIterator<Row>;
}

const TEXT_TYPES = new Set(['text', 'character varying', 'character']);

/** The target's rows in key order through a cursor: a table never has to fit in memory. */
async function* targetRows(trx: Executor, plan: TablePlan): AsyncGenerator<Row> {
  const order = plan.key.map((c) => (TEXT_TYPES.has(plan.targetTypes.get(c)!) ? `${quote(c)} COLLATE "C"` : quote(c))).join(', ');
  const run = <T>(text: string) => trx.executeQuery<T>(CompiledQuery.raw(text, []));
  await run(`DECLARE nd_verify NO SCROLL CURSOR FOR SELECT ${plan.columns.map(quote).join(', ')} FROM ${quote(plan.name)} ORDER BY ${order}`);
  try {
    for (;;) {
      const { rows } = await run<Record<string, unknown>>(`FETCH FORWARD ${ROWS_PER_FETCH} FROM nd_verify`);
      if (rows.length === 0) return;
      for (const row of rows) yield plan.columns.map((c) => row[c]);
    }
  } finally {
    await run('CLOSE nd_verify');
  }
}

/**
 * Counts and checksums one table on both sides: sha256 over its rows in key order, each row's
 * values as text. The two are read side by side, so the first row that differs is named too.
 */
async function checkTable(sqlite: SQLite.Database, trx: Executor, plan: TablePlan): Promise<TableCheck> {
  const hashes = { source: createHash('sha256'), target: createHash('sha256') };
  const counts = { source: 0, target: 0 };
  let firstDifference: string | null = null;
  const left = sourceRows(sqlite, plan);
  const right = targetRows(trx, plan);
  const keyOf = (row: Row) => plan.key.map((c) => normalise(row[plan.columns.indexOf(c)])).join(' ');
  try {
    for (;;) {
      const l = left.next();
      const r = await right.next();
      if (l.done && r.done) break;
      const lText = l.done ? null : rowText(l.value);
      const rText = r.done ? null : rowText(r.value);
      if (lText !== null) {
        hashes.source.update(lText).update('\n');
        counts.source++;
      }
      if (rText !== null) {
        hashes.target.update(rText).update('\n');
        counts.target++;
      }
      if (firstDifference === null && lText !== rText) firstDifference = keyOf(l.done ? r.value as Row : l.value);
    }
  } finally {
    left.return(undefined);
    await right.return(undefined);
  }
  return {
    table: plan.name, sourceRows: counts.source, targetRows: counts.target,
    sourceChecksum: hashes.source.digest('hex'), targetChecksum: hashes.target.digest('hex'), firstDifference,
  };
}

async function verifyTables(sqlite: SQLite.Database, db: Db, plans: TablePlan[], log: (line: string) => void): Promise<TableCheck[]> {
  // One snapshot of the target for every table, as the source is read in one.
  return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const checks: TableCheck[] = [];
    for (const plan of plans) {
      const check = await checkTable(sqlite, trx, plan);
      if (check.sourceRows > 10_000) log(`verified ${plan.name}`);
      checks.push(check);
    }
    return checks;
  });
}

const since = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)} s`;

const isEqual = (c: TableCheck) => c.sourceRows === c.targetRows && c.sourceChecksum === c.targetChecksum && c.firstDifference === null;

// ---- The whole run ----------------------------------------------------------------------------

/**
 * Copies the archive in `sourceFile` into the PostgreSQL database at `targetUrl` (migrated to the
 * latest schema first; refused when it holds data, unless replacing), rebuilds the target's
 * search index and verifies every table. With `isVerifyOnly` it only verifies.
 */
export async function migrateData(options: MigrateOptions): Promise<MigrationReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const sqlite = openSource(options.sourceFile);
  const db = openPostgres(options.targetUrl);
  try {
    await checkSourceHistory(sqlite, options.sourceFile);
    try {
      await db.executeQuery(CompiledQuery.raw('SELECT 1', []));
    } catch (err) {
      throw new Error(`cannot connect to the --to database (${(err as Error).message})`);
    }
    if (!options.isVerifyOnly) await migrateToLatest(db);
    // Every read of the source in one snapshot: a server still writing to it cannot make the
    // copy and its verification see two different archives.
    sqlite.exec('BEGIN');
    try {
      const plans = planTables(sqlite, await describeTarget(db));
      let copiedRows = 0;
      let search: MigrationReport['search'] = null;
      if (!options.isVerifyOnly) {
        const progress = progressReporter(log);
        await db.transaction().execute(async (trx) => {
          await emptyTarget(trx, plans, options.isReplacing ?? false);
          for (const plan of plans) copiedRows += await copyTable(sqlite, trx, plan, progress);
        });
        log(`copied ${copiedRows.toLocaleString('en')} rows in ${since(started)}; rebuilding the search index`);
        const rebuilding = performance.now();
        search = await createSearchIndex(db).rebuild();
        log(`search index rebuilt in ${since(rebuilding)}; verifying`);
      }
      const verifying = performance.now();
      const tables = await verifyTables(sqlite, db, plans, log);
      log(`verified in ${since(verifying)}`);
      return { tables, isVerified: tables.every(isEqual), copiedRows, search, elapsedMs: Math.round(performance.now() - started) };
    } finally {
      sqlite.exec('ROLLBACK');
    }
  } finally {
    sqlite.close();
    await db.destroy();
  }
}

/** The comparison as a table: one line per table, checksums shortened to their first 16 digits. */
export function formatChecks(checks: TableCheck[]): string[] {
  const width = Math.max(...checks.map((c) => c.table.length), 'table'.length);
  const line = (cells: string[]) => cells.join('  ').trimEnd();
  const out = [line(['table'.padEnd(width), 'source rows'.padStart(11), 'target rows'.padStart(11), 'source sha256'.padEnd(16), 'target sha256'.padEnd(16), 'result'])];
  for (const c of checks) {
    const result = isEqual(c) ? 'equal' : `DIFFERENT${c.firstDifference === null ? '' : ` (first at key ${c.firstDifference})`}`;
    out.push(line([c.table.padEnd(width), String(c.sourceRows).padStart(11), String(c.targetRows).padStart(11),
      c.sourceChecksum.slice(0, 16), c.targetChecksum.slice(0, 16), result]));
  }
  return out;
}

/** Exit status of a copy whose verification found differences (1 is any other failure). */
export const EXIT_DIFFERENT = 3;

/** `newsdesk migrate-data`: progress on stderr, the verification table and a summary on stdout. */
export const migrateDataCommand: StandaloneCommand = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, replace: { type: 'boolean' }, 'verify-only': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length) throw new UsageError(`migrate-data takes only options (got "${positionals.join(' ')}")`);
  if (values.replace && values['verify-only']) throw new UsageError('--replace and --verify-only exclude each other (verifying writes nothing)');
  const sourceFile = sourceFileOf(values.from);
  const targetUrl = targetUrlOf(values.to);
  let report: MigrationReport;
  try {
    report = await migrateData({ sourceFile, targetUrl, isReplacing: values.replace ?? false, isVerifyOnly: values['verify-only'] ?? false, log: io.err });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.err(`error: migrate-data: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  for (const line of formatChecks(report.tables)) io.out(line);
  const rows = report.tables.reduce((n, c) => n + c.sourceRows, 0);
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const searched = report.search ? `; search index rebuilt: ${report.search.briefs} briefs, ${report.search.entities} entities` : '';
  if (report.isVerified) {
    io.out(`${report.search ? 'Copied and verified' : 'Verified'}: ${report.tables.length} tables, ${rows} rows equal in both databases${searched} (${seconds} s).`);
    return 0;
  }
  const different = report.tables.filter((c) => !isEqual(c)).map((c) => c.table);
  io.out(`DIFFERENT: ${different.join(', ')} differ between the databases${searched} (${seconds} s).`);
  return EXIT_DIFFERENT;
};
