import { test } from 'node:test';
import { closeApp, openApp, openPage } from './harness';
test('explore', async () => {
  const { app, browser } = await openApp();
  try {
    const { page, errors } = await openPage(browser, app);
    page.on('websocket', (ws) => ws.on('framesent', (f) => { const s = String(f.payload); if (!s.includes('rows.seek')) console.log('SENT', s.slice(0, 200)); }));
    page.on('console', (m) => console.log('CONSOLE', m.text()));
    const c = page.locator('.ag-row[row-index="1"] .ag-cell[col-id="event_type"]');
    await c.waitFor();
    await c.click();
    await page.keyboard.press('Delete');
    await page.waitForTimeout(1000);
    console.log('toast', await page.getByTestId('toast').allTextContents(), errors);
    await c.dblclick();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Hello');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1000);
    console.log('toast', await page.getByTestId('toast').allTextContents(), errors);
    console.log(await c.textContent());
  } finally { await closeApp(app, browser); }
});
