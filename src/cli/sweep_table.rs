//! The ε sweep's table: one line per ε, each measure as
//! "mean ± sd (min–max)" over the seeds, so that a gap between two ε can be
//! read against the seeds' own spread.

use smoothlab::core::train::{Spread, SweepRow};

/// Accuracies and shares in percent, to one decimal.
fn percent(s: Option<Spread>) -> String {
    match s {
        Some(s) => format!(
            "{:.1} ± {:.1}% ({:.1}–{:.1})",
            100.0 * s.mean,
            100.0 * s.sd,
            100.0 * s.min,
            100.0 * s.max
        ),
        None => "–".into(),
    }
}

/// The ECE as a number, to three decimals.
fn plain(s: Option<Spread>) -> String {
    match s {
        Some(s) => format!("{:.3} ± {:.3} ({:.3}–{:.3})", s.mean, s.sd, s.min, s.max),
        None => "–".into(),
    }
}

const WIDTH: usize = 27;

pub fn sweep_header(seeds: &[u64], epochs: usize) -> String {
    let which = match seeds {
        [one] => format!("1 seed ({one})"),
        [first, .., last] => format!("{} seeds ({first}–{last})", seeds.len()),
        [] => "no seeds".into(),
    };
    let columns = format!(
        "{:>5}  {:<WIDTH$}  {:<WIDTH$}  {:<WIDTH$}  {}",
        "ε", "peak acc", "final acc", "final ECE", "final memorised"
    );
    format!("{epochs} epochs; spread over {which}: mean ± sd (min–max)\n{columns}")
}

pub fn sweep_line(r: &SweepRow) -> String {
    format!(
        "{:>5}  {:<WIDTH$}  {:<WIDTH$}  {:<WIDTH$}  {:<WIDTH$}",
        r.epsilon,
        percent(r.peak_test_acc),
        percent(r.final_test_acc),
        plain(r.final_test_ece),
        percent(r.final_memorized)
    )
    .trim_end()
    .to_string()
}
