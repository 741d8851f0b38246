//! callcap's Python binding (`callcap._callcap`): converts Python and Arrow data in, calls the
//! core, and converts its results out. No rule lives here: every price, cap and judgment comes
//! from the `callcap` crate.
//!
//! - `caps`, `check`, `estimate`: the core's reports as the CLI's JSON has them, as Python
//!   dicts and lists, money as `decimal.Decimal` ([`DECIMAL_KEYS`]).
//! - `audit`: call records from any Arrow stream or array (the Arrow PyCapsule interface:
//!   pyarrow, Polars, pandas) or a CSV file, streamed batch by batch through the core's
//!   [`AuditRun`]; its tables are pyarrow tables with decimal128 money.

use arrow_array::builder::{Decimal128Builder, StringBuilder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use callcap::audit::{
    call_columns, call_from_fields, column_name, facility_from_row, Account, AuditFacility,
    AuditRun, Auditor, CallRecord, FacilityMonth, FacilityRowError, Report, Summary, Totals,
    TOTALS_FIGURES,
};
use callcap::facility::{Operator, PlaceOverride};
use callcap::report::{CapsReport, FileResult};
use callcap::{CallKind, ErrorKind, Facility, FacilityKind, RateBook, Tariff};
use chrono::NaiveDate;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString};
use pyo3::IntoPyObjectExt;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;
use std::sync::{Arc, OnceLock};

pyo3::create_exception!(
    callcap,
    InputError,
    PyValueError,
    "Bad input: the message names the argument, file, row, column or key, and what would be valid."
);

fn input_error(message: impl Into<String>) -> PyErr {
    InputError::new_err(message.into())
}

/// A core error as an [`InputError`], an argument named as the Python parameter.
fn core_error(e: callcap::Error) -> PyErr {
    let e = match (e.kind(), e.key()) {
        (ErrorKind::Usage, Some("minutes_per_call")) => e.with_key("minutes"),
        _ => e,
    };
    input_error(e.to_string())
}

/// The keys whose text values are exact decimals (money, rates, shares, quantities): given to
/// Python as `decimal.Decimal`. Every other string stays a string (ids, FIPS codes, dates).
/// A test (`python/tests/test_reports.py`) fails if any decimal text is left as a string.
const DECIMAL_KEYS: &[&str] = &[
    "actual",
    "additive",
    "amount",
    "annual_agency_cost",
    "annual_call_charges",
    "annual_commission",
    "annual_family_cost",
    "annual_fees",
    "annual_minutes",
    "annual_taxes",
    "at_cap_per_minute",
    "at_cap_total",
    "automated_payment",
    "call_charges",
    "cap",
    "charge",
    "charged",
    "commission_share",
    "deposit_amount",
    "effective_per_minute",
    "fees",
    "first_minute",
    "guarantee_top_up",
    "in_kind_per_year",
    "legal_max_per_minute",
    "legal_maximum",
    "legally_mandated_max_total",
    "limit",
    "limit_automated_payment",
    "limit_live_agent",
    "limit_per_minute",
    "live_agent",
    "max",
    "minimum_annual_guarantee",
    "minutes_billed",
    "minutes_per_person_per_month",
    "overcharge",
    "per_call",
    "per_call_charge",
    "per_minute",
    "per_person_per_month",
    "per_use",
    "percent",
    "percent_fee_reference_deposit",
    "percent_of_revenue",
    "share",
    "signing_bonus",
    "signing_bonus_per_year",
    "taxes",
    "total",
];

/// A JSON value as Python data: objects as dicts (in the CLI's key order), decimal text under a
/// [`DECIMAL_KEYS`] key as `decimal.Decimal`; never a float.
fn to_py<'py>(
    py: Python<'py>,
    value: &serde_json::Value,
    key: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_bound_py_any(py)?,
            (_, Some(i)) => i.into_bound_py_any(py)?,
            _ => decimal_text(py, &n.to_string())?,
        },
        Value::String(s) => match key {
            Some(k) if DECIMAL_KEYS.contains(&k) && s.parse::<Decimal>().is_ok() => {
                decimal_text(py, s)?
            }
            _ => s.into_bound_py_any(py)?,
        },
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item, key)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v, Some(k))?)?;
            }
            dict.into_any()
        }
    })
}

/// `decimal.Decimal(text)`: exact, the scale as written ("0.10" stays "0.10").
fn decimal_text<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static DECIMAL: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    let class = DECIMAL.get_or_try_init(py, || {
        py.import("decimal")?.getattr("Decimal").map(Bound::unbind)
    })?;
    class.bind(py).call1((text,))
}

