import { describe, expect, it } from "vitest";
import { MAX_TEXT_IN_LINK, decode, defaults, encode } from "../src/state";

describe("state in the URL", () => {
  it("the defaults are just the section", () => {
    expect(encode(defaults())).toBe("#calls");
    expect(decode("")).toEqual(defaults());
  });

  it("round-trips every field", () => {
    const s = defaults();
    s.section = "bids";
    s.lang = "es";
    s.date = "2026-06-01";
    s.calls.mode = "rates";
    s.calls.adp = "1,200 people";
    s.calls.perMinute = "0.25";
    s.calls.text = "[facility]\nkind = \"jail\" # & ? = #";
    s.bids.examples = ["riverbend-vendor-b-no-commission-under-cap"];
    s.bids.adp = "900";
    s.check.example = "";
    s.check.text = "x = 1";
    s.caps.state = "TX";
    const hash = encode(s);
    expect(hash.startsWith("#bids?")).toBe(true);
    expect(decode(hash)).toEqual(s);
  });

  it("keeps an empty bid list apart from the default one", () => {
    const s = defaults();
    s.bids.examples = [];
    expect(decode(encode(s)).bids.examples).toEqual([]);
  });

  it("ignores unknown sections, keys and modes", () => {
    const s = decode("#nowhere?zzz=1&c.mode=bogus&lang=fr");
    expect(s.section).toBe("calls");
    expect(s.calls.mode).toBe("max");
    expect(s.lang).toBe("en");
  });

  it("keeps values as typed, for the core to judge", () => {
    expect(decode("#caps?p.adp=abc").caps.adp).toBe("abc");
  });

  it("leaves very long pasted text out of links", () => {
    const s = defaults();
    s.check.text = "#".repeat(MAX_TEXT_IN_LINK + 1);
    expect(encode(s)).toBe("#calls");
  });
});
