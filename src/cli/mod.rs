//! Command-line arguments and the commands they run.

/// `println!` for the commands' output: when the reader goes away
/// (`smoothlab train | head`), the program ends quietly, as Unix tools do,
/// instead of panicking on the closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::write_line(format_args!($($arg)*))
    };
}

mod data;
mod embed;
mod find_issues;
mod samples;
mod sweep;
mod sweep_table;
mod table;
mod train;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use smoothlab::core::data::LabelSource;
use smoothlab::core::find::Filter;
use smoothlab::{LabError, NoiseMode, OptimizerKind, Settings};

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
    /// Rank the images whose labels look wrong (out-of-sample confident learning).
    FindIssues(FindIssuesArgs),
    /// Write each image's EfficientNet-Lite0 features to a CSV file.
    Embed(EmbedArgs),
    /// Train several ε side by side over a few seeds: does smoothing help
    /// beyond chance?
    Sweep(SweepArgs),
}

/// What the models see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Features {
    /// The raw pixels (for tiny images like the digits).
    Pixels,
    /// The 1280 features of a frozen ImageNet backbone, EfficientNet-Lite0
    /// (for photos).
    Effnet,
}

/// Where the images come from, and which labels to corrupt.
#[derive(Args, Debug)]
pub struct DataArgs {
    /// "digits" (the built-in sample), "cifar10n-catdog" or "cifar10n-small"
    /// (photos with human labels, see --labels), a folder with one subfolder
    /// per class, or a project .zip exported from the lab (or any ImageFolder
    /// zip).
    #[arg(long, default_value = "digits")]
    pub data: String,
    /// For the CIFAR-10N samples, whose labels train the models: aggre (the
    /// majority of three people), worse (a wrong one where any was wrong),
    /// random1, random2, random3 (one person), or true (the CIFAR-10 labels,
    /// e.g. with --noise). The truth is always the CIFAR-10 label.
    #[arg(long)]
    pub labels: Option<LabelSource>,
    /// Share of training labels to corrupt (0..1); the truth is remembered.
    #[arg(long, default_value_t = 0.0)]
    pub noise: f64,
    /// How labels are corrupted: flip, uniform or pair.
    #[arg(long, default_value = "flip", value_parser = parse_noise_mode)]
    pub noise_mode: NoiseMode,
    /// Side of the square images an image folder is resized to.
    #[arg(long, default_value_t = 32)]
    pub image_size: u32,
    /// Read an image folder as grayscale instead of RGB.
    #[arg(long)]
    pub gray: bool,
    /// Share of each class held out, clean, for test accuracy.
    #[arg(long, default_value_t = 0.2)]
    pub holdout: f64,
    /// Seed for the split, the noise, the weights and the batches.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// What the models see: raw pixels, or EfficientNet-Lite0 features of
    /// each original image.
    #[arg(long, value_enum, default_value_t = Features::Pixels)]
    pub features: Features,
    /// The backbone's input side in pixels (96 to 256), for --features effnet.
    #[arg(long, default_value_t = 128)]
    pub backbone_size: usize,
}

/// The model and how it is optimised.
#[derive(Args, Debug)]
pub struct ModelArgs {
    #[arg(long = "lr", default_value_t = 1e-3)]
    pub learning_rate: f64,
    /// Hidden layer widths, comma separated (e.g. 256 or 128,64); 0 for
    /// none (a linear model).
    #[arg(long, default_value = "256", value_delimiter = ',')]
    pub hidden: Vec<usize>,
    /// The same for a model on backbone features (--features effnet): by
    /// default linear, as in the lab's page.
    #[arg(long, default_value = "0", value_delimiter = ',')]
    pub features_hidden: Vec<usize>,
    #[arg(long = "batch", default_value_t = 32)]
    pub batch_size: usize,
    #[arg(long, default_value = "adam", value_parser = parse_optimizer)]
    pub optimizer: OptimizerKind,
    /// SGD momentum.
    #[arg(long, default_value_t = 0.9)]
    pub momentum: f64,
    #[arg(long, default_value_t = 0.0)]
    pub weight_decay: f64,
    /// How many times per epoch both models are measured (rows of the table).
    #[arg(long, default_value_t = 1)]
    pub points_per_epoch: usize,
}

/// "0" alone is no hidden layer.
fn layers(widths: &[usize]) -> Vec<usize> {
    if widths == [0] {
        Vec::new()
    } else {
        widths.to_vec()
    }
}

impl ModelArgs {
    pub fn settings(&self, smoothing: f64, seed: u64) -> Settings {
        Settings {
            smoothing,
            learning_rate: self.learning_rate,
            hidden: layers(&self.hidden),
            features_hidden: layers(&self.features_hidden),
            batch_size: self.batch_size,
            optimizer: self.optimizer,
            momentum: self.momentum,
            weight_decay: self.weight_decay,
            seed,
            points_per_epoch: self.points_per_epoch,
        }
    }
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Label-smoothing ε of the smoothed model, in [0, 1).
    #[arg(long, default_value_t = 0.2)]
    pub smoothing: f64,
    #[arg(long, default_value_t = 50)]
    pub epochs: usize,
    /// Write the per-epoch curves of both models to this CSV file.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Print a table row every N epochs (the last epoch always prints).
    #[arg(long, default_value_t = 1)]
    pub every: usize,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// The label-smoothing ε to compare, comma separated, each in [0, 1).
    #[arg(long, value_delimiter = ',', default_value = "0,0.05,0.1,0.2,0.3,0.5")]
    pub eps: Vec<f32>,
    /// How many seeds: --seed, --seed + 1, … draw the weights and the
    /// batches, while the split and the noise stay those of --seed.
    #[arg(long, default_value_t = 3)]
    pub seeds: u64,
    #[arg(long, default_value_t = 50)]
    pub epochs: usize,
    /// Write one line per ε (mean, sd, min and max of each measure, and n)
    /// to this CSV file.
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct FindIssuesArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Cross-validation folds: each image is scored by a model that never saw it.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Training epochs per fold (few: before the noise is memorized).
    #[arg(long, default_value_t = 10)]
    pub epochs: usize,
    /// Which images to flag: prune_by_noise_rate or confident_joint.
    #[arg(long, default_value = "prune_by_noise_rate", value_parser = parse_filter)]
    pub filter: Filter,
    /// How many of the worst images to print.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Write every flagged image, worst first, to this CSV file.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write the out-of-sample probabilities with the given labels (one row
    /// per image, one column per class), e.g. for cleanlab.
    #[arg(long)]
    pub probs_out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct EmbedArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The CSV to write: one row per image (file, given label, true label,
    /// then the 1280 features), e.g. for cleanlab or a UMAP.
    #[arg(long)]
    pub out: PathBuf,
}

fn parse_noise_mode(s: &str) -> Result<NoiseMode, String> {
    s.parse().map_err(|e: LabError| e.to_string())
}

fn parse_optimizer(s: &str) -> Result<OptimizerKind, String> {
    s.parse().map_err(|e: LabError| e.to_string())
}

fn parse_filter(s: &str) -> Result<Filter, String> {
    s.parse().map_err(|e: LabError| e.to_string())
}

pub fn run(cli: Cli) -> Result<(), LabError> {
    match cli.command {
        Command::Train(args) => train::run(&args),
        Command::FindIssues(args) => find_issues::run(&args),
        Command::Embed(args) => embed::run(args),
        Command::Sweep(args) => sweep::run(&args),
    }
}

/// One line to stdout (see `say!`): a closed pipe exits with success, any
/// other failure to write with an error.
pub fn write_line(line: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{line}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing the output: {e}");
        std::process::exit(1);
    }
}
