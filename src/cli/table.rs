//! The per-epoch table printed while training.

use std::fmt::Write as _;

use smoothlab::{EpochReport, ModelReport};

fn cell(v: Option<f64>, width: usize) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:>width$.3}"),
        _ => format!("{:>width$}", "–"),
    }
}

fn pct(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{:>5.1}%", 100.0 * x),
        _ => format!("{:>6}", "–"),
    }
}

fn model_cells(m: &ModelReport) -> String {
    format!(
        "{} {} {} {} {}",
        cell(m.clean_loss, 7),
        cell(m.noisy_loss, 7),
        pct(m.memorized),
        pct(m.test_acc),
        cell(m.test_ece, 6)
    )
}

pub fn header(eps: f64) -> String {
    let mut s = String::new();
    let base = "baseline ε=0";
    let smooth = format!("smoothed ε={eps}");
    let _ = writeln!(s, "{:>5}  {:<36}  {:<36}", "", base, smooth);
    let cols = format!(
        "{:>7} {:>7} {:>6} {:>6} {:>6}",
        "clean", "mislab", "memor", "test", "ECE"
    );
    let _ = writeln!(s, "{:>5}  {cols}  {cols}", "epoch");
    let _ = write!(
        s,
        "{:>5}  {:<36}  {:<36}",
        "", "−log p(given)", "−log p(given)"
    );
    s
}

pub fn row(r: &EpochReport) -> String {
    format!(
        "{:>5}  {}  {}",
        r.epoch_text(),
        model_cells(&r.models[0]),
        model_cells(&r.models[1])
    )
}
