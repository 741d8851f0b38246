from typing import Any

from . import AuditResult

def audit_partitions(
    parts: list[Any], facilities: Any, *, rates: str | None = None, client: Any = None
) -> AuditResult: ...
def audit(
    calls: Any,
    facilities: Any,
    *,
    rates: str | None = None,
    client: Any = None,
    blocksize: Any = "64MB",
) -> AuditResult: ...
