// Inline SVG charts. They draw the core's amounts; bar lengths are the only use of a decimal as
// a binary number (format.forDrawing), and every figure printed on a chart is the core's string.
import { s } from "./dom";
import { forDrawing, money } from "./format";

export interface Segment {
  label: string;
  amount: string;
  /** CSS class giving the fill colour. */
  cls: string;
}

/** An empty chart of the given size, announced to screen readers by `label`. */
function chartRoot(width: number, height: number, label: string): SVGElement {
  return s("svg", {
    class: "chart",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": label,
  });
}

/** One bar split into its parts (where a month's money goes). */
export function stackedBar(parts: Segment[], width: number, label: string): SVGElement {
  const height = 28;
  const total = parts.reduce((sum, p) => sum + forDrawing(p.amount), 0);
  const svg = chartRoot(width, height, label);
  svg.append(s("rect", { x: 0, y: 0, width, height, rx: 4, class: "chart-track" }));
  let x = 0;
  for (const p of parts) {
    const w = total > 0 ? (forDrawing(p.amount) / total) * width : 0;
    if (w <= 0) continue;
    svg.append(
      s("rect", { x: x.toFixed(2), y: 0, width: w.toFixed(2), height, class: p.cls },
        s("title", {}, `${p.label}: ${money(p.amount)}`)),
    );
    x += w;
  }
  return svg;
}

export interface BarGroup {
  name: string;
  bars: Segment[];
}

/** Horizontal bars in groups (each bid: what families pay, what the county receives). */
export function groupedBars(groups: BarGroup[], width: number, label: string): SVGElement {
  const barHeight = 20;
  const gap = 6;
  const nameHeight = 22;
  const groupHeight = nameHeight + groups.reduce((m, g) => Math.max(m, g.bars.length), 0) * (barHeight + gap) + 14;
  const height = groups.length * groupHeight;
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => forDrawing(b.amount))));
  const room = 112; // for the value after the longest bar
  const scale = (width - room) / max;
  const svg = chartRoot(width, height, label);
  groups.forEach((g, i) => {
    const top = i * groupHeight;
    svg.append(s("text", { x: 0, y: top + 15, class: "chart-name" }, g.name));
    g.bars.forEach((b, j) => {
      const y = top + nameHeight + j * (barHeight + gap);
      const w = Math.max(2, forDrawing(b.amount) * scale);
      svg.append(
        s("rect", { x: 0, y, width: w.toFixed(2), height: barHeight, rx: 3, class: b.cls },
          s("title", {}, `${g.name} — ${b.label}: ${money(b.amount)}`)),
      );
      svg.append(
        s("text", { x: (w + 6).toFixed(2), y: y + barHeight - 5, class: "chart-value" },
          money(b.amount)),
      );
    });
  });
  return svg;
}
