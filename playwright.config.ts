import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in headless Debian Chromium (never a downloaded browser). `make test`
 * starts the portal and points PLAYWRIGHT_URL at it; run alone against a running `make dev`.
 */
export default defineConfig({
  testDir: './e2e-tests',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/e2e/results.json' }],
  ],
  outputDir: 'test-results/e2e/artifacts',
  // Creating a product from a template adds one to a tenant, and the other specs count each
  // tenant's products: it runs after them.
  projects: [
    { name: 'portal', testIgnore: /create-product\.spec\.ts/ },
    {
      name: 'create-product',
      testMatch: /create-product\.spec\.ts/,
      dependencies: ['portal'],
    },
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.AKILI_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
