//! The network: an MLP with a hand-written backward pass, smoothed
//! cross-entropy on a stable log-softmax, and the optimisers.

mod loss;
mod mlp;
mod optim;
mod wire;

pub use loss::*;
pub use mlp::{Grads, Mlp, Workspace};
pub use optim::Optimizer;
