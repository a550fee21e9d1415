//! Image ingestion: any bytes must give pixels or an error, never a panic.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = harness::ingest(data);
});
