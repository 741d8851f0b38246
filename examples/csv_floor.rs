//! The floor for `callcap audit`: reads the same CSV with the `csv` crate, one reused record
//! at a time, and touches every field, doing nothing else.
//!
//! ```text
//! cargo run --release --example csv_floor -- target/audit/1m/calls.csv
//! ```

fn main() {
    let path = std::env::args().nth(1).expect("usage: csv_floor CALLS");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_path(&path)
        .expect("open the calls");
    let mut record = csv::StringRecord::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    while reader.read_record(&mut record).expect("a record") {
        rows += 1;
        bytes += record.iter().map(|f| f.len() as u64).sum::<u64>();
    }
    println!("{rows} rows, {bytes} bytes of fields");
}
