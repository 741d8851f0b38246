// rates/complaints.json, the places to complain that the page shows: each cited, in both
// languages, for states the rate book knows.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repo } from "./helpers";

const data = JSON.parse(readFileSync(`${repo}rates/complaints.json`, "utf8"));
const states = [...readFileSync(`${repo}rates/states.toml`, "utf8").matchAll(/^\[states\.([A-Z]{2})\]$/gm)].map((m) => m[1]);

describe("the places to complain", () => {
  it("has the FCC, for every state", () => {
    expect(data.places.filter((p: any) => p.level === "federal")).toHaveLength(1);
  });
  const places: [string, any][] = data.places.map((p: any) => [p.name, p]);
  it.each(places)("%s: a link, both languages, its sources", (_name: string, p: any) => {
    expect(p.link).toMatch(/^https?:\/\//);
    expect(p.what.en.trim()).not.toBe("");
    expect(p.what.es.trim()).not.toBe("");
    expect(p.sources.length).toBeGreaterThan(0);
    for (const id of p.sources) expect(data.sources[id]?.link, id).toMatch(/^https?:\/\//);
    if (p.level === "state") expect(states).toContain(p.state);
    else expect(p.state).toBeUndefined();
  });
  it("says what to keep in both languages, cited", () => {
    expect(data.keep.es).toHaveLength(data.keep.en.length);
    for (const id of data.keep.sources) expect(data.sources[id]?.title, id).toBeTruthy();
  });
  it("cites only sources it lists, and lists none it does not cite", () => {
    const used = new Set([...data.places.flatMap((p: any) => p.sources), ...data.keep.sources]);
    expect([...used].sort()).toEqual(Object.keys(data.sources).sort());
  });
});
