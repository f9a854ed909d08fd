import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vnu from 'vnu-jar';

const run = promisify(execFile);

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/**
 * The Nu HTML Checker's errors on whole pages, one readable line each (`file:line message — extract`),
 * empty when there are none. `pages` maps a name, which names the file in the lines, to the page's HTML.
 */
export async function vnuErrors(pages: Record<string, string>): Promise<string[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'newsdesk-vnu-'));
  try {
    const files: string[] = [];
    for (const [name, html] of Object.entries(pages)) {
      // Names are test labels, not paths; two that clean up alike would check one page twice.
      const file = path.join(dir, `${name.replace(/[^a-z0-9-]+/gi, '_')}.html`);
      if (files.includes(file)) throw new Error(`two pages would share the file ${path.basename(file)}`);
      await fs.writeFile(file, html);
      files.push(file);
    }
    // One JVM for all pages: starting the checker costs seconds, checking a page milliseconds.
    let output: string;
    try {
      output = (await run('java', ['-jar', String(vnu), '--errors-only', '--format', 'json', '--stdout', ...files], { maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (err) {
      // The checker exits non-zero when it finds errors; its report is still on stdout.
      const stdout = (err as { stdout?: string }).stdout;
      if (!stdout) throw err;
      output = stdout;
    }
    const messages = (JSON.parse(output) as { messages: VnuMessage[] }).messages;
    // --errors-only already leaves out warnings and info; the filter keeps that true should the
    // flag's meaning ever widen, and counts a fatal parse or an unreadable file as an error.
    return messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error')
      .map((m) => `${path.basename(m.url ?? '?')}:${m.lastLine ?? '?'} ${m.message}${m.extract ? ` — ${m.extract}` : ''}`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
