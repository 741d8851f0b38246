"""Compares two audits' totals, as CSV in the columns of `callcap audit --format csv`:

    python benches/peers/compare.py CALLCAP.csv PEER.csv

Every row of every scope (summary, facility_month, account) must be in both, with the same
counts and the same money to the cent (compared as exact decimals: 2.1 and 2.10000000 are the
same). Prints what differs and exits 1, or says they agree.
"""

import csv
import sys
from decimal import Decimal

MONEY = {"charged", "legal_maximum", "overcharge"}
COUNTS = {"calls", "minutes_billed", "calls_over", "calls_uncapped",
          "calls_unknown_jurisdiction", "calls_assumed_exception"}


def rows(path):
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            key = (r["scope"], r["facility_id"] or "", r["month"] or "", r["account_id"] or "")
            out[key] = {k: Decimal(r[k] or "0") if k in MONEY else int(r[k] or "0")
                        for k in MONEY | COUNTS}
    return out


def main():
    a, b = rows(sys.argv[1]), rows(sys.argv[2])
    diffs = []
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            diffs.append(f"{key}: only in {sys.argv[1] if key in a else sys.argv[2]}")
            continue
        for k in sorted(MONEY | COUNTS):
            if a[key][k] != b[key][k]:
                diffs.append(f"{key} {k}: {a[key][k]} vs {b[key][k]}")
    scopes = {s: sum(1 for k in a if k[0] == s) for s in ("summary", "facility_month", "account")}
    if diffs:
        print(f"{len(diffs)} differences between {sys.argv[1]} and {sys.argv[2]}:", *diffs[:20],
              sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(f"agree to the cent: {scopes['summary']} summary, {scopes['facility_month']} "
          f"facility-month and {scopes['account']} account rows")


if __name__ == "__main__":
    main()
