"""callcap.dask on a local two-worker Dask cluster gives the CLI's totals."""

from decimal import Decimal

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import callcap
import callcap.dask
from conftest import SAMPLE
from test_audit import assert_equals_cli

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, host="127.0.0.1")
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_sample_on_two_workers_equals_the_cli(cli, client):
    report, _ = cli("audit", SAMPLE / "calls.csv", "--facilities", SAMPLE / "facilities.csv")
    # small blocks: several partitions, on both workers
    result = callcap.dask.audit(SAMPLE / "calls.csv", SAMPLE / "facilities.csv",
                                client=client, blocksize=200)
    assert_equals_cli(result, report)
    assert len(result.rejected) == 3
    assert result.rejected.column_names == ["partition", "row", "column", "message"]


def test_generated_csv_and_parquet_on_two_workers_equal_the_cli(cli, client, generated,
                                                                 tmp_path):
    calls, facilities = generated
    report, _ = cli("audit", calls, "--facilities", facilities)
    result = callcap.dask.audit(calls, facilities, client=client, blocksize=200_000)
    assert_equals_cli(result, report)
    workers = client.run(lambda: 1)
    assert len(workers) == 2
    assert isinstance(result.to_dict()["summary"]["overcharge"], Decimal)

    # Parquet: typed columns (decimal128 money, integer durations), several files
    names = calls.read_text().split("\n", 1)[0].split(",")
    table = pacsv.read_csv(calls, convert_options=pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names}))
    table = table.set_column(names.index("charged"), "charged",
                             table["charged"].cast(pa.decimal128(12, 2)))
    table = table.set_column(names.index("duration_seconds"), "duration_seconds",
                             table["duration_seconds"].cast(pa.int64()))
    out = tmp_path / "calls.parquet"
    out.mkdir()
    for i, start in enumerate(range(0, len(table), 6000)):
        pq.write_table(table.slice(start, 6000), out / f"part-{i}.parquet")
    from_parquet = callcap.dask.audit(out, facilities, client=client)
    assert_equals_cli(from_parquet, report)
