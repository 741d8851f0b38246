//! Parquet for `callcap audit`: CALLS read in record batches (the parquet crate's Arrow
//! reader), each field handed to the core as text or as a typed value
//! ([`callcap::audit::Field`]), and the calls billed above their legal maximum written as
//! Parquet. Only conversion: the core judges and holds typed values to the rules text is held
//! to.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Decimal32Type, Decimal64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field as ArrowField, Schema, TimeUnit};
use callcap::audit::{call_columns, column_name, CallRecord, Field, Judged, CALL_COLUMNS};
use callcap::Error;
use chrono::NaiveDate;
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::arrow::{ArrowWriter, ProjectionMask};
use rust_decimal::Decimal;
use std::path::Path;
use std::sync::Arc;

/// Rows a batch, read and written.
const BATCH: usize = 8192;

/// What a column may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Text,
    Seconds,
    Date,
    Amount,
}

fn want(column: &str) -> Want {
    match column {
        "duration_seconds" => Want::Seconds,
        "started_at" => Want::Date,
        "charged" => Want::Amount,
        _ => Want::Text,
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Whether a column of type `t` can be read as `w`; if not, why.
fn check_type(column: &str, t: &DataType) -> Result<(), String> {
    use DataType::*;
    let ok = is_text(t)
        || match want(column) {
            Want::Text => false,
            Want::Seconds => t.is_integer(),
            Want::Date => match t {
                Date32 | Date64 => true,
                Timestamp(_, None) => true,
                Timestamp(_, Some(tz)) => fixed_offset(tz).is_some(),
                _ => false,
            },
            Want::Amount => matches!(t, Decimal32(..) | Decimal64(..) | Decimal128(..)),
        };
    if ok {
        return Ok(());
    }
    let why = match (want(column), t) {
        (Want::Amount, Float16 | Float32 | Float64) => format!(
            "is of type {t}: a binary floating-point number cannot hold amounts like 0.21 \
             exactly, and callcap compares money exactly; store it as a decimal (DECIMAL(p,s)) \
             or as text"
        ),
        (Want::Amount, _) => format!("is of type {t}; it must be a decimal or text"),
        (Want::Seconds, _) => format!("is of type {t}; it must be an integer or text"),
        (Want::Date, Timestamp(_, Some(tz))) => format!(
            "is a timestamp in time zone {tz}; callcap reads timestamps without a zone (the \
             date as written) or with a fixed offset (+05:00, UTC): give the local date-time as \
             text (RFC 3339) or a date"
        ),
        (Want::Date, _) => format!("is of type {t}; it must be a date, a timestamp or text"),
        (Want::Text, _) => format!("is of type {t}; it must be text (a string column)"),
    };
    Err(format!("column `{column}` {why}"))
}

/// A time zone given as a fixed offset, in seconds east of UTC.
fn fixed_offset(tz: &str) -> Option<i32> {
    if matches!(tz, "UTC" | "utc" | "Z" | "z" | "Etc/UTC") {
        return Some(0);
    }
    let (sign, rest) = match tz.as_bytes().first()? {
        b'+' => (1, &tz[1..]),
        b'-' => (-1, &tz[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    (h < 24 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

type Getter<'a> = Box<dyn Fn(usize) -> Field<'a> + 'a>;

/// Reads a column of a batch, row by row, as the core's fields. The column's type has passed
/// [`check_type`].
fn getter<'a>(array: &'a ArrayRef) -> Getter<'a> {
    macro_rules! typed {
        ($t:ty, $f:expr) => {{
            let a = array.as_primitive::<$t>();
            let f = $f;
            Box::new(move |i| {
                if a.is_null(i) {
                    Field::Missing
                } else {
                    f(a.value(i))
                }
            })
        }};
    }
    let int = |n: i64| Field::Int(n);
    let day = |d: Option<NaiveDate>| d.map_or(Field::Text("(a date out of range)"), Field::Date);
    let stamp = |unit: TimeUnit, tz: &Option<Arc<str>>| {
        let offset = tz.as_deref().and_then(fixed_offset).unwrap_or(0);
        let per_second: i64 = match unit {
            TimeUnit::Second => 1,
            TimeUnit::Millisecond => 1_000,
            TimeUnit::Microsecond => 1_000_000,
            TimeUnit::Nanosecond => 1_000_000_000,
        };
        move |v: i64| {
            let seconds = v.div_euclid(per_second) + i64::from(offset);
            day(chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.date_naive()))
        }
    };
    let amount = |scale: i8| {
        move |units: i128| match u32::try_from(scale) {
            Ok(s) if s <= 28 => Decimal::try_from_i128_with_scale(units, s)
                .map_or(Field::Text("(a decimal too large)"), Field::Amount),
            _ => Field::Text("(a decimal of negative or too large a scale)"),
        }
    };
    match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            Box::new(move |i| text(a.is_null(i), || a.value(i)))
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            Box::new(move |i| text(a.is_null(i), || a.value(i)))
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            Box::new(move |i| text(a.is_null(i), || a.value(i)))
        }
        DataType::Int8 => typed!(Int8Type, move |v: i8| int(v.into())),
        DataType::Int16 => typed!(Int16Type, move |v: i16| int(v.into())),
        DataType::Int32 => typed!(Int32Type, move |v: i32| int(v.into())),
        DataType::Int64 => typed!(Int64Type, int),
        DataType::UInt8 => typed!(UInt8Type, move |v: u8| int(v.into())),
        DataType::UInt16 => typed!(UInt16Type, move |v: u16| int(v.into())),
        DataType::UInt32 => typed!(UInt32Type, move |v: u32| int(v.into())),
        DataType::UInt64 => typed!(UInt64Type, move |v: u64| int(
            i64::try_from(v).unwrap_or(i64::MAX)
        )),
        DataType::Date32 => typed!(Date32Type, move |v: i32| day(NaiveDate::from_epoch_days(v))),
        DataType::Date64 => typed!(Date64Type, move |v: i64| day(
            chrono::DateTime::from_timestamp_millis(v).map(|t| t.date_naive())
        )),
        DataType::Timestamp(TimeUnit::Second, tz) => {
            typed!(TimestampSecondType, stamp(TimeUnit::Second, tz))
        }
        DataType::Timestamp(TimeUnit::Millisecond, tz) => {
            typed!(TimestampMillisecondType, stamp(TimeUnit::Millisecond, tz))
        }
        DataType::Timestamp(TimeUnit::Microsecond, tz) => {
            typed!(TimestampMicrosecondType, stamp(TimeUnit::Microsecond, tz))
        }
        DataType::Timestamp(TimeUnit::Nanosecond, tz) => {
            typed!(TimestampNanosecondType, stamp(TimeUnit::Nanosecond, tz))
        }
        DataType::Decimal32(_, s) => {
            let f = amount(*s);
            typed!(Decimal32Type, move |v: i32| f(v.into()))
        }
        DataType::Decimal64(_, s) => {
            let f = amount(*s);
            typed!(Decimal64Type, move |v: i64| f(v.into()))
        }
        DataType::Decimal128(_, s) => typed!(Decimal128Type, amount(*s)),
        // check_type let nothing else through.
        _ => Box::new(|_| Field::Missing),
    }
}

fn text<'a>(null: bool, value: impl FnOnce() -> &'a str) -> Field<'a> {
    if null {
        Field::Missing
    } else {
        Field::Text(value())
    }
}

