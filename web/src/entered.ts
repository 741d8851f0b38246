// What the user entered that is too long for the URL's plain state: bids opened or pasted, and
// a demand file of their own. Kept in memory for the session; the share link carries them,
// compressed (share.ts).
import type { TomlText } from "./core";
import type { SheetError } from "./sheets";

/** A bid the user opened (`pasted: false`) or pasted. */
export interface OwnBid extends TomlText {
  pasted: boolean;
}

/** A rate table opened in Check a tariff: its facilities, each as the TOML its rows make. */
export interface Table {
  file: string;
  tariffs: TomlText[];
  /** The rows that could not be read (said with the results, and carried by the share link). */
  errors: SheetError[];
}

export const entered: { bids: OwnBid[]; demand: TomlText | null; table: Table | null } = { bids: [], demand: null, table: null };
