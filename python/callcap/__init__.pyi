import datetime
import decimal
import os
from typing import Any, Literal, Sequence, Union

import pyarrow

__version__: str

PathLike = Union[str, os.PathLike[str]]
DateLike = Union[str, datetime.date]
# A tariff: a path (os.PathLike, or a str with no line break), or its TOML text (a str with a
# line break, or bytes).
TariffLike = Union[str, bytes, os.PathLike[str]]
# Arrow data (the Arrow PyCapsule interface), a CSV path, or a CSV file's bytes.
TableLike = Union[Any, str, bytes, os.PathLike[str]]
Count = Union[int, str]
Money = Union[decimal.Decimal, str, int]

class InputError(ValueError):
    """Bad input: the message names the argument, file, row, column or key."""

def versions() -> dict[str, str]: ...
def caps(
    date: DateLike | None = None,
    facility: Literal["prison", "jail"] | None = None,
    adp: Count | None = None,
    *,
    facility_id: str | None = None,
    state: str | None = None,
    operator: Literal["state", "county", "city", "private", "federal"] | None = None,
    county_fips: str | None = None,
    contract_signed: DateLike | None = None,
    contract_ends: DateLike | None = None,
    contract_basis: Literal["contractual", "legally_mandated"] | None = None,
    rates: PathLike | None = None,
) -> dict[str, Any]: ...
def check(
    tariffs: TariffLike | Sequence[TariffLike],
    date: DateLike | None = None,
    *,
    state: str | None = None,
    operator: str | None = None,
    county_fips: str | None = None,
    rates: PathLike | None = None,
) -> dict[str, Any]: ...
def estimate(
    tariff: TariffLike,
    *,
    calls_per_month: Count | None = None,
    calls_per_week: Count | None = None,
    minutes: Count | None = None,
    jurisdiction: Literal["local", "intrastate", "interstate", "international"] = "intrastate",
    payment: Literal["debit", "prepaid", "collect"] = "prepaid",
    service: Literal["audio", "video"] = "audio",
    deposit: Money | None = None,
    deposit_method: Literal["automated_payment", "live_agent"] = "automated_payment",
    date: DateLike | None = None,
    facility_id: str | None = None,
    state: str | None = None,
    operator: str | None = None,
    county_fips: str | None = None,
    rates: PathLike | None = None,
) -> dict[str, Any]: ...

class AuditResult:
    @property
    def summary(self) -> pyarrow.Table: ...
    @property
    def by_facility_month(self) -> pyarrow.Table: ...
    @property
    def by_account(self) -> pyarrow.Table: ...
    @property
    def rejected(self) -> pyarrow.Table: ...
    def to_dict(self) -> dict[str, Any]: ...
    def merge(self, other: AuditResult) -> AuditResult: ...

def audit(
    calls: TableLike,
    facilities: TableLike,
    *,
    rates: PathLike | None = None,
    partition: int | None = None,
) -> AuditResult: ...
