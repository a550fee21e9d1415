//! The wasm `Lab` in a real headless browser (wasm-pack test --chrome):
//! real PNG and JPEG bytes in, training steps, and errors as JS exceptions.
#![cfg(target_arch = "wasm32")]

use smoothlab::wasm::{LabHandle as Lab, ProjectReader};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CATS: [(&str, &[u8]); 2] = [
    (
        "cat_0.png",
        include_bytes!("fixtures/folders/cats/cat_0.png"),
    ),
    (
        "cat_1.jpg",
        include_bytes!("fixtures/folders/cats/cat_1.jpg"),
    ),
];
const DOGS: [(&str, &[u8]); 2] = [
    (
        "dog_0.png",
        include_bytes!("fixtures/folders/dogs/dog_0.png"),
    ),
    (
        "dog_1.jpg",
        include_bytes!("fixtures/folders/dogs/dog_1.jpg"),
    ),
];

fn message(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    let err: js_sys::Error = v.dyn_into().expect("a JS Error");
    err.message().into()
}

fn session() -> Lab {
    let mut s = Lab::new(
        r#"{"kind": "empty", "side": 16, "color": "rgb"}"#,
        r#"{"seed": 1}"#,
    )
    .unwrap();
    assert_eq!(s.add_class("cats").unwrap(), 0);
    assert_eq!(s.add_class("dogs").unwrap(), 1);
    for _ in 0..3 {
        for (name, bytes) in CATS {
            s.add_image(name, bytes, 0.0).unwrap();
        }
        for (name, bytes) in DOGS {
            s.add_image(name, bytes, 1.0).unwrap();
        }
    }
    s
}

#[wasm_bindgen_test]
fn trains_on_real_png_and_jpeg_bytes() {
    let mut s = session();
    let spe = s.steps_per_epoch();
    assert!(spe >= 1);
    assert_eq!(s.step(spe as f64 * 2.0).unwrap(), 2);
    assert_eq!(s.epoch(), 2);
    assert_eq!(s.report_count(), 2);
    let reports = s.reports_json(1.0).unwrap();
    assert!(reports.contains("\"baseline\"") && reports.contains("\"smoothed\""));
    assert!(reports.starts_with("[{\"epoch\":2.0,"), "{reports}");
    let losses = s.losses_given("smoothed").unwrap().to_vec();
    assert_eq!(losses.len(), 12);
    assert!(losses.iter().all(|v| v.is_finite() && *v >= 0.0));
    assert_eq!(s.thumbnail_rgba(0.0).unwrap().length(), 16 * 16 * 4);
}

#[wasm_bindgen_test]
fn the_data_map_packs_five_numbers_per_training_image() {
    let mut s = session();
    let spe = s.steps_per_epoch();
    s.step(spe as f64 * 2.0).unwrap();
    let first = s.data_map_ids().to_vec()[0];
    let given = s.data_map("baseline").unwrap().to_vec()[3];
    s.mislabel(first as f64, 1.0 - given as f64).unwrap();
    let ids = s.data_map_ids().to_vec();
    let values = s.data_map("baseline").unwrap().to_vec();
    assert!(ids.len() < 12, "held-out images are not on the map");
    assert_eq!(values.len(), 5 * ids.len());
    for (&id, v) in ids.iter().zip(values.chunks_exact(5)) {
        let (confidence, variability, epochs, given_now, truth) = (v[0], v[1], v[2], v[3], v[4]);
        if id == first {
            // Mislabelled after two epochs: its series starts over.
            assert_eq!((epochs, given_now, truth), (0.0, 1.0 - given, given));
            assert!(confidence.is_nan() && variability.is_nan());
        } else {
            assert_eq!(epochs, 2.0);
            assert_eq!(given_now, truth);
            assert!((0.0..=1.0).contains(&confidence) && (0.0..=0.5).contains(&variability));
        }
    }
}

#[wasm_bindgen_test]
fn mislabel_and_noise_are_tracked() {
    let mut s = session();
    s.mislabel(0.0, 1.0).unwrap();
    assert!(s.dataset_json().unwrap().contains("\"mislabeled\":1"));
    s.set_label(0.0, 1.0).unwrap();
    assert!(s.dataset_json().unwrap().contains("\"mislabeled\":0"));
    let flipped = s.inject_noise("pair", 0.5, 3.0).unwrap();
    assert!(flipped > 0);
    assert_eq!(s.clear_noise(), flipped);
}