fn report<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(value)
        .map_err(|e| PyValueError::new_err(format!("cannot convert the report: {e}")))?;
    to_py(py, &value, None)
}

/// The bundled rate book, read once; or the one in `rates`.
enum Book {
    Bundled(&'static RateBook),
    Own(Box<RateBook>),
}

impl std::ops::Deref for Book {
    type Target = RateBook;
    fn deref(&self) -> &RateBook {
        match self {
            Book::Bundled(b) => b,
            Book::Own(b) => b,
        }
    }
}

fn book(rates: Option<std::path::PathBuf>) -> PyResult<Book> {
    static BUNDLED: OnceLock<RateBook> = OnceLock::new();
    match rates {
        Some(dir) => Ok(Book::Own(Box::new(
            RateBook::load_dir(&dir).map_err(core_error)?,
        ))),
        None => {
            if let Some(b) = BUNDLED.get() {
                return Ok(Book::Bundled(b));
            }
            let b = RateBook::bundled().map_err(core_error)?;
            Ok(Book::Bundled(BUNDLED.get_or_init(|| b)))
        }
    }
}

/// A date argument: `None` (today), `"YYYY-MM-DD"`, or a `datetime.date`.
fn date_arg(py: Python<'_>, date: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<NaiveDate> {
    let text: String = match date {
        None => py
            .import("datetime")?
            .getattr("date")?
            .call_method0("today")?
            .call_method0("isoformat")?
            .extract()?,
        Some(d) if d.is_instance_of::<PyString>() => d.extract()?,
        Some(d) if d.hasattr("isoformat")? && d.hasattr("year")? => {
            let t: String = d.call_method0("isoformat")?.extract()?;
            t.chars().take(10).collect()
        }
        Some(d) => {
            return Err(input_error(format!(
                "{name}: give a date as \"YYYY-MM-DD\" or a datetime.date, not {}",
                d.get_type().name()?
            )))
        }
    };
    callcap::dated::parse_date(&text).map_err(|m| input_error(format!("{name}: {m}")))
}

/// Text of a scalar argument (a str, or an int for counts); a float is refused where
/// `exact` (money).
fn text_arg(value: &Bound<'_, PyAny>, name: &str, exact: bool) -> PyResult<String> {
    if exact && value.is_instance_of::<PyFloat>() {
        return Err(input_error(format!(
            "{name}: {} is a float, which cannot hold money exactly; give it as a str (\"25.00\") or a decimal.Decimal",
            value.repr()?
        )));
    }
    if value.is_instance_of::<pyo3::types::PyBool>() {
        return Err(input_error(format!("{name}: give a number, not a bool")));
    }
    Ok(value.str()?.to_string())
}

fn place(
    state: Option<String>,
    operator: Option<String>,
    county_fips: Option<String>,
) -> PyResult<PlaceOverride> {
    if let Some(s) = &state {
        callcap::facility::validate_state(s).map_err(|m| input_error(format!("state: {m}")))?;
    }
    if let Some(c) = &county_fips {
        callcap::facility::validate_county_fips(c)
            .map_err(|m| input_error(format!("county_fips: {m}")))?;
    }
    let operator = operator
        .map(|o| Operator::parse(&o))
        .transpose()
        .map_err(|m| input_error(format!("operator: {m}")))?;
    Ok(PlaceOverride {
        state,
        operator,
        county_fips,
    })
}

/// A tariff argument: a path (`os.PathLike`, or a str without a line break), or its TOML text
/// (a str with a line break, or bytes). Returns its label and bytes.
fn tariff_source(value: &Bound<'_, PyAny>, name: &str) -> PyResult<(String, Vec<u8>)> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok((format!("<{name}>"), bytes.as_bytes().to_vec()));
    }
    let path: std::path::PathBuf = if value.is_instance_of::<PyString>() {
        let text: String = value.extract()?;
        if text.contains('\n') {
            return Ok((format!("<{name}>"), text.into_bytes()));
        }
        text.into()
    } else if value.hasattr("__fspath__")? {
        value.extract()?
    } else {
        return Err(input_error(format!(
            "{name}: give a path or TOML text, not {}",
            value.get_type().name()?
        )));
    };
    let label = path.display().to_string();
    let bytes =
        std::fs::read(&path).map_err(|e| input_error(format!("{label}: cannot read: {e}")))?;
    if bytes.len() > callcap::error::MAX_FILE_BYTES {
        return Err(input_error(format!(
            "{label}: the file is {} bytes; at most {} bytes are accepted",
            bytes.len(),
            callcap::error::MAX_FILE_BYTES
        )));
    }
    Ok((label, bytes))
}

