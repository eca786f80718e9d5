// 现场检查 on a 390×844 phone: 执法队员张明 (zfry) opens a task from 我的检查任务, reads the
// enterprise's dossier, marks a 重大隐患判定标准 item 不符合 and records it as a finding with a
// photo, submits (the finding becomes a 重大 hazard), both inspectors sign on the canvas and the
// enterprise's representative refuses with a reason. The same page at desktop width. axe-core on
// the page: no critical or serious violation. Screenshots at 390 px and at desktop width.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGO4rK8PRAwQCgAj+gTFnahgGAAAAABJRU5ErkJggg==', 'base64');

async function fitsThePhone(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `${what}: the page is ${w} px wide on a ${PHONE.width} px screen`);
}

/** A field by its test id (Element Plus puts the id on the input or on its wrapper). */
const input = (id) => `input[data-testid=${id}], [data-testid=${id}] input`;
const area = (id) => `textarea[data-testid=${id}], [data-testid=${id}] textarea`;

/** Draws a stroke across a signature canvas. */
async function draw(page, canvas) {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + 20, box.y + 30);
  await page.mouse.down();
  for (const [dx, dy] of [[60, 80], [120, 40], [180, 100], [240, 50]]) await page.mouse.move(box.x + dx, box.y + dy, { steps: 4 });
  await page.mouse.up();
}

describe('现场检查', () => {
  test('a phone inspection with a photo, two signatures and a refusal', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'zfry');
    await page.goto(`${server.base}/enforcement/tasks`);
    const open = page.getByTestId('task-open').first();
    const enterprise = await open.innerText();
    await open.click();
    await page.waitForURL(/\/enforcement\/tasks\/[^/]+$/);
    const url = page.url();
    await page.getByTestId('dossier').waitFor();
    await page.getByTestId('check-item').first().waitFor();
    assert.equal(await page.locator('h2.title').innerText(), enterprise);
    await page.getByText(/^风险点 \d+$/).click();
    await fitsThePhone(page, 'the inspection page');
    await accessible(page, '/enforcement/tasks/:id at 390 px');
    await screenshot(page, 'enforcement-inspection-phone');

    // The first 判定标准 item 不符合 → a finding with a photo.
    const first = page.getByTestId('check-item').first();
    await first.getByText('不符合').click();
    await first.getByText('记为问题').click();
    const finding = page.getByTestId('finding').first();
    await finding.locator('[data-testid=attachment-input]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
    await finding.locator('img').first().waitFor();
    await page.locator(area('inspection-summary')).fill('检查了作业现场和安全管理资料');
    await screenshot(page, 'enforcement-inspection-finding-phone');
    await page.getByTestId('submit-inspection').click();
    const record = page.getByTestId('inspection-record');
    await record.waitFor();
    const recorded = record.getByTestId('recorded-finding');
    await recorded.getByText('重大').waitFor();
    assert.match(await recorded.innerText(), /YH\d+/);

    // Both inspectors sign; the representative refuses.
    for (let i = 0; i < 2; i++) {
      const block = page.locator('.sign-block').filter({ hasText: '执法人员' }).first();
      const name = (await block.locator('.who').innerText()).replace(/^执法人员 | 签名$/g, '');
      await draw(page, block.getByTestId('signature-canvas'));
      await block.getByRole('button', { name: '确认签名' }).click();
      await record.getByTestId('signature-line').filter({ hasText: name }).waitFor();
    }
    const ent = page.getByTestId('enterprise-sign');
    await ent.locator(input('rep-name')).fill('王经理');
    await ent.getByText('拒签', { exact: true }).click();
    await ent.locator(area('rep-reason')).fill('对检查结论有异议');
    await ent.getByTestId('sign-enterprise').click();
    await record.getByTestId('signature-line').filter({ hasText: '拒绝签名' }).waitFor();
    assert.equal(await record.getByTestId('signature-line').count(), 3);
    assert.equal(await record.locator('img.sig').count(), 2);
    await fitsThePhone(page, 'the signed inspection');
    await accessible(page, 'the signed inspection at 390 px');
    await screenshot(page, 'enforcement-inspection-signed-phone');
    await ctx.close();

    const dctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const desk = await dctx.newPage();
    await login(desk, server.base, 'zfry');
    await desk.goto(url);
    await desk.getByTestId('inspection-record').waitFor();
    await accessible(desk, '/enforcement/tasks/:id at desktop width');
    await screenshot(desk, 'enforcement-inspection-desktop');
    await dctx.close();
  });
});
