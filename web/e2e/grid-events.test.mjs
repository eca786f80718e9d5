// 网格事件: a grid worker reports a 燃气 event from a 390 px phone (located by the phone); the
// rules send it to the street, whose staff 签收 and report 处置 with the answer; the duty room's
// 回访 closes it; the 督办 board shows the units. axe-core on each page; screenshots at 1280 and
// 390 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessible, login, screenshot, startBrowser, startServer } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await startBrowser(); });
after(async () => { await browser?.close(); server?.stop(); });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const HERE = { longitude: 115.99, latitude: 29.71 };

describe('网格事件', () => {
  test('reported on the phone, dispatched, handled, visited', async () => {
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'zh-CN', geolocation: HERE, permissions: ['geolocation'] });
    const p = await phone.newPage();
    await login(p, server.base, 'grid');
    await p.goto(`${server.base}/grid/report`);
    await p.getByTestId('grid-cat-gas').click();
    await p.getByTestId('grid-description').fill('延支山小区地下车库燃气管道有明显异味');
    await p.getByTestId('grid-submit').filter({ hasText: /^\s*上报\s*$/ }).waitFor();
    await accessible(p, 'the report page on a phone');
    await screenshot(p, 'grid-report-390');
    await p.getByTestId('grid-submit').click();
    await p.locator('.el-message--success', { hasText: '已分拨至' }).waitFor();
    await p.getByTestId('grid-recent').first().waitFor();
    assert.match(await p.getByTestId('grid-recent').first().innerText(), /延支山小区/);
    await phone.close();

    const desk = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const d = await desk.newPage();
    await login(d, server.base, 'street');
    await d.goto(`${server.base}/grid/events?status=dispatched`);
    await d.getByTestId('grid-open').filter({ hasText: '延支山小区' }).first().click();
    await d.getByTestId('grid-accept').waitFor();
    assert.match(await d.locator('.el-descriptions').innerText(), /张|—/);
    await accessible(d, 'the event page');
    await screenshot(d, 'grid-event-1280');
    await d.getByTestId('grid-accept').click();
    await d.getByTestId('grid-result').waitFor();
    await d.getByTestId('grid-result').fill('联系燃气公司关阀检修，已更换老化软管');
    await d.getByTestId('grid-answer').fill('您反映的燃气异味已处置');
    await d.getByTestId('grid-handle').click();
    await d.getByTestId('grid-status').filter({ hasText: '待回访' }).waitFor();
    const url = d.url();
    await desk.close();

    const duty = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const u = await duty.newPage();
    await login(u, server.base, 'duty');
    await u.goto(url);
    await u.getByTestId('grid-visit-yes').click();
    await u.getByTestId('grid-status').filter({ hasText: '已办结' }).waitFor();
    await u.goto(`${server.base}/grid/events`);
    await u.getByTestId('grid-open').first().waitFor();
    await accessible(u, 'the event list');
    await screenshot(u, 'grid-events-1280');
    await u.goto(`${server.base}/grid/board`);
    await u.getByTestId('board-units').waitFor();
    await accessible(u, 'the board');
    await screenshot(u, 'grid-board-1280');
    await u.setViewportSize(PHONE);
    await u.reload();
    await u.getByTestId('board-units').waitFor();
    await screenshot(u, 'grid-board-390');
    await duty.close();
  });
});
