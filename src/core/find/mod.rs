//! Finding mislabeled images: k-fold cross-validation for out-of-sample
//! probabilities, then confident learning ranks the likely label errors.

mod confident;
mod crossval;
mod finder;

pub use confident::*;
pub use crossval::*;
pub use finder::*;
