"""The audit `callcap audit` makes, written for the tools analysts use: DuckDB SQL, Polars and
pandas. The peers of benches/peers/README.md.

    python benches/peers/audit.py ENGINE CALLS TERMS OUT

ENGINE is duckdb, polars or pandas; CALLS a CSV of call records (as `callcap audit` reads
them, clean: every row valid); TERMS the table `callcap audit-terms --facilities F` prints;
OUT where to write the totals, as CSV in the columns of `callcap audit --format csv`
(summary, facility_month and account rows).

No rule is encoded here: the terms table says, for each facility and kind of call, from which
day to which the per-minute limit and the least minutes a call is judged on hold (callcap's
core resolves them). Each peer is a join on facility, service, jurisdiction and payment, as of
the call's date (the date as written: the first 10 characters of started_at), then
arithmetic (minutes = the seconds rounded up to minutes; legal maximum = per_minute x
max(minutes, floor_minutes); overcharge = what was billed above it) and a group-by. Money is
exact in each: DECIMAL in DuckDB and Polars, integer units of 10^-8 in pandas. No float.
"""

import sys

FIGURES = [
    "calls",
    "minutes_billed",
    "charged",
    "legal_maximum",
    "overcharge",
    "calls_over",
    "calls_uncapped",
    "calls_unknown_jurisdiction",
    "calls_assumed_exception",
]
HEAD = ["scope", "facility_id", "month", "account_id"] + FIGURES + ["rows_rejected"]
KEYS = ["facility_id", "service", "jurisdiction", "payment"]


def duckdb_audit(calls, terms, out):
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"""
        CREATE TABLE terms AS SELECT * FROM read_csv('{terms}', header = true, columns = {{
            'facility_id': 'VARCHAR', 'from': 'DATE', 'until': 'DATE', 'service': 'VARCHAR',
            'jurisdiction': 'VARCHAR', 'payment': 'VARCHAR', 'per_minute': 'DECIMAL(18,8)',
            'floor_minutes': 'INTEGER', 'assumed_exception': 'BOOLEAN', 'level': 'VARCHAR',
            'citation': 'VARCHAR'}});
        COPY (
        WITH calls AS (
            SELECT facility_id, service, jurisdiction, payment, charged, account_id,
                   CAST(substr(started_at, 1, 10) AS DATE) AS day,
                   substr(started_at, 1, 7) AS month,
                   (duration_seconds + 59) // 60 AS minutes
            FROM read_csv('{calls}', header = true, columns = {{
                'call_id': 'VARCHAR', 'facility_id': 'VARCHAR', 'started_at': 'VARCHAR',
                'duration_seconds': 'BIGINT', 'service': 'VARCHAR', 'jurisdiction': 'VARCHAR',
                'payment': 'VARCHAR', 'charged': 'DECIMAL(18,4)', 'account_id': 'VARCHAR'}})
        ),
        judged AS (
            SELECT c.*, t.per_minute IS NULL AS uncapped, t.assumed_exception,
                   t.per_minute * greatest(c.minutes, t.floor_minutes) AS legal
            FROM calls c ASOF LEFT JOIN terms t
              ON c.facility_id = t.facility_id AND c.service = t.service
             AND c.jurisdiction = t.jurisdiction AND c.payment = t.payment
             AND c.day >= t."from"
        ),
        totals AS (
            SELECT GROUPING(facility_id, month) AS g_fm, GROUPING(account_id) AS g_a,
                   facility_id, month, account_id,
                   count(*) AS calls,
                   sum(minutes) AS minutes_billed,
                   sum(charged) AS charged,
                   coalesce(sum(legal), 0) AS legal_maximum,
                   coalesce(sum(CASE WHEN charged > legal THEN charged - legal END), 0)
                       AS overcharge,
                   count_if(charged > legal) AS calls_over,
                   count_if(uncapped) AS calls_uncapped,
                   count_if(jurisdiction = 'unknown') AS calls_unknown_jurisdiction,
                   count_if(assumed_exception) AS calls_assumed_exception
            FROM judged
            GROUP BY GROUPING SETS ((), (facility_id, month), (account_id))
        )
        SELECT CASE WHEN g_fm = 3 AND g_a = 1 THEN 'summary'
                    WHEN g_fm = 0 THEN 'facility_month' ELSE 'account' END AS scope,
               CASE WHEN g_fm = 0 THEN facility_id END AS facility_id,
               CASE WHEN g_fm = 0 THEN month END AS month,
               account_id, {", ".join(FIGURES)}, NULL AS rows_rejected
        FROM totals
        WHERE NOT (g_a = 0 AND account_id IS NULL)
        ) TO '{out}' (HEADER, DELIMITER ',');
        """
    )