/// The rules in force for a date and facility, as `callcap caps --format json`.
#[pyfunction]
#[pyo3(signature = (date=None, facility=None, adp=None, *, facility_id=None, state=None,
    operator=None, county_fips=None, contract_signed=None, contract_ends=None,
    contract_basis=None, rates=None))]
#[allow(clippy::too_many_arguments)] // one keyword per CLI option
fn caps<'py>(
    py: Python<'py>,
    date: Option<&Bound<'py, PyAny>>,
    facility: Option<String>,
    adp: Option<&Bound<'py, PyAny>>,
    facility_id: Option<String>,
    state: Option<String>,
    operator: Option<String>,
    county_fips: Option<String>,
    contract_signed: Option<&Bound<'py, PyAny>>,
    contract_ends: Option<&Bound<'py, PyAny>>,
    contract_basis: Option<String>,
    rates: Option<std::path::PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let place = place(state, operator, county_fips)?;
    let book = book(rates)?;
    let date = date_arg(py, date, "date")?;
    let kind = facility
        .map(|k| FacilityKind::parse(&k))
        .transpose()
        .map_err(|m| input_error(format!("facility: {m}")))?;
    let adp = adp
        .map(|a| text_arg(a, "adp", false))
        .transpose()?
        .map(|a| callcap::facility::parse_adp(&a))
        .transpose()
        .map_err(|m| input_error(format!("adp: {m}")))?;
    // A date given, or none (not today's: `date_arg`'s default is for the day of the rules).
    let given = |d: Option<&Bound<'_, PyAny>>, name: &str| {
        d.map(|d| date_arg(py, Some(d), name)).transpose()
    };
    let signed = given(contract_signed, "contract_signed")?;
    let ends = given(contract_ends, "contract_ends")?;
    let basis = contract_basis
        .map(|b| callcap::tariff::ContractBasis::parse(&b))
        .transpose()
        .map_err(|m| input_error(format!("contract_basis: {m}")))?;
    let contract = callcap::tariff::Contract::from_parts(signed, ends, basis)
        .map_err(|(field, m)| input_error(format!("{field}: {m}")))?;
    if let Some(id) = facility_id {
        let directory = callcap::directory::Directory::bundled().map_err(core_error)?;
        let given = callcap::directory::Given::at(kind, adp, &place);
        let f = directory.fill(&id, given).map_err(|e| match e {
            callcap::directory::FillError::UnknownId(m) => input_error(format!("facility_id: {m}")),
            callcap::directory::FillError::NoKind(m) => input_error(format!(
                "facility: {m}: give facility=\"prison\" or facility=\"jail\""
            )),
        })?;
        return report(py, &directory.caps(&book, date, &f, contract.as_ref()));
    }
    let (Some(kind), Some(adp)) = (kind, adp) else {
        return Err(input_error(
            "facility: give facility and adp, or facility_id",
        ));
    };
    let mut f = Facility::new(kind, adp);
    place.apply(&mut f);
    report(
        py,
        &CapsReport::new(&book.rules_for(date, &f, contract.as_ref())),
    )
}

/// Tariffs checked against the rules in force on a date, as `callcap check --format json`.
#[pyfunction]
#[pyo3(signature = (tariffs, date=None, *, state=None, operator=None, county_fips=None, rates=None))]
fn check<'py>(
    py: Python<'py>,
    tariffs: &Bound<'py, PyAny>,
    date: Option<&Bound<'py, PyAny>>,
    state: Option<String>,
    operator: Option<String>,
    county_fips: Option<String>,
    rates: Option<std::path::PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let place = place(state, operator, county_fips)?;
    let book = book(rates)?;
    let date = date_arg(py, date, "date")?;
    let sources =
        if tariffs.is_instance_of::<PyList>() || tariffs.is_instance_of::<pyo3::types::PyTuple>() {
            tariffs
                .try_iter()?
                .map(|t| tariff_source(&t?, "tariff"))
                .collect::<PyResult<Vec<_>>>()?
        } else {
            vec![tariff_source(tariffs, "tariff")?]
        };
    let mut checker = callcap::check::Checker::new(&book);
    let mut results = Vec::new();
    for (label, bytes) in sources {
        let mut t = Tariff::from_bytes(&label, &bytes).map_err(core_error)?;
        place.apply(&mut t.facility);
        results.push(FileResult::Checked(checker.check(&t, date)));
    }
    #[derive(serde::Serialize)]
    struct CheckJson<'a> {
        version: callcap::Versions,
        date: String,
        results: &'a [FileResult],
    }
    report(
        py,
        &CheckJson {
            version: book.versions(),
            date: date.to_string(),
            results: &results,
        },
    )
}

