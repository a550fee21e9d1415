//! Top-5 ImageNet classes of images, and the time per image:
//!
//!     cargo run --release --example backbone_classify -- [--side N] IMAGE...

use std::path::PathBuf;
use std::time::Instant;

use smoothlab::core::backbone::{class_names, Backbone};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut side = 224;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--side" {
            side = args.next().ok_or("--side needs a number")?.parse()?;
        } else {
            files.push(PathBuf::from(a));
        }
    }
    if files.is_empty() {
        return Err("usage: backbone_classify [--side N] IMAGE...".into());
    }
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/backbone");
    let mut net = Backbone::new(&std::fs::read(data.join("efficientnet-lite0.bin"))?, side)?;
    net.load_imagenet_head(&std::fs::read(
        data.join("efficientnet-lite0-imagenet-head.bin"),
    )?)?;
    let text = std::fs::read_to_string(data.join("imagenet-classes.txt"))?;
    let names = class_names(&text)?;
    for file in files {
        let img = image::open(&file)?.to_rgb8();
        let (w, h) = img.dimensions();
        let start = Instant::now();
        let top = net.classify(img.as_raw(), w as usize, h as usize, 5)?;
        let ms = start.elapsed().as_secs_f64() * 1e3;
        let list: Vec<String> = top
            .iter()
            .map(|&(c, z)| format!("{} {z:.2}", names[c]))
            .collect();
        println!(
            "{} @{side} ({ms:.0} ms): {}",
            file.display(),
            list.join(", ")
        );
    }
    Ok(())
}
