// Compare bids: the side-by-side figures, the CSV and the print view, against the CLI's.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { cli, cliJson, field, open } from "./helpers";

const DATE = "2026-07-01";
const BIDS = [
  "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
  "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
  "rates/examples/bids/riverbend-vendor-c-middle-starts-2025.toml",
];

test("the example bids side by side, as the CLI compares them", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  await expect(page.getByRole("heading", { level: 2, name: "Compare bids" })).toBeVisible();
  const c = cliJson("compare", ...BIDS, "--date", DATE);
  await expect(page.locator("table.compare thead th")).toHaveCount(c.bids.length);
  for (const [i, b] of c.bids.entries()) {
    await expect(page.locator("table.compare thead th").nth(i)).toHaveText(b.name);
    for (const key of ["annual_family_cost", "annual_call_charges", "annual_fees", "annual_taxes", "annual_commission", "effective_per_minute"]) {
      expect(await field(page, `${key}.${i}`), `${b.name} ${key}`).toBe(b[key]);
    }
    for (const j of ["local", "intrastate", "interstate"]) {
      const want = b.family_cost_per_15_min_call[j];
      if (want) expect(await field(page, `call15.${j}.${i}`)).toBe(want);
    }
    await expect(page.locator(`[data-field="verdict.${i}"]`)).toHaveText(b.compliant ? "Yes" : /^No/);
  }
  // The chart: one group of two bars per bid, each labelled with the core's figures.
  const chart = page.locator("figure svg");
  await expect(chart.locator("rect")).toHaveCount(c.bids.length * 2);
  for (const i of c.bids.keys()) {
    await expect(chart).toContainText((await page.locator(`[data-field="annual_family_cost.${i}"]`).textContent()) ?? "-");
    await expect(chart).toContainText((await page.locator(`[data-field="annual_commission.${i}"]`).textContent()) ?? "-");
  }
});

test("the CSV download is the CLI's CSV", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`callcap-bids-${DATE}.csv`);
  const text = readFileSync(await download.path(), "utf8");
  expect(text).toBe(cli("compare", ...BIDS, "--date", DATE, "--format", "csv"));
});

// Issue 13, item 6: the print view is a meeting handout.
for (const lang of ["en", "es"] as const) {
  test(`the print view is a meeting handout (${lang})`, async ({ page }) => {
    await open(page, `#bids?date=${DATE}&lang=${lang}`);
    const c = cliJson("compare", ...BIDS, "--date", DATE);
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    await page.emulateMedia({ media: "print" });
    await expect(page.locator("form")).toBeHidden();
    await expect(page.locator("nav.tabs")).toBeHidden();
    // The facility's name, the comparison date, the demand behind "a year", each bid's terms.
    await expect(page.locator('[data-field="facility"]')).toHaveText("Riverbend County Jail");
    await expect(page.locator(".results .eyebrow").first()).toContainText(lang === "en" ? "July 1, 2026" : "1 de julio de 2026");
    const demand = page.locator('[data-field="demand"]');
    await expect(demand).toBeVisible();
    await expect(demand.locator("tbody tr")).toHaveCount(c.demand.calls.length);
    await expect(demand).toContainText(c.demand.calls[0].minutes_per_person_per_month);
    for (const [i, b] of c.bids.entries()) {
      await expect(page.locator("table.compare thead th").nth(i)).toHaveText(b.name);
      const start = new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", { dateStyle: "long", timeZone: "UTC" })
        .format(new Date(`${b.start}T00:00:00Z`));
      await expect(page.locator("table.compare")).toContainText(start);
    }
    // The chart, the table, every finding.
    await expect(page.locator("figure svg")).toBeVisible();
    await expect(page.locator("table.compare")).toBeVisible();
    const findings = c.bids.reduce((n: number, b: any) => n + b.findings.length, 0);
    await expect(page.locator(".bid-findings .finding")).toHaveCount(findings);
    await expect(page.locator(".bid-findings .finding").last()).toBeVisible();
    // Every source link written out.
    const links = page.locator('main a[href^="http"]');
    expect(await links.count()).toBeGreaterThan(0);
    for (const a of (await links.all()).slice(0, 5)) {
      const after = await a.evaluate((el) => getComputedStyle(el, "::after").content);
      expect(after).toContain(await a.getAttribute("href"));
    }
    // No internal ids or research remarks.
    const text = await page.locator("main").innerText();
    for (const internal of ["fcc-25-75", "fcc-24-75", "open question", "not read", "da-25-565"]) expect(text).not.toContain(internal);
  });
}

