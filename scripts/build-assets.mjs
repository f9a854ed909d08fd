// Copies stylesheets (minified) into dist/assets, bundles client islands (if any) with esbuild,
// and writes a brotli and a gzip copy beside every text asset, which @fastify/static serves to
// browsers that accept them (preCompressed), so nothing is compressed per request.
// Run by `npm run build`, which `npm install` runs through the prepare script.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build, transform } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist', 'assets');
fs.mkdirSync(out, { recursive: true });

for (const file of fs.readdirSync(path.join(root, 'assets'))) {
  const source = path.join(root, 'assets', file);
  if (file.endsWith('.css')) {
    // The stylesheet blocks the first paint, so every byte of it counts.
    const { code } = await transform(fs.readFileSync(source, 'utf8'), { loader: 'css', minify: true, sourcefile: file });
    fs.writeFileSync(path.join(out, file), code);
  } else {
    fs.copyFileSync(source, path.join(out, file));
  }
}

const islandsDir = path.join(root, 'src', 'islands');
const islands = fs.existsSync(islandsDir)
  ? fs.readdirSync(islandsDir).filter((f) => /\.tsx?$/.test(f) && !/\.test\./.test(f)).map((f) => path.join(islandsDir, f))
  : [];
if (islands.length > 0) {
  await build({
    entryPoints: islands,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    outdir: out,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
  });
}

for (const file of fs.readdirSync(out).filter((f) => /\.(css|js|svg)$/.test(f))) {
  const body = fs.readFileSync(path.join(out, file));
  fs.writeFileSync(path.join(out, `${file}.br`), zlib.brotliCompressSync(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  }));
  fs.writeFileSync(path.join(out, `${file}.gz`), zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION }));
}
