import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './202611250900_initial.js';
import * as readerAccounts from './202611251100_reader_accounts.js';
import * as commentModeration from './202611251200_comment_moderation.js';
import * as commentThreads from './202611251500_comment_threads.js';
import * as backgroundHistory from './202611251600_background_history.js';
import * as entityTagging from './202611291100_entity_tagging.js';
import * as search from './202611291200_search.js';
import * as translationsPins from './202611291300_translations_pins.js';
import * as webhooks from './202611291400_webhooks.js';
import * as pageIndexes from './202611301000_page_indexes.js';
import * as eventOrder from './202612010900_event_order.js';
import * as rateLimits from './202612011000_rate_limits.js';

// Listed by hand rather than read from the folder so the compiled build and the
// TypeScript sources (tests) see exactly the same history.
const migrations: Record<string, Migration> = {
  '202611250900_initial': initial,
  '202611251100_reader_accounts': readerAccounts,
  '202611251200_comment_moderation': commentModeration,
  '202611251500_comment_threads': commentThreads,
  '202611251600_background_history': backgroundHistory,
  '202611291100_entity_tagging': entityTagging,
  '202611291200_search': search,
  '202611291300_translations_pins': translationsPins,
  '202611291400_webhooks': webhooks,
  '202611301000_page_indexes': pageIndexes,
  '202612010900_event_order': eventOrder,
  '202612011000_rate_limits': rateLimits,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
