// Drives Debian's Chromium through pages for a Go test, which owns the
// servers and makes the assertions. It reads a plan on stdin:
//
//	{"visits": [{"url": "...", "submits": [{"fields": {"#email": "..."}, "click": "#sign-in"}]}]}
//
// opens each visit's URL in a new page, then fills and clicks each submit
// in turn, and prints JSON: for each visit, what the page showed after
// loading and after each submit, and the console's errors.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const plan = JSON.parse(readFileSync(0, 'utf8'));
const userDataDir = await mkdtemp(join(tmpdir(), 'shopfloor-chromium-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// The console's errors, also on stderr in case a step fails.
const consoleErrors = [];
const consoleError = (text) => {
  consoleErrors.push(text);
  console.error(`console: ${text}`);
};
try {
  const visits = [];
  for (const visit of plan.visits) {
    const page = await browser.newPage();
    page.setDefaultTimeout(10000);
    page.on('console', (m) => m.type() === 'error' && consoleError(m.text()));
    page.on('pageerror', (e) => consoleError(e.message));
    // The main frame's navigations since the last snapshot, redirects included.
    const navigations = [];
    page.on('response', (r) => {
      const req = r.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
        navigations.push({ method: req.method(), url: r.url(), status: r.status() });
      }
    });
    // step runs act and waits for the page it leads to, then tells what
    // that page shows.
    const step = async (act) => {
      const loaded = page.waitForEvent('load');
      await act();
      await loaded;
      const text = async (selector) => {
        const el = await page.$(selector);
        return el ? (await el.innerText()).trim() : '';
      };
      return { url: page.url(), navigations: navigations.splice(0), heading: await text('h1'), error: await text('#error'), text: await text('body') };
    };
    const snapshots = [await step(() => page.goto(visit.url))];
    for (const submit of visit.submits ?? []) {
      for (const [selector, value] of Object.entries(submit.fields)) {
        await page.fill(selector, value);
      }
      snapshots.push(await step(() => page.click(submit.click)));
    }
    visits.push(snapshots);
    await page.close();
  }
  console.log(JSON.stringify({ visits, consoleErrors }));
} finally {
  await browser.close();
  await rm(userDataDir, { recursive: true, force: true });
}
