//! The per-epoch table and the CSV of curves.

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
        "{} {} {} {}",
        cell(m.clean_loss, 7),
        cell(m.noisy_loss, 7),
        pct(m.memorized),
        pct(m.test_acc)
    )
}

pub fn header(eps: f64) -> String {
    let mut s = String::new();
    let base = "baseline ε=0";
    let smooth = format!("smoothed ε={eps}");
    let _ = writeln!(s, "{:>5}  {:<29}  {:<29}", "", base, smooth);
    let cols = format!(
        "{:>7} {:>7} {:>6} {:>6}",
        "clean", "mislab", "memor", "test"
    );
    let _ = writeln!(s, "{:>5}  {cols}  {cols}", "epoch");
    let _ = write!(
        s,
        "{:>5}  {:<29}  {:<29}",
        "", "−log p(given)", "−log p(given)"
    );
    s
}

pub fn row(r: &EpochReport) -> String {
    format!(
        "{:>5}  {}  {}",
        r.epoch,
        model_cells(&r.models[0]),
        model_cells(&r.models[1])
    )
}

pub const CSV_HEADER: &str = "epoch,model,epsilon,objective,clean_loss,noisy_loss,noisy_true_loss,train_acc,memorized,corrected,test_acc,test_loss";

/// One line per model per epoch (tidy format: easy to plot or pivot).
pub fn csv_rows(r: &EpochReport, epsilons: &[f32]) -> String {
    let f = |v: Option<f64>| {
        v.filter(|x| x.is_finite())
            .map_or(String::new(), |x| format!("{x:.6}"))
    };
    let mut out = String::new();
    for (m, (name, eps)) in r
        .models
        .iter()
        .zip(["baseline", "smoothed"].iter().zip(epsilons))
    {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{}",
            r.epoch,
            name,
            eps,
            f(Some(m.objective)),
            f(m.clean_loss),
            f(m.noisy_loss),
            f(m.noisy_true_loss),
            f(Some(m.train_acc)),
            f(m.memorized),
            f(m.corrected),
            f(m.test_acc),
            f(m.test_loss)
        );
    }
    out
}
