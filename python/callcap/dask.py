"""The audit on a Dask cluster: each partition audited by the core, partial results merged
exactly (the core's ``Report::merge``) in a tree on the workers.

    from dask.distributed import Client
    import callcap.dask

    client = Client("tcp://scheduler:8786")   # or Client(LocalCluster(...)), or none
    result = callcap.dask.audit("s3://bucket/calls/*.parquet", "facilities.csv")
    result.summary.to_pandas()

Every worker needs this package installed (the same version as the client).
"""

from __future__ import annotations

import os
from typing import Any, Optional

from . import AuditResult, _callcap

__all__ = ["audit", "audit_partitions"]


def _audit_part(df: Any, facilities: Any, rates: Optional[str], partition: int) -> AuditResult:
    import pyarrow as pa

    if hasattr(df, "iloc"):  # pandas: its index left out
        df = pa.Table.from_pandas(df, preserve_index=False)
    return AuditResult(_callcap.audit(df, facilities, rates=rates, partition=partition))


def _merge(a: AuditResult, b: AuditResult) -> AuditResult:
    return a.merge(b)


def audit_partitions(parts: list, facilities: Any, *, rates: Optional[str] = None,
                     client: Any = None) -> AuditResult:
    """Audits a list of ``dask.delayed`` partitions (pandas or Arrow data each) and merges
    their results in a tree. ``facilities`` is sent to every worker once."""
    import dask

    if not parts:
        raise _callcap.InputError("calls: the data set has no partition")
    facilities = _portable(facilities)
    fac = dask.delayed(facilities, traverse=False)
    results = [
        dask.delayed(_audit_part, pure=True)(p, fac, rates, i) for i, p in enumerate(parts)
    ]
    while len(results) > 1:
        results = [
            dask.delayed(_merge, pure=True)(results[i], results[i + 1])
            if i + 1 < len(results) else results[i]
            for i in range(0, len(results), 2)
        ]
    if client is not None:
        return client.compute(results[0]).result()
    return results[0].compute()


def audit(calls: Any, facilities: Any, *, rates: Optional[str] = None, client: Any = None,
          blocksize: Any = "64MB") -> AuditResult:
    """Audits call records on Dask: ``calls`` is a Dask DataFrame, or a path or glob of CSV
    files (read as text, so money stays exact) or of Parquet files (``.parquet``, or a
    directory). ``facilities``: a path to its CSV file (read here and sent to the workers), its
    bytes, or Arrow data. ``client``: a ``dask.distributed.Client`` (default: Dask's current
    scheduler). Returns an :class:`callcap.AuditResult` equal to ``callcap.audit`` on all the
    rows; rejected rows carry their partition and their index in it."""
    import dask.dataframe as dd

    if isinstance(calls, (str, os.PathLike)):
        path = os.fspath(calls)
        if path.endswith(".parquet") or os.path.isdir(path):
            calls = dd.read_parquet(path)
        else:
            # Every column as text, nothing taken for a missing value: the core reads each
            # field as the CLI reads the CSV.
            calls = dd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                                blocksize=blocksize)
    return audit_partitions(list(calls.to_delayed()), facilities, rates=rates, client=client)


def _portable(facilities: Any) -> Any:
    """The facilities table as something every worker can read: a local path becomes the
    file's bytes; Arrow data becomes a pyarrow Table (which pickles)."""
    if isinstance(facilities, (str, os.PathLike)):
        with open(facilities, "rb") as f:
            return f.read()
    if isinstance(facilities, bytes):
        return facilities
    import pyarrow as pa

    return pa.table(facilities)
