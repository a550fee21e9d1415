//! The backbone on the command line: `--features effnet` for `train` and
//! `find-issues`, and `smoothlab embed`, which writes the features out.

use std::fs;
use std::io::{BufWriter, Write};

use indicatif::{ProgressBar, ProgressStyle};
use smoothlab::core::backbone::{embed_dataset, Backbone};
use smoothlab::core::csv::cell;
use smoothlab::{Dataset, LabError};

use super::data::{io_err, load};
use super::{EmbedArgs, Features};

/// The backbone's weights, shipped with smoothlab (data/backbone/README.md).
const WEIGHTS: &[u8] = include_bytes!("../../data/backbone/efficientnet-lite0.bin");

/// Replaces what the models of `ds` see by the backbone's features;
/// `file_of(index)` gives an image's original file (None: its pixels).
pub fn embed(
    ds: &mut Dataset,
    side: usize,
    file_of: impl FnMut(usize) -> Option<Vec<u8>>,
) -> Result<(), LabError> {
    let mut backbone = Backbone::new(WEIGHTS, side)?;
    let bar = ProgressBar::new(ds.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} images read by the backbone, {elapsed} (eta {eta})",
        )
        .expect("valid template"),
    );
    let started = std::time::Instant::now();
    embed_dataset(ds, &mut backbone, file_of, |done, _| {
        bar.set_position(done as u64)
    })?;
    bar.finish_and_clear();
    let ms = started.elapsed().as_secs_f64() * 1e3 / ds.len().max(1) as f64;
    say!(
        "EfficientNet-Lite0 features at {side}×{side}: {} images, {ms:.1} ms each",
        ds.len()
    );
    Ok(())
}

pub fn run(args: EmbedArgs) -> Result<(), LabError> {
    let mut data = args.data;
    data.features = Features::Effnet;
    let ds = load(&data)?;
    let file = fs::File::create(&args.out).map_err(|e| io_err(&args.out, e))?;
    let mut w = BufWriter::new(file);
    let write = |w: &mut BufWriter<fs::File>, line: String| {
        w.write_all(line.as_bytes())
            .map_err(|e| io_err(&args.out, e))
    };
    let dims: Vec<String> = (0..ds.dim()).map(|j| format!("f{j}")).collect();
    write(&mut w, format!("file,given,true,{}\n", dims.join(",")))?;
    let classes = ds.classes();
    for (i, s) in ds.samples().iter().enumerate() {
        let values: Vec<String> = ds.batch(&[i]).iter().map(|v| format!("{v:.6}")).collect();
        let truth = s.truth.map_or(String::new(), |t| cell(&classes[t]));
        let line = format!(
            "{},{},{truth},{}\n",
            cell(&s.name),
            cell(&classes[s.given]),
            values.join(",")
        );
        write(&mut w, line)?;
    }
    w.flush().map_err(|e| io_err(&args.out, e))?;
    say!("features written to {}", args.out.display());
    Ok(())
}
