// The page: header, section navigation, the current section, share link, language, footer.
// State lives in the URL hash (see state.ts); every change is written back with replaceState,
// every section change with pushState, so links and the back button work.
import { loadFull, type BookInfo } from "./core";
import type { Ctx, SectionView } from "./context";
import { h, s, fill } from "./dom";
import { longDate, today } from "./format";
import { lang, setLang, t, type Key } from "./i18n";
import { SECTIONS, decode, encode, type Section, type State } from "./state";
import { entered } from "./entered";
import type { LeftOut } from "./share";

// size: the share link's compression (share.ts) is a chunk of its own, fetched when a link is
// shared or a compressed one opened.
const sharing = () => import("./share");
import { callsSection } from "./sections/calls";

type Builder = (ctx: Ctx) => SectionView;

// size: My calls, the first section, is in the first load; the other three are chunks of their
// own, fetched when first opened (and cached with the rest for offline use).
// The other three are in the rest of the module (a tariff's reader, check, compare, the caps):
// they wait for it (core.ts, loadFull).
const BUILDERS: Record<Section, () => Promise<Builder>> = {
  calls: async () => callsSection,
  bids: async () => (await Promise.all([import("./sections/bids"), loadFull()]))[0].bidsSection,
  check: async () => (await Promise.all([import("./sections/check"), loadFull()]))[0].checkSection,
  caps: async () => (await Promise.all([import("./sections/caps"), loadFull()]))[0].capsSection,
};

