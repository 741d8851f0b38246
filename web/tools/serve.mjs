#!/usr/bin/env node
// A small static file server for the built page (web/dist): 127.0.0.1 only, gzip when the
// browser accepts it (so transfer sizes measured against it are real), the right MIME type
// for .wasm (so the module compiles while it downloads), no caching of the HTML and the
// service worker. No dependencies.
//
//   node tools/serve.mjs [DIR] [--port N] [--host 127.0.0.1] [--base /some/sub/path/]
//
// --base serves DIR under that path (as a static host serving the page from a sub-path would);
// anything outside it is not found. --port 0 takes a free port; the URL is printed.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const port = Number(opt("--port", process.env.PORT ?? "8080"));
const host = opt("--host", "127.0.0.1");
const base = `/${opt("--base", "/").replace(/^\/+|\/+$/g, "")}/`.replace(/^\/\/$/, "/");
const root = resolve(args[0] ?? "dist");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
  ".toml": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".wasm", ".svg", ".json", ".txt", ".toml", ".webmanifest"]);
const gzipped = new Map();

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const notFound = (why) => Object.assign(new Error(why), { code: "ENOENT" });
    if (`${url.pathname}/` === base) {
      // The sub-path without its slash: where a static host sends it, so relative URLs resolve.
      res.writeHead(301, { Location: base + url.search });
      res.end();
      return;
    }
    if (!url.pathname.startsWith(base)) throw notFound("outside the base path");
    let path = normalize(decodeURIComponent(url.pathname.slice(base.length - 1)));
    if (path.endsWith("/")) path += "index.html";
    const file = join(root, path);
    if (!file.startsWith(root + sep) && file !== root) throw notFound("outside");
    const info = await stat(file);
    if (!info.isFile()) throw notFound("not a file");
    const ext = extname(file);
    let body = await readFile(file);
    const headers = {
      "Content-Type": TYPES[ext] ?? "application/octet-stream",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      Vary: "Accept-Encoding",
    };
    if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      const key = `${file}:${info.mtimeMs}`;
      if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
      body = gzipped.get(key);
      headers["Content-Encoding"] = "gzip";
    }
    headers["Content-Length"] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (e) {
    const missing = e && (e.code === "ENOENT" || e.code === "ENOTDIR");
    res.writeHead(missing ? 404 : 500, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(missing ? "not found\n" : "server error\n");
  }
});

server.on("error", (e) => {
  console.error(e.code === "EADDRINUSE"
    ? `callcap: port ${port} on ${host} is in use; choose another with --port N (or PORT=N)`
    : `callcap: cannot serve: ${e.message}`);
  process.exit(1);
});

server.listen(port, host, () => {
  const address = server.address();
  const shown = typeof address === "object" && address ? `http://${host}:${address.port}${base}` : `${host}:${port}`;
  console.log(`callcap: serving ${root} at ${shown}  (Ctrl-C to stop)`);
});
