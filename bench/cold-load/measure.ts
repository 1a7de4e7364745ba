/*
 * One cold load: a new headless Chromium (a fresh profile, so an empty cache) opens the app with
 * a prepared guest session (the sign-in page's remembered provider and the frontend guest
 * token, as after an earlier "Enter"), and records when the home page's content is visible and
 * the script bytes transferred.
 */
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.AKILI_CHROMIUM ?? '/usr/bin/chromium';

export interface Load {
  /** Milliseconds from navigation start until `text` is rendered (page clock). */
  contentMs: number;
  /** Encoded (transferred) bytes of script responses until the network was idle. */
  scriptBytes: number;
  /** Script responses. */
  scripts: number;
}

export async function coldLoad(
  url: string,
  text: string,
  timeoutMs = 60_000,
): Promise<Load> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
    });
    await context.addInitScript(() => {
      localStorage.setItem('@backstage/core:SignInPage:provider', 'guest');
      localStorage.setItem('enableLegacyGuestToken', 'true');
    });
    const page = await context.newPage();
    const pending: Promise<number>[] = [];
    page.on('requestfinished', request => {
      if (request.resourceType() !== 'script') return;
      pending.push(
        request
          .sizes()
          .then(s => s.responseBodySize)
          .catch(() => 0),
      );
    });
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    let contentMs: number;
    try {
      const handle = await page.waitForFunction(
        (wanted: string) => {
          // innerText holds rendered text only: a hidden element's text is not in it.
          if (!document.body?.innerText.includes(wanted)) return undefined;
          return performance.now();
        },
        text,
        { polling: 'raf', timeout: timeoutMs },
      );
      contentMs = (await handle.jsonValue()) as number;
    } catch (e) {
      const shown = await page
        .evaluate(() => document.body?.innerText.slice(0, 300))
        .catch(() => '');
      throw new Error(
        `"${text}" did not appear at ${url} within ${timeoutMs} ms; the page showed: ${JSON.stringify(
          shown,
        )}${errors.length ? `; page errors: ${errors.join(' | ')}` : ''}`,
      );
    }
    await page
      .waitForLoadState('networkidle', { timeout: 15_000 })
      .catch(() => undefined);
    const sizes = await Promise.all(pending);
    return {
      contentMs,
      scriptBytes: sizes.reduce((a, b) => a + b, 0),
      scripts: sizes.length,
    };
  } finally {
    await browser.close();
  }
}
