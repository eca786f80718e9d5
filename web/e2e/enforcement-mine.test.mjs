// 我的执法检查 on a 390×844 phone: the demo's enterprise user (its enterprise made one that 执法队员
// 张明 inspected, with a finding and a 责令限期整改指令书) opens /enforcement/mine, signs for the
// document on the canvas (送达回执) and submits 整改 evidence with a photo for the finding; then the
// inspector accepts it in the task page's 整改复查 at desktop width and the hazard is closed.
// axe-core on each page: no critical or serious violation. Screenshots at 390 px and 1440 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiGet, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

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

const input = (id) => `input[data-testid=${id}], [data-testid=${id}] input`;
const area = (id) => `textarea[data-testid=${id}], [data-testid=${id}] textarea`;

async function draw(page, canvas) {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + 20, box.y + 30);
  await page.mouse.down();
  for (const [dx, dy] of [[60, 80], [120, 40], [180, 100], [240, 50]]) await page.mouse.move(box.x + dx, box.y + dy, { steps: 4 });
  await page.mouse.up();
}

/** 张明 inspects a task with one finding and serves a 责令限期整改指令书; the enterprise user
 * becomes a user of that enterprise. Answers the task's id. */
async function prepare() {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  const zf = await ctx.newPage();
  await login(zf, server.base, 'zfry');
  const tasks = await apiGet(zf, '/api/v1/enforcement/tasks?page_size=100');
  const task = tasks.items.find((t) => t.status !== 'done');
  const rec = await apiPost(zf, `/api/v1/enforcement/tasks/${task.id}/inspection`, {
    summary: '检查了消防设施和安全管理资料',
    findings: [{ category: 'fire', description: '二号车间灭火器过期', location: '二号车间' }],
  });
  assert.equal(rec.status, 201, JSON.stringify(rec.body));
  const order = await apiPost(zf, '/api/v1/enforcement/documents', {
    kind: 'rectify_order', subject_kind: 'task', subject_id: task.id,
    fields: { facts: '二号车间灭火器过期', basis: '《中华人民共和国消防法》第十六条', deadline: '2099-12-31' },
  });
  assert.equal(order.status, 201, JSON.stringify(order.body));
  // A scope change is the 安全保密管理员's (三员分立, ADR 0029).
  const admin = await ctx.newPage();
  await login(admin, server.base, 'secadmin');
  const users = await apiGet(admin, '/api/v1/users?page_size=200');
  const u = users.items.find((x) => x.username === 'enterprise');
  const put = await admin.evaluate(async ([id, body]) => {
    const r = await fetch(`/api/v1/users/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return r.status;
  }, [u.id, { username: u.username, display_name: u.display_name, phone: u.phone ?? null, role: u.role, region_code: u.region_code ?? null, enterprise_id: task.enterprise_id }]);
  assert.equal(put, 200);
  await ctx.close();
  return task.id;
}

describe('我的执法检查', () => {
  test('the enterprise signs for a document and submits 整改 evidence; the inspector accepts it', async () => {
    const taskId = await prepare();
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'enterprise');
    await page.goto(`${server.base}/enforcement/mine`);
    const card = page.getByTestId('mine-inspection').first();
    await card.getByTestId('review-finding').waitFor();
    assert.match(await card.innerText(), /执法证号/);
    assert.match(await card.getByTestId('finding-deadline').innerText(), /2099-12-31/);
    await fitsThePhone(page, 'the enterprise page');
    await accessible(page, '/enforcement/mine at 390 px');
    await screenshot(page, 'enforcement-mine-phone');

    // 签收 the 责令限期整改指令书 with a drawn signature.
    await page.getByRole('tab', { name: /执法文书/ }).click();
    const doc = page.getByTestId('served-document').first();
    assert.equal(await doc.getByTestId('served-status').innerText(), '未签收');
    await doc.getByTestId('open-sign').click();
    await doc.locator(input('signer-name')).fill('王经理');
    await draw(page, doc.getByTestId('signature-canvas'));
    await screenshot(page, 'enforcement-mine-sign-phone');
    await doc.getByTestId('confirm-sign').click();
    await doc.getByTestId('served-status').filter({ hasText: '已签收' }).waitFor();
    assert.match(await doc.getByTestId('served-status').innerText(), /直接送达（签收） 王经理/);
    await fitsThePhone(page, 'the signed document');
    await accessible(page, 'the documents tab at 390 px');

    // 提交整改 with a photo: the hazard goes to 待验收.
    await page.getByRole('tab', { name: /检查记录/ }).click();
    const finding = page.getByTestId('review-finding').first();
    await finding.getByTestId('open-rectify').click();
    await finding.locator(area('rectify-note')).fill('已更换灭火器并张贴检查标签');
    await finding.locator('[data-testid=rectify-photos]').setInputFiles({ name: '整改.png', mimeType: 'image/png', buffer: PNG });
    await finding.locator('.shot img').first().waitFor();
    await screenshot(page, 'enforcement-mine-rectify-phone');
    await finding.getByTestId('submit-rectify').click();
    await finding.getByText('企业整改：已更换灭火器并张贴检查标签').waitFor();
    const status = await finding.getByTestId('finding-status').innerText();
    assert.notEqual(status, '整改中');
    await fitsThePhone(page, 'the rectified finding');
    await accessible(page, 'the rectified finding at 390 px');
    await ctx.close();

    // The inspector's 复查 at desktop width: 复查合格 closes the hazard.
    const dctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const desk = await dctx.newPage();
    await login(desk, server.base, 'zfry');
    await desk.goto(`${server.base}/enforcement/tasks/${taskId}`);
    const review = desk.getByTestId('review-card');
    await review.getByTestId('review-accept').waitFor();
    await accessible(desk, 'the 整改复查 at desktop width');
    await screenshot(desk, 'enforcement-review-desktop');
    await review.getByTestId('review-accept').click();
    await review.getByTestId('finding-status').filter({ hasText: '已销号' }).or(review.getByTestId('finding-status').filter({ hasText: '已验收' })).or(review.getByTestId('finding-status').filter({ hasText: '已关闭' })).first().waitFor();
    await review.getByTestId('issue-review-opinion').click();
    await review.getByText(/已开具 〔/).waitFor();
    await screenshot(desk, 'enforcement-review-done-desktop');
    const dossier = await apiGet(desk, `/api/v1/enforcement/tasks/${taskId}/review`);
    assert.equal(dossier.findings[0].status, 'closed');
    await dctx.close();

    // The enterprise's page at desktop width.
    const ectx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const ent = await ectx.newPage();
    await login(ent, server.base, 'enterprise');
    await ent.goto(`${server.base}/enforcement/mine`);
    await ent.getByTestId('review-finding').first().waitFor();
    await accessible(ent, '/enforcement/mine at desktop width');
    await screenshot(ent, 'enforcement-mine-desktop');
    await ectx.close();
  });
});
