// What the user entered that is too long for the URL's plain state: bids opened or pasted, and
// a demand file of their own. Kept in memory for the session; the share link carries them,
// compressed (share.ts).
import type { TomlText } from "./core";

/** A bid the user opened (`pasted: false`) or pasted. */
export interface OwnBid extends TomlText {
  pasted: boolean;
}

export const entered: { bids: OwnBid[]; demand: TomlText | null } = { bids: [], demand: null };
