// The share link (src/share.ts): the whole state, compressed when it holds long text; what even
// compressed does not fit is left out, longest first, and named.
import { beforeEach, describe, expect, it } from "vitest";
import { LINK_MAX, packed, shareHash, unpack } from "../src/share";
import { entered } from "../src/entered";
import { MAX_TEXT_IN_LINK, decode, defaults, encode } from "../src/state";

/** Text that does not compress (so its size in the link is about its own). */
function noise(n: number, seed = 1): string {
  let x = seed, s = "";
  for (let i = 0; i < n; i++) { x = (x * 48271) % 2147483647; s += String.fromCharCode(33 + (x % 90)); }
  return s;
}

beforeEach(() => {
  entered.bids.splice(0);
  entered.demand = null;
});

describe("the share link", () => {
  it("is the plain hash when nothing is long", async () => {
    const s = defaults();
    s.calls.perMinute = "0.30";
    expect(await shareHash(s)).toEqual({ hash: encode(s), left: [] });
  });

  it("holds a long pasted tariff, the user's bids and demand, compressed", async () => {
    const s = defaults();
    s.section = "check";
    s.check.example = "";
    s.check.text = `[facility]\nkind = "jail"\naverage_daily_population = 640\n${"# a long comment line\n".repeat(400)}`;
    expect(s.check.text.length).toBeGreaterThan(MAX_TEXT_IN_LINK);
    entered.bids.push({ file: "pasted-bid-1.toml", text: "[bid]\nname = \"Mine\"\n", pasted: true });
    entered.demand = { file: "my-demand.toml", text: "[[calls]]\n" };
    const { hash, left } = await shareHash(s);
    expect(left).toEqual([]);
    expect(hash.startsWith("#check?z=")).toBe(true);
    expect(hash.length).toBeLessThan(s.check.text.length);
    const back = await unpack(packed(hash) ?? "");
    expect(back?.state).toEqual(s);
    expect(back?.bids).toEqual(entered.bids);
    expect(back?.demand).toEqual(entered.demand);
  });

  it("leaves out what does not fit even compressed, longest first, and says so", async () => {
    const s = defaults();
    s.calls.mode = "tariff";
    s.calls.text = noise(30_000, 7);
    entered.bids.push({ file: "small.toml", text: "[bid]\n", pasted: false });
    const { hash, left } = await shareHash(s);
    expect(hash.length).toBeLessThanOrEqual(LINK_MAX);
    expect(left.map((l) => l.file)).toEqual(["my-tariff.toml"]);
    expect(left[0].text).toBe(s.calls.text);
    const back = await unpack(packed(hash) ?? "");
    expect(back?.bids.map((b) => b.file)).toEqual(["small.toml"]);
    expect(back?.state.calls.text).toBe("");
    expect(back?.state.calls.mode).toBe("tariff");
  });

  it("reads no damaged or foreign link", async () => {
    expect(await unpack("not-a-link")).toBeNull();
    expect(packed("#calls?c.ppm=0.2")).toBeNull();
    expect(decode("#calls?z=abc").section).toBe("calls");
  });
});
