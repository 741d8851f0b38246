// The example tariffs and bids bundled with callcap (rates/examples/), copied into the build by
// Vite at build time: each file becomes a small module, fetched only when it is first used.
import { stem } from "./present";

type Loader = () => Promise<string>;

// size: lazy, one chunk per file: 18.8 KB gzip of examples kept out of the first load.
const tariffFiles = import.meta.glob<string>("../../rates/examples/*.toml", {
  query: "?raw",
  import: "default",
});
const bidFiles = import.meta.glob<string>("../../rates/examples/bids/*.toml", {
  query: "?raw",
  import: "default",
});

export interface Example {
  /** The file name without `.toml`: the name used in links. */
  name: string;
  /** The path as the command line names it (`rates/examples/bids/....toml`). */
  path: string;
  load: Loader;
}

function list(files: Record<string, Loader>): Example[] {
  return Object.entries(files)
    .map(([key, load]) => ({ name: stem(key), path: key.replace(/^(\.\.\/)+/, ""), load }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const exampleTariffs: Example[] = list(tariffFiles);
export const exampleBids: Example[] = list(bidFiles);

const cache = new Map<string, string>();

/** An example's text (loaded once). */
export async function exampleText(e: Example): Promise<string> {
  const hit = cache.get(e.path);
  if (hit !== undefined) return hit;
  const text = await e.load();
  cache.set(e.path, text);
  return text;
}
