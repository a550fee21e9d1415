use super::super::Trainer;
use super::{LockstepReply, Resolution};
use crate::core::config::{Settings, TrainConfig};
use crate::core::data::{inject_noise, load_digits, Dataset, NoiseMode};
use crate::core::error::LabError;
use crate::core::train::EpochReport;

fn config(f: impl FnOnce(&mut Settings)) -> TrainConfig {
    let mut s = Settings {
        hidden: vec![24],
        batch_size: 50,
        points_per_epoch: 3,
        learning_rate: 0.003,
        ..Settings::default()
    };
    f(&mut s);
    s.validate().unwrap()
}

fn noisy_digits() -> Dataset {
    let mut ds = load_digits();
    inject_noise(&mut ds, NoiseMode::Flip, 0.3, 5).unwrap();
    ds
}

/// What a person does between slices, on every side alike.
#[derive(Clone, Copy)]
enum Change {
    Mislabel(usize),
    Epsilon(f64),
    AddImage,
    Remove(usize),
    /// An overflowed weight in a model (by its index in the run), as a far
    /// too large step leaves behind.
    Break(usize),
}

/// Makes `change` on one side; `slot(m)` is where model m of the run is
/// held on that side, if it is (the owner holds every model, lent or not:
/// a person's ε move reaches its copy at once, the lent side's with the
/// next slice).
fn apply(change: Change, ds: &mut Dataset, t: &mut Trainer, slot: impl Fn(usize) -> Option<usize>) {
    let smoothed = slot(1);
    match change {
        Change::Break(m) => {
            if let Some(i) = slot(m) {
                t.learners[i].model.layers[0].w[[0, 0]] = f32::INFINITY;
            }
        }
        Change::Mislabel(i) => {
            let to = (ds.samples()[i].given + 1) % ds.num_classes();
            ds.mislabel(i, to).unwrap();
        }
        Change::Epsilon(eps) => {
            if let Some(m) = smoothed {
                t.set_smoothing(m, eps).unwrap();
            }
        }
        Change::AddImage => {
            let pixels: Vec<u8> = (0..64).map(|p| (p * 3) as u8).collect();
            ds.add_sample("new", &pixels, 2, Some(2)).unwrap();
        }
        Change::Remove(i) => {
            ds.remove_sample(i).unwrap();
        }
    }
}

/// How a lockstep run went: the owner (with the lent model taken back),
/// its data, the step after which each change came, and the first error.
struct Run {
    owner: Trainer,
    ds: Dataset,
    change_steps: Vec<usize>,
    /// Steps one worker takes for the same run (to its first error).
    steps: usize,
    errors: Vec<String>,
}

/// Trains the pair with model `lend` lent to a second trainer, which gets
/// its own copy of the data and of the model through bytes, slice after
/// slice of the given sizes; after slice i, changes[i] (if any) is made on
/// both sides. Training goes on after an error, as after a person's Train.
fn lockstep(
    ds: &Dataset,
    config: TrainConfig,
    lend: usize,
    slices: &[usize],
    changes: &[(usize, Change)],
) -> Run {
    let mut ds = ds.clone();
    let mut owner = Trainer::paired(&ds, config).unwrap();
    let lent_bytes = owner.lend(lend).unwrap().encode().unwrap();
    let mut lent = Trainer::decode(&lent_bytes).unwrap();
    let mut lent_ds = Dataset::from_snapshot(&ds.to_snapshot()).unwrap();
    let (mut steps, mut change_steps, mut errors) = (0, Vec::new(), Vec::new());
    for (i, &max) in slices.iter().enumerate() {
        let own = owner.lockstep_steps(&ds, max).unwrap();
        let theirs = lent.lockstep_steps(&lent_ds, max).unwrap();
        let reply = lent.lockstep_reply(lend, theirs).encode();
        let reply = LockstepReply::decode(&reply).unwrap();
        // One worker stops at the first step that breaks a model.
        let broke = [&own, &reply.end]
            .iter()
            .filter_map(|end| end.failure.as_ref().map(|_| end.steps))
            .min();
        steps += broke.unwrap_or(own.steps);
        let (resolution, outcome) = owner.lockstep_finish(own, vec![reply]);
        // The resolution reaches the lent side before any change does
        // (it comes first in the next message).
        lent.resolve(Resolution::from_f64(resolution.to_f64()).unwrap());
        if let Err(e) = outcome {
            errors.push(e.to_string());
        }
        for &(_, change) in changes.iter().filter(|(at, _)| *at == i) {
            change_steps.push(steps);
            // Broken weights only where the model trains; ε on the owner always.
            let owner_slot =
                |m: usize| (m != lend || matches!(change, Change::Epsilon(_))).then_some(m);
            apply(change, &mut ds, &mut owner, owner_slot);
            apply(change, &mut lent_ds, &mut lent, |m| {
                (m == lend).then_some(0)
            });
        }
    }
    let back = Trainer::decode(&lent.encode().unwrap()).unwrap();
    owner.take_back(lend, back).unwrap();
    Run {
        owner,
        ds,
        change_steps,
        steps,
        errors,
    }
}

/// The same in one trainer, one step at a time, each change after the
/// step it came after in the lockstep run, going on after errors.
fn one_worker(
    ds: &Dataset,
    config: TrainConfig,
    run: &Run,
    changes: &[(usize, Change)],
) -> (Trainer, Dataset, Vec<String>) {
    let mut ds = ds.clone();
    let mut t = Trainer::paired(&ds, config).unwrap();
    let mut pending: Vec<(usize, Change)> = run
        .change_steps
        .iter()
        .zip(changes)
        .map(|(&at, &(_, c))| (at, c))
        .collect();
    pending.reverse();
    let mut errors = Vec::new();
    for step in 1..=run.steps {
        if let Err(e) = t.step(&ds) {
            errors.push(e.to_string());
        }
        while pending.last().is_some_and(|&(at, _)| at == step) {
            let (_, c) = pending.pop().unwrap();
            apply(c, &mut ds, &mut t, Some);
        }
    }
    (t, ds, errors)
}

