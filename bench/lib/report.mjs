// The results as one table (terminal and Markdown) and as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toFixed(digits));
const rate = (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));

export function cells(row) {
  return [
    row.name,
    row.size ?? '–',
    row.config ?? '–',
    row.value ?? rate(row.rps),
    row.p50 === undefined ? '–' : fmt(row.p50, 2),
    row.p99 === undefined ? '–' : fmt(row.p99, 2),
    row.errors === undefined ? '–' : String(row.errors),
    row.ratio === undefined || row.ratio === null ? '–' : `${fmt(row.ratio * 100, 0)} %`,
    row.target ?? '',
    row.pass === true ? 'pass' : row.pass === false ? 'FAIL' : '',
  ];
}

const HEAD = ['Scenario', 'Briefs', 'Server', 'req/s or value', 'p50 ms', 'p99 ms', 'Errors', 'vs nginx', 'Target', ''];

export function textTable(rows) {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i >= 3 && i <= 7 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(cells(r)))].join('\n');
}

export function markdownTable(rows, machine) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return [
    `Measured ${machine.date} on ${machine.nproc} × ${machine.cpu}, Node ${machine.node}, ${machine.nginx}, ${machine.wrk}; `
      + `wrk ${machine.load}.`,
    '',
    `| ${HEAD.map(esc).join(' | ')} |`,
    `|${HEAD.map((_, i) => (i >= 3 && i <= 7 ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
    '',
  ].join('\n');
}

/**
 * Writes the JSON and the Markdown table. A partial run (--quick, or not every size) writes
 * `partial.json`/`partial.md` only, so trying things out never replaces the full results.
 */
export function writeResults(dir, machine, rows, notes, { partial = false } = {}) {
  mkdirSync(dir, { recursive: true });
  const json = {
    ...machine,
    scenarios: rows.map((r) => ({
      name: r.name, briefs: r.size ?? null, server: r.config ?? null,
      reqPerSec: r.rps ?? null, p50Ms: r.p50 ?? null, p99Ms: r.p99 ?? null, errors: r.errors ?? null,
      ratioToNginx: r.ratio ?? null, value: r.value ?? (r.rps === undefined ? null : Math.round(r.rps)), target: r.target ?? null,
      pass: r.pass ?? null, ...(r.detail ? { detail: r.detail } : {}),
    })),
    notes,
  };
  const text = `${JSON.stringify(json, null, 2)}\n`;
  const md = `${markdownTable(rows, machine)}${notes.map((n) => `- ${n}`).join('\n')}\n`;
  if (partial) {
    writeFileSync(path.join(dir, 'partial.json'), text);
    writeFileSync(path.join(dir, 'partial.md'), md);
    return [path.join(dir, 'partial.json'), path.join(dir, 'partial.md')];
  }
  const dated = path.join(dir, `${machine.date.slice(0, 10)}-${machine.nproc}cpu.json`);
  writeFileSync(dated, text);
  writeFileSync(path.join(dir, 'latest.json'), text);
  writeFileSync(path.join(dir, 'latest.md'), md);
  return [dated, path.join(dir, 'latest.json'), path.join(dir, 'latest.md')];
}