/// A family's month under a tariff, as `callcap estimate --format json`.
#[pyfunction]
#[pyo3(signature = (tariff, *, calls_per_month=None, calls_per_week=None, minutes=None,
    jurisdiction="intrastate", payment="prepaid", service="audio", deposit=None,
    deposit_method="automated_payment", date=None, facility_id=None, state=None, operator=None,
    county_fips=None, rates=None))]
#[allow(clippy::too_many_arguments)] // one keyword per CLI option
fn estimate<'py>(
    py: Python<'py>,
    tariff: &Bound<'py, PyAny>,
    calls_per_month: Option<&Bound<'py, PyAny>>,
    calls_per_week: Option<&Bound<'py, PyAny>>,
    minutes: Option<&Bound<'py, PyAny>>,
    jurisdiction: &str,
    payment: &str,
    service: &str,
    deposit: Option<&Bound<'py, PyAny>>,
    deposit_method: &str,
    date: Option<&Bound<'py, PyAny>>,
    facility_id: Option<String>,
    state: Option<String>,
    operator: Option<String>,
    county_fips: Option<String>,
    rates: Option<std::path::PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let place = place(state, operator, county_fips)?;
    let book = book(rates)?;
    let date = date_arg(py, date, "date")?;
    let count = |v: Option<&Bound<'py, PyAny>>, name: &str, what: &str| -> PyResult<Option<u32>> {
        v.map(|v| {
            let t = text_arg(v, name, false)?;
            callcap::money::parse_count(&t, what).map_err(|m| input_error(format!("{name}: {m}")))
        })
        .transpose()
    };
    let calls_per_month = count(calls_per_month, "calls_per_month", "calls a month")?;
    let calls_per_week = count(calls_per_week, "calls_per_week", "calls a week")?;
    let minutes = count(minutes, "minutes", "minutes")?.unwrap_or(15);
    fn word<T>(r: Result<T, String>, name: &str) -> PyResult<T> {
        r.map_err(|m| input_error(format!("{name}: {m}")))
    }
    let call = CallKind {
        service: word(callcap::Service::parse(service), "service")?,
        jurisdiction: word(callcap::Jurisdiction::parse(jurisdiction), "jurisdiction")?,
        payment: word(callcap::Payment::parse(payment), "payment")?,
    };
    let deposit_method = word(callcap::FeeKind::parse(deposit_method), "deposit_method")?;
    let deposit = deposit
        .map(|d| {
            let t = text_arg(d, "deposit", true)?;
            callcap::money::parse_amount(&t).map_err(|m| input_error(format!("deposit: {m}")))
        })
        .transpose()?;
    let (label, bytes) = tariff_source(tariff, "tariff")?;
    let mut tariff =
        Tariff::from_bytes_with_id(&label, &bytes, facility_id.as_deref()).map_err(core_error)?;
    place.apply(&mut tariff.facility);
    let plan = callcap::estimate::FamilyPlan::from_inputs(
        call,
        calls_per_month,
        calls_per_week,
        minutes,
        deposit,
        deposit_method,
    )
    .map_err(core_error)?;
    let e = callcap::estimate::estimate(&book, &tariff, &plan, date).map_err(core_error)?;
    if tariff.facility.id.is_some() {
        let directory = callcap::directory::Directory::bundled().map_err(core_error)?;
        let e = directory
            .estimate(&book, &tariff, &plan, date, e)
            .map_err(|e| core_error(e.in_file(&tariff.file)))?;
        return report(py, &e);
    }
    report(py, &e)
}

// ---- audit ----------------------------------------------------------------------------------

/// At most this many rejected rows are described (all are counted in `rows_rejected`).
const DESCRIBED_REJECTS: usize = 100_000;

/// A row that could not be audited.
#[derive(Clone, Debug)]
struct Rejected {
    /// The part of a data set it came from (a Dask partition), when audited by parts.
    partition: Option<u64>,
    /// Arrow input: its index from 0; a CSV file: its row as the CLI numbers it (the header is
    /// row 1).
    row: u64,
    /// The column at fault (none: the line could not be read as CSV).
    column: Option<String>,
    message: String,
}

/// An audit's findings: the core's report and the rejected rows.
#[pyclass(name = "Audit", frozen)]
struct Audit {
    report: Report,
    rejected: Vec<Rejected>,
}

/// An audit in progress: the core's run, and the rows rejected.
struct Run<'b> {
    run: AuditRun<'b>,
    rejected: Vec<Rejected>,
    partition: Option<u64>,
}

impl Run<'_> {
    fn row(&mut self, row: u64, call: Result<CallRecord, (&'static str, String)>) {
        if let Err((column, message)) = self.run.row(call) {
            self.describe(row, Some(column), message);
        }
    }

    fn describe(&mut self, row: u64, column: Option<&str>, message: String) {
        if self.rejected.len() < DESCRIBED_REJECTS {
            self.rejected.push(Rejected {
                partition: self.partition,
                row,
                column: column.map(str::to_string),
                message,
            });
        }
    }
}

