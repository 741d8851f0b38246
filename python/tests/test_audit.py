"""audit() on the sample files from pyarrow, Polars, pandas and a CSV path, against the CLI."""

import pickle
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import callcap
from conftest import SAMPLE

CALLS = SAMPLE / "calls.csv"
FACILITIES = SAMPLE / "facilities.csv"


def as_text_table(path):
    """A CSV file as a pyarrow table of text columns (as the CLI reads it)."""
    names = path.read_text().splitlines()[0].split(",")
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=True))


def plain_rows(table):
    """Table rows as the CLI's JSON values: Decimal as text, counts as ints."""
    return [{k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()}
            for row in table.to_pylist()]


def expected_of(cli, calls=CALLS, facilities=FACILITIES):
    report, code = cli("audit", calls, "--facilities", facilities)
    return report, code


def assert_equals_cli(result, report):
    assert plain_rows(result.summary) == [report["summary"]]
    assert plain_rows(result.by_facility_month) == report["by_facility_month"]
    assert plain_rows(result.by_account) == report["by_account"]
    # and the dict form is the CLI's JSON, money as Decimal
    d = result.to_dict()
    assert {k: str(v) if isinstance(v, Decimal) else v for k, v in d["summary"].items()} \
        == report["summary"]


def money_columns_are_exact(table):
    for name in ("charged", "legal_maximum", "overcharge"):
        t = table.schema.field(name).type
        assert pa.types.is_decimal(t), f"{name} is {t}"
    for row in table.to_pylist():
        for name in ("charged", "legal_maximum", "overcharge"):
            assert isinstance(row[name], Decimal)


def test_csv_path_equals_the_cli(cli):
    report, code = expected_of(cli)
    result = callcap.audit(CALLS, FACILITIES)
    assert_equals_cli(result, report)
    assert code == 1
    money_columns_are_exact(result.summary)
    money_columns_are_exact(result.by_facility_month)
    money_columns_are_exact(result.by_account)
    # the CLI's numbers on stderr: the header is row 1
    assert result.rejected.to_pylist() == [
        {"row": 11, "column": "started_at",
         "message": '"2026-13-02" is not a real date; write it as YYYY-MM-DD, like "2026-04-06"'},
        {"row": 12, "column": "facility_id",
         "message": "facility `nowhere` is not in the facilities table"},
        {"row": 13, "column": "duration_seconds",
         "message": "`-60` is negative; a duration is 0 or more seconds"},
    ]


def test_pyarrow_table_and_stream_equal_the_cli(cli):
    report, _ = expected_of(cli)
    table = as_text_table(CALLS)
    assert_equals_cli(callcap.audit(table, as_text_table(FACILITIES)), report)
    # batch by batch: a stream of 2-row batches
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=2))
    result = callcap.audit(reader, FACILITIES)
    assert_equals_cli(result, report)
    # Arrow rows are numbered from 0
    assert [r["row"] for r in result.rejected.to_pylist()] == [9, 10, 11]


def test_typed_arrow_columns_equal_the_cli(cli):
    """decimal128 money, integer durations, dates and zoned time stamps, as a Parquet
    file or a typed table gives them."""
    report, _ = expected_of(cli)
    text = as_text_table(CALLS).to_pandas()
    ok = text.iloc[:9]  # the rows the CLI rejects are the last three
    typed = pa.table({
        "CALL_ID": pa.array(ok.call_id),
        "facility_id": pa.array(ok.facility_id),
        "started_at": pa.array(ok.started_at),
        "duration_seconds": pa.array(ok.duration_seconds.astype(int), pa.int64()),
        "service": pa.array(ok.service),
        "jurisdiction": pa.array(ok.jurisdiction).dictionary_encode(),
        "payment": pa.array(ok.payment),
        "charged": pa.array([Decimal(c) for c in ok.charged], pa.decimal128(12, 2)),
        "account_id": pa.array(ok.account_id),
    })
    result = callcap.audit(typed, FACILITIES)
    want = dict(report["summary"], rows_rejected=0)
    assert plain_rows(result.summary) == [want]
    # the same dates as date32 (date-times keep their own date as written)
    dates = pa.array([s[:10] for s in ok.started_at]).cast(pa.date32())
    by_date = callcap.audit(typed.set_column(2, "started_at", dates), FACILITIES)
    assert plain_rows(by_date.summary) == [want]


