import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSETS_DIR } from '../app.js';
import { buildTestApp, type TestContext } from '../test/factories.js';

// The stylesheet blocks every page's first paint: it must leave the server compressed, from the
// copies the build wrote, and a cache must not hand a compressed copy to a client that cannot read it.
let t: TestContext;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t.close(); });

describe('static assets', () => {
  const plain = fs.readFileSync(path.join(ASSETS_DIR, 'site.css'));

  it('serves the brotli copy to a browser that accepts it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/site.css', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(res.rawPayload).equals(plain)).toBe(true);
  });

  it('serves the gzip copy when brotli is not accepted', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/site.css', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(res.rawPayload).equals(plain)).toBe(true);
  });

  it('serves the file itself to a client that accepts no encoding', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/assets/site.css', headers: { 'accept-encoding': 'identity' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.rawPayload.equals(plain)).toBe(true);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
  });

  it('ships the stylesheet minified', () => {
    const source = fs.readFileSync(path.join(ASSETS_DIR, '..', '..', 'assets', 'site.css'));
    expect(plain.length).toBeLessThan(source.length);
    expect(plain.toString('utf8')).not.toMatch(/\n\s/);
  });
});
