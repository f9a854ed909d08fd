import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A local endpoint that records every request it receives (in `hits`, in arrival order) and
 * leaves the answer to `respond`: a status now, later, or never (a held socket is how a test
 * makes a receiver hang). `close` also drops held sockets.
 */
export async function startWebhookReceiver(respond: (hit: Hit, res: http.ServerResponse, n: number) => void) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const hit = { headers: req.headers, body };
      hits.push(hit);
      respond(hit, res, hits.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
