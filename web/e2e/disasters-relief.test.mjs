// 救助 (issue 23 item 4): the street's staff open 防灾减灾 › 救助 for the demo rainstorm, record a
// person, make a 一卡通 batch of them, publish it (the public 公示 list masks the name), the test
// clock passes the 7 days and the timer makes it 待发放, the .xlsx payment file is exported, a
// results file with a bad row is refused whole and the good one completes the batch. Screenshots
// at 1280 and 390 px, axe-core on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, apiPost, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(['--test-clock']); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** An ID number with its GB 11643 check digit. */
function idNumber(n) {
  const base = `36040319900202${String(n).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...base].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return base + '10X98765432'[sum % 11];
}

describe('救助', () => {
  test('a batch from entry to paid, on the test clock', async () => {
    const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
    const page = await ctx.newPage();
    await login(page, server.base, 'street');
    await page.goto(`${server.base}/disasters/relief`);
    await page.getByTestId('relief-entries').locator('tbody tr').first().waitFor();
    assert.match(await page.getByTestId('relief-phases').innerText(), /应急救助/);
    assert.match(await page.getByTestId('relief-entries').innerText(), /\*{8}/, 'card numbers masked');
    await accessible(page, 'the 救助 page');
    await screenshot(page, 'relief-1280');
    // A person with a card that fails its check is named on the field, then fixed.
    await page.getByTestId('relief-entry-new').click();
    await page.getByTestId('entry-village').fill('南湖社区');
    await page.getByTestId('entry-name').fill('欧阳娜娜');
    await page.getByTestId('entry-id').fill(idNumber(5));
    await page.getByTestId('entry-amount').fill('1800.00');
    await page.getByTestId('entry-card').fill('4111111111111112');
    await page.getByTestId('entry-save').click();
    await page.getByText('校验位不正确', { exact: false }).first().waitFor();
    await page.getByTestId('entry-card').fill('4111111111111111');
    await page.getByTestId('entry-save').click();
    const row = page.getByTestId('relief-entries').locator('tbody tr', { hasText: '欧阳娜娜' });
    await row.waitFor();
    await row.locator('.el-checkbox').click();
    await page.getByTestId('relief-batch-new').click();
    await page.getByTestId('batch-publish').waitFor();
    await accessible(page, 'a draft batch');
    await page.getByTestId('batch-publish').click();
    await page.getByTestId('batch-countdown').waitFor();
    assert.match(await page.getByTestId('batch-countdown').innerText(), /剩 6 天|剩 7 天/);
    const code = (await page.getByTestId('batch-code').innerText()).trim();
    await screenshot(page, 'relief-batch-notice-1280');
    // The public list: the middle of the name masked, no ID or card numbers.
    const pub = await ctx.newPage();
    await pub.goto(`${server.base}/public/relief/${code}`);
    await pub.getByTestId('public-relief-lines').locator('tbody tr').first().waitFor();
    const listed = await pub.getByTestId('public-relief-lines').innerText();
    assert.match(listed, /欧\*\*娜/);
    assert.doesNotMatch(listed, /4111|360403199/);
    await accessible(pub, 'the public 公示 list');
    await pub.close();
    // Eight days later (the administrator moves the test clock) the timer has made it 待发放.
    const batchUrl = page.url();
    const adminCtx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const admin = await adminCtx.newPage();
    await login(admin, server.base, 'admin');
    const moved = await apiPost(admin, '/api/v1/test/clock', { advance_days: 8 });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    await adminCtx.close();
    await login(page, server.base, 'street');
    for (let i = 0; i < 20; i++) {
      await page.goto(batchUrl);
      await page.getByTestId('batch-status').waitFor();
      if ((await page.getByTestId('batch-status').innerText()).includes('待发放')) break;
      await page.waitForTimeout(500);
    }
    assert.match(await page.getByTestId('batch-status').innerText(), /待发放/);
    await page.getByTestId('batch-export').click();
    await page.getByTestId('batch-xlsx').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-xlsx').click()]);
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    const xlsx = Buffer.concat(chunks);
    assert.equal(xlsx.subarray(0, 2).toString(), 'PK', 'an .xlsx file');
    const reference = (await page.getByTestId('batch-lines').locator('tbody tr').first().locator('td').first().innerText()).trim();
    // A results file with an unknown reference: refused whole, the row named.
    const file = page.getByTestId('batch-results-file');
    await file.setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: Buffer.from(`参考号,结果,原因\n${reference},成功,\nXX-0001,成功,\n`) });
    await page.getByTestId('batch-results-errors').waitFor();
    assert.match(await page.getByTestId('batch-results-errors').innerText(), /第3行/);
    assert.match(await page.getByTestId('batch-status').innerText(), /已导出/);
    await file.setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: Buffer.from(`参考号,结果,原因\n${reference},成功,\n`) });
    await page.getByTestId('batch-status').getByText('已完成').waitFor();
    assert.match(await page.getByTestId('batch-lines').innerText(), /已发放/);
    await accessible(page, 'a paid batch');
    await screenshot(page, 'relief-batch-done-1280');
    await ctx.close();
  });

  test('the 救助 page and a batch on a 390 px phone', async () => {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await login(page, server.base, 'duty');
    await page.goto(`${server.base}/disasters/relief`);
    await page.getByTestId('relief-entries').locator('tbody tr').first().waitFor();
    let w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the page is ${w} px wide`);
    await accessible(page, 'the 救助 page at 390 px');
    await screenshot(page, 'relief-390');
    await page.getByRole('tab', { name: /10 小时/ }).click();
    await page.getByTestId('relief-timeliness').locator('tbody tr').first().waitFor();
    assert.match(await page.getByTestId('relief-timeliness').innerText(), /达标/);
    assert.match(await page.getByTestId('relief-timeliness').innerText(), /超时/);
    await screenshot(page, 'relief-timeliness-390');
    await page.getByRole('tab', { name: /发放批次/ }).click();
    await page.getByTestId('relief-batches').locator('tbody tr', { hasText: '已完成' }).first().click();
    await page.getByTestId('batch-lines').locator('tbody tr').first().waitFor();
    w = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(w <= PHONE.width, `the batch page is ${w} px wide`);
    await accessible(page, 'a batch at 390 px');
    await screenshot(page, 'relief-batch-390');
    await ctx.close();
  });
});
