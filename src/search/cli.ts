import type { Command } from '../cli/main.js';
import { UsageError } from '../cli/usage.js';
import { createSearchIndex } from './engine.js';

/**
 * `newsdesk search-rebuild`: writes every search document again from the content tables, for an
 * index an interrupted update left behind or one restored from an older backup.
 */
export const searchRebuildCommand: Command = async (args, io, runtime) => {
  if (args.length > 0) throw new UsageError(`search-rebuild takes no arguments (got "${args.join(' ')}")`);
  const index = runtime.search ?? createSearchIndex(runtime.db);
  const { briefs, entities } = await index.rebuild();
  io.out(`Indexed ${briefs} public brief${briefs === 1 ? '' : 's'} and ${entities} entit${entities === 1 ? 'y' : 'ies'}.`);
  return 0;
};
