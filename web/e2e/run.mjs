// Runs the browser tests against the real server: builds the pages and the Go
// binary, creates and migrates a fresh database (from TRYGG_TEST_DATABASE_URL),
// seeds the demo data, creates staff tokens, starts `trygg serve` on a free
// loopback port, runs e2e/specs/*.test.mjs with node's test runner in
// Debian's Chromium, and removes the database again. Under CI=true a missing
// database or browser fails the run instead of skipping it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../build.mjs';
import { chromiumPath } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const ci = process.env.CI === 'true';
const log = (msg) => console.log(`e2e: ${msg}`);

function skipOrFail(msg) {
  if (ci) {
    console.error(`e2e: FAIL: ${msg} (CI=true: browser tests may not skip)`);
    process.exit(1);
  }
  console.log(`e2e: SKIP: ${msg}`);
  process.exit(0);
}

const adminURL = process.env.TRYGG_TEST_DATABASE_URL;
if (!adminURL) skipOrFail('TRYGG_TEST_DATABASE_URL is not set');
if (!existsSync(chromiumPath)) skipOrFail(`no Chromium at ${chromiumPath}`);

log('building the pages');
await build();
try {
  execFileSync('git', ['diff', '--quiet', '--', 'internal/web/dist'], { cwd: repo });
  const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '--', 'internal/web/dist'], { cwd: repo }).toString().trim();
  if (untracked) throw new Error(untracked);
} catch {
  const msg = 'internal/web/dist differs from the build of web/src: run `npm run build` in web/ and commit internal/web/dist';
  if (ci) {
    console.error(`e2e: FAIL: ${msg}`);
    process.exit(1);
  }
  log(`note: ${msg}`);
}

const work = mkdtempSync(join(tmpdir(), 'trygg-e2e-'));
const bin = join(work, 'trygg');
log('building bin/trygg');
execFileSync('go', ['build', '-o', bin, './cmd/trygg'], { cwd: repo, stdio: 'inherit' });

const dbName = `trygg_e2e_${process.pid}_${Date.now() % 100000}`;
const dbURL = new URL(adminURL);
dbURL.pathname = `/${dbName}`;
const psql = (sql) => execFileSync('psql', [adminURL, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { stdio: ['ignore', 'pipe', 'inherit'] }).toString();

let server;
let status = 1;
try {
  log(`creating database ${dbName}`);
  psql(`CREATE DATABASE ${dbName}`);
  const env = { ...process.env, DATABASE_URL: dbURL.href, TRYGG_RATE_LIMIT: '1000', TRYGG_RATE_BURST: '1000', TRYGG_LOG_LEVEL: 'warn', TRYGG_HASH_SECRET: `e2e-${process.pid}-${Date.now()}` };
  const trygg = (...args) => execFileSync(bin, args, { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  trygg('migrate', 'up');
  log(trygg('seed', 'demo').trim().replace(/\n/g, '; '));
  // The walk planner needs a street network: the small KTH campus extract
  // (committed test data), imported into Stockholm (0180).
  trygg('import', 'osm', join(repo, 'internal', 'streets', 'testdata', 'kth_campus_stockholm.osm.pbf'), '--municipality', '0180');
  const token = (role, munis) => trygg('token', 'create', '--role', role, '--municipality', munis, '--name', `e2e ${role}`).trim().split('\n').pop();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve'], { env: { ...env, TRYGG_ADDR: `127.0.0.1:${port}` }, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitReady(`${base}/readyz`, server);
  log(`trygg serves on ${base}`);

  mkdirSync(join(here, 'artifacts'), { recursive: true });
  const specs = readdirSync(join(here, 'specs')).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(here, 'specs', f));
  const only = process.argv.slice(2);
  const chosen = only.length ? specs.filter((s) => only.some((o) => s.includes(o))) : specs;
  status = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...chosen], {
      stdio: 'inherit',
      env: {
        ...process.env,
        E2E_BASE_URL: base,
        E2E_DATABASE_URL: dbURL.href,
        E2E_TOKEN_ANALYST: token('analyst', '1781'),
        E2E_TOKEN_CASEWORKER: token('caseworker', '1781'),
        E2E_TOKEN_PLANNER: token('planner', '1781'),
        E2E_TOKEN_PLANNER_STOCKHOLM: token('planner', '0180'),
        E2E_TOKEN_ADMIN: token('admin', '1781,1782,1290,1863'),
      },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
} finally {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  }
  try {
    psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  } catch (err) {
    console.error(`e2e: could not drop ${dbName}: ${err.message}`);
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(status);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(url, child) {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`trygg serve exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready`);
}