/// Reads the calls of a Parquet file batch by batch, handing each record (its number, from 1,
/// and its fields or the column and message that make it bad) to `each`.
pub fn read_calls(
    path: &Path,
    mut each: impl FnMut(u64, Result<CallRecord, (&'static str, String)>) -> Result<(), Error>,
) -> Result<(), Error> {
    let label = path.display().to_string();
    let bad = |m: String| Error::file(&label, m);
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(label.clone(), format!("cannot read: {e}")))?;
    // The Arrow schema stored with the file (by pyarrow, arrow-rs, Polars) is read: it keeps a
    // timestamp's time zone, which Parquet's own types do not. Dictionary-encoded text (a
    // pandas category) is read as plain text.
    let open = |options: ArrowReaderOptions| {
        let file = file
            .try_clone()
            .map_err(|e| Error::io(label.clone(), format!("cannot read: {e}")))?;
        ParquetRecordBatchReaderBuilder::try_new_with_options(file, options)
            .map_err(|e| bad(format!("not a Parquet file that can be read: {e}")))
    };
    let mut builder = open(ArrowReaderOptions::new())?;
    let undictionaried: Vec<ArrowField> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Dictionary(_, value) if is_text(value) => {
                f.as_ref().clone().with_data_type(value.as_ref().clone())
            }
            _ => f.as_ref().clone(),
        })
        .collect();
    if undictionaried
        .iter()
        .zip(builder.schema().fields())
        .any(|(a, b)| a.data_type() != b.data_type())
    {
        let schema = Arc::new(Schema::new(undictionaried));
        builder = open(ArrowReaderOptions::new().with_schema(schema))?;
    }
    let schema = builder.schema().clone();
    let names: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| column_name(f.name()))
        .collect();
    let wanted: Vec<&'static str> = CALL_COLUMNS.iter().copied().chain(["account_id"]).collect();
    let mut roots = Vec::new();
    for (&name, at) in wanted.iter().zip(call_columns(&names).map_err(bad)?) {
        if let Some(i) = at {
            check_type(name, schema.field(i).data_type()).map_err(bad)?;
            roots.push(i);
        }
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH)
        .build()
        .map_err(|e| bad(format!("cannot read: {e}")))?;
    let mut record = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| bad(format!("after record {record}: {e}")))?;
        let batch_names: Vec<String> = batch
            .schema()
            .fields()
            .iter()
            .map(|f| column_name(f.name()))
            .collect();
        let getters: Vec<Option<Getter>> = wanted
            .iter()
            .map(|w| {
                batch_names
                    .iter()
                    .position(|c| c == w)
                    .map(|i| getter(batch.column(i)))
            })
            .collect();
        for i in 0..batch.num_rows() {
            record += 1;
            let fields: [Field; 9] =
                std::array::from_fn(|c| getters[c].as_ref().map_or(Field::Missing, |g| g(i)));
            each(record, callcap::audit::call_from_values(fields))?;
        }
    }
    Ok(())
}