/// Debug text compares NaN (unknown truths, empty bins) as equal to NaN,
/// bit patterns aside; the values are far too long to print.
fn same<T: std::fmt::Debug>(a: &T, b: &T) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn assert_same_run(a: &Trainer, a_ds: &Dataset, b: &Trainer, b_ds: &Dataset) {
    let reports = |t: &Trainer| -> Vec<EpochReport> { t.reports().to_vec() };
    assert!(same(&reports(a), &reports(b)), "the reports differ");
    assert!(
        same(&a.evaluations(), &b.evaluations()),
        "the last measurements differ"
    );
    for m in 0..2 {
        assert!(a.model(m) == b.model(m), "model {m} differs");
        let (pa, pb) = (
            a.cartography(m).unwrap().points(a_ds),
            b.cartography(m).unwrap().points(b_ds),
        );
        assert!(same(&pa, &pb), "data map {m} differs");
    }
    assert_eq!(
        (a.epoch(), a.cursor, a.epsilons()),
        (b.epoch(), b.cursor, b.epsilons())
    );
}

#[test]
fn lockstep_gives_the_one_worker_run_bit_for_bit() {
    let ds = noisy_digits();
    let slices: Vec<usize> = (0..160).map(|i| [7, 1, 13, 40, 3][i % 5]).collect();
    let changes = [
        (9, Change::Mislabel(3)),
        (20, Change::Epsilon(0.4)),
        (33, Change::AddImage),
        (50, Change::Remove(10)),
        (51, Change::Mislabel(400)),
    ];
    for lend in [1, 0] {
        let run = lockstep(&ds, config(|_| {}), lend, &slices, &changes);
        assert!(run.errors.is_empty(), "{:?}", run.errors);
        assert_eq!(run.change_steps.len(), changes.len());
        assert!(run.owner.epoch() >= 20, "the run covers many epochs");
        let (t, t_ds, errors) = one_worker(&ds, config(|_| {}), &run, &changes);
        assert!(errors.is_empty());
        assert_same_run(&run.owner, &run.ds, &t, &t_ds);
    }
}

#[test]
fn a_broken_model_rolls_every_side_back_as_one_worker_does() {
    let ds = noisy_digits();
    // A model breaks on the lent side and on the owner's, mid-epoch and in
    // an epoch's last slice (whose other side has measured an epoch end,
    // which it must undo); training goes on after each.
    let slices: Vec<usize> = (0..90).map(|i| [9, 4, 30][i % 3]).collect();
    let changes = [
        (5, Change::Break(1)),
        (12, Change::Break(0)),
        (28, Change::Break(1)),
        (29, Change::Break(0)),
        (47, Change::Break(0)),
        (47, Change::Break(1)),
    ];
    for lend in [1, 0] {
        let run = lockstep(&ds, config(|_| {}), lend, &slices, &changes);
        assert_eq!(run.errors.len(), 5, "{:?}", run.errors);
        let (t, t_ds, errors) = one_worker(&ds, config(|_| {}), &run, &changes);
        assert_eq!(run.errors, errors, "lent model {lend}");
        assert!(
            errors[0].contains("lower the learning rate"),
            "{}",
            errors[0]
        );
        assert_same_run(&run.owner, &run.ds, &t, &t_ds);
        assert!(t
            .reports()
            .iter()
            .all(|r| r.models.iter().all(|m| m.is_finite())));
    }
}

#[test]
fn an_epoch_end_measured_on_one_side_is_undone_when_the_other_broke() {
    // Slices that run to the epoch end: the side whose model is whole
    // measures the epoch end (data map, new order) while the other side
    // broke on the slice's first step.
    let ds = noisy_digits();
    let whole_epochs = config(|s| s.points_per_epoch = 1);
    for (lend, broken) in [(1, 1), (1, 0), (0, 0), (0, 1)] {
        let changes = [(2, Change::Break(broken))];
        let run = lockstep(&ds, whole_epochs.clone(), lend, &[1000; 7], &changes);
        assert_eq!(run.errors.len(), 1);
        let (t, t_ds, errors) = one_worker(&ds, whole_epochs.clone(), &run, &changes);
        assert_eq!(run.errors, errors);
        assert_same_run(&run.owner, &run.ds, &t, &t_ds);
        assert_eq!(t.epoch(), 6, "the broken epoch is trained again");
    }
}

#[test]
fn a_model_comes_back_only_to_its_own_place_in_the_run() {
    let ds = noisy_digits();
    let mut owner = Trainer::paired(&ds, config(|_| {})).unwrap();
    let lent = owner.lend(1).unwrap();
    assert!(owner.is_lent(1) && !owner.is_lent(0));
    assert!(owner.lend(1).is_err(), "a lent model is not lent twice");
    assert!(
        owner.encode().is_err(),
        "a trainer with a lent model is not copied"
    );
    owner.lockstep_steps(&ds, 3).unwrap();
    let e = owner.take_back(1, lent).unwrap_err();
    assert!(
        matches!(e, LabError::Dataset(_)) && e.to_string().contains("another point"),
        "{e}"
    );
    let damaged = Trainer::paired(&ds, config(|_| {}))
        .unwrap()
        .encode()
        .unwrap();
    assert!(Trainer::decode(&damaged[..damaged.len() - 3]).is_err());
}
