import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CLI_ACTOR } from '../accounts/policy.js';
import { AppError } from '../common/errors.js';
import { listComments } from '../comments/service.js';
import { findBrief } from '../content/brief-repository.js';
import { importWireText, prepareWireImport, type WireImportOptions } from '../content/import.js';
import { LANGUAGES, type Brief, type Language } from '../content/types.js';
import { formatWireText } from '../content/wiretext.js';
import { importNinjs } from '../distribution/ninjs.js';
import { atomically } from '../storage/events.js';
import { briefPath } from '../web/paths.js';
import type { Command } from './main.js';
import { UsageError } from './usage.js';

function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'is not readable' : (err as Error).message;
    throw new AppError({ status: 400, code: 'unreadable_file', message: `Cannot read ${file}.`, fields: [{ path: file, reason }] });
  }
}

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * `import --format ninjs FILE…`: each file one ninjs news item, made a draft; all or nothing, and
 * a problem names the file and the JSON pointer inside it.
 */
async function importNinjsFiles(files: string[], io: Parameters<Command>[1], runtime: Parameters<Command>[2]): Promise<number> {
  const docs = files.map((file) => {
    try {
      return { file, doc: JSON.parse(readTextFile(file)) as unknown };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError({ status: 400, code: 'invalid_json', message: `${file} is not JSON.`, fields: [{ path: file, reason: (err as Error).message }] });
    }
  });
  const briefs = await atomically(runtime, async (inner) => {
    const saved: Brief[] = [];
    for (const { file, doc } of docs) {
      try {
        saved.push((await importNinjs(inner, CLI_ACTOR, doc)).brief);
      } catch (err) {
        if (err instanceof AppError) throw new AppError({ status: err.status, code: err.code, message: `${file}: ${err.message}`, fields: err.fields });
        throw err;
      }
    }
    return saved;
  });
  for (const brief of briefs) io.out(`${brief.id}\t${briefPath(brief)}`);
  return 0;
}

/** `import FILE… [--publish] [--language uk|en|ru] [--format text|ninjs]`: one id<TAB>path line per imported brief. */
export const importCommand: Command = async (args, io, runtime) => {
  const { values, positionals: files } = parseArgs({
    args, allowPositionals: true, options: { publish: { type: 'boolean' }, language: { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
  if (files.length === 0) throw new UsageError('import needs at least one FILE');
  if (values.format !== 'text' && values.format !== 'ninjs') throw new UsageError(`--format must be text or ninjs, not "${values.format}"`);
  if (values.format === 'ninjs') {
    // A partner's item becomes a draft for an editor to check; its language is its own.
    if (values.publish || values.language !== undefined) throw new UsageError('import --format ninjs makes drafts in the item\'s own language; it takes no --publish or --language');
    return importNinjsFiles(files, io, runtime);
  }
  if (values.language !== undefined && !isLanguage(values.language)) {
    throw new UsageError(`--language must be one of ${LANGUAGES.join(', ')}, not "${values.language}"`);
  }
  const opts: WireImportOptions = { publish: values.publish ?? false, timeZone: runtime.config.timeZone, language: values.language };
  const texts = files.map((file) => ({ file, text: readTextFile(file) }));
  // Every file is checked before any is saved, and the error says which file it is about.
  for (const { file, text } of texts) {
    try {
      prepareWireImport(text, opts);
    } catch (err) {
      if (err instanceof AppError) throw new AppError({ status: err.status, code: err.code, message: `${file} is not valid wire text.`, fields: err.fields });
      throw err;
    }
  }
  const briefs = await atomically(runtime, async (inner) => {
    const saved: Brief[] = [];
    for (const { text } of texts) saved.push(...(await importWireText(inner, CLI_ACTOR, text, opts)));
    return saved;
  });
  for (const brief of briefs) io.out(`${brief.id}\t${briefPath(brief)}`);
  return 0;
};

/** `export ID [--format text]`: the brief as wire text, byte for byte. */
export const exportCommand: Command = async (args, io, runtime) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) throw new UsageError('export needs exactly one brief ID');
  if (values.format !== 'text') throw new UsageError(`--format must be text, not "${values.format}"`);
  const brief = await findBrief(runtime.db, id);
  if (!brief) throw new AppError({ status: 404, code: 'not_found', message: `No brief with id "${id}".`, fields: [{ path: 'id', reason: `no brief with id "${id}"` }] });
  const comments = await listComments(runtime.db, brief.id);
  const text = formatWireText(brief, comments, { timeZone: runtime.config.timeZone });
  // io.out ends every line itself; the text already ends with its own newline.
  io.out(text.replace(/\n$/, ''));
  return 0;
};
