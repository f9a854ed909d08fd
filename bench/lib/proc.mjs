// Child processes the bench starts (nginx, servers, wrk), stopped by their own pid on every way
// out: normal end, an error, Ctrl-C. Nothing is killed by name.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const running = new Set();

function stopAll() {
  for (const child of running) {
    try {
      // Each long-lived child leads its own process group, so its workers go with it.
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
    }
  }
  running.clear();
}

process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping servers\n`);
    stopAll();
    process.exit(130);
  });
}
process.on('uncaughtException', (err) => {
  process.stderr.write(`bench: ${err.stack ?? err}\n`);
  stopAll();
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  process.stderr.write(`bench: ${err?.stack ?? err}\n`);
  stopAll();
  process.exit(1);
});

/** Starts a long-lived process in its own group; its output goes to `logFile` or is kept for errors. */
export function startDaemon(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let tail = '';
  const keep = (chunk) => { tail = (tail + chunk.toString()).slice(-8000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    // A daemon that ends without being asked to is a finding: say so, with its last words.
    if (!child.stopping) process.stderr.write(`bench: ${path.basename(command)} ${args.join(' ')} exited by itself (${signal ?? code}):\n${tail}\n`);
    running.delete(child);
    resolve({ code, signal });
  }));
  child.output = () => tail;
  return child;
}

/** Stops a daemon started above (SIGTERM to its group, SIGKILL after `graceMs`). */
export async function stopDaemon(child, graceMs = 5000) {
  if (!running.has(child)) return;
  child.stopping = true;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; if (options.echo) process.stderr.write(c); });
    child.stderr.on('data', (c) => { err += c; if (options.echo) process.stderr.write(c); });
    child.on('error', (e) => { running.delete(child); reject(e); });
    child.on('exit', (code) => {
      running.delete(child);
      if (code === 0) resolve({ stdout: out, stderr: err });
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${err.slice(-3000)}${out.slice(-2000)}`));
    });
  });
}

/** A free loopback port, asked of the kernel (port 0), then released for the server to take. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One GET with node:http, headers of any size (Node's fetch refuses more than 16 KB of them). */
function probe(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, maxHeaderSize: 1 << 20 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
  });
}

/** Waits until `url` answers (any status) or the daemon exits. */
export async function waitForHttp(url, child, timeoutMs = 120_000) {
  const start = Date.now();
  let exited = false;
  child?.exited.then(() => { exited = true; });
  let lastError = null;
  while (Date.now() - start < timeoutMs) {
    if (exited) throw new Error(`server exited before answering ${url}:\n${child.output()}`);
    try {
      // A long timeout per attempt: a server that answers slowly at first is still answering.
      await probe(url, 30_000);
      return Date.now() - start;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url} after ${timeoutMs} ms (${lastError?.message}):\n${child?.output() ?? ''}`);
}

/** The pid and every descendant of it, from /proc. */
export function processTree(rootPid) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) comes after the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch { /* exited meanwhile */ }
  }
  const tree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) if (tree.has(ppid) && !tree.has(pid)) { tree.add(pid); grew = true; }
  }
  return [...tree];
}

/** Sum of VmRSS (bytes) over a process and its descendants. */
export function treeRss(rootPid) {
  let kb = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) kb += Number(match[1]);
    } catch { /* exited meanwhile */ }
  }
  return kb * 1024;
}

/** Samples `treeRss` every `everyMs` until stopped; answers the largest seen. */
export function sampleRss(rootPid, everyMs = 250) {
  let max = treeRss(rootPid);
  const timer = setInterval(() => { max = Math.max(max, treeRss(rootPid)); }, everyMs);
  return { stop: () => { clearInterval(timer); return Math.max(max, treeRss(rootPid)); }, peek: () => max };
}

/** The first line of a command's version output, or null when it is not installed. */
export function versionOf(command, args) {
  // nginx prints its version on stderr; wrk prints usage and exits 1 after it.
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return null;
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return text ? text.split('\n')[0].trim() : null;
}
