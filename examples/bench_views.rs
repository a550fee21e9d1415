//! What the measuring views (reliability diagrams, data map) cost the
//! training they watch (`make bench-views`, part of `make bench`): the lab
//! trains its pair as the session worker does (`Lab::step`, epoch after
//! epoch), and in the same run the views' own work is timed on the same
//! state: the data map's running statistics for both models at an epoch end
//! (`Cartography::record`, which `Lab::step` also does), the map the worker
//! hands to the page (`Lab::data_map`, both models), and the reliability
//! tables it posts with every point (`Lab::reliability` for both, as JSON).
//! The reliability bins themselves are filled during the held-out
//! evaluation, one `Reliability::add` per image, and are timed the same way.
//! Prints a Markdown table.
//!
//! ```text
//! cargo run --release --example bench_views -- <epochs>
//! ```

use std::hint::black_box;
use std::time::Instant;

use smoothlab::core::data::load_digits;
use smoothlab::core::rng::Rng;
use smoothlab::core::train::{Cartography, ModelId, Reliability};
use smoothlab::{inject_noise, Lab, NoiseMode, Settings};

struct Figures {
    epoch_ms: f64,
    views_ms: f64,
    parts: [f64; 4], // record, data map, reliability JSON, reliability bins
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn measure(mut lab: Lab, epochs: usize) -> Figures {
    let mut rows = Vec::new();
    for _ in 0..epochs {
        let steps = lab.steps_per_epoch();
        let t = Instant::now();
        lab.step(steps).expect("trains");
        let epoch = ms(t);

        let trainer = lab.trainer().expect("a trainer once stepped");
        let t = Instant::now();
        for e in trainer.evaluations() {
            let mut map = Cartography::default();
            map.record(lab.dataset(), e);
            black_box(map);
        }
        let record = ms(t);
        let t = Instant::now();
        for m in [ModelId::Baseline, ModelId::Smoothed] {
            black_box(lab.data_map(m));
        }
        let map = ms(t);
        let t = Instant::now();
        let tables = [
            lab.reliability(ModelId::Baseline),
            lab.reliability(ModelId::Smoothed),
        ];
        black_box(serde_json::to_string(&tables).expect("serialises"));
        let json = ms(t);
        let n_test = lab.dataset().holdout_indices().len();
        let mut rng = Rng::new(7);
        let t = Instant::now();
        for _ in 0..2 {
            let mut r = Reliability::default();
            for _ in 0..n_test {
                r.add(rng.uniform(), rng.uniform() < 0.5);
            }
            black_box(r.bins());
        }
        let bins = ms(t);
        rows.push((epoch, [record, map, json, bins]));
    }
    let parts = [0, 1, 2, 3].map(|i| median(rows.iter().map(|r| r.1[i]).collect()));
    Figures {
        epoch_ms: median(rows.iter().map(|r| r.0).collect()),
        views_ms: parts.iter().sum(),
        parts,
    }
}

fn main() {
    let epochs: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("epochs: a whole number"))
        .unwrap_or(20);
    let settings = Settings::default();
    let digits = {
        let mut ds = load_digits();
        inject_noise(&mut ds, NoiseMode::Flip, 0.4, 1).expect("noise");
        Lab::with_dataset(ds, settings.clone()).expect("lab")
    };
    // Photo-sized inputs: 1,280 features per image, as the backbone gives,
    // on the digits' 1,797 images, with the linear head the page uses.
    let features = {
        let mut lab = Lab::with_dataset(load_digits(), settings.clone()).expect("lab");
        let mut rng = Rng::new(3);
        let values: Vec<f32> = (0..lab.dataset().len() * 1280)
            .map(|_| rng.uniform() as f32)
            .collect();
        lab.set_features(1280, &values).expect("features");
        lab
    };
    println!("| data | epoch of both models, ms | views' work per epoch, ms | share | data map record | data map to the page | reliability JSON | reliability bins |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, lab) in [
        ("digits, 40% flipped (MLP 64→128→10)", digits),
        ("1,797 × 1,280 features (linear 1280→10)", features),
    ] {
        let f = measure(lab, epochs);
        println!(
            "| {name} | {:.2} | {:.3} | {:.1}% | {:.3} | {:.3} | {:.3} | {:.3} |",
            f.epoch_ms,
            f.views_ms,
            100.0 * f.views_ms / f.epoch_ms,
            f.parts[0],
            f.parts[1],
            f.parts[2],
            f.parts[3]
        );
    }
}
