//! What a model lent to a pool worker sends back, as bytes
//! ([`crate::core::wire`]): its measurement at a point (the report and the
//! per-image values) and its data map; and the learner itself, to lend and
//! take back. Every float goes as its bits, so the owner records exactly
//! what training in one worker would have recorded.

use std::collections::HashMap;

use super::cartography::Track;
use super::{Cartography, Evaluation, Learner, ModelReport, ReliabilityBin, Welford};
use crate::core::config::TrainConfig;
use crate::core::error::Result;
use crate::core::nn::{Mlp, Optimizer};
use crate::core::wire::{Reader, Writer};

const NONE: u32 = u32::MAX;

fn put_report(w: &mut Writer, r: &ModelReport) {
    w.f64(r.epsilon);
    w.f64(r.objective);
    for v in [r.clean_loss, r.noisy_loss, r.noisy_true_loss] {
        w.opt_f64(v);
    }
    w.f64(r.train_acc);
    for v in [r.memorized, r.corrected, r.test_acc, r.test_loss] {
        w.opt_f64(v);
    }
    w.opt_f64(r.test_ece);
    w.opt_f64(r.pure_ratio);
    for n in [r.n_clean, r.n_noisy, r.n_test] {
        w.len(n);
    }
}

fn read_report(r: &mut Reader) -> Result<ModelReport> {
    Ok(ModelReport {
        epsilon: r.f64()?,
        objective: r.f64()?,
        clean_loss: r.opt_f64()?,
        noisy_loss: r.opt_f64()?,
        noisy_true_loss: r.opt_f64()?,
        train_acc: r.f64()?,
        memorized: r.opt_f64()?,
        corrected: r.opt_f64()?,
        test_acc: r.opt_f64()?,
        test_loss: r.opt_f64()?,
        test_ece: r.opt_f64()?,
        pure_ratio: r.opt_f64()?,
        n_clean: r.u32()? as usize,
        n_noisy: r.u32()? as usize,
        n_test: r.u32()? as usize,
    })
}

impl Evaluation {
    pub fn encode(&self, w: &mut Writer) {
        put_report(w, &self.report);
        w.f32s(&self.loss_given);
        w.f32s(&self.loss_true);
        w.len(self.predictions.len());
        for &p in &self.predictions {
            w.u32(p);
        }
        w.len(self.ids.len());
        for &id in &self.ids {
            w.u64(id);
        }
        w.len(self.reliability.len());
        for b in &self.reliability {
            w.len(b.count);
            w.f64(b.confidence);
            w.f64(b.accuracy);
        }
    }

    pub fn decode(r: &mut Reader) -> Result<Evaluation> {
        let report = read_report(r)?;
        let loss_given = r.f32s()?;
        let loss_true = r.f32s()?;
        let predictions = (0..r.len(4)?).map(|_| r.u32()).collect::<Result<_>>()?;
        let ids: Vec<u64> = (0..r.len(8)?).map(|_| r.u64()).collect::<Result<_>>()?;
        let reliability = (0..r.len(20)?)
            .map(|_| {
                Ok(ReliabilityBin {
                    count: r.u32()? as usize,
                    confidence: r.f64()?,
                    accuracy: r.f64()?,
                })
            })
            .collect::<Result<_>>()?;
        let e = Evaluation {
            report,
            loss_given,
            loss_true,
            predictions,
            ids,
            reliability,
        };
        let n = e.ids.len();
        if e.loss_given.len() != n || e.loss_true.len() != n || e.predictions.len() != n {
            return Err(r.bad("its per-image values do not line up"));
        }
        Ok(e)
    }
}

impl Cartography {
    pub fn encode(&self, w: &mut Writer) {
        w.len(self.tracks.len());
        for (&id, t) in &self.tracks {
            w.u64(id);
            w.u32(t.given as u32);
            w.u32(t.stats.count);
            w.f64(t.stats.mean);
            w.f64(t.stats.m2);
        }
    }

    pub fn decode(r: &mut Reader) -> Result<Cartography> {
        let n = r.len(32)?;
        let mut tracks = HashMap::with_capacity(n);
        for _ in 0..n {
            let id = r.u64()?;
            let given = r.u32()? as usize;
            let stats = Welford {
                count: r.u32()?,
                mean: r.f64()?,
                m2: r.f64()?,
            };
            tracks.insert(id, Track { given, stats });
        }
        Ok(Cartography { tracks })
    }
}

impl Learner {
    pub(crate) fn encode(&self, w: &mut Writer) {
        w.f32(self.epsilon);
        self.model.encode(w);
        self.optimizer().encode(w);
        self.snapshot.0.encode(w);
        self.snapshot.1.encode(w);
    }

    pub(crate) fn decode(r: &mut Reader, config: &TrainConfig) -> Result<Learner> {
        let epsilon = r.f32()?;
        let model = Mlp::decode(r)?;
        let optimizer = Optimizer::decode(r, &model)?;
        let saved = Mlp::decode(r)?;
        let saved_optimizer = Optimizer::decode(r, &saved)?;
        if saved.sizes() != model.sizes() {
            return Err(r.bad("the saved weights are of another model"));
        }
        let snapshot = (saved, saved_optimizer);
        Ok(Learner::from_parts(
            epsilon, model, optimizer, snapshot, config,
        ))
    }
}

/// Writes `None` as a marker, for the optional parts of a reply.
pub(super) fn put_present(w: &mut Writer, present: bool) {
    w.u32(if present { 1 } else { NONE });
}

pub(super) fn read_present(r: &mut Reader) -> Result<bool> {
    match r.u32()? {
        1 => Ok(true),
        NONE => Ok(false),
        _ => Err(r.bad("a part is neither there nor missing")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::data::{inject_noise, load_digits, NoiseMode};
    use crate::core::train::evaluate;

    #[test]
    fn a_measurement_and_a_data_map_read_back_exactly() {
        let mut ds = load_digits();
        inject_noise(&mut ds, NoiseMode::Flip, 0.3, 1).unwrap();
        let model = Mlp::new(&[64, 8, 10], 3);
        let e = evaluate(&model, &ds, 0.2);
        let mut map = Cartography::default();
        map.record(&ds, &e);
        map.record(&ds, &evaluate(&Mlp::new(&[64, 8, 10], 4), &ds, 0.2));
        let mut w = Writer::default();
        e.encode(&mut w);
        map.encode(&mut w);
        let mut r = Reader::new(&w.bytes, "the reply");
        let back = Evaluation::decode(&mut r).unwrap();
        let map_back = Cartography::decode(&mut r).unwrap();
        r.finish().unwrap();
        // Bit for bit: NaN (unknown truths) compares by its bits here.
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.loss_true), bits(&e.loss_true));
        assert_eq!(back.report, e.report);
        assert_eq!(back.loss_given, e.loss_given);
        assert_eq!(back.predictions, e.predictions);
        assert_eq!(back.ids, e.ids);
        // Empty bins hold NaN, equal to NaN only as text.
        assert_eq!(
            format!("{:?}", back.reliability),
            format!("{:?}", e.reliability)
        );
        assert_eq!(map_back.points(&ds), map.points(&ds));
    }
}
