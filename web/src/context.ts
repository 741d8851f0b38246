// What every section gets from the app.
import type { BookInfo } from "./core";
import type { State } from "./state";

export interface Ctx {
  /** The current state (mutate only through `update`). */
  readonly state: State;
  readonly book: BookInfo;
  /** Changes the state, records it in the URL and recomputes the current section's results. */
  update(change: (s: State) => void): void;
  /** The date the rules are taken from: the date field, or today. */
  date(): string;
  /** Says something to screen readers (a polite live region, after typing pauses). */
  announce(text: string): void;
  /** Width available for a chart, in CSS pixels. */
  chartWidth(el: HTMLElement): number;
}

export interface SectionView {
  /** The section's element (form and results). */
  el: HTMLElement;
  /** Recomputes the results from the state. */
  compute(): Promise<void> | void;
}