/// Where each call column is among `names` (the core's [`call_columns`]); the error says in
/// which table.
fn columns_of(names: &[String], label: &str) -> PyResult<[Option<usize>; 9]> {
    call_columns(names).map_err(|m| input_error(format!("{label}: {m}")))
}

/// A column as text, as a CSV file would give it: strings as they are, integers and decimals
/// written out (decimal128 keeps its scale), dates as YYYY-MM-DD, a time stamp with a time zone
/// as RFC 3339 in its zone and one without as its date. A float is refused for `charged`
/// (money must be exact); a whole float elsewhere (pandas' integers with missing values) is its
/// integer.
fn text_column(array: &ArrayRef, name: &str, label: &str) -> PyResult<StringArray> {
    use arrow_cast::cast;
    let fail = |e: arrow_schema::ArrowError| {
        input_error(format!(
            "{label}: column {name} ({}) cannot be read as text: {e}",
            array.data_type()
        ))
    };
    let utf8 = |a: &ArrayRef| -> PyResult<StringArray> {
        Ok(cast(a, &DataType::Utf8)
            .map_err(fail)?
            .as_string::<i32>()
            .clone())
    };
    match array.data_type() {
        DataType::Utf8 => Ok(array.as_string::<i32>().clone()),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            if name == "charged" {
                return Err(input_error(format!(
                    "{label}: column charged is {}, which cannot hold money exactly; give it as text or decimal128 (pandas: dtype={{\"charged\": str}}; Polars: pl.Decimal or pl.String)",
                    array.data_type()
                )));
            }
            let f = cast(array, &DataType::Float64).map_err(fail)?;
            let f = f.as_primitive::<arrow_array::types::Float64Type>();
            Ok(f.iter()
                .map(|v| {
                    v.map(|v| {
                        if v.fract() == 0.0 && v.abs() < 1e15 {
                            format!("{}", v as i64)
                        } else {
                            format!("{v}")
                        }
                    })
                })
                .collect())
        }
        DataType::Date64 => utf8(&cast(array, &DataType::Date32).map_err(fail)?),
        DataType::Timestamp(_, None) => utf8(&cast(array, &DataType::Date32).map_err(fail)?),
        DataType::Timestamp(_, Some(_)) => {
            // In its zone, with its offset: the date as written decides the rules.
            let options = arrow_cast::display::FormatOptions::new()
                .with_timestamp_tz_format(Some("%Y-%m-%dT%H:%M:%S%:z"));
            let formatter = arrow_cast::display::ArrayFormatter::try_new(array.as_ref(), &options)
                .map_err(fail)?;
            Ok((0..array.len())
                .map(|i| array.is_valid(i).then(|| formatter.value(i).to_string()))
                .collect())
        }
        DataType::Null => Ok(StringArray::new_null(array.len())),
        _ => utf8(array),
    }
}

/// Whether `value` is Arrow data (the Arrow PyCapsule interface).
fn is_arrow(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(value.hasattr("__arrow_c_stream__")? || value.hasattr("__arrow_c_array__")?)
}

/// A CSV source: a path (str or os.PathLike) or the file's bytes.
enum Csv {
    Path(std::path::PathBuf),
    Bytes(Vec<u8>),
}

fn csv_source(value: &Bound<'_, PyAny>, name: &str) -> PyResult<(String, Csv)> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok((format!("<{name}>"), Csv::Bytes(bytes.as_bytes().to_vec())));
    }
    if value.is_instance_of::<PyString>() || value.hasattr("__fspath__")? {
        let path: std::path::PathBuf = value.extract()?;
        return Ok((path.display().to_string(), Csv::Path(path)));
    }
    Err(input_error(format!(
        "{name}: give Arrow data (a pyarrow Table or RecordBatchReader, a Polars or pandas DataFrame: anything with __arrow_c_stream__), a path to a CSV file, or its bytes; not {}",
        value.get_type().name()?
    )))
}

fn csv_reader(label: &str, source: Csv) -> PyResult<csv::Reader<Box<dyn std::io::Read + Send>>> {
    let read: Box<dyn std::io::Read + Send> = match source {
        Csv::Path(p) => Box::new(
            std::fs::File::open(&p)
                .map_err(|e| input_error(format!("{label}: cannot read: {e}")))?,
        ),
        Csv::Bytes(b) => Box::new(std::io::Cursor::new(b)),
    };
    Ok(csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(read))
}

