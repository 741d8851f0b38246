// Where a family can complain, and what to keep: rates/complaints.json (guidance with its
// sources, not a rule), a chunk of its own fetched the first time it is shown.
import { h } from "./dom";
import { lang, t } from "./i18n";
import type { Lang } from "./state";

type Words = Record<Lang, string>;

export interface Complaints {
  sources: Record<string, { title: string; link: string }>;
  places: { level: "federal" | "state"; state?: string; name: string; link: string; phone?: string; what: Words; sources: string[] }[];
  keep: Record<Lang, string[]> & { sources: string[] };
}

let loaded: Promise<Complaints> | null = null;

// size: a chunk of its own, fetched when a month is overcharged (not in the first load).
export function complaints(): Promise<Complaints> {
  loaded ??= import("../../rates/complaints.json").then((m) => m.default as Complaints);
  return loaded;
}

/** "What you can do": the federal place, the state's where the data has one, what to keep. */
export function whatToDo(c: Complaints, state: string): HTMLElement {
  const l = lang();
  const cite = (ids: string[]) => h("p", { class: "cite" }, h("span", { class: "cite-label" }, t("todo.source")), " ",
    ids.flatMap((id, i) => [i ? " · " : "", h("a", { href: c.sources[id]?.link, rel: "noopener noreferrer external", target: "_blank" },
      c.sources[id]?.title ?? id)]));
  const places = c.places.filter((p) => p.level === "federal" || (state && p.state === state));
  return h("section", { class: "todo", "aria-labelledby": "h-todo", "data-field": "todo" },
    h("h3", { id: "h-todo" }, t("todo.title")),
    h("ul", { class: "todo-places" }, places.map((p) => h("li", { "data-place": p.state ?? "federal" },
      h("p", {}, h("a", { href: p.link, rel: "noopener noreferrer external", target: "_blank" }, h("strong", {}, p.name)),
        p.phone ? [" · ", t("todo.phone", { phone: p.phone })] : null),
      h("p", {}, p.what[l]),
      cite(p.sources)))),
    state && !places.some((p) => p.state === state) ? h("p", { class: "muted" }, t("todo.nostate", { state })) : null,
    h("h4", {}, t("todo.keep")),
    h("ul", { class: "todo-keep" }, c.keep[l].map((k) => h("li", {}, k))),
    cite(c.keep.sources));
}
