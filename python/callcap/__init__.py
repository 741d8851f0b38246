"""callcap: what a call from a U.S. prison or jail costs, and whether that price is legal.

The Rust core (the ``callcap`` crate) does every computation; this package converts Python
and Arrow data in and out. Money is exact: ``decimal.Decimal`` in dicts, decimal128 in Arrow
tables, never a float.

- :func:`caps`, :func:`check`, :func:`estimate`: the CLI's JSON as dicts.
- :func:`audit`: call records (Arrow data or a CSV file) audited call by call.
- :mod:`callcap.dask`: the same audit over a Dask cluster, partition by partition.
"""

from __future__ import annotations

import os
from typing import Any, Union

from . import _callcap
from ._callcap import InputError, caps, check, estimate, versions

__all__ = [
    "InputError",
    "AuditResult",
    "audit",
    "caps",
    "check",
    "estimate",
    "versions",
    "__version__",
]

__version__: str = _callcap.__version__


class AuditResult:
    """What an audit found: ``summary``, ``by_facility_month``, ``by_account`` and
    ``rejected``, each a ``pyarrow.Table``; money columns are decimal128.

    Two results of audits of different calls merge into the result of one audit of them all
    (``a.merge(b)``, exact); a result pickles (Dask sends them between processes).
    """

    __slots__ = ("_inner",)

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    @property
    def summary(self):
        """One row: calls, minutes_billed, charged, legal_maximum, overcharge, calls_over,
        calls_uncapped, calls_unknown_jurisdiction, calls_assumed_exception, rows_rejected."""
        return self._inner.summary

    @property
    def by_facility_month(self):
        """One row per facility_id and month (YYYY-MM), in order, with the same figures."""
        return self._inner.by_facility_month

    @property
    def by_account(self):
        """One row per account_id, in order (no rows when no call names an account)."""
        return self._inner.by_account

    @property
    def rejected(self):
        """The rows that could not be audited: row, column, message (and partition, for an
        audit by parts). Arrow input: ``row`` is the row's index from 0; a CSV file: its row
        as the CLI numbers it (the header is row 1). At most 100,000 are described; the
        summary's ``rows_rejected`` counts them all."""
        return self._inner.rejected

    def to_dict(self) -> dict:
        """The report as ``callcap audit --format json`` prints it, money as Decimal."""
        return self._inner.to_dict()

    def merge(self, other: "AuditResult") -> "AuditResult":
        """This result and one of other calls, as one audit of them all."""
        return AuditResult(self._inner.merge(other._inner))

    def __reduce__(self):
        return (_restore, (bytes(self._inner.state()),))

    def __repr__(self) -> str:
        s = self.to_dict()["summary"]
        return (
            f"AuditResult(calls={s['calls']}, charged={s['charged']}, "
            f"overcharge={s['overcharge']}, calls_over={s['calls_over']}, "
            f"rows_rejected={s['rows_rejected']})"
        )


def _restore(state: bytes) -> AuditResult:
    return AuditResult(_callcap.Audit.from_state(state))


PathLike = Union[str, "os.PathLike[str]"]


def audit(calls: Any, facilities: Any, *, rates: PathLike | None = None,
          partition: int | None = None) -> AuditResult:
    """Audits call records against the rules in force on each call's date.

    ``calls``: Arrow data (anything with ``__arrow_c_stream__`` or ``__arrow_c_array__``: a
    pyarrow Table, RecordBatch or RecordBatchReader, a Polars DataFrame, a pandas DataFrame),
    streamed batch by batch; or a path to a CSV file, or its bytes. Columns as ``callcap
    audit`` reads them (names matched case-insensitively): call_id, facility_id, started_at,
    duration_seconds, service, jurisdiction, payment, charged, and optionally account_id.
    ``charged`` must be text or decimal, never a float.

    ``facilities``: the facilities table, as Arrow data, a CSV path or its bytes.

    A bad row is counted and described in ``rejected``; a missing column, a bad facilities
    table or unreadable input raises :class:`InputError`.
    """
    return AuditResult(_callcap.audit(calls, facilities, rates=rates, partition=partition))
