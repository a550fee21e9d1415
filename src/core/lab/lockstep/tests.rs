use super::super::{Lab, LentModel};
use crate::core::config::Settings;
use crate::core::train::{ModelId, Resolution};
use crate::core::NoiseMode;

fn settings() -> Settings {
    Settings {
        hidden: vec![32],
        batch_size: 40,
        points_per_epoch: 2,
        ..Settings::default()
    }
}

/// A pool worker as the session worker drives it: what it was last sent of
/// the data, and the resolution it is owed.
struct Peer {
    lent: LentModel,
    stamp: Option<(u64, u64)>,
    owed: Option<Resolution>,
}

impl Peer {
    fn new() -> Peer {
        Peer {
            lent: LentModel::default(),
            stamp: None,
            owed: None,
        }
    }

    /// One slice, as the page's worker runs it: lend or resolve, copy what
    /// changed, step both sides, combine.
    fn slice(&mut self, lab: &mut Lab, max: usize) -> (usize, Option<String>) {
        lab.prepare_training().unwrap();
        if !lab.is_lent(1) {
            let bytes = lab.lend_model(1).unwrap();
            self.lent.lend(1, &bytes).unwrap();
        } else if let Some(r) = self.owed.take() {
            self.lent.resolve(r).unwrap();
        }
        let stamp = lab.data_stamp();
        if self.stamp.map(|s| s.0) != Some(stamp.0) {
            self.lent.set_dataset(&lab.dataset().to_snapshot()).unwrap();
        } else if self.stamp != Some(stamp) {
            self.lent.set_labels(&lab.dataset().label_arrays()).unwrap();
        }
        self.stamp = Some(stamp);
        self.lent.set_smoothing(lab.epsilon_of(1) as f64).unwrap();
        let reply = self.lent.slice(max).unwrap();
        let own = lab.lockstep_steps(max).unwrap();
        let out = lab.finish_lockstep(own, &[&reply]).unwrap();
        assert!(!out.void);
        self.owed = Some(out.resolution);
        (out.steps, out.error)
    }

    fn give_back(&mut self, lab: &mut Lab) {
        if let Some(r) = self.owed.take() {
            self.lent.resolve(r).unwrap();
        }
        lab.take_back_model(1, &self.lent.give_back().unwrap())
            .unwrap();
    }
}

/// What a person does, by the slice after which it happens.
fn change(lab: &mut Lab, slice: usize) {
    let id = |lab: &Lab, i: usize| lab.dataset().samples()[i].id;
    match slice {
        3 => lab.set_smoothing(0.35).unwrap(),
        7 => lab.mislabel(id(lab, 5), 3).unwrap(),
        11 => {
            lab.inject_noise(NoiseMode::Flip, 0.2, 9).unwrap();
        }
        16 => lab.remove_image(id(lab, 40)).unwrap(),
        21 => lab.set_label(id(lab, 100), 7).unwrap(),
        _ => {}
    }
}

fn same_view(a: &Lab, b: &Lab) {
    let text = |l: &Lab| {
        let models = [ModelId::Baseline, ModelId::Smoothed];
        let per_model: Vec<String> = models
            .iter()
            .map(|&m| {
                format!(
                    "{:?} {:?} {:?}",
                    l.losses_given(m),
                    l.predictions(m),
                    l.data_map(m)
                )
            })
            .collect();
        format!("{:?} {per_model:?} {}", l.reports(), l.epoch())
    };
    assert!(text(a) == text(b), "the lab's reads differ");
}

#[test]
fn a_lab_with_its_smoothed_model_lent_reads_as_one_that_trains_both() {
    let slices: Vec<usize> = (0..30).map(|i| [6, 25, 2][i % 3]).collect();
    let mut lab = Lab::sample(settings()).unwrap();
    let mut peer = Peer::new();
    let mut taken = Vec::new();
    for (i, &max) in slices.iter().enumerate() {
        let (steps, error) = peer.slice(&mut lab, max);
        assert_eq!(error, None);
        taken.push(steps);
        change(&mut lab, i);
    }
    // The model comes back and training goes on here.
    peer.give_back(&mut lab);
    assert!(!lab.is_lent(1));
    lab.step(17).unwrap();

    let mut one = Lab::sample(settings()).unwrap();
    for (i, &n) in taken.iter().enumerate() {
        one.step(n).unwrap();
        change(&mut one, i);
    }
    one.step(17).unwrap();
    assert!(lab.epoch() >= 3);
    same_view(&lab, &one);
}

#[test]
fn an_epsilon_moved_before_the_model_comes_back_stays() {
    let mut lab = Lab::sample(settings()).unwrap();
    let mut peer = Peer::new();
    peer.slice(&mut lab, 30);
    // The slider moves after the last slice: the worker has not heard.
    lab.set_smoothing(0.35).unwrap();
    peer.give_back(&mut lab);
    assert_eq!(lab.epsilon_of(1), 0.35);
    lab.step(3).unwrap();
    assert_eq!(lab.trainer().unwrap().epsilons(), vec![0.0, 0.35]);
}

#[test]
fn a_reply_for_a_restarted_run_is_void() {
    let mut lab = Lab::sample(settings()).unwrap();
    let mut peer = Peer::new();
    peer.slice(&mut lab, 5);
    let bytes = {
        peer.lent.resolve(peer.owed.take().unwrap()).unwrap();
        peer.lent.slice(5).unwrap()
    };
    let own = lab.lockstep_steps(5).unwrap();
    lab.restart().unwrap();
    let out = lab.finish_lockstep(own, &[&bytes]).unwrap();
    assert!(out.void && lab.reports().is_empty() && !lab.is_lent(1));
    assert!(lab.step(1).is_ok(), "the new run trains here");
    let mut lent = Lab::sample(settings()).unwrap();
    lent.lend_model(1).unwrap();
    let e = lent.step(1).unwrap_err().to_string();
    assert!(e.contains("another worker"), "{e}");
}