/// The calls billed above their legal maximum, written as Parquet in batches.
pub struct OverWriter {
    writer: ArrowWriter<std::fs::File>,
    schema: Arc<Schema>,
    rows: Vec<Over>,
    label: String,
}

/// One call over its legal maximum, as written.
struct Over {
    call_id: String,
    facility_id: String,
    date: NaiveDate,
    minutes_billed: u32,
    service: &'static str,
    jurisdiction: &'static str,
    payment: &'static str,
    charged: i128,
    legal_maximum: i128,
    overcharge: i128,
    level: &'static str,
    citation: String,
}

/// Money is written as DECIMAL(38, 10): every amount callcap reads has at most 4 decimals
/// and every per-minute limit of the rate book far fewer than 10.
const MONEY_SCALE: u32 = 10;

fn units(d: Decimal) -> Option<i128> {
    let mut d = d.normalize();
    if d.scale() > MONEY_SCALE {
        return None;
    }
    d.rescale(MONEY_SCALE);
    (d.scale() == MONEY_SCALE).then(|| d.mantissa())
}

impl OverWriter {
    /// Creates the file.
    pub fn create(path: &Path) -> Result<OverWriter, Error> {
        let label = path.display().to_string();
        let file = std::fs::File::create(path)
            .map_err(|e| Error::io(label.clone(), format!("cannot write: {e}")))?;
        let text = |n: &str| ArrowField::new(n, DataType::Utf8, false);
        let money =
            |n: &str| ArrowField::new(n, DataType::Decimal128(38, MONEY_SCALE as i8), false);
        let schema = Arc::new(Schema::new(vec![
            text("call_id"),
            text("facility_id"),
            ArrowField::new("date", DataType::Date32, false),
            ArrowField::new("minutes_billed", DataType::UInt32, false),
            text("service"),
            text("jurisdiction"),
            text("payment"),
            money("charged"),
            money("legal_maximum"),
            money("overcharge"),
            text("level"),
            text("citation"),
        ]));
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props))
            .map_err(|e| Error::io(label.clone(), e.to_string()))?;
        Ok(OverWriter {
            writer,
            schema,
            rows: Vec::with_capacity(BATCH),
            label,
        })
    }

    /// Adds a call over its legal maximum.
    pub fn add(&mut self, call: &CallRecord, j: &Judged) -> Result<(), Error> {
        let money = |what: &str, d: Decimal| {
            units(d).ok_or_else(|| {
                Error::io(
                    self.label.clone(),
                    format!(
                        "call {}: {what} {d} has more than {MONEY_SCALE} decimal places",
                        call.call_id
                    ),
                )
            })
        };
        let legal = j.legal_max.unwrap_or_default();
        let (level, citation) = j
            .basis
            .as_ref()
            .map_or(("", ""), |b| (b.level.as_str(), &*b.citation));
        let row = Over {
            call_id: call.call_id.to_string(),
            facility_id: call.facility_id.to_string(),
            date: call.date,
            minutes_billed: j.minutes_billed,
            service: call.service.as_str(),
            jurisdiction: call.jurisdiction.as_str(),
            payment: call.payment.as_str(),
            charged: money("charged", call.charged)?,
            legal_maximum: money("legal_maximum", legal)?,
            overcharge: money("overcharge", j.overcharge)?,
            level,
            citation: citation.to_string(),
        };
        self.rows.push(row);
        if self.rows.len() >= BATCH {
            self.flush_rows()?;
        }
        Ok(())
    }

    fn flush_rows(&mut self) -> Result<(), Error> {
        use arrow_array::{Date32Array, Decimal128Array, StringArray, UInt32Array};
        let rows = std::mem::take(&mut self.rows);
        let strings =
            |f: &dyn Fn(&Over) -> &str| Arc::new(StringArray::from_iter_values(rows.iter().map(f)));
        let money = |f: &dyn Fn(&Over) -> i128| -> Result<ArrayRef, Error> {
            Ok(Arc::new(
                Decimal128Array::from_iter_values(rows.iter().map(f))
                    .with_precision_and_scale(38, MONEY_SCALE as i8)
                    .map_err(|e| Error::io(self.label.clone(), e.to_string()))?,
            ))
        };
        let columns: Vec<ArrayRef> = vec![
            strings(&|r| &r.call_id),
            strings(&|r| &r.facility_id),
            Arc::new(Date32Array::from_iter_values(
                rows.iter().map(|r| r.date.to_epoch_days()),
            )),
            Arc::new(UInt32Array::from_iter_values(
                rows.iter().map(|r| r.minutes_billed),
            )),
            strings(&|r| r.service),
            strings(&|r| r.jurisdiction),
            strings(&|r| r.payment),
            money(&|r| r.charged)?,
            money(&|r| r.legal_maximum)?,
            money(&|r| r.overcharge)?,
            strings(&|r| r.level),
            strings(&|r| &r.citation),
        ];
        let batch = RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| Error::io(self.label.clone(), e.to_string()))?;
        self.writer
            .write(&batch)
            .map_err(|e| Error::io(self.label.clone(), e.to_string()))?;
        self.rows = rows;
        self.rows.clear();
        Ok(())
    }

    /// Writes what is left and closes the file.
    pub fn finish(mut self) -> Result<(), Error> {
        if !self.rows.is_empty() {
            self.flush_rows()?;
        }
        self.writer
            .close()
            .map(|_| ())
            .map_err(|e| Error::io(self.label.clone(), e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_offsets_are_read_and_named_zones_are_not() {
        assert_eq!(fixed_offset("UTC"), Some(0));
        assert_eq!(fixed_offset("+05:30"), Some(5 * 3600 + 30 * 60));
        assert_eq!(fixed_offset("-0600"), Some(-6 * 3600));
        assert_eq!(fixed_offset("America/Chicago"), None);
        assert!(check_type(
            "started_at",
            &DataType::Timestamp(TimeUnit::Second, Some("America/Chicago".into()))
        )
        .is_err());
        assert!(check_type("charged", &DataType::Float64)
            .unwrap_err()
            .contains("floating-point"));
        assert!(check_type("duration_seconds", &DataType::UInt16).is_ok());
        assert!(check_type("call_id", &DataType::Int64).is_err());
    }
}
