import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { axeViolations, cli, launchBrowser, startSite, type RunningSite } from './support.js';

let site: RunningSite | undefined;
let browser: Browser | undefined;
let receiver: http.Server | undefined;
afterAll(async () => {
  await browser?.close();
  await site?.stop();
  receiver?.closeAllConnections();
  receiver?.close();
});

interface Hit { delivery: string; signature: string; body: string; answered: number }

describe('webhooks across a crash', () => {
  it('sends a pending delivery, signed, after the server was killed with SIGKILL and restarted', async () => {
    // Fast retries so the test does not wait out the default 10 s backoff.
    const env = { NEWSDESK_WEBHOOK_BACKOFF_MS: '300' };
    let status = 500;
    const hits: Hit[] = [];
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        hits.push({ delivery: String(req.headers['newsdesk-delivery']), signature: String(req.headers['newsdesk-signature']), body, answered: status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/incoming`;

    site = await startSite({ env });
    const password = cli(site, ['users', 'create', '--email', 'hooks-admin@newsroom.test', '--name', 'Hooks Admin', '--role', 'admin']).trim();
    browser = await launchBrowser();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/desk/login`);
    await page.getByLabel('Email').fill('hooks-admin@newsroom.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('URL').fill(hookUrl);
    await page.getByLabel(/Brief published/).check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.locator('code.secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(await axeViolations(page)).toEqual([]);

    const token = cli(site, ['token', 'create', '--role', 'editor']).trim();
    const created = await fetch(`${site.url}/api/v1/briefs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'en', headline: 'A brief that must reach the partner', sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] }),
    });
    expect(created.status).toBe(201);
    const briefId = ((await created.json()) as { id: string }).id;
    const published = await fetch(`${site.url}/api/v1/briefs/${briefId}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(published.status).toBe(200);

    // The receiver is failing: the delivery is attempted, refused, and left pending.
    const deadline = Date.now() + 10_000;
    while (hits.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(hits.length).toBeGreaterThan(0);
    const deliveryId = hits[0]!.delivery;

    await site.crash();
    status = 200;
    const failedBefore = hits.length;
    site = await startSite({ dataDir: site.dataDir, env });

    const until = Date.now() + 15_000;
    while (!hits.some((h) => h.answered === 200) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const success = hits.find((h) => h.answered === 200);
    expect(success, `no successful delivery after the restart (${failedBefore} refused before the crash)`).toBeDefined();
    expect(success!.delivery).toBe(deliveryId);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(success!.signature);
    expect(match).not.toBeNull();
    expect(createHmac('sha256', secret).update(`${match![1]}.${success!.body}`).digest('hex')).toBe(match![2]);
    const body = JSON.parse(success!.body) as { event: string; data: { brief: { id: string; status: string } } };
    expect(body.event).toBe('brief.published');
    expect(body.data.brief).toMatchObject({ id: briefId, status: 'published' });

    // The desk's log shows it delivered, with the receiver's answer.
    const page2 = await (await browser.newContext()).newPage();
    await page2.goto(`${site.url}/desk/login`);
    await page2.getByLabel('Email').fill('hooks-admin@newsroom.test');
    await page2.getByLabel('Password').fill(password);
    await page2.getByRole('button', { name: 'Log in' }).click();
    await page2.goto(`${site.url}/desk/webhooks`);
    const row = page2.locator('tr', { has: page2.locator('code', { hasText: 'brief.published' }) });
    await expect.poll(async () => (await page2.reload(), await row.textContent()), { timeout: 5000 }).toContain('Delivered');
    expect(await row.textContent()).toContain('200');
  }, 120_000);
});
