// The baseline: Debian's nginx serving a saved copy of a brief page, byte for byte, from a
// config the bench writes into its temp folder (no system config, no root-owned paths); and
// nginx as the load balancer of the two-instance rows.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { freePort, startDaemon, waitForHttp } from './proc.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export function nginxBinary() {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  return null;
}

/** Starts nginx in the foreground (`daemon off`) on a free loopback port; answers its url and a stop(). */
export async function startNginx(dir, html) {
  const binary = nginxBinary();
  if (!binary) throw new Error('nginx is not installed: run `bash bench/install-deps.sh` (apt-get install nginx)');
  const www = path.join(dir, 'www');
  const temp = path.join(dir, 'nginx-temp');
  mkdirSync(www, { recursive: true });
  mkdirSync(temp, { recursive: true });
  writeFileSync(path.join(www, 'brief.html'), html);
  // gzip_static serves this file, made once, like the product's precompressed cache entries.
  writeFileSync(path.join(www, 'brief.html.gz'), gzipSync(html, { level: 9 }));
  const port = await freePort();
  const conf = writeMainConfig(dir, temp, `
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  server {
    listen 127.0.0.1:${port};
    root ${www};
    gzip_static on;
    gzip_vary on;
    location = /brief { default_type text/html; try_files /brief.html =404; }
  }`);
  const child = startDaemon(binary, ['-c', conf, '-p', dir, '-e', `${dir}/nginx-error.log`]);
  const url = `http://127.0.0.1:${port}/brief`;
  await waitForHttp(url, child, 15_000);
  return { url, child };
}

/**
 * nginx as the load balancer in front of two instances: deploy/nginx.conf from the repository as
 * an operator installs it (docs/DEPLOY.md), with only its addresses replaced, as
 * e2e/deploy-nginx.test.ts does, so the bench measures the configuration that is shipped.
 * `first` and `second` are the instances' host:port.
 */
export async function startBalancer(dir, [first, second], { port: wanted } = {}) {
  const binary = nginxBinary();
  if (!binary) throw new Error('nginx is not installed: run `bash bench/install-deps.sh` (apt-get install nginx)');
  const temp = path.join(dir, 'nginx-temp');
  mkdirSync(temp, { recursive: true });
  // Chosen by the caller when the instances must know nginx's address (NEWSDESK_PUBLIC_URL).
  const port = wanted ?? await freePort();
  let site = readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8');
  for (const [from, to] of [['127.0.0.1:3001', first], ['127.0.0.1:3002', second], ['listen 80;', `listen 127.0.0.1:${port};`]]) {
    // Each exactly once; otherwise the file changed and what is measured is no longer what it says.
    if (site.split(from).length !== 2) throw new Error(`deploy/nginx.conf should contain "${from}" once`);
    site = site.replace(from, to);
  }
  writeFileSync(path.join(dir, 'newsdesk.conf'), site);
  // The main context around it as the baseline's: as many workers as cores, no access log.
  const conf = writeMainConfig(dir, temp, `
  include ${path.join(dir, 'newsdesk.conf')};`);
  const child = startDaemon(binary, ['-c', conf, '-p', dir, '-e', `${dir}/nginx-error.log`]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/robots.txt`, child, 15_000);
  return { url, child };
}

/**
 * nginx.conf's main context, the same for the baseline and the balancer (as many workers as
 * cores, no access log, temp folders under `temp`), around `http` (the http block's own lines).
 */
function writeMainConfig(dir, temp, http) {
  // As root, nginx would hand its workers to "nobody", who cannot read the temp folder.
  const user = process.getuid?.() === 0 ? `user ${os.userInfo().username};` : '';
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, `
${user}
worker_processes auto;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;${http}
}
`);
  return conf;
}