def polars_audit(calls, terms, out):
    import polars as pl

    t = pl.read_csv(
        terms,
        schema_overrides={
            "from": pl.Date,
            "until": pl.Date,
            "per_minute": pl.Decimal(18, 8),
            "floor_minutes": pl.Int64,
            "assumed_exception": pl.Boolean,
        },
    ).sort("from")
    c = (
        pl.scan_csv(
            calls,
            schema_overrides={
                "call_id": pl.String,
                "facility_id": pl.String,
                "started_at": pl.String,
                "duration_seconds": pl.Int64,
                "charged": pl.Decimal(18, 4),
                "account_id": pl.String,
            },
        )
        .with_columns(
            day=pl.col("started_at").str.slice(0, 10).str.to_date("%Y-%m-%d"),
            month=pl.col("started_at").str.slice(0, 7),
            minutes=(pl.col("duration_seconds") + 59) // 60,
        )
        .sort("day")
        .join_asof(t.lazy(), left_on="day", right_on="from", by=KEYS, strategy="backward",
                   check_sortedness=False)
        .with_columns(
            legal=pl.col("per_minute") * pl.max_horizontal("minutes", "floor_minutes"),
        )
        .with_columns(over=pl.col("charged") - pl.col("legal"))
    )
    figures = [
        pl.len().alias("calls"),
        pl.col("minutes").sum().alias("minutes_billed"),
        pl.col("charged").sum().alias("charged"),
        pl.col("legal").sum().fill_null(0).alias("legal_maximum"),
        pl.col("over").filter(pl.col("over") > 0).sum().fill_null(0).alias("overcharge"),
        (pl.col("over") > 0).sum().alias("calls_over"),
        pl.col("per_minute").is_null().sum().alias("calls_uncapped"),
        (pl.col("jurisdiction") == "unknown").sum().alias("calls_unknown_jurisdiction"),
        pl.col("assumed_exception").fill_null(False).sum().alias("calls_assumed_exception"),
    ]
    judged = c.collect()
    summary = judged.select(figures).with_columns(
        scope=pl.lit("summary"), facility_id=pl.lit(None), month=pl.lit(None),
        account_id=pl.lit(None),
    )
    months = judged.group_by("facility_id", "month").agg(figures).with_columns(
        scope=pl.lit("facility_month"), account_id=pl.lit(None)
    )
    accounts = (
        judged.filter(pl.col("account_id").is_not_null())
        .group_by("account_id")
        .agg(figures)
        .with_columns(scope=pl.lit("account"), facility_id=pl.lit(None), month=pl.lit(None))
    )
    cols = [pl.col(h).cast(pl.String) if h != "rows_rejected" else pl.lit(None).alias(h)
            for h in HEAD]
    pl.concat([f.select(cols) for f in (summary, months, accounts)]).write_csv(out)


def pandas_audit(calls, terms, out):
    import numpy as np
    import pandas as pd

    def units(text, scale):
        """Decimal text to integer units of 10^-scale (exact)."""
        parts = text.str.split(".", n=1, expand=True)
        if parts.shape[1] == 1:
            parts[1] = None
        whole = parts[0].astype("int64")
        frac = parts[1].fillna("").str.ljust(scale, "0").replace("", "0").astype("int64")
        return whole * 10**scale + frac

    t = pd.read_csv(terms, dtype={"per_minute": "string", "facility_id": "string"},
                    parse_dates=["from"]).sort_values("from")
    t["capped"] = t["per_minute"].notna()
    t["per_minute_u"] = units(t["per_minute"].fillna("0"), 8)
    c = pd.read_csv(
        calls,
        dtype={"call_id": "string", "facility_id": "string", "started_at": "string",
               "duration_seconds": "int64", "charged": "string", "account_id": "string"},
    )
    c["day"] = pd.to_datetime(c["started_at"].str.slice(0, 10), format="%Y-%m-%d")
    c["month"] = c["started_at"].str.slice(0, 7)
    c["minutes"] = (c["duration_seconds"] + 59) // 60
    c["charged_u"] = units(c["charged"], 8)
    j = pd.merge_asof(c.sort_values("day"), t, left_on="day", right_on="from", by=KEYS)
    capped = j["capped"].fillna(False).astype(bool)
    legal = j["per_minute_u"].fillna(0).astype("int64") * np.maximum(
        j["minutes"], j["floor_minutes"].fillna(0).astype("int64"))
    j["legal_u"] = legal.where(capped, 0)
    over = (j["charged_u"] - j["legal_u"]).where(capped, 0)
    j["over_u"] = over.clip(lower=0)
    j["is_over"] = over > 0
    j["uncapped"] = ~capped
    j["unknown"] = j["jurisdiction"] == "unknown"
    j["assumed"] = j["assumed_exception"].fillna(False).astype(bool) & capped
    agg = dict(
        calls=("minutes", "size"), minutes_billed=("minutes", "sum"),
        charged=("charged_u", "sum"), legal_maximum=("legal_u", "sum"),
        overcharge=("over_u", "sum"), calls_over=("is_over", "sum"),
        calls_uncapped=("uncapped", "sum"), calls_unknown_jurisdiction=("unknown", "sum"),
        calls_assumed_exception=("assumed", "sum"),
    )
    j["all"] = "summary"
    summary = j.groupby("all").agg(**agg).reset_index(drop=True)
    summary["scope"] = "summary"
    months = j.groupby(["facility_id", "month"]).agg(**agg).reset_index()
    months["scope"] = "facility_month"
    accounts = j.dropna(subset=["account_id"]).groupby("account_id").agg(**agg).reset_index()
    accounts["scope"] = "account"
    frame = pd.concat([summary, months, accounts], ignore_index=True)
    for money in ("charged", "legal_maximum", "overcharge"):
        v = frame[money].astype("int64")
        frame[money] = (v // 10**8).astype(str) + "." + (v % 10**8).astype(str).str.zfill(8)
    frame["rows_rejected"] = None
    frame.reindex(columns=HEAD).to_csv(out, index=False)


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("duckdb", "polars", "pandas"):
        sys.exit("usage: audit.py duckdb|polars|pandas CALLS TERMS OUT")
    engine, calls, terms, out = sys.argv[1:]
    {"duckdb": duckdb_audit, "polars": polars_audit, "pandas": pandas_audit}[engine](
        calls, terms, out
    )


if __name__ == "__main__":
    main()
