// Entry point: load the core, start the page, register the offline cache.
import "./style.css";
import { loadCore } from "./core";
import { start } from "./app";

const root = document.getElementById("app");

async function boot(): Promise<void> {
  if (!root) return;
  try {
    const book = await loadCore();
    await start(root, book);
    performance.mark("callcap:first-result");
  } catch (e) {
    root.replaceChildren();
    const p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = `The calculator could not start: ${e instanceof Error ? e.message : String(e)}`;
    root.append(p);
  }
}

void boot();

if ("serviceWorker" in navigator && import.meta.env.PROD) {
  // Caches every file of the page, so it works offline once loaded (see vite.config.ts). Its URL
  // and scope are relative to the page, so the site works under any path of a static host.
  navigator.serviceWorker.register("./sw.js", { scope: "./" }).catch(() => {});
}
