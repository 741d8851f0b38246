// The static site `scripts/run.sh --build-only` writes (dist/ at the repository's root), served
// the way a static host would serve it from a sub-path: the page computes its figures, fetches
// its module and its Spanish words from beside itself, registers its service worker for that
// path only, works offline there, and makes no request outside that path (so none leaves the
// origin). scripts/test-web.sh writes dist/ before the browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { cliEstimate, DATE, field, repo, tempFile } from "./helpers";

const BASE = "/some/sub/path/";
let server: ChildProcess | undefined;
let site = "";

test.beforeAll(async () => {
  const dist = `${repo}dist`;
  if (!existsSync(`${dist}/index.html`)) {
    throw new Error("no static site in dist/: run ./scripts/run.sh --build-only (scripts/test-web.sh does)");
  }
  server = spawn(process.execPath, ["tools/serve.mjs", dist, "--port", "0", "--base", BASE],
    { stdio: ["ignore", "pipe", "inherit"] });
  site = await new Promise<string>((resolve, reject) => {
    server?.stdout?.on("data", (d) => {
      const url = /http:\/\/\S+/.exec(String(d))?.[0];
      if (url) resolve(url);
    });
    server?.on("exit", (code) => reject(new Error(`tools/serve.mjs exited with ${code}`)));
  });
});

test.afterAll(() => {
  server?.kill();
});

test.use({ serviceWorkers: "allow" });

test("dist/ under a sub-path: figures, module, catalog and offline cache all from that path", async ({ context, page }) => {
  expect(new URL(site).pathname).toBe(BASE);
  const requests: string[] = [];
  context.on("request", (r) => requests.push(r.url()));
  await page.goto(`${site}#calls?date=${DATE}`);
  await page.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
  // The page's default month is the legal maximum for its jail, as the CLI prices it.
  const zero = tempFile("zero.toml", `[facility]\nkind = "jail"\naverage_daily_population = 640\n\n[[rate]]\nper_minute = "0.00"\n`);
  const total = await field(page, "month.total");
  expect(total).toBe(cliEstimate(zero).at_cap.total);

  // The Spanish catalog, fetched on demand relative to the page.
  await page.getByLabel("Language").selectOption("es");
  await expect(page.getByRole("heading", { level: 2, name: "Mis llamadas" })).toBeVisible();

  // The service worker: registered beside the page, its scope the sub-path, not the origin.
  const scope = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    return reg.scope;
  });
  expect(scope).toBe(site);
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
  expect(await field(page, "month.total")).toBe(total);
  await context.setOffline(false);

  const paths = requests.filter((u) => !u.startsWith("blob:") && !u.startsWith("data:")).map((u) => new URL(u));
  expect(paths.some((u) => u.pathname.endsWith(".wasm"))).toBe(true);
  expect(paths.some((u) => /\/assets\/es-[\w-]+\.js$/.test(u.pathname))).toBe(true);
  // Nothing leaves the origin, and nothing is asked for outside the sub-path.
  expect(paths.filter((u) => u.origin !== new URL(site).origin).map(String)).toEqual([]);
  expect(paths.filter((u) => !u.pathname.startsWith(BASE)).map(String)).toEqual([]);
});
