// Presentation helpers for the core's results. No figure is computed and nothing is grouped or
// judged here (the core groups cap lines: CapsReport.cap_groups).

/** A name for a file from its path: "rates/examples/bids/a-b.toml" → "a-b". */
export function stem(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.endsWith(".toml") ? base.slice(0, -5) : base;
}

/** The 1-based line range of `line` in `text`, as offsets for a textarea selection. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end];
}

/** The line number an error message names ("file.toml:12:5: ..."), if any. */
export function errorLine(message: string): number | null {
  const m = /^[^\n]*?:(\d+)(?::\d+)?: /.exec(message);
  return m ? Number(m[1]) : null;
}
