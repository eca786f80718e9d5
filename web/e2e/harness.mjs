// Starts the real `yingji` binary on a free port with a fresh SQLite database and the demo
// district, and a headless Debian Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PASSWORD = 'Yingji@2026';
export const shots = path.join(root, 'web', 'e2e', 'screenshots');

/** The environment for the server: this one without YINGJI_BIN (which the server's own
 *  `YINGJI_` configuration would refuse as an unknown key). */
function serverEnv() {
  const env = { ...process.env };
  delete env.YINGJI_BIN;
  return env;
}

export async function startServer(extraArgs = [], extraEnv = {}) {
  const bin = process.env.YINGJI_BIN ?? path.join(root, 'target', 'debug', 'yingji');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yingji-e2e-'));
  const proc = spawn(bin, ['--data-dir', dataDir, 'serve', '--demo', '--no-simulator', '--listen', '127.0.0.1:0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...serverEnv(), RUST_LOG: 'warn', YINGJI_MQTT__LISTEN: '127.0.0.1:0', YINGJI_SERVER__SESSION_IDLE_MINUTES: '480', YINGJI_SECURITY__SECOND_FACTOR_ENFORCED: 'false', ...extraEnv } });
  let out = '';
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d) => { out += d.toString(); });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { base, dataDir, stop: () => { proc.kill('SIGTERM'); fs.rmSync(dataDir, { recursive: true, force: true }); } };
}

const dist = path.join(root, 'web', 'dist');
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.ico': 'image/x-icon', '.txt': 'text/plain', '.woff': 'font/woff', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml', '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.woff2': 'font/woff2' };

/** E2E_LOCAL_DIST=1: the console's files come from web/dist instead of the copy embedded in the
 *  binary (to test a console change before the binary is rebuilt with it); the API stays the
 *  server's. Service workers are blocked then (they would answer from their cache). */
async function serveLocalDist(ctx) {
  await ctx.route((url) => url.protocol === 'http:' && url.hostname === '127.0.0.1' && !url.pathname.startsWith('/api/'), async (route) => {
    const p = decodeURIComponent(new URL(route.request().url()).pathname);
    const file = path.join(dist, p);
    const exists = file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile();
    // Not a console file (the server's /healthz, /metrics, its other files): the server answers.
    if (!exists && (path.extname(p) || ['/healthz', '/metrics'].includes(p))) return route.continue();
    const found = exists ? file : path.join(dist, 'index.html');
    await route.fulfill({ status: 200, body: fs.readFileSync(found), headers: { 'content-type': TYPES[path.extname(found)] ?? 'application/octet-stream' } });
  });
}

export async function startBrowser() {
  const browser = await launch();
  if (!process.env.E2E_LOCAL_DIST) return browser;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}) => {
    const ctx = await newContext({ ...options, serviceWorkers: 'block' });
    await serveLocalDist(ctx);
    return ctx;
  };
  return browser;
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function login(page, base, username = 'admin') {
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/(workbench|map|users|audit)/);
}

export async function screenshot(page, name) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** The API as the page's session sees it. */
export async function apiGet(page, p) {
  return page.evaluate(async (url) => (await fetch(url)).json(), p);
}

/** POSTs JSON with the page's session; answers { status, body }. */
export async function apiPost(page, url, body) {
  return page.evaluate(async ([u, b]) => {
    const r = await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    return { status: r.status, body: await r.json() };
  }, [url, body]);
}

const axeSource = fs.readFileSync(path.join(root, 'web', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core's critical and serious violations on the page as it stands, one line each. */
export async function axeViolations(page) {
  // Evaluated rather than added as a script tag: the console's CSP allows no inline script.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** The page at rest: the network idle, no toast, the drawers slid in, transitions ended. */
export async function settled(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.el-message'));
  await page.waitForFunction(() => [...document.querySelectorAll('.el-drawer.rtl')].map((d) => d.getBoundingClientRect()).every((r) => !r.width || Math.abs(r.right - window.innerWidth) < 1));
  // The tabs' and tags' transitions (axe-core reads them at part opacity).
  await page.waitForTimeout(400);
}

/** axe-core finds nothing critical or serious on the settled page. */
export async function accessible(page, what) {
  await settled(page);
  const found = await axeViolations(page);
  assert.deepEqual(found, [], `axe-core on ${what}:\n${found.join('\n')}`);
}

function base32(s) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, buf = 0; const out = [];
  for (const c of s.replace(/\s/g, '')) { buf = (buf << 5) | abc.indexOf(c); bits += 5; if (bits >= 8) { bits -= 8; out.push((buf >> bits) & 255); } }
  return Buffer.from(out);
}
/** The RFC 6238 code of a base32 `secret` at `ms` (30-second steps, 6 digits, SHA-1). */
export function totp(secret, ms) {
  const counter = Buffer.alloc(8); counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30000)));
  const h = crypto.createHmac('sha1', base32(secret)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String(((h.readUInt32BE(o) & 0x7fffffff) % 1000000)).padStart(6, '0');
}
