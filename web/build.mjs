// Builds trygg's web pages into ../internal/web/dist, which is committed and
// embedded in the Go binary (internal/web). Run with `npm run build`.
//
// Each page is one entry below plus src/pages/NAME/index.html and
// src/pages/NAME/main.js. The HTML loads /assets/NAME.js and /assets/NAME.css;
// code shared between pages, and code a page imports lazily with import(),
// lands in chunk-HASH.js files. The build is deterministic, so an unchanged
// source gives an unchanged dist.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pages = [
  { name: 'report', route: '/' }, // residents report a place or a fault
  { name: 'follow', route: '/follow' }, // a resident follows a report's status
  { name: 'map', route: '/map' }, // public layers; hotspots, KDE, lägesbild with a staff token
  { name: 'promises', route: '/promises' }, // medborgarlöften and their progress
  { name: 'staff', route: '/staff' }, // the caseworker queue
  { name: 'walks', route: '/walks' }, // the walk planner and walk mode
];

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'internal', 'web', 'dist');

export async function build() {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) rmSync(join(out, f), { recursive: true });
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(pages.map((p) => [p.name, join(here, 'src', 'pages', p.name, 'main.js')])),
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    legalComments: 'linked',
    logLevel: 'warning',
    metafile: true,
  });
  for (const p of pages) {
    const html = readFileSync(join(here, 'src', 'pages', p.name, 'index.html'), 'utf8');
    for (const want of [`src="/assets/${p.name}.js"`, `href="/assets/${p.name}.css"`]) {
      if (!html.includes(want)) throw new Error(`src/pages/${p.name}/index.html must load ${want}`);
    }
    if (/<script(?![^>]*\bsrc=)/i.test(html) || /\son[a-z]+=/i.test(html) || /<style/i.test(html)) {
      throw new Error(`src/pages/${p.name}/index.html has inline script, style or event handler; the CSP forbids them`);
    }
    writeFileSync(join(out, `${p.name}.html`), html);
  }
  // MapLibre starts its worker from this file (see src/lib/mapbase.js); its CSS is
  // linked by the map pages and by the Report page's lazily loaded picker.
  copyFileSync(join(here, 'src', 'icon.svg'), join(out, 'icon.svg'));
  copyFileSync(join(here, 'node_modules', 'maplibre-gl', 'dist', 'maplibre-gl.css'), join(out, 'maplibre-gl.css'));
  copyFileSync(join(here, 'node_modules', 'maplibre-gl', 'dist', 'maplibre-gl-worker.mjs'), join(out, 'maplibre-gl-worker.mjs'));
  writeFileSync(join(out, 'pages.json'), JSON.stringify(pages.map((p) => ({ route: p.route, file: `${p.name}.html` })), null, 1) + '\n');
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const meta = await build();
  for (const [file, o] of Object.entries(meta.outputs).sort()) {
    console.log(`${String(o.bytes).padStart(9)}  ${file.replace(/^.*internal\/web\//, '')}`);
  }
}
