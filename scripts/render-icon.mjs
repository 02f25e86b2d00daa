// `node scripts/render-icon.mjs`: redraws resources/icon/icon.png (1024 px) from its design,
// resources/icon/icon.svg, in Chromium. Run it by hand after changing the SVG; packaging only
// reads the PNG (scripts/make-icons.mjs), so building installers needs no browser.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icon');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${readFileSync(join(dir, 'icon.svg'), 'utf8')}</body></html>`,
  );
  await page.locator('svg').screenshot({ path: join(dir, 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
