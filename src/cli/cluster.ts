import cluster, { type Worker } from 'node:cluster';
import { startServer, type Runtime } from '../main.js';

// `newsdesk serve` with NEWSDESK_WORKERS > 1: one server process per core behind one port
// (node:cluster; the primary hands out connections round-robin) over one SQLite file in WAL mode,
// where one writer at a time is SQLite's own rule. The primary migrates and seeds, then only
// forks, watches and restarts; it holds no database connection and serves nothing. Each worker
// reads what the others commit through the event tail (storage/event-tail.ts), so page caches
// and live streams hear every write. Work that must happen once per event (webhooks, CDN purges)
// runs in one worker, the first slot, and its replacement when it dies.

/** Tells a forked worker whether it is the one that runs webhooks and CDN purges. */
const JOBS_ENV = 'NEWSDESK_CLUSTER_JOBS';
const READY = 'newsdesk:ready';
/** A worker that lived this long before dying is restarted at the shortest delay again. */
const HEALTHY_AFTER_MS = 60_000;
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** How long workers get to finish open requests on shutdown before they are killed. */
const STOP_GRACE_MS = 10_000;

/** In a forked worker: serves on the shared port and tells the primary once it listens. */
export async function startClusterWorker(runtime: Runtime): Promise<void> {
  try {
    await startServer(runtime, {
      runsJobs: process.env[JOBS_ENV] === '1',
      exposesWorker: process.env.NEWSDESK_EXPOSE_WORKER === '1',
    });
  } catch (err) {
    // The IPC channel would keep a worker that cannot listen alive, and the primary waiting.
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  }
  process.send?.({ type: READY });
}

interface Slot {
  worker: Worker;
  startedAt: number;
  /** Delay before the next restart of this slot; doubles while workers keep dying young. */
  restartDelayMs: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * In the primary: closes its own database connection, forks `config.workers` workers and
 * resolves once every one listens. Rejects (after stopping the others) if one dies before that,
 * the way a single server that cannot listen fails. Afterwards a worker that dies is replaced,
 * after a delay that grows while replacements keep dying young; SIGTERM or SIGINT stops them all.
 */
export async function startCluster(runtime: Runtime, log: (line: string) => void): Promise<void> {
  const count = runtime.config.workers;
  const slots: Slot[] = [];
  let isStarted = false;
  let isStopping = false;
  let failStart: (err: Error) => void = () => {};
  let ready = 0;
  let allReady: () => void = () => {};

  const fork = (index: number, restartDelayMs: number) => {
    const worker = cluster.fork({ [JOBS_ENV]: index === 0 ? '1' : '0' });
    const slot: Slot = { worker, startedAt: Date.now(), restartDelayMs };
    slots[index] = slot;
    worker.on('message', (message: { type?: string }) => {
      if (message?.type !== READY || isStarted) return;
      if (++ready === count) allReady();
    });
    worker.on('exit', (code, signal) => {
      if (isStopping) return;
      const how = signal ?? `code ${code}`;
      if (!isStarted) {
        failStart(new Error(`a server worker exited while starting (${how})`));
        return;
      }
      const lived = Date.now() - slot.startedAt;
      const delay = lived >= HEALTHY_AFTER_MS ? FIRST_RESTART_DELAY_MS : slot.restartDelayMs;
      log(`Worker ${worker.process.pid} stopped (${how}); starting a replacement in ${delay} ms`);
      slot.restartTimer = setTimeout(() => fork(index, Math.min(delay * 2, MAX_RESTART_DELAY_MS)), delay);
    });
  };

  const stopAll = async () => {
    isStopping = true;
    const running = slots.filter((s) => {
      clearTimeout(s.restartTimer);
      return !s.worker.isDead();
    });
    await Promise.all(running.map(({ worker }) => new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.process.kill('SIGTERM');
      setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS).unref();
    })));
  };

  try {
    await new Promise<void>((resolve, reject) => {
      allReady = resolve;
      failStart = reject;
      for (let i = 0; i < count; i++) fork(i, FIRST_RESTART_DELAY_MS);
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
  isStarted = true;
  await runtime.db.destroy();
  const shutdown = () => void stopAll().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
