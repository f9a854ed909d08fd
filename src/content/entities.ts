import { assertCan, type Actor } from '../accounts/policy.js';
import { notFound, validationError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import type { Executor } from '../storage/database.js';
import { inTransaction } from '../storage/events.js';
import type { EntityRow } from '../storage/schema.js';
import type { ContentDeps } from './briefs.js';
import { GAZETTEER } from './fixtures/gazetteer.js';
import { EntityInputSchema, type EntityInput } from './schema.js';
import { uniqueSlug } from './slugs.js';
import type { Entity, EntityKind, Language } from './types.js';

function toEntity(row: EntityRow): Entity {
  return {
    id: row.id, slug: row.slug, kind: row.kind as EntityKind,
    names: { en: row.name_en, uk: row.name_uk, ru: row.name_ru }, aliases: JSON.parse(row.aliases) as string[],
  };
}

/** The entity's name in `language`, falling back to English, then any name it has. */
export function entityName(entity: Entity, language: Language): string {
  return entity.names[language] || entity.names.en || entity.names.uk || entity.names.ru;
}

export async function findEntity(db: Executor, id: string): Promise<Entity | null> {
  const row = await db.selectFrom('entities').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toEntity(row) : null;
}

export async function findEntityBySlug(db: Executor, slug: string): Promise<Entity | null> {
  const row = await db.selectFrom('entities').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toEntity(row) : null;
}

export async function findEntitiesByIds(db: Executor, ids: readonly string[]): Promise<Entity[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('entities').selectAll().where('id', 'in', [...ids]).execute()).map(toEntity);
}

export async function listEntities(db: Executor): Promise<Entity[]> {
  return (await db.selectFrom('entities').selectAll().orderBy('name_en').execute()).map(toEntity);
}

function checkNames(input: EntityInput): void {
  if (!Object.values(input.names).some((n) => n.trim())) throw validationError([{ path: 'names', reason: 'needs a name in at least one language' }]);
}

export async function createEntity(deps: ContentDeps, actor: Actor, input: EntityInput): Promise<Entity> {
  assertCan(actor, 'entity.manage');
  assertMatches(EntityInputSchema, input);
  checkNames(input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const now = new Date().toISOString();
    const names = { en: input.names.en.trim(), uk: input.names.uk.trim(), ru: input.names.ru.trim() };
    const row: EntityRow = {
      id: newId(), slug: await uniqueSlug(trx, 'entities', names.en || names.uk || names.ru), kind: input.kind,
      name_en: names.en, name_uk: names.uk, name_ru: names.ru, aliases: JSON.stringify(input.aliases ?? []), created_at: now, updated_at: now,
    };
    await trx.insertInto('entities').values(row).execute();
    events.record('entity.changed', row.id, {});
    return toEntity(row);
  });
}

export async function updateEntity(deps: ContentDeps, actor: Actor, id: string, input: EntityInput): Promise<Entity> {
  assertCan(actor, 'entity.manage');
  assertMatches(EntityInputSchema, input);
  checkNames(input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    if (!(await findEntity(trx, id))) throw notFound('Entity', 'id');
    await trx.updateTable('entities').set({
      kind: input.kind, name_en: input.names.en.trim(), name_uk: input.names.uk.trim(), name_ru: input.names.ru.trim(),
      aliases: JSON.stringify(input.aliases ?? []), updated_at: new Date().toISOString(),
    }).where('id', '=', id).execute();
    events.record('entity.changed', id, {});
    return (await findEntity(trx, id))!;
  });
}

/**
 * Adds the entities of the starting gazetteer that are missing, matched by English name so that
 * running it again, or on a site where an editor already created some of them, adds no duplicate.
 */
export async function loadGazetteer(deps: ContentDeps, actor: Actor): Promise<{ created: Entity[]; existing: number }> {
  assertCan(actor, 'entity.manage');
  const known = new Set((await deps.db.selectFrom('entities').select('name_en').execute()).map((r) => r.name_en.trim().toLowerCase()));
  const created: Entity[] = [];
  let existing = 0;
  for (const input of Object.values(GAZETTEER)) {
    if (known.has(input.names.en.toLowerCase())) existing += 1;
    else created.push(await createEntity(deps, actor, { ...input, aliases: [...input.aliases] }));
  }
  return { created, existing };
}
