// Load with wrk: one Lua script per run, written into the run's temp folder. Every script ends
// with the same `done` reporter, which prints the counts and latency percentiles as one JSON
// line, so nothing is read from wrk's human output.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from './proc.mjs';

const REPORTER = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
`;

// setup() runs in the main Lua state once per thread; it numbers the threads so each starts
// from its own place in a list.
const THREAD_IDS = `
local threadCount = 0
setup = function(thread)
  thread:set('tid', threadCount)
  threadCount = threadCount + 1
end
`;

const luaString = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function headerTable(headers) {
  return `{${Object.entries(headers).map(([k, v]) => `[${luaString(k)}] = ${luaString(v)}`).join(', ')}}`;
}

/** The same path for every request (wrk's fast path: no Lua per request). */
export function fixedScript(dir, name, headers = {}) {
  const file = path.join(dir, `${name}.lua`);
  const lines = Object.entries(headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`);
  writeFileSync(file, `${lines.join('\n')}\n${REPORTER}`);
  return file;
}

/** Cycles through the paths in `pathsFile` (one a line), each thread from its own offset. */
export function rotatingScript(dir, name, pathsFile, headers = {}) {
  const file = path.join(dir, `${name}.lua`);
  writeFileSync(file, `${THREAD_IDS}
local paths = {}
local i = 0
local headers = ${headerTable(headers)}
init = function(args)
  for line in io.lines(${luaString(pathsFile)}) do
    if line ~= '' then paths[#paths + 1] = line end
  end
  i = (tid * 7919) % #paths
end
request = function()
  i = i % #paths + 1
  return wrk.format('GET', paths[i], headers)
end
${REPORTER}`);
  return file;
}

/**
 * Comment POSTs through the API: each request as the next reader session (bearer `nds_` token,
 * so no CSRF token is involved) on the next brief, from its own client address (X-Forwarded-For,
 * trusted from loopback as behind nginx), with a body no one wrote before.
 */
export function commentScript(dir, sessionsFile, briefIdsFile, runTag) {
  const file = path.join(dir, 'comment-post.lua');
  writeFileSync(file, `${THREAD_IDS}
local sessions = {}
local briefs = {}
local n = 0
local tag = ${luaString(runTag)}
local base = ${Math.floor(Math.random() * 4_000_000)}
init = function(args)
  for line in io.lines(${luaString(sessionsFile)}) do
    if line ~= '' then sessions[#sessions + 1] = line end
  end
  for line in io.lines(${luaString(briefIdsFile)}) do
    if line ~= '' then briefs[#briefs + 1] = line end
  end
  n = base + tid * 1000000
end
request = function()
  n = n + 1
  local session = sessions[n % #sessions + 1]
  local brief = briefs[n % #briefs + 1]
  local ip = string.format('10.%d.%d.%d', math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = '{"body":"Bench ' .. tag .. ' #' .. n .. ': дякую за оновлення, чекаємо на подробиці / thanks for the update"}'
  return wrk.format('POST', '/api/v1/briefs/' .. brief .. '/comments', {
    ['Authorization'] = 'Bearer nds_' .. session,
    ['Content-Type'] = 'application/json',
    ['X-Forwarded-For'] = ip,
  }, body)
end
-- The first few refusals of each thread, with what the server said: a row with errors then says
-- which (a 429 from a limit, a 401 from a session that did not survive a copy). At a few hundred
-- writes a second, a Lua call per response costs wrk nothing that matters.
local failures = 0
response = function(status, headers, body)
  if status >= 400 and failures < 3 then
    failures = failures + 1
    io.write('WRKFAIL ' .. status .. ' ' .. (string.gsub(string.sub(body or '', 1, 240), '%s+', ' ')) .. '\\n')
  end
end
${REPORTER}`);
  return file;
}

/**
 * One wrk run: a short warm-up whose numbers are dropped, then the measured run. Answers req/s,
 * p50/p99/max in ms and errors (socket errors plus responses of status ≥ 400, as wrk counts them).
 */
export async function wrk(url, script, { threads, connections, seconds, warmupSeconds }) {
  const common = ['-t', String(threads), '-c', String(connections), '--latency', '-s', script];
  if (warmupSeconds > 0) await run('wrk', [...common, '-d', `${warmupSeconds}s`, url]);
  const { stdout } = await run('wrk', [...common, '-d', `${seconds}s`, '--timeout', '5s', url]);
  const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no result for ${url}:\n${stdout}`);
  const r = JSON.parse(line.slice('WRKJSON '.length));
  const socketErrors = r.connect + r.read + r.write + r.timeout;
  const failures = stdout.split('\n').filter((l) => l.startsWith('WRKFAIL ')).map((l) => l.slice('WRKFAIL '.length));
  return {
    failures,
    rps: r.requests / (r.duration_us / 1e6),
    p50: r.p50_us / 1000,
    p99: r.p99_us / 1000,
    max: r.max_us / 1000,
    requests: r.requests,
    errors: socketErrors + r.status,
    statusErrors: r.status,
    socketErrors,
    bytesPerRequest: r.requests ? Math.round(r.bytes / r.requests) : 0,
  };
}
