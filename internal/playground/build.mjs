// Bundles the playground into dist/ with esbuild: the page (index.html),
// its script and styles, Monaco's workers and the fonts. The output depends
// only on the sources and package-lock.json, so it is committed and
// embedded; `node build.mjs --check` builds in memory and fails if dist/
// differs (CI runs it).
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
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

// The stylesheets carry fonts and images as data: URLs (GraphiQL's fonts,
// Monaco's colour picker); they become files of their own, so the policy
// allows fonts and images from this server only.
const extensions = { 'font/ttf': 'ttf', 'font/woff': 'woff', 'font/woff2': 'woff2', 'image/png': 'png', 'image/svg+xml': 'svg' };
const inlined = /url\((["']?)data:(font\/ttf|font\/woff2?|image\/png|image\/svg\+xml);base64,([A-Za-z0-9+/=]+)\1\)/g;
const css = files.get('playground.css').toString('utf8').replace(inlined, (_, _quote, type, data) => {
  const contents = Buffer.from(data, 'base64');
  const name = `inline-${createHash('sha256').update(contents).digest('hex').slice(0, 12)}.${extensions[type]}`;
  files.set(name, contents);
  return `url(./${name})`;
});
files.set('playground.css', Buffer.from(css, 'utf8'));
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
