"""The examples of python/README.md and of the root README's Python section, as written."""

from decimal import Decimal

import callcap
from conftest import ROOT


def test_readme_examples(monkeypatch):
    monkeypatch.chdir(ROOT)
    caps = callcap.caps("2026-06-01", "jail", 75, state="TX", operator="county")
    assert caps["caps"][0]["per_minute"] == Decimal("0.15")
    report = callcap.check(["rates/examples/tx-county-jail-large-2026-compliant.toml"],
                           "2026-06-01")
    assert report["results"][0]["compliant"] is True
    month = callcap.estimate("rates/examples/nv-county-jail-large-2026-deposit-fees.toml",
                             calls_per_week=5, minutes=20, deposit="25.00", date="2026-06-01")
    assert isinstance(month["month"]["total"], Decimal)
    assert isinstance(month["overcharge"], Decimal)
    r = callcap.audit("rates/audit/sample/calls.csv", "rates/audit/sample/facilities.csv")
    assert r.summary.to_pylist()[0]["overcharge"] == Decimal("3.24")
    assert callcap.caps("2026-06-01", "jail", 75)["caps"][0]["per_minute"] == Decimal("0.15")
