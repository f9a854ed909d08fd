import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, makePublishedBrief, makeToken, type TestContext } from '../test/factories.js';

// The issue's flood: 200 comments from one account within a minute. The excess must answer 429
// with Retry-After, and every comment that was answered 201 must be stored and listed: the
// limit is checked inside the same transaction as the insert, so concurrent requests can
// neither slip past it nor lose an accepted comment.

let t: TestContext;
let briefId: string;
beforeEach(async () => {
  t = await buildTestApp();
  briefId = (await makePublishedBrief(t.deps)).id;
});
afterEach(async () => { await t.close(); });

const FLOOD = 200;
const BATCH = 25;

let readerCount = 0;
async function signUp(remoteAddress: string): Promise<{ id: string; token: string }> {
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/auth/signup', remoteAddress,
    payload: { displayName: `Flooder ${++readerCount}`, email: `flood-${readerCount}-${Date.now()}@newsdesk.test`, password: 'long enough password' },
  });
  expect(res.statusCode).toBe(201);
  const body = res.json<{ token: string; user: { id: string } }>();
  return { id: body.user.id, token: body.token };
}

const postAs = (token: string, body: string, remoteAddress: string) => t.app.inject({
  method: 'POST', url: `/api/v1/briefs/${briefId}/comments`, remoteAddress, headers: { authorization: `Bearer ${token}` }, payload: { body },
});

/** Fires `count` distinct comments from one account, `BATCH` at a time in parallel. */
async function flood(token: string, remoteAddress: string, count = FLOOD): Promise<{ body: string; res: LightMyRequestResponse }[]> {
  const sent: { body: string; res: LightMyRequestResponse }[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const bodies = Array.from({ length: Math.min(BATCH, count - start) }, (_, i) => `Flood comment number ${start + i} about the dam`);
    const responses = await Promise.all(bodies.map((body) => postAs(token, body, remoteAddress)));
    sent.push(...bodies.map((body, i) => ({ body, res: responses[i]! })));
  }
  return sent;
}

/** Every published comment of the brief, through the public API, page by page. */
async function listedIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: LightMyRequestResponse = await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${briefId}/comments?limit=100${cursor ? `&cursor=${cursor}` : ''}` });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: { id: string }[]; next: string | null }>();
    ids.push(...page.items.map((c) => c.id));
    cursor = page.next;
  } while (cursor);
  return ids;
}

const storedIdsOf = async (userId: string) =>
  (await t.db.selectFrom('comments').select('id').where('user_id', '=', userId).execute()).map((r) => r.id).sort();

/** Splits the answers, checking that each one is a 201 or a well-formed 429 and nothing else. */
function outcomes(sent: { body: string; res: LightMyRequestResponse }[]) {
  const statuses = new Set(sent.map((s) => s.res.statusCode));
  expect([...statuses].sort()).toEqual([201, 429]);
  const accepted = sent.filter((s) => s.res.statusCode === 201);
  const limited = sent.filter((s) => s.res.statusCode === 429);
  for (const { res } of limited) {
    expect(res.json().error.code).toBe('rate_limited');
    const retryAfter = res.headers['retry-after'];
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  }
  return { accepted, limited, acceptedIds: accepted.map((s) => s.res.json<{ id: string }>().id).sort() };
}

describe('200 comments from one account within a minute', () => {
  it('accepts the account\'s limit (10 by default), answers the rest 429 with Retry-After, and stores and lists exactly the accepted ones', async () => {
    const address = '203.0.113.10';
    const reader = await signUp(address);
    const { accepted, limited, acceptedIds } = outcomes(await flood(reader.token, address));
    expect(accepted).toHaveLength(10);
    expect(limited).toHaveLength(FLOOD - 10);
    for (const { body, res } of accepted) expect(res.json()).toMatchObject({ body, status: 'published' });
    expect(await storedIdsOf(reader.id)).toEqual(acceptedIds);
    expect((await listedIds()).sort()).toEqual(acceptedIds);
  });

  it('holds a raised limit exactly under concurrency, and loses none of the 150 accepted', async () => {
    const admin = (await makeToken(t.db, 'admin')).token;
    const raised = await t.app.inject({
      method: 'PATCH', url: '/api/v1/moderation/settings', headers: { authorization: `Bearer ${admin}` },
      payload: { commentsPerMinutePerAccount: 150, commentsPerMinutePerAddress: 1000 },
    });
    expect(raised.statusCode).toBe(200);
    const address = '203.0.113.20';
    const reader = await signUp(address);
    const { accepted, limited, acceptedIds } = outcomes(await flood(reader.token, address));
    expect(accepted).toHaveLength(150);
    expect(limited).toHaveLength(50);
    // Each accepted body is stored once, as written.
    const rows = await t.db.selectFrom('comments').select('body').where('user_id', '=', reader.id).execute();
    expect(rows.map((r) => r.body).sort()).toEqual(accepted.map((s) => s.body).sort());
    expect(await storedIdsOf(reader.id)).toEqual(acceptedIds);
    expect((await listedIds()).sort()).toEqual(acceptedIds);
  });

  it('does not silence another reader writing from another address meanwhile', async () => {
    const flooder = await signUp('203.0.113.30');
    const bystander = await signUp('198.51.100.7');
    const [sent, calm] = await Promise.all([
      flood(flooder.token, '203.0.113.30'),
      postAs(bystander.token, 'Is the lower town evacuated?', '198.51.100.7'),
    ]);
    expect(outcomes(sent).accepted).toHaveLength(10);
    expect(calm.statusCode).toBe(201);
    expect(await listedIds()).toContain(calm.json<{ id: string }>().id);
  });
});
