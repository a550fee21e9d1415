import { defineConfig } from '@playwright/test';

// End-to-end tests against the built page (`npm run build` first), served
// by `vite preview`, in the system Chromium. E2E_PORT moves the server (two
// copies of the project can then run their suites side by side).
const port = Number(process.env.E2E_PORT || 4173);

export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    // The service worker fetches every file of the build on a first visit;
    // offline.spec.js and privacy.spec.js allow it, elsewhere it would only
    // slow each test and stand between page.route and the page.
    serviceWorkers: 'block',
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npm run serve -- --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