#[wasm_bindgen_test]
fn bad_epsilon_is_a_js_error() {
    let mut s = session();
    let msg = message(s.set_smoothing(1.0).unwrap_err());
    assert!(msg.contains("smoothing must be in [0, 1)"), "{msg}");
    let msg = message(s.configure(r#"{"learningRate": -1}"#).unwrap_err());
    assert!(msg.contains("learning rate"), "{msg}");
}

#[wasm_bindgen_test]
fn corrupt_bytes_are_a_js_error_and_lose_nothing() {
    let mut s = session();
    let truncated = &CATS[1].1[..CATS[1].1.len() / 3];
    let msg = message(s.add_image("broken.jpg", truncated, 0.0).unwrap_err());
    assert!(msg.starts_with("broken.jpg: "), "{msg}");
    let msg = message(s.add_image("notes.png", b"hello", 0.0).unwrap_err());
    assert!(msg.starts_with("notes.png: "), "{msg}");
    assert!(s.add_image("x.png", CATS[0].1, 9.0).is_err());
    assert!(s.dataset_json().unwrap().contains("\"counts\":[6,6]"));
}

#[wasm_bindgen_test]
fn sample_digits_train() {
    let mut s = Lab::new(r#"{"kind": "sample"}"#, r#"{"seed": 1}"#).unwrap();
    s.inject_noise("flip", 0.2, 1.0).unwrap();
    assert_eq!(s.step(5.0).unwrap(), 0);
    assert!(message(s.losses_given("other").unwrap_err()).contains("baseline"));
}

#[wasm_bindgen_test]
fn finds_a_mislabeled_image() {
    let mut s = session();
    s.mislabel(0.0, 1.0).unwrap();
    assert!(s.find_issues_step(1.0).is_err());
    s.start_find_issues(2.0, 30.0).unwrap();
    while !s.find_issues_step(50.0).unwrap().contains("\"done\":true") {}
    let json = s.find_issues_json("prune_by_noise_rate").unwrap();
    assert!(json.contains("\"outOfSample\""), "{json}");
    assert!(message(s.find_issues_json("best").unwrap_err()).contains("filter"));
}

#[wasm_bindgen_test]
fn a_project_exports_and_reads_back_in_the_browser() {
    let mut s = session();
    let ids: Vec<f64> = serde_json::from_str::<serde_json::Value>(&s.dataset_json().unwrap())
        .unwrap()["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_f64().unwrap())
        .collect();
    s.mislabel(ids[0], 1.0).unwrap();
    // Original bytes for the first image only; the rest are written as PNGs.
    let first = ids[0];
    let original = wasm_bindgen::closure::Closure::<dyn Fn(f64) -> JsValue>::new(move |id: f64| {
        if id == first {
            js_sys::Uint8Array::from(CATS[0].1).into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let zip = s
        .export_project(original.as_ref().unchecked_ref())
        .unwrap()
        .to_vec();

    let mut reader = ProjectReader::new(&zip).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&reader.manifest_json().unwrap()).unwrap();
    assert_eq!(manifest["classes"], serde_json::json!(["cats", "dogs"]));
    assert_eq!(manifest["images"][0]["file"], "dogs/cat_0.png");
    assert_eq!(manifest["images"][0]["mislabeled"], true);
    assert_eq!(manifest["images"][1]["file"], "cats/cat_1.png");
    assert_eq!(manifest["images"][5]["file"], "cats/cat_1-2.png");
    let images: serde_json::Value = serde_json::from_str(&reader.images_json().unwrap()).unwrap();
    assert_eq!(images.as_array().unwrap().len(), 12);
    assert_eq!(reader.take_bytes(0).unwrap().to_vec(), CATS[0].1);

    // A zip that climbs out of its folder is a JS error naming the file.
    let err = ProjectReader::new(include_bytes!("fixtures/projects/traversal.zip")).err();
    assert!(message(err.unwrap()).contains("../evil.png"));
}

#[wasm_bindgen_test]
fn the_backbone_runs_in_the_browser_as_it_does_natively() {
    use smoothlab::wasm::BackboneHandle as Backbone;
    let mut net = Backbone::new(
        include_bytes!("../data/backbone/efficientnet-lite0.bin"),
        128.0,
    )
    .unwrap();
    let features = net.embed_file("cat_0.png", CATS[0].1).unwrap().to_vec();
    assert_eq!(features.len(), 1280);
    assert!(features.iter().all(|v| (0.0..=6.0).contains(v)));
    // The same file through `smoothlab embed` natively (6 decimals a value).
    let sum: f32 = features.iter().sum();
    assert!((sum - 297.8645).abs() < 0.01, "sum of the features {sum}");
    assert_eq!(
        net.embed_file("cat_0.png", CATS[0].1).unwrap().to_vec(),
        features
    );
    let msg = message(net.embed_file("notes.png", b"hello").err().unwrap());
    assert!(msg.starts_with("notes.png: "), "{msg}");
    assert!(Backbone::new(b"not weights", 128.0).is_err());
}

#[wasm_bindgen_test]
fn a_model_lent_to_another_instance_trains_as_in_one_lab() {
    use smoothlab::wasm::LentModelHandle as LentModel;
    let open = || {
        let mut s = Lab::new(
            r#"{"kind": "sample"}"#,
            r#"{"seed": 3, "pointsPerEpoch": 3}"#,
        )
        .unwrap();
        s.inject_noise("flip", 0.3, 2.0).unwrap();
        s.set_smoothing(0.25).unwrap();
        s
    };
    let (mut one, mut two) = (open(), open());
    let mut lent = LentModel::new();
    two.prepare_training().unwrap();
    lent.lend(1.0, &two.lend_model(1.0).unwrap().to_vec())
        .unwrap();
    lent.set_dataset(&two.snapshot().to_vec()).unwrap();
    let mut steps = 0.0;
    for max in [7.0, 30.0, 2.0, 19.0, 30.0, 30.0, 11.0, 30.0] {
        lent.set_smoothing(two.epsilon_of(1.0).unwrap()).unwrap();
        let reply = lent.slice(max).unwrap();
        two.lockstep_steps(max).unwrap();
        let out = two.lockstep_finish(js_sys::Array::of1(&reply)).unwrap();
        let out: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(out["error"], serde_json::Value::Null);
        lent.resolve(out["resolution"].as_f64().unwrap()).unwrap();
        steps += out["steps"].as_f64().unwrap();
    }
    assert!(two.report_count() >= 2, "the slices crossed points");
    two.take_back_model(1.0, &lent.give_back().unwrap().to_vec())
        .unwrap();
    one.step(steps).unwrap();
    assert_eq!(
        two.reports_json(0.0).unwrap(),
        one.reports_json(0.0).unwrap()
    );
    assert_eq!(
        two.losses_given("smoothed").unwrap().to_vec(),
        one.losses_given("smoothed").unwrap().to_vec()
    );
    // A reply is refused when no slice is in flight.
    let e = two.lockstep_finish(js_sys::Array::new()).unwrap_err();
    assert!(message(e).contains("no lockstep slice"));
}
