import Type, { type Static } from 'typebox';
import { Value } from 'typebox/value';
import { assertCan, type Actor } from '../accounts/policy.js';
import { validationError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import type { Executor } from '../storage/database.js';
import { inTransaction, type TransactionDeps } from '../storage/events.js';

// The site's comment policy and editable word lists, one JSON value per key in
// moderation_settings. A key that was never saved (or holds a value an older release wrote
// and this one no longer accepts) reads as its default, so a fresh install just works.

const words = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 5000, description });

export const ModerationSettingsSchema = Type.Object(
  {
    moderation: Type.Enum(['post', 'pre'], {
      description: '`post`: suspect comments are published and flagged for review; `pre`: they wait for a moderator',
    }),
    bannedTerms: words('Whole words (word-list syntax) that get a comment rejected outright'),
    profanity: Type.Object(
      { en: words('Extra English entries'), uk: words('Extra Ukrainian entries'), ru: words('Extra Russian entries') },
      { additionalProperties: false, description: 'Added to the built-in profanity lists' },
    ),
    maxLinks: Type.Integer({ minimum: 0, maximum: 100, description: 'More links than this hold a comment' }),
    allowedDomains: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
      maxItems: 1000, description: 'Links elsewhere hold a comment; empty allows every domain',
    }),
    closeAfterDays: Type.Integer({ minimum: 0, maximum: 3650, description: 'Comments close this many days after publication; 0 never closes them' }),
    commentsPerMinutePerAccount: Type.Integer({ minimum: 1, maximum: 1000 }),
    commentsPerMinutePerAddress: Type.Integer({ minimum: 1, maximum: 10000 }),
    editWindowMinutes: Type.Integer({ minimum: 0, maximum: 1440, description: 'How long after posting the author may edit; 0 never' }),
    reportsToHide: Type.Integer({ minimum: 1, maximum: 1000, description: 'Reports from this many readers hide a comment until a moderator decides' }),
    newReaderMinutes: Type.Integer({ minimum: 0, maximum: 525600, description: 'Readers whose account is younger than this are pre-moderated; 0 never' }),
  },
  { additionalProperties: false },
);
export type ModerationSettings = Static<typeof ModerationSettingsSchema>;
type SettingKey = keyof ModerationSettings;

export const DEFAULT_MODERATION_SETTINGS: ModerationSettings = {
  moderation: 'post',
  bannedTerms: [],
  profanity: { en: [], uk: [], ru: [] },
  maxLinks: 2,
  allowedDomains: [],
  closeAfterDays: 14,
  commentsPerMinutePerAccount: 10,
  // Higher than per account: a newsroom, a library or a mobile carrier puts many readers behind one address.
  commentsPerMinutePerAddress: 30,
  editWindowMinutes: 5,
  reportsToHide: 3,
  newReaderMinutes: 0,
};

const KEYS = Object.keys(DEFAULT_MODERATION_SETTINGS) as SettingKey[];

/** The settings in force: stored values over the defaults. */
export async function getModerationSettings(db: Executor): Promise<ModerationSettings> {
  const rows = await db.selectFrom('moderation_settings').select(['key', 'value']).where('key', 'in', KEYS).execute();
  const settings: Record<string, unknown> = { ...DEFAULT_MODERATION_SETTINGS };
  for (const row of rows) {
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      continue;
    }
    const schema = ModerationSettingsSchema.properties[row.key as SettingKey];
    if (Value.Check(schema, value)) settings[row.key] = value;
  }
  return settings as ModerationSettings;
}

export const ModerationSettingsPatchSchema = Type.Partial(ModerationSettingsSchema, { additionalProperties: false });
export type ModerationSettingsPatch = Static<typeof ModerationSettingsPatchSchema>;

/**
 * Changes some settings (admins); each change is written to the moderation audit log.
 * Answers the settings now in force.
 */
export async function updateModerationSettings(deps: TransactionDeps, actor: Actor, patch: ModerationSettingsPatch): Promise<ModerationSettings> {
  assertCan(actor, 'comment.configure');
  assertMatches(ModerationSettingsPatchSchema, patch);
  const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
  if (entries.length === 0) throw validationError([{ path: '(body)', reason: 'names no setting to change' }]);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const now = new Date().toISOString();
    for (const [key, value] of entries) {
      const json = JSON.stringify(value);
      await trx.insertInto('moderation_settings').values({ key, value: json })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: json })).execute();
      await trx.insertInto('moderation_actions').values({
        id: newId(), comment_id: null, user_id: null, actor_id: actor.userId, action: 'settings.updated', reason: key, created_at: now,
      }).execute();
    }
    events.record('moderation.settings_changed', 'site', { keys: entries.map(([key]) => key) });
    return getModerationSettings(trx);
  });
}