def test_zoned_and_naive_time_stamps_take_the_date_as_written():
    fac = pa.table({"facility_id": ["J"], "kind": ["prison"],
                    "average_daily_population": ["5000"], "state": [None],
                    "operator": ["state"], "facility_component_per_minute": ["0"]})
    # 23:30 on 2021-10-25 in New York is 03:30 on the 26th in UTC: the cap of the 25th applies
    late = pa.array([1635219000_000000], pa.timestamp("us", tz="America/New_York"))
    calls = {"call_id": ["1"], "facility_id": ["J"], "duration_seconds": [600],
             "service": ["audio"], "jurisdiction": ["interstate"], "payment": ["debit"],
             "charged": ["9.00"]}
    zoned = callcap.audit(pa.table({**calls, "started_at": late}), fac)
    on_25th = callcap.audit(pa.table({**calls, "started_at": ["2021-10-25"]}), fac)
    on_26th = callcap.audit(pa.table({**calls, "started_at": ["2021-10-26"]}), fac)
    assert zoned.summary["legal_maximum"] == on_25th.summary["legal_maximum"]
    assert on_25th.summary["legal_maximum"] != on_26th.summary["legal_maximum"]
    assert on_26th.summary["legal_maximum"].to_pylist() == [Decimal("1.20")]
    naive = pa.array([1635204600_000000], pa.timestamp("us"))  # 2021-10-25T23:30
    assert callcap.audit(pa.table({**calls, "started_at": naive}), fac).summary[
        "legal_maximum"] == on_25th.summary["legal_maximum"]


def test_polars_equals_the_cli(cli):
    report, _ = expected_of(cli)
    calls = pl.read_csv(CALLS, infer_schema=False)  # every column as text
    facilities = pl.read_csv(FACILITIES, infer_schema=False)
    assert_equals_cli(callcap.audit(calls, facilities), report)
    # Polars decimals and integers
    typed = calls.with_columns(pl.col("charged").cast(pl.Decimal(12, 2), strict=False),
                               pl.col("duration_seconds").cast(pl.Int64, strict=False))
    r = callcap.audit(typed, facilities)
    assert plain_rows(r.summary)[0]["charged"] == report["summary"]["charged"]


def test_pandas_equals_the_cli(cli):
    report, _ = expected_of(cli)
    calls = pd.read_csv(CALLS, dtype=str, keep_default_na=False)
    facilities = pd.read_csv(FACILITIES, dtype=str)
    assert_equals_cli(callcap.audit(calls, facilities), report)
    via_pyarrow = pa.Table.from_pandas(calls, preserve_index=False)
    assert_equals_cli(callcap.audit(via_pyarrow, facilities), report)


def test_float_money_is_refused_naming_the_column():
    calls = pd.read_csv(CALLS)  # pandas reads charged as float64
    assert calls.charged.dtype == "float64"
    with pytest.raises(callcap.InputError, match="column charged is Float64.*exactly"):
        callcap.audit(calls, FACILITIES)


def test_bad_input_names_row_and_column():
    with pytest.raises(callcap.InputError, match="no `charged` column"):
        callcap.audit(as_text_table(CALLS).drop_columns(["charged"]), FACILITIES)
    bad = FACILITIES.read_text().replace("ia-small-jail,jail,80", "ia-small-jail,jail,eighty")
    with pytest.raises(callcap.InputError, match=r"row 4, column average_daily_population"):
        callcap.audit(CALLS, bad.encode())
    fac = as_text_table(FACILITIES).to_pandas()
    fac.loc[1, "state"] = "Texas"
    with pytest.raises(callcap.InputError, match=r"facilities: row 1, column state"):
        callcap.audit(CALLS, fac)
    with pytest.raises(callcap.InputError, match="cannot read"):
        callcap.audit("/nonexistent/calls.csv", FACILITIES)
    with pytest.raises(callcap.InputError, match="Arrow data"):
        callcap.audit(42, FACILITIES)


def test_merge_and_pickle_are_exact(cli):
    report, _ = expected_of(cli)
    table = as_text_table(CALLS)
    a = callcap.audit(table.slice(0, 5), FACILITIES, partition=0)
    b = callcap.audit(table.slice(5), FACILITIES, partition=1)
    merged = pickle.loads(pickle.dumps(a)).merge(pickle.loads(pickle.dumps(b)))
    assert_equals_cli(merged, report)
    assert merged.rejected.column_names == ["partition", "row", "column", "message"]
    assert [(r["partition"], r["row"]) for r in merged.rejected.to_pylist()] == \
        [(1, 4), (1, 5), (1, 6)]


def test_generated_calls_equal_the_cli(cli, generated):
    calls, facilities = generated
    report, _ = cli("audit", calls, "--facilities", facilities)
    assert report["summary"]["calls"] > 19000
    assert_equals_cli(callcap.audit(calls, facilities), report)
    stream = pacsv.open_csv(calls, read_options=pacsv.ReadOptions(block_size=1 << 16),
                            convert_options=pacsv.ConvertOptions(
                                column_types={n: pa.string() for n in
                                              calls.read_text().split("\n", 1)[0].split(",")}))
    assert_equals_cli(callcap.audit(stream, facilities), report)
