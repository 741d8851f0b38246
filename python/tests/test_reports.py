"""caps, check and estimate against the CLI's JSON on the repository's examples."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import callcap
from conftest import EXAMPLES

DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")


def plain(value):
    """Python data back to the CLI's JSON values: Decimal as its text (scale kept)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def assert_exact(value, path="$"):
    """No float anywhere, and no decimal left as text (a money key missing from the
    binding's list would leave one)."""
    assert not isinstance(value, float), f"{path} is a float"
    if isinstance(value, dict):
        for k, v in value.items():
            assert_exact(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            assert_exact(v, f"{path}[{i}]")
    elif isinstance(value, str):
        assert not DECIMAL_TEXT.fullmatch(value), f"{path} = {value!r} is decimal text"


def example(name):
    return EXAMPLES / name


TARIFFS = sorted(EXAMPLES.glob("*.toml"))


@pytest.mark.parametrize("args", [
    dict(date="2026-06-01", facility="jail", adp=75),
    dict(date="2024-06-01", facility="jail", adp=300, state="MA", operator="county"),
    dict(date="2015-03-01", facility="prison", adp=2000, state="TX"),
    dict(date="2026-06-01", facility_id="10000231"),
    dict(date="2025-01-15", facility="jail", adp=1500, contract_signed="2023-05-01",
         contract_ends="2027-06-30", contract_basis="contractual"),
])
def test_caps_equals_the_cli(cli, args):
    flags = []
    for k, v in args.items():
        flags += [f"--{k.replace('_', '-')}" if k != "adp" else "--adp", v]
    expected, _ = cli("caps", *[("--facility" if f == "--facility" else f) for f in flags])
    got = callcap.caps(**args)
    assert plain(got) == expected
    assert_exact(got)


def test_caps_money_is_decimal():
    got = callcap.caps(datetime.date(2026, 6, 1), "jail", 75)
    per_minute = [c["per_minute"] for c in got["caps"] if c.get("per_minute") is not None]
    assert per_minute and all(isinstance(p, Decimal) for p in per_minute)


def test_check_equals_the_cli_on_every_example(cli):
    expected, code = cli("check", *TARIFFS, "--date", "2026-06-01")
    got = callcap.check(TARIFFS, "2026-06-01")
    assert plain(got) == expected
    assert_exact(got)
    assert code == 1 and not all(r["compliant"] for r in got["results"])


def test_check_takes_toml_text():
    text = """
[facility]
kind = "jail"
average_daily_population = 640

[[rate]]
service = "audio"
per_minute = "0.25"
"""
    r = callcap.check(text, "2026-06-01")["results"][0]
    assert r["compliant"] is False
    assert r["findings"][0]["rule"] == "per_minute_cap"
    assert r["findings"][0]["actual"] == Decimal("0.25")


@pytest.mark.parametrize("tariff,flags", [
    ("nv-county-jail-large-2026-deposit-fees.toml", {}),
    ("ca-county-jail-medium-2026-over-cap-first-minute.toml",
     {"calls_per_week": 5, "minutes": 20, "jurisdiction": "interstate", "payment": "debit"}),
    ("mi-state-prison-2026-account-and-paper-fees.toml",
     {"calls_per_month": 30, "deposit": Decimal("25.00"), "deposit_method": "live_agent"}),
    ("tx-county-jail-large-2026-compliant.toml", {"state": "TX", "operator": "county"}),
])
def test_estimate_equals_the_cli(cli, tariff, flags):
    args = ["estimate", "--tariff", example(tariff), "--date", "2026-06-01"]
    for k, v in flags.items():
        args += ["--minutes" if k == "minutes" else f"--{k.replace('_', '-')}", v]
    expected, _ = cli(*args)
    got = callcap.estimate(example(tariff), date="2026-06-01", **flags)
    assert plain(got) == expected
    assert_exact(got)
    assert isinstance(got["month"]["total"], Decimal)


def test_estimate_with_a_facility_id_equals_the_cli(cli):
    t = example("ia-county-jail-very-small-2026-compliant.toml")
    expected, _ = cli("estimate", "--tariff", t, "--facility-id", "10000231",
                      "--date", "2026-06-01")
    assert plain(callcap.estimate(str(t), facility_id="10000231",
                                  date="2026-06-01")) == expected


@pytest.mark.parametrize("call,words", [
    (lambda: callcap.caps("2026-02-30", "jail", 75), ["date", "2026-02-30"]),
    (lambda: callcap.caps("2026-06-01", "jail", 0), ["adp"]),
    (lambda: callcap.caps("2026-06-01", "camp", 75), ["facility", "prison"]),
    (lambda: callcap.caps("2026-06-01", "jail", 75, state="Texas"), ["state"]),
    (lambda: callcap.caps("2026-06-01", facility_id="no-such-id"), ["facility_id"]),
    (lambda: callcap.estimate(example("nv-county-jail-large-2026-deposit-fees.toml"),
                              deposit=25.0), ["deposit", "float"]),
    (lambda: callcap.estimate(example("nv-county-jail-large-2026-deposit-fees.toml"),
                              calls_per_week=-3), ["calls_per_week", "negative"]),
    (lambda: callcap.estimate(example("nv-county-jail-large-2026-deposit-fees.toml"),
                              payment="cash"), ["payment", "debit"]),
    (lambda: callcap.check("[facility]\nkind = 'jail'\naverage_daily_population = 'x'\n"),
     ["<tariff>", "average_daily_population"]),
    (lambda: callcap.check(Path("/nonexistent/tariff.toml")), ["cannot read"]),
])
def test_bad_input_raises_input_error_naming_it(call, words):
    with pytest.raises(callcap.InputError) as e:
        call()
    assert isinstance(e.value, ValueError)
    for w in words:
        assert w in str(e.value)


def test_versions_are_the_clis(cli):
    expected, _ = cli("caps", "--facility", "jail", "--adp", "75")
    assert callcap.versions() == expected["version"]