export async function start(root: HTMLElement, book: BookInfo): Promise<void> {
  let state: State = decode(location.hash);
  // A share link with long text: the whole state, compressed (share.ts).
  const z = /[?&]z=/.test(location.hash) ? (await sharing()) : null;
  const unpacked = z ? await z.unpack(z.packed(location.hash) ?? "") : null;
  if (unpacked) {
    state = unpacked.state;
    entered.bids.splice(0, entered.bids.length, ...unpacked.bids);
    entered.demand = unpacked.demand;
  }
  let view: SectionView | null = null;
  let announceTimer = 0;
  const live = h("div", { class: "sr-only", role: "status", "aria-live": "polite" });
  const main = h("main", { id: "main", tabindex: "-1" });
  const navLinks = new Map<Section, HTMLAnchorElement>();
  let shareStatus: HTMLElement | null = null;

  const ctx: Ctx = {
    get state() {
      return state;
    },
    book,
    update(change) {
      change(state);
      writeUrl("replace");
      // "callcap:update": an input change to its results on screen (the budget test reads it).
      const start = performance.now();
      void Promise.resolve(view?.compute()).then(() =>
        performance.measure("callcap:update", { start, end: performance.now() }));
    },
    date: () => state.date || today(),
    announce(text) {
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(() => (live.textContent = text), 700);
    },
    chartWidth(el) {
      const w = el.clientWidth || main.clientWidth - 32 || 600;
      return Math.max(260, Math.min(1000, Math.floor(w)));
    },
  };

  function writeUrl(how: "replace" | "push"): void {
    const hash = encode(state);
    if (hash !== location.hash) {
      if (how === "push") history.pushState(null, "", hash);
      else history.replaceState(null, "", hash);
    }
    for (const [section, a] of navLinks) a.href = encode({ ...state, section });
  }

  let shown = 0;
  async function show(section: Section, focus: boolean): Promise<void> {
    state.section = section;
    for (const [sec, a] of navLinks) {
      if (sec === section) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    const mine = ++shown;
    const build = await BUILDERS[section]();
    // Another section was chosen while this one's code was loading: that one is shown.
    if (mine !== shown) return;
    view = build(ctx);
    fill(main, toolbar(), view.el);
    document.title = `${t(`${section}.title` as Key)} — callcap`;
    if (focus) view.el.querySelector<HTMLElement>("h2")?.focus();
    return view.compute();
  }

  function toolbar(): HTMLElement {
    shareStatus = h("span", { class: "share-status", role: "status" });
    return h("div", { class: "toolbar no-print" },
      h("button", { type: "button", class: "button-small", id: "share", onclick: share }, t("share.button")),
      shareStatus);
  }

  async function share(): Promise<void> {
    // The link holds everything entered, compressed if need be; what does not fit is said.
    const { hash, left } = await (await sharing()).shareHash(state);
    history.replaceState(null, "", hash);
    const url = location.href;
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      ok = false;
    }
    if (shareStatus) {
      fill(shareStatus,
        ok ? (left.length ? t("share.copied.part") : t("share.copied")) : t("share.manual"),
        ok ? null : h("input", { class: "input input-long", readonly: true, value: url, "aria-label": t("share.link") }),
        left.length ? leftOut(left) : null);
    }
  }

  /** What the link could not hold, each as a file to download and share with it. */
  function leftOut(left: LeftOut[]): HTMLElement {
    return h("span", { class: "share-left", "data-field": "share.left" },
      " ", t("share.left", { n: left.length }), " ",
      left.map((l) => h("button", { type: "button", class: "link-button", onclick: () => download(l) }, t("share.download", { file: l.file }))));
  }

  function download(l: LeftOut): void {
    const a = h("a", { href: URL.createObjectURL(new Blob([l.text], { type: "text/plain;charset=utf-8" })), download: l.file });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  function chrome(): void {
    document.documentElement.lang = lang();
    const langSelect = h("select", { id: "lang", class: "input input-lang" },
      h("option", { value: "en", lang: "en", selected: lang() === "en" }, "English"),
      h("option", { value: "es", lang: "es", selected: lang() === "es" }, "Español"));
    langSelect.addEventListener("change", () => {
      state.lang = langSelect.value === "es" ? "es" : "en";
      writeUrl("replace");
      void render(false);
      document.getElementById("lang")?.focus();
    });
    navLinks.clear();
    const nav = h("nav", { class: "tabs no-print", "aria-label": t("nav.label") },
      h("ul", {}, SECTIONS.map((section) => {
        const a = h("a", { href: encode({ ...state, section }), "data-section": section }, t(`nav.${section}` as Key));
        a.addEventListener("click", (e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          if (state.section === section) return;
          state.section = section;
          writeUrl("push");
          void show(section, true);
        });
        navLinks.set(section, a);
        return h("li", {}, a);
      })));
    const skip = h("a", { class: "skip", href: "#main" }, t("skip"));
    skip.addEventListener("click", (e) => {
      e.preventDefault();
      main.focus();
    });
    const last = book.change_dates[book.change_dates.length - 1] ?? "";
    fill(root,
      skip,
      h("header", { class: "site-header" },
        h("div", { class: "wrap header-row" },
          h("div", { class: "brand" },
            s("svg", { class: "seal", viewBox: "0 0 40 40", width: 40, height: 40, "aria-hidden": "true" },
              s("circle", { cx: 20, cy: 20, r: 18.5, class: "seal-ring" }),
              s("path", { class: "seal-mark", d: "M13 11c1.5-1 3.2-.4 4 1.1l1.4 2.6c.6 1.1.3 2.4-.6 3.2l-1.2 1c1 2.3 2.8 4.2 5 5.3l1.1-1.2c.8-.9 2.2-1.1 3.2-.5l2.6 1.5c1.4.8 1.9 2.6 1 4-1.3 2-3.8 3-6.1 2.2C17 28 12 23 10.3 16.3c-.6-2.2.5-4.3 2.7-5.3z" })),
            h("div", {},
              h("p", { class: "brand-name" }, "callcap"),
              h("p", { class: "tagline" }, t("tagline")))),
          h("div", { class: "lang" },
            h("label", { for: "lang" }, t("lang.label")), langSelect)),
        h("div", { class: "wrap" }, nav)),
      h("div", { class: "wrap" }, main),
      h("footer", { class: "site-footer" },
        h("div", { class: "wrap" },
          h("p", {}, h("strong", {}, t("footer.private")), " ", t("footer.private.more")),
          h("p", { "data-field": "versions" }, t("footer.data", { date: longDate(last, lang()), version: book.version.callcap, rates: book.version.rates })),
          h("p", { class: "muted" }, t("footer.notlegal")))),
      live);
  }

  async function render(focus: boolean): Promise<void> {
    await setLang(state.lang);
    chrome();
    return show(state.section, focus);
  }

  // Printed for a public meeting: every finding shows, not only the open ones.
  let opened: HTMLDetailsElement[] = [];
  window.addEventListener("beforeprint", () => {
    opened = [...main.querySelectorAll<HTMLDetailsElement>("details:not([open])")];
    for (const d of opened) d.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const d of opened) d.open = false;
    opened = [];
  });

  window.addEventListener("popstate", () => {
    const next = decode(location.hash);
    const relang = next.lang !== state.lang;
    state = next;
    if (relang) void render(false);
    else void show(state.section, true);
  });

  // A compressed link stays as it came (reloading it reopens the same page) until a change.
  if (!unpacked) writeUrl("replace");
  return render(false);
}
