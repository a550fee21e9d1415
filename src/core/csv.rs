//! Every CSV the lab writes — the curves and the per-image losses, for the
//! page and the command line alike — with cells written by one function:
//! quoted when they hold a comma, quote or line break, and defused when they
//! start like a formula (a file named "=HYPERLINK(…)" stays a name in a
//! spreadsheet instead of running).

use crate::core::lab::Lab;
use crate::core::train::{EpochReport, ModelId, Spread, SweepRow, MODEL_NAMES};

/// One text cell, safe for a spreadsheet to read back as the same text.
pub fn cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// A number cell: empty when it is not finite (not measured yet).
fn number(value: Option<f64>, decimals: usize) -> String {
    value
        .filter(|x| x.is_finite())
        .map_or(String::new(), |x| format!("{x:.decimals$}"))
}

/// The header of the curves CSV (one line per model per epoch); the command
/// line and the project zip write the same format.
pub const CURVES_CSV_HEADER: &str = "epoch,model,epsilon,objective,clean_loss,noisy_loss,noisy_true_loss,train_acc,memorized,corrected,test_acc,test_loss,test_ece";

/// One epoch's lines of the curves CSV (tidy: easy to plot or pivot).
pub fn curves_csv_rows(r: &EpochReport) -> String {
    let f = |v: Option<f64>| number(v, 6);
    let mut out = String::new();
    for (m, name) in r.models.iter().zip(MODEL_NAMES) {
        let cells = [
            f(Some(m.objective)),
            f(m.clean_loss),
            f(m.noisy_loss),
            f(m.noisy_true_loss),
            f(Some(m.train_acc)),
            f(m.memorized),
            f(m.corrected),
            f(m.test_acc),
            f(m.test_loss),
            f(m.test_ece),
        ];
        out.push_str(&format!(
            "{},{name},{},{}\n",
            r.epoch_text(),
            m.epsilon as f32,
            cells.join(",")
        ));
    }
    out
}

/// The whole curves CSV, header first.
pub fn curves_csv(reports: &[EpochReport]) -> String {
    let mut out = format!("{CURVES_CSV_HEADER}\n");
    for r in reports {
        out.push_str(&curves_csv_rows(r));
    }
    out
}

pub const LOSSES_CSV_HEADER: &str = "id,file,given,true,mislabeled,held_out,loss_baseline,loss_smoothed,predicted_baseline,predicted_smoothed";

/// One line per image: −log p(given) and the prediction of both models at
/// the last epoch end (empty for images added since).
pub fn losses_csv(lab: &Lab) -> String {
    let ds = lab.dataset();
    let class = |k: Option<usize>| k.map_or(String::new(), |k| cell(&ds.classes()[k]));
    let losses = [ModelId::Baseline, ModelId::Smoothed].map(|m| lab.losses_given(m));
    let predicted = [ModelId::Baseline, ModelId::Smoothed].map(|m| lab.predictions(m));
    let mut out = format!("{LOSSES_CSV_HEADER}\n");
    for (i, s) in ds.samples().iter().enumerate() {
        let known = losses[0][i].is_finite();
        let prediction = |m: usize| class(known.then_some(predicted[m][i] as usize));
        let cells = [
            s.id.to_string(),
            cell(&s.name),
            class(Some(s.given)),
            class(s.truth),
            (s.is_mislabeled() as u8).to_string(),
            (s.holdout as u8).to_string(),
            number(Some(losses[0][i] as f64), 6),
            number(Some(losses[1][i] as f64), 6),
            prediction(0),
            prediction(1),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The header of the ε sweep's CSV: one line per ε, each measure's mean,
/// sample sd, min and max over the n seeds.
pub const SWEEP_CSV_HEADER: &str = "epsilon,n,\
peak_test_acc_mean,peak_test_acc_sd,peak_test_acc_min,peak_test_acc_max,\
final_test_acc_mean,final_test_acc_sd,final_test_acc_min,final_test_acc_max,\
final_test_ece_mean,final_test_ece_sd,final_test_ece_min,final_test_ece_max,\
final_memorized_mean,final_memorized_sd,final_memorized_min,final_memorized_max";

/// The whole sweep CSV, header first; a measure nobody had (memorised
/// without noise) leaves its cells empty.
pub fn sweep_csv(rows: &[SweepRow]) -> String {
    let spread = |s: Option<Spread>| {
        [
            s.map(|s| s.mean),
            s.map(|s| s.sd),
            s.map(|s| s.min),
            s.map(|s| s.max),
        ]
        .map(|v| number(v, 6))
        .join(",")
    };
    let mut out = format!("{SWEEP_CSV_HEADER}\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            r.epsilon,
            r.runs,
            spread(r.peak_test_acc),
            spread(r.final_test_acc),
            spread(r.final_test_ece),
            spread(r.final_memorized)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Settings;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(cell("cat.png"), "cat.png");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("@sum"), "'@sum");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn losses_csv_has_a_line_per_image_and_fills_in_after_an_epoch() {
        let mut lab = Lab::sample(Settings::default()).unwrap();
        let before = losses_csv(&lab);
        let lines: Vec<&str> = before.lines().collect();
        assert_eq!(lines[0], LOSSES_CSV_HEADER);
        assert_eq!(lines.len(), 1 + 1797);
        // Not trained yet: no loss, no prediction.
        assert!(lines[1].ends_with(",,,,"), "{}", lines[1]);

        let steps = lab.steps_per_epoch();
        lab.step(steps).unwrap();
        let after = losses_csv(&lab);
        for line in after.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            assert_eq!(c.len(), 10, "{line}");
            assert!(c[6].parse::<f64>().unwrap() >= 0.0, "{line}");
            assert!(!c[8].is_empty() && !c[9].is_empty(), "{line}");
        }
    }

    #[test]
    fn sweep_csv_has_a_line_per_epsilon_and_empty_cells_for_no_noise() {
        let spread = Spread::of(&[0.5, 0.75]);
        let row = |epsilon, memorized| SweepRow {
            epsilon,
            runs: 2,
            peak_test_acc: spread,
            final_test_acc: spread,
            final_test_ece: spread,
            final_memorized: memorized,
        };
        let text = sweep_csv(&[row(0.0, spread), row(0.05, None)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].split(',').count(), 18);
        let cells = "0.625000,0.176777,0.500000,0.750000";
        assert_eq!(lines[1], format!("0,2,{cells},{cells},{cells},{cells}"),);
        assert_eq!(lines[2], format!("0.05,2,{cells},{cells},{cells},,,,"));
    }
}
