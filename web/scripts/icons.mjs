// Renders the PWA's PNG icons from public/favicon.svg with the Debian Chromium the browser tests
// use (playwright-core): 192 and 512 px, and a 512 px "maskable" one with the safe-zone margin.
// Run `node scripts/icons.mjs` after changing the logo; the PNGs are committed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(web, 'public', 'favicon.svg'), 'utf8');
const out = path.join(web, 'public', 'icons');
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const [name, size, pad] of [['icon-192.png', 192, 0], ['icon-512.png', 512, 0], ['maskable-512.png', 512, 0.1]]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const inner = Math.round(size * (1 - 2 * pad));
    const bg = pad ? '#c62828' : 'transparent';
    await page.setContent(`<html><body style="margin:0;background:${bg};display:flex;align-items:center;justify-content:center;width:${size}px;height:${size}px">${svg.replace('<svg ', `<svg width="${inner}" height="${inner}" `)}</body></html>`);
    await page.screenshot({ path: path.join(out, name), omitBackground: !pad });
    await page.close();
  }
} finally { await browser.close(); }
console.log(`icons written to ${out}`);
