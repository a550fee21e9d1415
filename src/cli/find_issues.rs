//! `smoothlab find-issues`: out-of-sample confident learning, ranked.

use std::fs;
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use smoothlab::core::find::CrossValidation;
use smoothlab::core::find::{find_label_issues, flag_quality, Findings};
use smoothlab::{Dataset, LabError};

use smoothlab::core::csv::cell;

use super::data::{io_err, load};
use super::FindIssuesArgs;

pub fn run(args: &FindIssuesArgs) -> Result<(), LabError> {
    let config = args.model.settings(0.0, args.data.seed).validate()?;
    let ds = load(&args.data)?;
    let mut cv = CrossValidation::new(&ds, config, args.folds, args.epochs)?;
    let bar = ProgressBar::new(1000);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {msg} {elapsed}").expect("valid template"),
    );
    cv.run(&ds, |p| {
        bar.set_position((p.fraction * 1000.0) as u64);
        bar.set_message(format!("fold {}/{}", p.fold, p.folds));
    })?;
    bar.finish_and_clear();

    let given: Vec<usize> = ds.samples().iter().map(|s| s.given).collect();
    let probs = cv.probabilities();
    let found = find_label_issues(probs.view(), &given, args.filter)?;
    print_findings(&ds, &found, args.top, args.folds);

    if let Some(path) = &args.csv {
        write(path, &issues_csv(&ds, &found))?;
        say!(
            "{} flagged images written to {}",
            found.issues.len(),
            path.display()
        );
    }
    if let Some(path) = &args.probs_out {
        let mut out = String::from("image,given_label");
        for c in ds.classes() {
            out += &format!(",{}", cell(c));
        }
        out.push('\n');
        for (i, s) in ds.samples().iter().enumerate() {
            out += &format!("{},{}", cell(&s.name), s.given);
            for v in probs.row(i) {
                out += &format!(",{v:.6}");
            }
            out.push('\n');
        }
        write(path, &out)?;
        say!("out-of-sample probabilities written to {}", path.display());
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), LabError> {
    fs::write(path, text).map_err(|e| io_err(path, e))
}

fn print_findings(ds: &Dataset, found: &Findings, top: usize, folds: usize) {
    let classes = ds.classes();
    let truth_known = ds.samples().iter().any(|s| s.is_mislabeled());
    say!(
        "{} of {} images flagged, worst first (scored out of sample by {folds}-fold cross-validation)",
        found.issues.len(),
        ds.len(),
    );
    say!(
        "{:>4}  {:<24} {:>8} {:>10} {:>9}  truly wrong",
        "rank",
        "image",
        "given",
        "suggested",
        "p(given)"
    );
    for (rank, issue) in found.issues.iter().take(top).enumerate() {
        let s = &ds.samples()[issue.index];
        let truth = if truth_known {
            if s.is_mislabeled() {
                "yes"
            } else {
                "no"
            }
        } else {
            "?"
        };
        say!(
            "{:>4}  {:<24} {:>8} {:>10} {:>9.3}  {truth}",
            rank + 1,
            truncate(&s.name, 24),
            truncate(&classes[issue.given], 8),
            truncate(&classes[issue.suggested], 10),
            issue.self_confidence
        );
    }
    if truth_known {
        let truth: Vec<bool> = ds.samples().iter().map(|s| s.is_mislabeled()).collect();
        let q = flag_quality(&found.issues, &truth);
        let pct = |v: Option<f64>| v.map_or("–".to_string(), |x| format!("{:.1}%", 100.0 * x));
        say!(
            "against the known truth: precision {} ({} of {} flags), recall {} (of {} mislabeled)",
            pct(q.precision),
            q.hits,
            q.flagged,
            pct(q.recall),
            q.mislabeled
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

fn issues_csv(ds: &Dataset, found: &Findings) -> String {
    let mut out = String::from("rank,image,given,suggested,self_confidence,truly_mislabeled\n");
    for (rank, issue) in found.issues.iter().enumerate() {
        let s = &ds.samples()[issue.index];
        let truth = match s.truth {
            Some(t) => (t != s.given).to_string(),
            None => String::new(),
        };
        out += &format!(
            "{},{},{},{},{:.6},{}\n",
            rank + 1,
            cell(&s.name),
            cell(&ds.classes()[issue.given]),
            cell(&ds.classes()[issue.suggested]),
            issue.self_confidence,
            truth
        );
    }
    out
}
