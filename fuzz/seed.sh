#!/usr/bin/env bash
# Seeds the working corpora (fuzz/corpus/, not committed) from the example tariffs, the bad-input
# catalog and the regressions. Run from anywhere; then `cargo +nightly fuzz run TARGET corpus/TARGET`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mkdir -p corpus/tariff_check corpus/estimate_compare
for f in ../rates/examples/*.toml ../rates/examples/bids/*.toml ../tests/bad/*.toml \
  ../tests/bad/accepted/*.toml ../tests/fuzz_regressions/*.toml; do
  cp "$f" corpus/tariff_check/
done
# estimate_compare inputs: 8 bytes of plan parameters, the tariff, "\n%%\n", the demand.
params=('\x10\x00\x0f\x01\xc4\x09\x00\x04' '\x40\x00\x3c\x00\x0a\x00\x00\x02')
i=0
for f in ../rates/examples/bids/*.toml ../rates/examples/*.toml; do
  for p in "${params[@]}"; do
    i=$((i + 1))
    { printf "$p"; cat "$f"; printf '\n%%%%\n'; cat ../rates/demand.toml; } >"corpus/estimate_compare/seed-$i"
  done
done
for f in ../tests/bad/demand/*.toml; do
  { printf '\x10\x00\x0f\x00\x00\x00\x00\x04'; cat ../rates/examples/bids/riverbend-vendor-a-high-commission.toml
    printf '\n%%%%\n'; cat "$f"; } >"corpus/estimate_compare/demand-$(basename "$f")"
done
{ printf '\x10\x00\x0f\x01\xc4\x09\x00\x04'; cat ../tests/fuzz_regressions/compare-overflow-bid.toml
  printf '\n%%%%\n'; cat ../tests/fuzz_regressions/compare-overflow-demand.toml; } >corpus/estimate_compare/compare-overflow
echo "seeded: $(ls corpus/tariff_check | wc -l) tariff_check, $(ls corpus/estimate_compare | wc -l) estimate_compare inputs"
