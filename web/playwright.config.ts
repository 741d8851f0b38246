// End-to-end tests: Debian's Chromium (not a downloaded browser) against the built page
// (web/dist) served on 127.0.0.1 by tools/serve.mjs. See scripts/test-web.sh.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.CALLCAP_E2E_PORT ?? 4173);
export const baseURL = `http://127.0.0.1:${port}/`;

export default defineConfig({
  testDir: "e2e",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  // One worker: the machine has two cores and the budget tests time things.
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results/e2e",
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    serviceWorkers: "block",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      // As root Chromium needs --no-sandbox; the rest keep it from calling Google's servers.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    command: `node tools/serve.mjs dist --port ${port}`,
    url: baseURL,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
