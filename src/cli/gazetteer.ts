import { CLI_ACTOR } from '../accounts/policy.js';
import { loadGazetteer } from '../content/entities.js';
import type { Command } from './main.js';
import { UsageError } from './usage.js';

/** `gazetteer`: adds the starting gazetteer's missing entities; one id<TAB>slug<TAB>name line per new one. */
export const gazetteerCommand: Command = async (args, io, runtime) => {
  if (args.length > 0) throw new UsageError('gazetteer takes no arguments');
  const { created, existing } = await loadGazetteer(runtime, CLI_ACTOR);
  for (const entity of created) io.out(`${entity.id}\t${entity.slug}\t${entity.names.en}`);
  io.err(`${created.length} entities added, ${existing} already there.`);
  return 0;
};
