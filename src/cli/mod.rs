//! Command-line arguments and the commands they run.

mod table;
mod train;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use smoothlab::{LabError, NoiseMode, OptimizerKind};

#[derive(Parser, Debug)]
#[command(
    name = "smoothlab",
    version,
    about = "What mislabeled data does to a classifier, and what label smoothing does about it"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a baseline (ε = 0) and a smoothed model side by side.
    Train(TrainArgs),
}

#[derive(Parser, Debug)]
pub struct TrainArgs {
    /// "digits" for the built-in sample, or a folder with one subfolder per class.
    #[arg(long, default_value = "digits")]
    pub data: String,
    /// Share of training labels to corrupt (0..1).
    #[arg(long, default_value_t = 0.0)]
    pub noise: f64,
    /// How labels are corrupted: flip, uniform or pair.
    #[arg(long, default_value = "flip", value_parser = parse_noise_mode)]
    pub noise_mode: NoiseMode,
    /// Label-smoothing ε of the smoothed model, in [0, 1).
    #[arg(long, default_value_t = 0.2)]
    pub smoothing: f64,
    #[arg(long, default_value_t = 50)]
    pub epochs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long = "lr", default_value_t = 1e-3)]
    pub learning_rate: f64,
    /// Hidden layer widths, comma separated (e.g. 256 or 128,64).
    #[arg(long, default_value = "256", value_delimiter = ',')]
    pub hidden: Vec<usize>,
    #[arg(long = "batch", default_value_t = 32)]
    pub batch_size: usize,
    #[arg(long, default_value = "adam", value_parser = parse_optimizer)]
    pub optimizer: OptimizerKind,
    /// SGD momentum.
    #[arg(long, default_value_t = 0.9)]
    pub momentum: f64,
    #[arg(long, default_value_t = 0.0)]
    pub weight_decay: f64,
    /// Side of the square images an image folder is resized to.
    #[arg(long, default_value_t = 32)]
    pub image_size: u32,
    /// Read an image folder as grayscale instead of RGB.
    #[arg(long)]
    pub gray: bool,
    /// Share of each class held out, clean, for test accuracy.
    #[arg(long, default_value_t = 0.2)]
    pub holdout: f64,
    /// Write the per-epoch curves of both models to this CSV file.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Print a table row every N epochs (the last epoch always prints).
    #[arg(long, default_value_t = 1)]
    pub every: usize,
}

fn parse_noise_mode(s: &str) -> Result<NoiseMode, String> {
    s.parse().map_err(|e: LabError| e.to_string())
}

fn parse_optimizer(s: &str) -> Result<OptimizerKind, String> {
    s.parse().map_err(|e: LabError| e.to_string())
}

pub fn run(cli: Cli) -> Result<(), LabError> {
    match cli.command {
        Command::Train(args) => train::run(&args),
    }
}
