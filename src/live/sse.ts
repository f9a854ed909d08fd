import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveHub, LiveMessage } from './hub.js';

// A Server-Sent Events stream over Fastify's raw response. Hijacked, so Fastify sends nothing
// of its own and helmet's headers are not added: an event stream is never rendered as a page,
// and nosniff below keeps a browser from treating it as one.

const KEEP_ALIVE_MS = 25_000;

/**
 * Sent as a stream is ended because this instance shuts down: the reader's EventSource comes
 * back within a few seconds, through the load balancer to an instance still running. The delay is
 * spread so an instance's readers do not all land on the next one in the same instant.
 */
function reconnectSoon(): string {
  return `retry: ${500 + Math.floor(Math.random() * 2_500)}\n\n`;
}

export function formatSse(message: LiveMessage, id?: string): string {
  const lines = [`event: ${message.event}`];
  if (id) lines.push(`id: ${id}`);
  // JSON has no raw newlines, so one data line carries the whole message.
  lines.push(`data: ${JSON.stringify(message.data)}`);
  return `${lines.join('\n')}\n\n`;
}

/**
 * Streams a topic to the client until it disconnects. `filter` may drop or reshape a message
 * for this listener (readers must not hear of comments they cannot see).
 */
export function streamTopic(
  request: FastifyRequest,
  reply: FastifyReply,
  hub: LiveHub,
  topic: string,
  filter: (message: LiveMessage) => LiveMessage | null = (m) => m,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // Proxies (nginx) must pass events through at once, not buffer them.
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  // Tells EventSource how long to wait before reconnecting after a drop.
  res.write('retry: 5000\n\n');
  const stop = hub.listen(topic, (message) => {
    const out = filter(message);
    if (out) res.write(formatSse(out));
  }, () => res.end(reconnectSoon()));
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
  keepAlive.unref();
  const end = () => {
    clearInterval(keepAlive);
    stop();
  };
  request.raw.on('close', end);
  res.on('error', end);
}
