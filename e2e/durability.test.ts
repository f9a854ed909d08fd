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
  }, 90_000);
});