fn csv_headers(
    reader: &mut csv::Reader<Box<dyn std::io::Read + Send>>,
    label: &str,
) -> PyResult<Vec<String>> {
    Ok(reader
        .headers()
        .map_err(|e| input_error(format!("{label}: cannot read its header: {e}")))?
        .iter()
        .map(column_name)
        .collect())
}

fn facility_error(label: &str, row: u64, e: FacilityRowError) -> PyErr {
    match e {
        FacilityRowError::Directory { id, message } => {
            input_error(format!("{label}: row {row}, facility {id}: {message}"))
        }
        FacilityRowError::Field { column, message } => {
            input_error(format!("{label}: row {row}, column {column}: {message}"))
        }
    }
}

/// The facilities table, from Arrow data or a CSV file (small: read whole).
fn read_facilities(value: &Bound<'_, PyAny>) -> PyResult<Vec<AuditFacility>> {
    let mut out = Vec::new();
    if is_arrow(value)? {
        let label = "facilities";
        let reader = value.extract::<AnyRecordBatch>()?.into_reader()?;
        let names: Vec<String> = reader
            .schema()
            .fields()
            .iter()
            .map(|f| column_name(f.name()))
            .collect();
        if !names.iter().any(|n| n == "facility_id") {
            return Err(input_error(format!("{label}: no `facility_id` column")));
        }
        let mut row = 0u64;
        for batch in reader {
            let batch = batch.map_err(|e| input_error(format!("{label}: {e}")))?;
            let columns = batch
                .columns()
                .iter()
                .zip(&names)
                .map(|(c, n)| text_column(c, n, label))
                .collect::<PyResult<Vec<_>>>()?;
            for i in 0..batch.num_rows() {
                let get = |c: &str| {
                    let k = names.iter().position(|n| n == c)?;
                    let col = &columns[k];
                    col.is_valid(i).then(|| col.value(i))
                };
                out.push(facility_from_row(get).map_err(|e| facility_error(label, row, e))?);
                row += 1;
            }
        }
    } else {
        let (label, source) = csv_source(value, "facilities")?;
        let mut reader = csv_reader(&label, source)?;
        let names = csv_headers(&mut reader, &label)?;
        if !names.iter().any(|n| n == "facility_id") {
            return Err(input_error(format!("{label}: no `facility_id` column")));
        }
        for (i, record) in reader.records().enumerate() {
            let row = i as u64 + 2;
            let record = record.map_err(|e| input_error(format!("{label}: row {row}: {e}")))?;
            let get = |c: &str| {
                names
                    .iter()
                    .position(|n| n == c)
                    .and_then(|k| record.get(k))
            };
            out.push(facility_from_row(get).map_err(|e| facility_error(&label, row, e))?);
        }
    }
    Ok(out)
}

/// Audits call records (Arrow data, a CSV path, or CSV bytes) against a facilities table.
#[pyfunction]
#[pyo3(signature = (calls, facilities, *, rates=None, partition=None))]
fn audit(
    py: Python<'_>,
    calls: &Bound<'_, PyAny>,
    facilities: &Bound<'_, PyAny>,
    rates: Option<std::path::PathBuf>,
    partition: Option<u64>,
) -> PyResult<Audit> {
    let book = book(rates)?;
    let facilities = read_facilities(facilities)?;
    let auditor =
        Auditor::new(&book, facilities).map_err(|m| input_error(format!("facilities: {m}")))?;
    let mut run = Run {
        run: AuditRun::new(auditor),
        rejected: Vec::new(),
        partition,
    };
    if is_arrow(calls)? {
        let label = "calls";
        let reader = calls.extract::<AnyRecordBatch>()?.into_reader()?;
        let names: Vec<String> = reader
            .schema()
            .fields()
            .iter()
            .map(|f| column_name(f.name()))
            .collect();
        let columns = columns_of(&names, label)?;
        // Without the GIL: other Python threads (a Dask worker's) run meanwhile.
        py.detach(|| -> PyResult<()> {
            let mut row = 0u64;
            for batch in reader {
                let batch = batch.map_err(|e| input_error(format!("{label}: {e}")))?;
                let text = columns
                    .iter()
                    .map(|c| {
                        c.map(|k| text_column(batch.column(k), &names[k], label))
                            .transpose()
                    })
                    .collect::<PyResult<Vec<Option<StringArray>>>>()?;
                for i in 0..batch.num_rows() {
                    let mut fields = [None; 9];
                    for (f, c) in fields.iter_mut().zip(&text) {
                        *f = c.as_ref().and_then(|c| c.is_valid(i).then(|| c.value(i)));
                    }
                    run.row(row, call_from_fields(fields));
                    row += 1;
                }
            }
            Ok(())
        })?;
    } else {
        let (label, source) = csv_source(calls, "calls")?;
        let mut reader = csv_reader(&label, source)?;
        let names = csv_headers(&mut reader, &label)?;
        let columns = columns_of(&names, &label)?;
        py.detach(|| {
            let mut record = csv::StringRecord::new();
            let mut row = 1u64;
            loop {
                let read = reader.read_record(&mut record);
                row += 1;
                match read {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(e) => {
                        run.run.reject();
                        run.describe(row, None, e.to_string());
                        continue;
                    }
                }
                let fields = columns.map(|c| c.and_then(|i| record.get(i)));
                run.row(row, call_from_fields(fields));
            }
        });
    }
    Ok(Audit {
        report: run.run.report(),
        rejected: run.rejected,
    })
}

