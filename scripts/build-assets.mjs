// Copies stylesheets into dist/assets and bundles client islands (if any) with esbuild.
// Run by `npm run build`, which `npm install` runs through the prepare script.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist', 'assets');
fs.mkdirSync(out, { recursive: true });

for (const file of fs.readdirSync(path.join(root, 'assets'))) {
  fs.copyFileSync(path.join(root, 'assets', file), path.join(out, file));
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
