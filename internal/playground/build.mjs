// Bundles the playground into dist/ with esbuild: the page (index.html),
// its script and styles, Monaco's workers and fonts. The output depends
// only on the sources and package-lock.json, so it is committed and
// embedded; `node build.mjs --check` builds in memory and fails if dist/
// differs (CI runs it).
import * as esbuild from 'esbuild';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const check = process.argv.includes('--check');

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: {
    playground: 'src/main.jsx',
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2022',
  charset: 'utf8',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  assetNames: '[name]-[hash]',
  outdir: dist,
  write: false,
  logLevel: 'warning',
});

const files = new Map(result.outputFiles.map((f) => [relative(dist, f.path), Buffer.from(f.contents)]));
for (const name of ['index.html', 'favicon.svg']) {
  files.set(name, await readFile(join(here, name)));
}

if (check) {
  const committed = (await readdir(dist)).sort();
  const built = [...files.keys()].sort();
  const stale = built.filter((name) => !committed.includes(name)).concat(committed.filter((name) => !files.has(name)));
  for (const name of committed) {
    if (files.has(name) && !files.get(name).equals(await readFile(join(dist, name)))) {
      stale.push(name);
    }
  }
  if (stale.length) {
    console.error(`internal/playground/dist is not what its sources build (${stale.join(', ')}): run npm run build there and commit dist/`);
    process.exit(1);
  }
} else {
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist);
  for (const [name, contents] of files) {
    await writeFile(join(dist, name), contents);
  }
}
