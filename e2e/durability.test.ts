import { afterAll, describe, expect, it } from 'vitest';
import { cli, startSite, type RunningSite } from './support.js';

let site: RunningSite | undefined;
afterAll(async () => { await site?.stop(); });

describe('durability', () => {
  it('keeps every acknowledged write after the process is killed', async () => {
    site = await startSite();
    const token = cli(site, ['token', 'create', '--role', 'editor']).trim();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${site.url}/api/v1/briefs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          language: 'en',
          headline: `Crash-safe brief number ${i}`,
          sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }],
        }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const publish = await fetch(`${site.url}/api/v1/briefs/${ids[4]}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(publish.status).toBe(200);

    // No graceful shutdown: whatever the client was told succeeded must already be on disk.
    await site.crash();
    site = await startSite({ dataDir: site.dataDir });

    for (const id of ids) {
      const res = await fetch(`${site.url}/api/v1/briefs/${id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    }
    const published = (await (await fetch(`${site.url}/api/v1/briefs/${ids[4]}`)).json()) as { status: string };
    expect(published.status).toBe('published');

    // A reader's acknowledged comment survives a crash too.
    const signup = await fetch(`${site.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Crash reader', email: 'crash-reader@example.org', password: 'a long enough password' }),
    });
    expect(signup.status).toBe(201);
    const session = ((await signup.json()) as { token: string }).token;
    const posted = await fetch(`${site.url}/api/v1/briefs/${ids[4]}/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Posted just before the crash.' }),
    });
    expect(posted.status).toBe(201);
    await site.crash();
    site = await startSite({ dataDir: site.dataDir });
    const comments = (await (await fetch(`${site.url}/api/v1/briefs/${ids[4]}/comments`)).json()) as { items: { body: string }[] };
    expect(comments.items.map((c) => c.body)).toContain('Posted just before the crash.');
  }, 90_000);
});
