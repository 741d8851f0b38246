// The page's module split in two by binaryen's wasm-split (scripts/build-wasm.sh, section 5b;
// web/README.md, "The split"). Two commands:
//
//   node web/tools/split.mjs keep MODULE.wasm CALLGRAPH.dot FUNCMAP.txt SPLIT.json > keep.txt
//
// Which functions stay in the first part. MODULE: the full module with its name section
//   (wasm-bindgen without --remove-name-section, then wasm-opt -g). CALLGRAPH: `wasm-opt
//   --print-call-graph` of it (direct calls; the table's functions drawn rounded). FUNCMAP:
//   `wasm-opt --print-function-map` of it (index:name). SPLIT: web/wasm/split.json: `first`,
//   the exports the first load calls (every export named `__*`, the glue's own, is added);
//   `boundary`, names (crate hashes left out) of functions not followed (the tariff reader:
//   only the part loaded on demand reads TOML).
//   Prints, one per line as binaryen escapes them, every function reachable from those exports
//   by direct calls, without entering a boundary function, plus every function in the table and
//   what they reach (an indirect call can reach any of them: kept, so no call from the first
//   part can land on a placeholder). On stderr: how many of how many.
//
//   node web/tools/split.mjs tables MODULE.wasm FIRST.wasm
//
// Points each table export of the first part (FIRST, written over) at the table it names in
//   the unsplit MODULE. Binaryen 108's wasm-split exports the function table for the rest
//   under the name of the first table export it finds, `__wbindgen_externrefs`, which then
//   names the wrong table and the glue cannot start (the rest imports both correctly).
//
// Written by hand: what wasm-split needs is a list of names, and no library computes it; the
// modules are read only for their export sections.
import { readFileSync, writeFileSync } from "node:fs";

const fail = (m) => { console.error(`split: ${m}`); process.exit(1); };
const [command, ...args] = process.argv.slice(2);
if (command === "keep" && args.length === 4) keep(...args);
else if (command === "tables" && args.length === 2) tables(...args);
else {
  console.error("usage: split.mjs keep MODULE.wasm CALLGRAPH.dot FUNCMAP.txt SPLIT.json\n       split.mjs tables MODULE.wasm FIRST.wasm");
  process.exit(2);
}

/** A module's exports: name -> { kind, index, at } (`at`: the index's offset in the file). */
function exportsOf(bytes) {
  let pos = 8;
  const leb = () => {
    let r = 0, shift = 0, b;
    do { b = bytes[pos++]; r += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return r;
  };
  const found = new Map();
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const end = pos + size;
    if (id === 7) {
      for (let n = leb(); n > 0; n--) {
        const len = leb();
        const name = Buffer.from(bytes.subarray(pos, pos + len)).toString("utf8");
        pos += len;
        const kind = bytes[pos++];
        const at = pos;
        found.set(name, { kind, index: leb(), at, width: pos - at });
      }
    }
    pos = end;
  }
  return found;
}

function tables(modulePath, firstPath) {
  const before = exportsOf(readFileSync(modulePath));
  const bytes = readFileSync(firstPath);
  let fixed = 0;
  for (const [name, e] of exportsOf(bytes)) {
    const was = before.get(name);
    if (e.kind !== 1 || !was || was.kind !== 1 || was.index === e.index) continue;
    if (e.width !== 1 || was.index > 127) fail(`${firstPath}: the table export \`${name}\` cannot be moved in place`);
    bytes[e.at] = was.index;
    fixed++;
  }
  writeFileSync(firstPath, bytes);
  console.error(`split: ${fixed} table export(s) of ${firstPath} pointed back at their tables`);
}

function keep(modulePath, dotPath, mapPath, splitPath) {
  const split = JSON.parse(readFileSync(splitPath, "utf8"));
  if (!Array.isArray(split.first) || !Array.isArray(split.boundary)) fail(`${splitPath}: needs the lists \`first\` and \`boundary\``);

  // index -> name, as binaryen prints them.
  const names = new Map();
  for (const line of readFileSync(mapPath, "utf8").split("\n")) {
    const at = line.indexOf(":");
    if (at > 0) names.set(Number(line.slice(0, at)), line.slice(at + 1));
  }

  // Export name -> function index.
  const exports = new Map([...exportsOf(readFileSync(modulePath))].filter(([, e]) => e.kind === 0).map(([n, e]) => [n, e.index]));

  // The call graph: direct edges, and the table's functions.
  const edges = new Map();
  const table = [];
  // `"f" [style=...];` draws a function (rounded: in the table); `"f" -> "g"; // call` a call.
  const node = /^\s*"((?:[^"\\]|\\.)*)"\s*(->\s*"((?:[^"\\]|\\.)*)")?\s*(?:\[([^\]]*)\])?\s*;/;
  let inKey = false;
  for (const line of readFileSync(dotPath, "utf8").split("\n")) {
    if (line.includes("subgraph cluster_key")) { inKey = true; continue; }
    if (inKey) { if (line.trim() === "}") inKey = false; continue; }
    const m = node.exec(line);
    if (!m) continue;
    const [, from, arrow, to, attrs] = m;
    if (arrow) {
      if (!edges.has(from)) edges.set(from, []);
      edges.get(from).push(to);
    } else if (attrs?.includes("rounded")) {
      table.push(from);
    }
  }

  const boundary = split.boundary;
  // A name without its crates' hashes (`callcap\5b0123456789abcdef\5d::x` is `callcap::x`).
  const bare = (name) => name.replace(/\\5b[0-9a-f]{16}\\5d/g, "");
  const stops = (name) => boundary.includes(bare(name));
  const kept = new Set();
  const stopped = new Set();
  const visit = (start) => {
    const todo = [start];
    while (todo.length) {
      const f = todo.pop();
      if (kept.has(f)) continue;
      if (stops(f)) { stopped.add(f); continue; }
      kept.add(f);
      for (const g of edges.get(f) ?? []) todo.push(g);
    }
  };
  const roots = [...split.first, ...[...exports.keys()].filter((e) => e.startsWith("__"))];
  for (const root of roots) {
    const index = exports.get(root);
    if (index === undefined) fail(`the module exports no function \`${root}\``);
    const name = names.get(index);
    if (name === undefined) fail(`no name for function ${index} (\`${root}\`): was the name section kept?`);
    visit(name);
  }
  for (const f of table) visit(f);
  for (const b of boundary) {
    if (![...stopped].some((s) => bare(s) === b)) fail(`no function \`${b}\` is reached: the boundary is stale`);
  }
  process.stdout.write([...kept].join("\n") + "\n");
  console.error(`split: ${kept.size} of ${names.size} functions kept (boundary: ${[...stopped].length} functions not followed)`);
}