/// A money column: decimal128 at the scale of its most precise value (at least cents), each
/// value as the CLI prints it.
fn money_column(values: &[Decimal]) -> PyResult<ArrayRef> {
    let shown: Vec<Decimal> = values
        .iter()
        .map(|v| {
            callcap::money::display(*v)
                .parse::<Decimal>()
                .map_err(|e| PyValueError::new_err(e.to_string()))
        })
        .collect::<PyResult<_>>()?;
    let scale = shown.iter().map(|d| d.scale()).max().unwrap_or(2).max(2);
    let mut b = Decimal128Builder::with_capacity(shown.len());
    for mut d in shown {
        d.rescale(scale);
        b.append_value(d.mantissa());
    }
    let array = b
        .finish()
        .with_precision_and_scale(38, scale as i8)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(Arc::new(array))
}

fn count_column(values: impl Iterator<Item = u64>) -> ArrayRef {
    let mut b = UInt64Builder::new();
    values.for_each(|v| b.append_value(v));
    Arc::new(b.finish())
}

fn text_array<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    let mut b = StringBuilder::new();
    values.for_each(|v| b.append_option(v));
    Arc::new(b.finish())
}

/// A pyarrow table of key columns then the figures of `totals`.
fn totals_table<'py>(
    py: Python<'py>,
    keys: Vec<(&str, ArrayRef)>,
    totals: &[&Totals],
    extra: Vec<(&str, ArrayRef)>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut columns: Vec<(&str, ArrayRef)> = keys;
    for name in TOTALS_FIGURES {
        let array = match name {
            "charged" => money_column(&totals.iter().map(|t| t.charged).collect::<Vec<_>>())?,
            "legal_maximum" => {
                money_column(&totals.iter().map(|t| t.legal_maximum).collect::<Vec<_>>())?
            }
            "overcharge" => money_column(&totals.iter().map(|t| t.overcharge).collect::<Vec<_>>())?,
            _ => count_column(totals.iter().map(|t| match name {
                "calls" => t.calls,
                "minutes_billed" => t.minutes_billed,
                "calls_over" => t.calls_over,
                "calls_uncapped" => t.calls_uncapped,
                "calls_unknown_jurisdiction" => t.calls_unknown_jurisdiction,
                _ => t.calls_assumed_exception,
            })),
        };
        columns.push((name, array));
    }
    columns.extend(extra);
    table(py, columns)
}

fn table<'py>(py: Python<'py>, columns: Vec<(&str, ArrayRef)>) -> PyResult<Bound<'py, PyAny>> {
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|(n, a)| {
                Field::new(
                    *n,
                    a.data_type().clone(),
                    a.null_count() > 0 || *n == "column",
                )
            })
            .collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))?;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

