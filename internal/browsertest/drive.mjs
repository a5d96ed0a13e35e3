// Drives Debian's Chromium through pages for a Go test, which owns the
// servers and makes the assertions. It reads a plan on stdin:
//
//	{"visits": [{"url": "...", "read": ["#status"], "submits": [
//	  {"fields": {"#email": "..."}, "click": "#sign-in"},
//	  {"type": {".editor": "text"}, "click": "#run", "waitFor": {"selector": "#status", "text": "HTTP 200"},
//	   "screenshot": "/path/shot.png"}]}]}
//
// opens each visit's URL in a new page, then in turn, for each submit,
// fills its fields, pastes its text into editors (select all, then paste),
// clicks its button, and waits: for the page the click leads to or, with
// waitFor, until the selector shows the text; then takes its screenshot, if
// any (also when the wait fails). It prints JSON: for each visit, what the page showed after loading
// and after each submit (the read selectors' texts, every request the
// browser made since the last snapshot, workers' included, and what the
// page keeps: localStorage and cookies), and the console's errors.
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
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
await browser.grantPermissions(['clipboard-read', 'clipboard-write']);
// The console's errors, also on stderr in case a step fails.
const consoleErrors = [];
const consoleError = (text) => {
  consoleErrors.push(text);
  console.error(`console: ${text}`);
};
// Every request the browser makes, from any page or worker.
const requests = [];
browser.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
try {
  const visits = [];
  for (const visit of plan.visits) {
    const page = await browser.newPage();
    page.setDefaultTimeout(60000);
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
    const text = async (selector) => {
      const el = await page.$(selector);
      return el ? (await el.innerText()).trim() : '';
    };
    // step runs act, waits for the page it leads to (or, with waitFor,
    // for that text), and tells what the page shows.
    const step = async (act, waitFor, screenshot) => {
      if (waitFor) {
        await act();
        await page.waitForFunction(({ selector, text }) => document.querySelector(selector)?.innerText.includes(text), waitFor)
          .catch(async (err) => {
            if (screenshot) {
              await page.screenshot({ path: screenshot, fullPage: true });
            }
            throw new Error(`${err.message}: ${waitFor.selector} shows ${JSON.stringify(await text(waitFor.selector))}`);
          });
      } else {
        const loaded = page.waitForEvent('load');
        await act();
        await loaded;
      }
      if (screenshot) {
        await page.screenshot({ path: screenshot, fullPage: true });
      }
      const read = {};
      for (const selector of visit.read ?? []) {
        read[selector] = await text(selector);
      }
      return {
        url: page.url(), navigations: navigations.splice(0), requests: requests.splice(0),
        heading: await text('h1'), error: await text('#error'), text: await text('body'), read,
        kept: { localStorage: await page.evaluate(() => ({ ...localStorage })), cookies: (await browser.cookies()).map((c) => c.name) },
      };
    };
    const snapshots = [await step(() => page.goto(visit.url), visit.waitFor, visit.screenshot)];
    for (const submit of visit.submits ?? []) {
      snapshots.push(await step(async () => {
        for (const [selector, value] of Object.entries(submit.fields ?? {})) {
          await page.fill(selector, value);
        }
        for (const [selector, value] of Object.entries(submit.type ?? {})) {
          // Pasted, not typed: an editor would close brackets and quotes
          // as they are typed.
          await page.evaluate((text) => navigator.clipboard.writeText(text), value);
          await page.click(selector);
          await page.keyboard.press('ControlOrMeta+A');
          await page.keyboard.press('ControlOrMeta+V');
        }
        if (submit.click) {
          await page.click(submit.click);
        }
      }, submit.waitFor, submit.screenshot));
    }
    visits.push(snapshots);
    await page.close();
  }
  console.log(JSON.stringify({ visits, consoleErrors }));
} finally {
  await browser.close();
  await rm(userDataDir, { recursive: true, force: true });
}
