import { mkdir } from 'node:fs/promises';
import { Browser, expect, Locator, Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './support/a11y';
import {
  closeSignInContexts,
  signInWithAuthentik,
} from './support/authentikSignIn';

// Every page people use, checked by axe-core (WCAG 2.1 A and AA) in the light and the dark
// theme, and the main paths walked with the keyboard alone. One sign-in for the file: the pages
// are visited inside the app (no reloads, which cost a cold bundle load on the e2e dev server).
// Root is a platform admin, so the admin-only pages (tenants, platform health) show everything.
//
// AKILI_A11Y_SHOTS=<dir> also saves the main pages at 1280x720 and 1920x1080 there.

let page: Page;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  // The first page load of a fresh dev server compiles the app.
  test.setTimeout(180_000);
  // The first page load of a fresh dev server compiles the app.
  test.setTimeout(180_000);
  page = await signInWithAuthentik(browser, 'root', {
    viewport: { width: 1280, height: 720 },
  });
});

test.afterAll(closeSignInContexts);

/** Goes to an app path the way a link does (history push), without reloading the app. */
async function go(path: string) {
  await page.evaluate(to => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  await expect(page).toHaveURL(new RegExp(`${escape(path.split('?')[0])}`));
  await settle();
}

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits for the page's content: a heading in the main area and no spinner left. */
async function settle() {
  await expect(
    page.getByRole('heading', { level: 1 }).or(page.locator('main h2')).first(),
  ).toBeVisible();
  // Some pages keep a progress bar (a running run); the check goes on after a while anyway.
  // A loaded machine (CI, the minified app) can take longer than 5 s to finish loading.
  await expect(page.getByRole('progressbar'))
    .toHaveCount(0, { timeout: 15_000 })
    .catch(() => undefined);
}

/** Switches the theme as the settings page does (Backstage keeps it in localStorage `theme`). */
async function useTheme(theme: 'light' | 'dark') {
  await page.evaluate(id => {
    window.localStorage.setItem('theme', id);
    window.dispatchEvent(new StorageEvent('storage', { key: 'theme' }));
  }, theme);
  // The page's background follows: dark in the dark theme, light in the light one.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const [r, g, b] = getComputedStyle(document.body)
          .backgroundColor.match(/\d+/g)!
          .map(Number);
        return (r + g + b) / 3 < 128 ? 'dark' : 'light';
      }),
    )
    .toBe(theme);
}

const SHOTS = process.env.AKILI_A11Y_SHOTS;

async function screenshot(name: string, theme: string) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({
      path: `${SHOTS}/${name}-${theme}-${width}x${height}.png`,
    });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** The app's pages, by path; `detail` pages are reached through the first link of a list. */
const PAGES: { name: string; path: string; shot?: boolean }[] = [
  { name: 'home', path: '/', shot: true },
  { name: 'catalog', path: '/catalog', shot: true },
  { name: 'data products', path: '/data-products', shot: true },
  { name: 'runs', path: '/runs', shot: true },
  { name: 'query', path: '/query', shot: true },
  { name: 'quality', path: '/quality', shot: true },
  { name: 'incidents', path: '/incidents' },
  { name: 'lake storage', path: '/lake/storage' },
  { name: 'lake agreements', path: '/lake/agreements', shot: true },
  { name: 'tenants', path: '/tenants', shot: true },
  { name: 'tenant acme', path: '/tenants/acme' },
  { name: 'platform health', path: '/platform-health', shot: true },
  { name: 'search', path: '/search?query=orders', shot: true },
  { name: 'create', path: '/create', shot: true },
  {
    name: 'template form',
    path: '/create/templates/default/akili-sql-product',
    shot: true,
  },
  { name: 'apis', path: '/api-docs' },
  { name: 'docs', path: '/docs' },
  { name: 'settings', path: '/settings' },
];

const PRODUCT = '/catalog/acme/dataproduct/customer-360';

/**
 * Checks every page in a theme. The light pass runs every WCAG rule; the dark one only the rule
 * a theme changes (contrast). The theme is switched before the pages are visited: a page
 * mounted before the switch keeps some of its old styles.
 */
