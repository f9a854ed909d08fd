import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from '../test/factories.js';

let t: TestContext;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t.close(); });

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> };
  responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string; scheme: string }> } };

const EXPECTED: Record<string, string[]> = {
  '/api/v1/briefs': ['get', 'post'],
  '/api/v1/briefs/{id}': ['get', 'patch'],
  '/api/v1/briefs/{id}/comments': ['get', 'post'],
  '/api/v1/briefs/{id}/submit': ['post'],
  '/api/v1/briefs/{id}/publish': ['post'],
  '/api/v1/briefs/{id}/correct': ['post'],
  '/api/v1/briefs/{id}/retract': ['post'],
  '/api/v1/briefs/{id}/translations': ['delete', 'get', 'post'],
  '/api/v1/briefs/{id}/pin': ['put'],
  '/api/v1/stories': ['get', 'post'],
  '/api/v1/stories/{id}': ['get'],
  '/api/v1/stories/{id}/background': ['post'],
  '/api/v1/stories/{id}/background/{itemId}': ['put'],
  '/api/v1/stories/{id}/background/{itemId}/history': ['get'],
  '/api/v1/entities': ['get', 'post'],
  '/api/v1/entities/{id}': ['get'],
  '/api/v1/search': ['get'],
  '/api/v1/ninjs/recent': ['get'],
  '/api/v1/import/ninjs': ['post'],
  '/api/v1/auth/signup': ['post'],
  '/api/v1/auth/login': ['post'],
  '/api/v1/auth/logout': ['post'],
  '/api/v1/auth/account': ['delete'],
  '/api/v1/comments/{id}': ['delete', 'patch'],
  '/api/v1/comments/{id}/reports': ['post'],
  '/api/v1/moderation/comments': ['get'],
  '/api/v1/moderation/counts': ['get'],
  '/api/v1/moderation/comments/{id}/approve': ['post'],
  '/api/v1/moderation/comments/{id}/reject': ['post'],
  '/api/v1/moderation/comments/{id}/feature': ['post'],
  '/api/v1/moderation/comments/{id}/unfeature': ['post'],
  '/api/v1/moderation/comments/bulk': ['post'],
  '/api/v1/moderation/users/{id}': ['post'],
  '/api/v1/moderation/audit': ['get'],
  '/api/v1/moderation/settings': ['get', 'patch'],
  '/api/v1/moderation/policies/{scope}/{id}': ['put'],
  '/api/v1/webhooks': ['get', 'post'],
  '/api/v1/webhooks/{id}': ['delete', 'put'],
  '/api/v1/webhooks/{id}/deliveries': ['get'],
  '/api/v1/webhook-deliveries/{id}/resend': ['post'],
};
// Writes that open a session rather than need one.
const PUBLIC_WRITES = new Set(['post /api/v1/auth/signup', 'post /api/v1/auth/login']);

async function fetchDoc(): Promise<Doc> {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(res.body) as Doc;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3 document listing exactly the v1 paths and their methods', async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toMatch(/^3\./);
    const listed = Object.fromEntries(Object.entries(doc.paths).map(([path, ops]) => [path, Object.keys(ops).sort()]));
    expect(listed).toEqual(EXPECTED);
  });

  it('gives every operation a summary and a tag, and every write the bearer scheme', async () => {
    const doc = await fetchDoc();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
        if (method !== 'get' && !PUBLIC_WRITES.has(`${method} ${path}`)) expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      }
    }
  });

  it('documents bodies, parameters, responses and errors from the validating schemas', async () => {
    const doc = await fetchDoc();
    const create = doc.paths['/api/v1/briefs']!.post!;
    const body = create.requestBody!.content['application/json']!.schema;
    expect(body.properties).toHaveProperty('headline');
    expect(body.properties).toHaveProperty('sources');
    expect(body.required).toEqual(expect.arrayContaining(['language', 'headline']));
    expect(create.responses['201']!.content!['application/json']!.schema.properties).toHaveProperty('url');
    expect(create.responses['400']!.content!['application/json']!.schema.properties).toHaveProperty('error');

    const list = doc.paths['/api/v1/briefs']!.get!;
    expect(list.parameters!.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['cursor', 'entity', 'language', 'limit', 'story']);
    expect(list.responses['200']!.content!['application/json']!.schema.properties).toHaveProperty('next');

    const patch = doc.paths['/api/v1/briefs/{id}']!.patch!;
    expect(patch.parameters).toEqual(expect.arrayContaining([
      expect.objectContaining({ in: 'path', name: 'id' }),
      expect.objectContaining({ in: 'header', name: 'if-match' }),
    ]));

    const read = doc.paths['/api/v1/briefs/{id}']!.get!;
    expect(Object.keys(read.responses['200']!.content!).sort()).toEqual(['application/json', 'text/plain']);
    expect(read.responses).toHaveProperty('410');
  });
});
