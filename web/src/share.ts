// The share link: the whole state in the URL's hash, compressed when it holds long text (a
// pasted tariff, the user's own bids, a demand file), with the browser's CompressionStream
// (deflate-raw) and base64url, under `z=`. When even compressed it is longer than a link should
// be, the longest parts are left out, and the page says which and offers them as files.
import { entered, type OwnBid } from "./entered";
import type { TomlText } from "./core";
import { MAX_TEXT_IN_LINK, decode, encode, type State } from "./state";

/** The longest share link the page makes, in characters of its hash (chat apps and mail cut longer ones). */
export const LINK_MAX = 16_000;

/** What a compressed link holds. */
interface Payload {
  v: 1;
  state: State;
  bids: OwnBid[];
  demand: TomlText | null;
}

/** A part of what was entered that a link could not hold: offered as a file instead. */
export interface LeftOut {
  /** Its file name, for the download. */
  file: string;
  text: string;
}

const toBase64Url = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const fromBase64Url = (text: string) => {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

async function through(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The payload, compressed, as base64url. */
export async function pack(p: Payload): Promise<string> {
  return toBase64Url(await through(new TextEncoder().encode(JSON.stringify(p)), new CompressionStream("deflate-raw")));
}

/** A compressed payload read back (null when it is not one: a damaged or foreign link). */
export async function unpack(z: string): Promise<Payload | null> {
  try {
    const json = new TextDecoder().decode(await through(fromBase64Url(z), new DecompressionStream("deflate-raw")));
    const p = JSON.parse(json) as Payload;
    if (p.v !== 1 || typeof p.state !== "object") return null;
    // Every field the page knows, from its defaults; nothing else.
    const state = decode("");
    for (const part of ["calls", "check", "caps", "bids"] as const) Object.assign(state[part], p.state[part] ?? {});
    state.section = decode(`#${p.state.section}`).section;
    state.lang = p.state.lang === "es" ? "es" : "en";
    state.date = typeof p.state.date === "string" ? p.state.date : "";
    const text = (x: unknown): x is TomlText => !!x && typeof (x as TomlText).file === "string" && typeof (x as TomlText).text === "string";
    return {
      v: 1,
      state,
      bids: (Array.isArray(p.bids) ? p.bids : []).filter(text).map((b) => ({ file: b.file, text: b.text, pasted: !!b.pasted })),
      demand: text(p.demand) ? { file: p.demand.file, text: p.demand.text } : null,
    };
  } catch {
    return null;
  }
}

/** The compressed part of a hash (`#bids?z=...`), if any. */
export function packed(hash: string): string | null {
  const q = hash.indexOf("?");
  return q < 0 ? null : new URLSearchParams(hash.slice(q + 1)).get("z");
}

/**
 * The share link's hash for the state and what was entered: the plain hash when it holds
 * everything; else compressed; and when that is still longer than LINK_MAX, without the
 * longest parts, each returned to be offered as a file.
 */
export async function shareHash(state: State): Promise<{ hash: string; left: LeftOut[] }> {
  const long = (s: string) => s.length > MAX_TEXT_IN_LINK;
  if (!long(state.calls.text) && !long(state.check.text) && entered.bids.length === 0 && !entered.demand) {
    return { hash: encode(state), left: [] };
  }
  const p: Payload = { v: 1, state: structuredClone(state), bids: [...entered.bids], demand: entered.demand };
  const left: LeftOut[] = [];
  // The parts that may be left out, longest first.
  const parts: { size: number; drop: () => void }[] = [
    { size: p.state.calls.text.length, drop: () => { left.push({ file: "my-tariff.toml", text: p.state.calls.text }); p.state.calls.text = ""; } },
    { size: p.state.check.text.length, drop: () => { left.push({ file: "pasted-tariff.toml", text: p.state.check.text }); p.state.check.text = ""; } },
    ...p.bids.map((b) => ({ size: b.text.length, drop: () => { left.push({ file: b.file, text: b.text }); p.bids = p.bids.filter((x) => x !== b); } })),
    ...(p.demand ? [{ size: p.demand.text.length, drop: () => { left.push({ file: p.demand?.file ?? "demand.toml", text: p.demand?.text ?? "" }); p.demand = null; } }] : []),
  ].filter((x) => x.size > 0).sort((a, b) => b.size - a.size);
  for (;;) {
    const hash = `#${state.section}?z=${await pack(p)}`;
    if (hash.length <= LINK_MAX || parts.length === 0) return { hash, left };
    parts.shift()?.drop();
  }
}