async function checkAllPages(theme: 'light' | 'dark') {
  await go('/');
  await useTheme(theme);
  const rules = theme === 'dark' ? ['color-contrast'] : undefined;
  for (const { name, path, shot } of PAGES) {
    await go(path);
    await expectNoSeriousA11yViolations(page, `${name} (${theme})`, {
      rules,
    });
    if (shot) await screenshot(name.replace(/ /g, '-'), theme);
  }

  // A run and an incident, from their lists.
  for (const [name, list, link] of [
    ['run', '/runs', 'table a[href*="/runs/"]'],
    ['incident', '/incidents', 'table a[href*="/incidents/"]'],
  ]) {
    await go(list);
    const first = page.locator(link).first();
    await expect(first).toBeVisible();
    await go((await first.getAttribute('href'))!);
    await expectNoSeriousA11yViolations(page, `${name} (${theme})`, {
      rules,
    });
  }

  // A data product and each of its tabs.
  await go(PRODUCT);
  const tabs = page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link');
  await expect(tabs.first()).toBeVisible();
  const hrefs = await tabs.evaluateAll(links =>
    links.map(a => a.getAttribute('href')!),
  );
  expect(hrefs.length).toBeGreaterThan(5);
  for (const href of hrefs) {
    await go(href);
    const tab = href.replace(PRODUCT, '').replace(/^\//, '') || 'overview';
    await expectNoSeriousA11yViolations(page, `product ${tab} (${theme})`, {
      rules,
    });
    if (['overview', 'ports'].includes(tab)) {
      await screenshot(`product-${tab}`, theme);
    }
  }
}

test('every page passes axe-core (WCAG 2.1 AA) in the light theme', async () => {
  test.setTimeout(180_000);
  await checkAllPages('light');
});

test('every page passes axe-core (WCAG 2.1 AA) in the dark theme', async () => {
  test.setTimeout(180_000);
  await checkAllPages('dark');
});

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(target: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate(el => el === document.activeElement)) return;
  }
  throw new Error(`${target} not reached with ${max} Tab presses`);
}

/** The focused control looks different from the same control without the focus. */
async function expectVisibleFocus(target: Locator) {
  await expect(target).toBeFocused();
  const focused = await target.screenshot({ animations: 'disabled' });
  await target.evaluate(el => (el as HTMLElement).blur());
  const blurred = await target.screenshot({ animations: 'disabled' });
  expect(
    focused.equals(blurred),
    `${target} shows no focus indicator`,
  ).toBeFalsy();
  await target.focus();
}

test('the sidebar, the search and the query page work with the keyboard alone', async () => {
  await useTheme('light');
  await go('/');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });

  // Sidebar links: reached with Tab, shown focused, followed with Enter.
  const catalog = nav.getByRole('link', { name: 'Catalog', exact: true });
  await page.evaluate(() => (document.activeElement as HTMLElement)?.blur());
  await tabTo(catalog);
  await expectVisibleFocus(catalog);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/catalog/);

  // The search: opened from the sidebar with Enter, typed into, results reached with Tab.
  const search = nav.getByRole('button', { name: /search/i }).first();
  await tabTo(search);
  await expectVisibleFocus(search);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox').first()).toBeFocused();
  await page.keyboard.type('orders');
  const result = dialog.getByRole('link', { name: /orders/i }).first();
  await expect(result).toBeVisible();
  await tabTo(result);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The query page: the editor is typed into, Escape then Tab leaves it, Enter runs the query.
  const query = nav.getByRole('link', { name: 'Query', exact: true });
  await tabTo(query);
  await page.keyboard.press('Enter');
  const editor = page
    .getByRole('region', { name: 'SQL editor' })
    .getByRole('textbox', { name: 'SQL' });
  await tabTo(editor);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(
    'SELECT customer_id, country FROM iceberg_acme.customer.customer_360 LIMIT 5',
  );
  // The first Escape may only close the completion list; after a bare Escape, Tab leaves the
  // editor (CodeMirror keeps Tab for indenting otherwise).
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await tabTo(run);
  await expectVisibleFocus(run);
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('grid', { name: 'Query result' }),
  ).toHaveAttribute('aria-rowcount', '6');
});