test("a size for the facility, a removed bid, a bad pasted bid", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  await page.getByLabel("Facility size (average daily population)").fill("200");
  const c = cliJson("compare", ...BIDS.slice(0, 1), "--date", DATE);
  expect(c.bids[0].average_daily_population).toBe(640);
  await expect(page.locator("table.compare tbody tr").nth(2)).toContainText("200");

  await page.getByRole("button", { name: `Remove riverbend-vendor-c-middle-starts-2025` }).click();
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
  expect(page.url()).toContain("b.ex=");

  // A bad pasted bid: its error beside it, and the other bids still compared.
  await page.getByText("Paste a bid").click();
  await page.getByLabel("Bid (TOML)").fill("[facility]\nkind = \"jail\"\naverage_daily_population = 100\n\n[[rate]]\nper_minute = \"0.10\"\n");
  await page.getByRole("button", { name: "Add this bid" }).click();
  const bad = page.locator(".bid-list li", { hasText: "pasted-bid-1.toml" });
  await expect(bad.locator(".bid-error")).toContainText("not a bid: add a [bid] table");
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
  // A second one, not TOML at all: its own line, beside it; the first keeps its own message.
  await page.getByLabel("Bid (TOML)").fill("[facility]\nkind = \"castle\"\n");
  await page.getByRole("button", { name: "Add this bid" }).click();
  const worse = page.locator(".bid-list li", { hasText: "pasted-bid-2.toml" });
  await expect(worse.locator(".bid-error")).toContainText("Line 2: [facility] kind:");
  await expect(worse.locator(".bid-error")).not.toContainText("pasted-bid-2.toml");
  await expect(bad.locator(".bid-error")).toContainText("not a bid");
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
  await page.getByRole("button", { name: "Remove pasted-bid-1.toml" }).click();
  await page.getByRole("button", { name: "Remove pasted-bid-2.toml" }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
});

for (const [lang, notYet] of [["en", "Not in force yet (starts July 1, 2026); from its start:"],
  ["es", "Aún no vigente (empieza el 1 de julio de 2026); desde su inicio:"]] as const) {
  test(`a bid whose term starts later is judged from its start, not on the comparison date (${lang})`, async ({ page }) => {
    await open(page, `#bids?date=2024-06-01&lang=${lang}`);
    const c = cliJson("compare", ...BIDS, "--date", "2024-06-01");
    for (const [i, b] of c.bids.entries()) {
      const cell = page.locator(`[data-field="verdict.${i}"]`);
      const atStart = b.compliance.find((d: any) => d.date === b.start);
      if (b.start > "2024-06-01") {
        // The CLI says compliant on 2024-06-01 for a bid not yet in force; the page does not.
        await expect(cell).toContainText(notYet.replace("July 1, 2026", "").split("(")[0].trim());
        if (b.start === "2026-07-01") await expect(cell).toContainText(notYet);
        await expect(cell.locator(".verdict-inline")).toHaveText(atStart.compliant ? /^(Yes|Sí)$/ : /^No/);
        if (!atStart.compliant) await expect(cell).toContainText(String(atStart.violations));
      }
    }
    // Vendor A starts 2026-07-01 with violations then: "No", never a bare "Yes" for 2024.
    const a = c.bids.findIndex((b: any) => b.name.startsWith("Vendor A"));
    expect(c.bids[a].compliant).toBe(true);
    await expect(page.locator(`[data-field="verdict.${a}"] .verdict-inline`)).toHaveText(/^No/);
  });
}
