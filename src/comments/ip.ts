import { createHmac } from 'node:crypto';

/**
 * A commenter's address as stored: a keyed hash, enough to count comments per address for the
 * rate limit, useless to read back. The API and the reader site's forms share it, so one
 * address is one counter whichever way the comment came in.
 */
export function commentIpHash(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(`comment-ip:${ip}`).digest('hex').slice(0, 32);
}