#[pymethods]
impl Audit {
    /// One row: the figures over every call audited, and `rows_rejected`.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = &self.report.summary;
        totals_table(
            py,
            Vec::new(),
            &[&s.totals],
            vec![(
                "rows_rejected",
                count_column(std::iter::once(s.rows_rejected)),
            )],
        )
    }

    /// One row per facility and month (`YYYY-MM`), in order.
    #[getter]
    fn by_facility_month<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rows = &self.report.by_facility_month;
        totals_table(
            py,
            vec![
                (
                    "facility_id",
                    text_array(rows.iter().map(|m| Some(m.facility_id.as_str()))),
                ),
                (
                    "month",
                    text_array(rows.iter().map(|m| Some(m.month.as_str()))),
                ),
            ],
            &rows.iter().map(|m| &m.totals).collect::<Vec<_>>(),
            Vec::new(),
        )
    }

    /// One row per account, in order (none when no call names one).
    #[getter]
    fn by_account<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let rows = &self.report.by_account;
        totals_table(
            py,
            vec![(
                "account_id",
                text_array(rows.iter().map(|a| Some(a.account_id.as_str()))),
            )],
            &rows.iter().map(|a| &a.totals).collect::<Vec<_>>(),
            Vec::new(),
        )
    }

    /// The rows that could not be audited: `row`, `column`, `message` (and `partition` when
    /// audited by parts).
    #[getter]
    fn rejected<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = &self.rejected;
        let mut columns = Vec::new();
        if r.iter().any(|r| r.partition.is_some()) {
            let mut b = UInt64Builder::new();
            r.iter().for_each(|r| b.append_option(r.partition));
            columns.push(("partition", Arc::new(b.finish()) as ArrayRef));
        }
        columns.push(("row", count_column(r.iter().map(|r| r.row))));
        columns.push(("column", text_array(r.iter().map(|r| r.column.as_deref()))));
        columns.push((
            "message",
            text_array(r.iter().map(|r| Some(r.message.as_str()))),
        ));
        table(py, columns)
    }

    /// The report as the CLI's JSON (`callcap audit --format json`), money as Decimal.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        report(py, &self.report)
    }

    /// This audit and another of other calls, as one audit of them all (the core's
    /// `Report::merge`: exact).
    fn merge(&self, other: &Audit) -> Audit {
        let mut rejected = self.rejected.clone();
        rejected.extend(other.rejected.iter().cloned());
        rejected.truncate(DESCRIBED_REJECTS);
        Audit {
            report: self.report.clone().merge(other.report.clone()),
            rejected,
        }
    }

    /// The audit as bytes (for pickling: Dask sends partial audits between processes).
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let rejected: Vec<serde_json::Value> = self
            .rejected
            .iter()
            .map(|r| serde_json::json!([r.partition, r.row, r.column, r.message]))
            .collect();
        let value = serde_json::json!({"report": &self.report, "rejected": rejected});
        Ok(PyBytes::new(py, value.to_string().as_bytes()))
    }

    /// An audit from [`Audit::state`]'s bytes.
    #[staticmethod]
    fn from_state(state: &[u8]) -> PyResult<Audit> {
        let bad = || PyValueError::new_err("not the state of a callcap audit");
        let v: serde_json::Value = serde_json::from_slice(state).map_err(|_| bad())?;
        let report = report_from_json(&v["report"]).ok_or_else(bad)?;
        let rejected = v["rejected"]
            .as_array()
            .ok_or_else(bad)?
            .iter()
            .map(|r| {
                Some(Rejected {
                    partition: r[0].as_u64(),
                    row: r[1].as_u64()?,
                    column: r[2].as_str().map(str::to_string),
                    message: r[3].as_str()?.to_string(),
                })
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(bad)?;
        Ok(Audit { report, rejected })
    }
}

/// A report read back from its JSON (as the core serializes it).
fn report_from_json(v: &serde_json::Value) -> Option<Report> {
    fn totals(v: &serde_json::Value) -> Option<Totals> {
        let n = |k: &str| v[k].as_u64();
        let d = |k: &str| v[k].as_str()?.parse::<Decimal>().ok();
        Some(Totals {
            calls: n("calls")?,
            minutes_billed: n("minutes_billed")?,
            charged: d("charged")?,
            legal_maximum: d("legal_maximum")?,
            overcharge: d("overcharge")?,
            calls_over: n("calls_over")?,
            calls_uncapped: n("calls_uncapped")?,
            calls_unknown_jurisdiction: n("calls_unknown_jurisdiction")?,
            calls_assumed_exception: n("calls_assumed_exception")?,
        })
    }
    let s = &v["summary"];
    Some(Report {
        summary: Summary {
            totals: totals(s)?,
            rows_rejected: s["rows_rejected"].as_u64()?,
        },
        by_facility_month: v["by_facility_month"]
            .as_array()?
            .iter()
            .map(|m| {
                Some(FacilityMonth {
                    facility_id: m["facility_id"].as_str()?.to_string(),
                    month: m["month"].as_str()?.to_string(),
                    totals: totals(m)?,
                })
            })
            .collect::<Option<_>>()?,
        by_account: v["by_account"]
            .as_array()?
            .iter()
            .map(|a| {
                Some(Account {
                    account_id: a["account_id"].as_str()?.to_string(),
                    totals: totals(a)?,
                })
            })
            .collect::<Option<_>>()?,
    })
}

/// callcap's version and the bundled rate book's edition.
#[pyfunction]
fn versions<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    report(py, &book(None)?.versions())
}

#[pymodule]
fn _callcap(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("__version__", callcap::VERSION)?;
    m.add_function(wrap_pyfunction!(caps, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_function(wrap_pyfunction!(versions, m)?)?;
    m.add_class::<Audit>()?;
    Ok(())
}
