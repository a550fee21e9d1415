//! A trainer as bytes ([`crate::core::wire`]): what a lent model needs to go
//! on in another worker (the settings, its learner and data map, and where
//! the run stands: the order, cursor, shuffle, epoch), and the lockstep
//! messages: a slice's resolution and a lent model's reply.

use super::{LockstepReply, Resolution, SliceEnd, Trainer};
use crate::core::config::Settings;
use crate::core::error::{LabError, Result};
use crate::core::rng::Rng;
use crate::core::train::wire::{put_present, read_present};
use crate::core::train::{Cartography, Evaluation, Learner};
use crate::core::wire::{Reader, Writer};

const MAGIC: &[u8; 4] = b"SLTR";
const VERSION: u32 = 1;

impl Trainer {
    /// A trainer with no point pending, as bytes ([`Trainer::decode`]).
    pub fn encode(&self) -> Result<Vec<u8>> {
        if self.pending.is_some() || self.lent.iter().any(|&l| l) {
            return Err(LabError::Dataset(
                "a trainer is copied only between slices, with all its models".into(),
            ));
        }
        let settings = serde_json::to_string(self.config.settings())
            .map_err(|e| LabError::Dataset(format!("settings: {e}")))?;
        let mut w = Writer::default();
        w.raw(MAGIC);
        w.u32(VERSION);
        w.str(&settings);
        w.len(self.learners.len());
        for (l, map) in self.learners.iter().zip(&self.cartography) {
            l.encode(&mut w);
            map.encode(&mut w);
        }
        w.u64(self.shuffle.state());
        w.len(self.order.len());
        for &i in &self.order {
            w.u32(i as u32);
        }
        for v in [self.cursor, self.epoch, self.shape.0, self.shape.1] {
            w.u64(v as u64);
        }
        w.u64(self.restarts);
        w.u64(self.seen_revision);
        w.f64(self.last_point);
        Ok(w.bytes)
    }

    pub fn decode(bytes: &[u8]) -> Result<Trainer> {
        let mut r = Reader::new(bytes, "the lent model");
        if r.take(4)? != MAGIC || r.u32()? != VERSION {
            return Err(r.bad("not a trainer of this version"));
        }
        let settings: Settings = serde_json::from_str(&r.string()?)
            .map_err(|e| r.bad(&format!("its settings do not read: {e}")))?;
        let config = settings.validate()?;
        let n = r.len(1)?;
        let mut learners = Vec::with_capacity(n);
        let mut cartography = Vec::with_capacity(n);
        for _ in 0..n {
            learners.push(Learner::decode(&mut r, &config)?);
            cartography.push(Cartography::decode(&mut r)?);
        }
        let shuffle = Rng::new(r.u64()?);
        let order: Vec<usize> = (0..r.len(4)?)
            .map(|_| r.u32().map(|i| i as usize))
            .collect::<Result<_>>()?;
        let mut at = || r.u64().map(|v| v as usize);
        let (cursor, epoch, dim, classes) = (at()?, at()?, at()?, at()?);
        let (restarts, seen_revision, last_point) = (r.u64()?, r.u64()?, r.f64()?);
        r.finish()?;
        if cursor > order.len() || learners.is_empty() {
            return Err(r.bad("its place in the run is out of range"));
        }
        let mut t = Trainer::build_empty(config);
        t.lent = vec![false; learners.len()];
        (t.learners, t.cartography, t.shuffle, t.order) = (learners, cartography, shuffle, order);
        (t.cursor, t.epoch, t.shape) = (cursor, epoch, (dim, classes));
        (t.restarts, t.seen_revision, t.last_point) = (restarts, seen_revision, last_point);
        Ok(t)
    }
}

fn put_end(w: &mut Writer, end: &SliceEnd) {
    w.u64(end.steps as u64);
    w.u64(end.cursor as u64);
    w.u8(end.point as u8 | (end.epoch_end as u8) << 1);
    put_present(w, end.failure.is_some());
    if let Some((model, what)) = &end.failure {
        w.len(*model);
        w.str(what);
    }
}

fn read_end(r: &mut Reader) -> Result<SliceEnd> {
    let steps = r.u64()? as usize;
    let cursor = r.u64()? as usize;
    let flags = r.u8()?;
    let failure = if read_present(r)? {
        Some((r.u32()? as usize, r.string()?))
    } else {
        None
    };
    Ok(SliceEnd {
        steps,
        cursor,
        point: flags & 1 != 0,
        epoch_end: flags & 2 != 0,
        failure,
    })
}

impl LockstepReply {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.len(self.model);
        put_end(&mut w, &self.end);
        put_present(&mut w, self.evaluation.is_some());
        if let Some(e) = &self.evaluation {
            e.encode(&mut w);
        }
        put_present(&mut w, self.cartography.is_some());
        if let Some(map) = &self.cartography {
            map.encode(&mut w);
        }
        w.bytes
    }

    pub fn decode(bytes: &[u8]) -> Result<LockstepReply> {
        let mut r = Reader::new(bytes, "a lent model's reply");
        let model = r.u32()? as usize;
        let end = read_end(&mut r)?;
        let evaluation = read_present(&mut r)?
            .then(|| Evaluation::decode(&mut r))
            .transpose()?;
        let cartography = read_present(&mut r)?
            .then(|| Cartography::decode(&mut r))
            .transpose()?;
        r.finish()?;
        Ok(LockstepReply {
            model,
            end,
            evaluation,
            cartography,
        })
    }
}

impl Resolution {
    /// As a number for a message: −1 to commit, else the cursor to roll back to.
    pub fn to_f64(self) -> f64 {
        match self {
            Resolution::Commit => -1.0,
            Resolution::RollBack { cursor } => cursor as f64,
        }
    }

    pub fn from_f64(v: f64) -> Result<Resolution> {
        if v == -1.0 {
            return Ok(Resolution::Commit);
        }
        if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
            return Ok(Resolution::RollBack { cursor: v as usize });
        }
        Err(LabError::Dataset(format!(
            "{v} is not a slice's resolution"
        )))
    }
}
