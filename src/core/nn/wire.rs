//! A model and its optimiser state as bytes ([`crate::core::wire`]), so that
//! a model lent to a pool worker goes on there with exactly its weights,
//! moments and step count.

use ndarray::{Array1, Array2};

use super::mlp::Dense;
use super::{Grads, Mlp, Optimizer};
use crate::core::config::OptimizerKind;
use crate::core::error::Result;
use crate::core::wire::{Reader, Writer};

fn put_matrix(w: &mut Writer, m: &Array2<f32>) {
    w.len(m.nrows());
    w.len(m.ncols());
    for &v in m.iter() {
        w.f32(v);
    }
}

fn read_matrix(r: &mut Reader) -> Result<Array2<f32>> {
    let rows = r.len(0)?;
    let cols = r.len(0)?;
    let n = rows
        .checked_mul(cols)
        .ok_or_else(|| r.bad("a matrix is too large"))?;
    let values = (0..n).map(|_| r.f32()).collect::<Result<Vec<f32>>>()?;
    Array2::from_shape_vec((rows, cols), values).map_err(|_| r.bad("a matrix has the wrong size"))
}

fn put_vector(w: &mut Writer, v: &Array1<f32>) {
    w.f32s(v.as_slice().expect("a vector is contiguous"));
}

fn read_vector(r: &mut Reader) -> Result<Array1<f32>> {
    Ok(Array1::from(r.f32s()?))
}

impl Mlp {
    pub fn encode(&self, w: &mut Writer) {
        w.len(self.layers.len());
        for layer in &self.layers {
            put_matrix(w, &layer.w);
            put_vector(w, &layer.b);
        }
    }

    pub fn decode(r: &mut Reader) -> Result<Mlp> {
        let n = r.len(16)?;
        let layers = (0..n)
            .map(|_| {
                Ok(Dense {
                    w: read_matrix(r)?,
                    b: read_vector(r)?,
                })
            })
            .collect::<Result<Vec<Dense>>>()?;
        let chained = layers.windows(2).all(|p| p[0].w.ncols() == p[1].w.nrows());
        let biased = layers.iter().all(|l| l.b.len() == l.w.ncols());
        if layers.is_empty() || !chained || !biased {
            return Err(r.bad("the layers do not fit together"));
        }
        Ok(Mlp { layers })
    }
}

fn put_grads(w: &mut Writer, g: &Grads) {
    w.len(g.dw.len());
    for (dw, db) in g.dw.iter().zip(&g.db) {
        put_matrix(w, dw);
        put_vector(w, db);
    }
}

/// Moments shaped like `model`, or an error.
fn read_grads(r: &mut Reader, model: &Mlp) -> Result<Grads> {
    let n = r.len(16)?;
    let mut g = Grads {
        dw: Vec::with_capacity(n),
        db: Vec::with_capacity(n),
    };
    for _ in 0..n {
        g.dw.push(read_matrix(r)?);
        g.db.push(read_vector(r)?);
    }
    let shaped = n == model.layers.len()
        && model
            .layers
            .iter()
            .enumerate()
            .all(|(l, layer)| g.dw[l].dim() == layer.w.dim() && g.db[l].len() == layer.b.len());
    if !shaped {
        return Err(r.bad("the optimiser's moments do not fit the model"));
    }
    Ok(g)
}

impl Optimizer {
    pub fn encode(&self, w: &mut Writer) {
        w.u8(match self.kind {
            OptimizerKind::Sgd => 0,
            OptimizerKind::Adam => 1,
        });
        for v in [self.lr, self.momentum, self.weight_decay] {
            w.f32(v);
        }
        w.u32(self.t as u32);
        put_grads(w, &self.m);
        put_grads(w, &self.v);
    }

    /// The state of an optimiser of `model`.
    pub fn decode(r: &mut Reader, model: &Mlp) -> Result<Optimizer> {
        let kind = match r.u8()? {
            0 => OptimizerKind::Sgd,
            1 => OptimizerKind::Adam,
            _ => return Err(r.bad("an unknown optimiser")),
        };
        let (lr, momentum, weight_decay) = (r.f32()?, r.f32()?, r.f32()?);
        let t = r.u32()? as i32;
        let m = read_grads(r, model)?;
        let v = read_grads(r, model)?;
        Ok(Optimizer {
            kind,
            lr,
            momentum,
            weight_decay,
            m,
            v,
            t,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Settings;

    #[test]
    fn a_trained_model_and_its_moments_read_back_exactly() {
        let mut model = Mlp::new(&[3, 4, 2], 7);
        let settings = Settings {
            optimizer: OptimizerKind::Adam,
            ..Settings::default()
        };
        let mut opt = Optimizer::new(&model, &settings.validate().unwrap());
        let mut grads = model.zero_grads();
        grads.dw[0].fill(0.5);
        grads.db[1].fill(-0.25);
        opt.step(&mut model, &grads);
        let mut w = Writer::default();
        model.encode(&mut w);
        opt.encode(&mut w);
        let mut r = Reader::new(&w.bytes, "the model copy");
        let copy = Mlp::decode(&mut r).unwrap();
        let opt_copy = Optimizer::decode(&mut r, &copy).unwrap();
        r.finish().unwrap();
        assert_eq!(copy, model);
        // The copy steps exactly as the original does.
        let (mut a, mut b) = (model.clone(), copy);
        let (mut oa, mut ob) = (opt, opt_copy);
        oa.step(&mut a, &grads);
        ob.step(&mut b, &grads);
        assert_eq!(a, b);
    }

    #[test]
    fn moments_of_another_model_are_refused() {
        let model = Mlp::new(&[3, 4, 2], 7);
        let opt = Optimizer::new(&model, &Settings::default().validate().unwrap());
        let mut w = Writer::default();
        opt.encode(&mut w);
        let other = Mlp::new(&[3, 5, 2], 7);
        let e = Optimizer::decode(&mut Reader::new(&w.bytes, "the copy"), &other).unwrap_err();
        assert!(e.to_string().contains("do not fit"), "{e}");
    }
}
