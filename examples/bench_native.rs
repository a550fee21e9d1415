//! The native contender of the training benchmark (`make bench`): trains one
//! workload on one thread with the same data, order and kernels as the wasm
//! build, and prints the timings as one JSON line.
//!
//! ```text
//! cargo run --release --example bench_native -- train '<workload json>' <epochs>
//! cargo run --release --example bench_native -- gemm <m> <n> <k> <nn|tn|nt> <seconds>
//! cargo run --release --example bench_native -- backbone <side> <seconds>
//! ```

use std::time::Instant;

use serde_json::json;
use smoothlab::bench::{epoch_order, synthetic_images, BenchRun, GemmBench, Layout, Workload};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = match args.first().map(String::as_str) {
        Some("train") if args.len() == 3 => train(&args[1], &args[2]),
        Some("gemm") if args.len() == 6 => gemm(&args[1..]),
        Some("backbone") if args.len() == 3 => backbone(&args[1], &args[2]),
        _ => Err("usage: bench_native train <workload json> <epochs> | gemm <m> <n> <k> <layout> <seconds> | backbone <side> <seconds>".into()),
    };
    match out {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("bench_native: {e}");
            std::process::exit(2);
        }
    }
}

fn train(workload: &str, epochs: &str) -> Result<serde_json::Value, String> {
    let w: Workload = serde_json::from_str(workload).map_err(|e| format!("workload: {e}"))?;
    let epochs: u64 = epochs.parse().map_err(|e| format!("epochs: {e}"))?;
    let (pixels, labels) = synthetic_images(&w);
    let mut run = BenchRun::new(&w, &pixels, &labels).map_err(|e| e.to_string())?;
    let mut epoch_ms = Vec::new();
    let mut epoch_loss = Vec::new();
    let mut sink = 0.0f64;
    for epoch in 0..epochs {
        let order = epoch_order(w.n, w.seed, epoch);
        let t0 = Instant::now();
        let mut total = 0.0f64;
        for batch in order.chunks(w.batch) {
            let losses = run.step(batch).map_err(|e| e.to_string())?;
            total += losses.iter().map(|&l| l as f64).sum::<f64>();
        }
        epoch_ms.push(t0.elapsed().as_secs_f64() * 1e3);
        epoch_loss.push(total / w.n as f64);
        sink += total;
    }
    let (eval_loss, eval_acc) = run.evaluate();
    Ok(json!({
        "epochMs": epoch_ms,
        "epochLoss": epoch_loss,
        "evalLoss": eval_loss,
        "evalAcc": eval_acc,
        "sink": sink,
    }))
}

fn gemm(args: &[String]) -> Result<serde_json::Value, String> {
    let num = |s: &String| s.parse::<usize>().map_err(|e| format!("{s}: {e}"));
    let (m, n, k) = (num(&args[0])?, num(&args[1])?, num(&args[2])?);
    let layout: Layout = args[3]
        .parse()
        .map_err(|e: smoothlab::LabError| e.to_string())?;
    let seconds: f64 = args[4].parse().map_err(|e| format!("seconds: {e}"))?;
    let mut g = GemmBench::new(m, n, k, layout);
    g.run(2);
    // Batches of repetitions until the time is spent; the best batch is the
    // peak (the least disturbed by other load).
    let mut reps = 1usize;
    loop {
        let t0 = Instant::now();
        g.run(reps);
        if t0.elapsed().as_secs_f64() > 0.02 {
            break;
        }
        reps *= 2;
    }
    let mut rates = Vec::new();
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < seconds || rates.len() < 3 {
        let t0 = Instant::now();
        g.run(reps);
        rates.push(g.flops() * reps as f64 / t0.elapsed().as_secs_f64() / 1e9);
    }
    rates.sort_by(f64::total_cmp);
    Ok(json!({
        "gflops": rates[rates.len() / 2],
        "best": rates[rates.len() - 1],
    }))
}

/// EfficientNet-Lite0 features of the benchmark's test image (the same
/// formula as bench/page/backbone-worker.js), timed image by image.
fn backbone(side: &str, seconds: &str) -> Result<serde_json::Value, String> {
    let side: usize = side.parse().map_err(|e| format!("side: {e}"))?;
    let seconds: f64 = seconds.parse().map_err(|e| format!("seconds: {e}"))?;
    let weights =
        std::fs::read("data/backbone/efficientnet-lite0.bin").map_err(|e| e.to_string())?;
    let mut net =
        smoothlab::core::backbone::Backbone::new(&weights, side).map_err(|e| e.to_string())?;
    let mut rgb = Vec::with_capacity(side * side * 3);
    for y in 0..side {
        for x in 0..side {
            let wave = 128.0 + 100.0 * ((x + y) as f64 / 9.0).sin();
            rgb.extend([(x * 255 / side) as u8, (y * 255 / side) as u8, wave as u8]);
        }
    }
    let mut run = || net.embed(&rgb, side, side).map_err(|e| e.to_string());
    run()?;
    run()?; // warm-up
    let mut ms = Vec::new();
    let mut mean = 0.0f32;
    let until = Instant::now() + std::time::Duration::from_secs_f64(seconds);
    while Instant::now() < until || ms.len() < 5 {
        let t0 = Instant::now();
        let f = run()?;
        ms.push(t0.elapsed().as_secs_f64() * 1e3);
        mean = f.iter().sum::<f32>() / f.len() as f32;
    }
    Ok(json!({ "side": side, "ms": ms, "featureMean": mean }))
}
