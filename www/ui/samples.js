// The photo samples (CIFAR-10N): the dialog that picks a sample and whose
// labels train the models, and the panel that says of the sample loaded
// where its labels come from, how many are wrong, and what to look for.
// Which samples this copy holds is read from samples/index.json: the folder
// may have been left out (its labels are for non-commercial use).
import { loadHumanSample } from '../actions.js';
import { on, setSamples, state } from '../state.js';
import { replacingProject } from './project.js';

export const SAMPLE_TITLES = {
  'cifar10n-catdog': 'Cats and dogs, labelled by people (CIFAR-10N)',
  'cifar10n-small': 'Ten classes, labelled by people (CIFAR-10N)',
};

// The share of each source's labels that differ from CIFAR-10's, over the
// whole set (data/cifar10n/README.md); the panel counts the loaded photos.
const WRONG = {
  'cifar10n-catdog': { aggre: 7.0, worse: 25.6, random1: 11.3, random2: 12.1, random3: 11.9 },
  'cifar10n-small': { aggre: 9.7, worse: 42.2, random1: 17.7, random2: 19.5, random3: 18.1 },
};

const ANNOTATOR_HELP = 'One of the three people alone. A photo this person gave a class outside the set (a cat called "deer") is left out; the lab says how many.';

// The choices of label source. `labels` is read from labels.csv; with
// `flipLike`, that source's labels are read and then replaced by exactly as
// many random flips of the true labels as it got wrong.
export const LABEL_CHOICES = [
  { value: 'worse', labels: 'worse', words: 'the worst of three people',
    text: (w) => `The worst of three people (${w.worse}% wrong)`,
    help: 'Wherever any of the three people was wrong, a wrong label: the hardest human noise of the set.' },
  { value: 'aggre', labels: 'aggre', words: 'the majority of three people',
    text: (w) => `The majority of three people (${w.aggre}% wrong)`,
    help: 'The label most of the three people gave: what a careful labelling effort produces.' },
  ...[1, 2, 3].map((k) => ({ value: `random${k}`, labels: `random${k}`, words: `annotator ${k} alone`,
    text: (w) => `One person alone, annotator ${k} (${w[`random${k}`]}% wrong)`, help: ANNOTATOR_HELP })),
  { value: 'flip-worse', labels: 'true', flipLike: 'worse', words: 'random flips, as many as the worst of three',
    text: (w) => `True labels flipped at random, as often as the worst of three (${w.worse}%)`,
    help: 'The same photos and as many wrong training labels as "the worst of three", but on photos picked at random: human and synthetic noise side by side.' },
  { value: 'flip-aggre', labels: 'true', flipLike: 'aggre', words: 'random flips, as many as the majority',
    text: (w) => `True labels flipped at random, as often as the majority (${w.aggre}%)`,
    help: 'As many wrong training labels as "the majority of three", on photos picked at random.' },
  { value: 'true', labels: 'true', words: 'the true CIFAR-10 labels',
    text: () => 'The true CIFAR-10 labels (no mistakes)',
    help: 'No wrong labels; "Flip labels" below adds noise of your own.' },
];

const choiceOf = (origin) => LABEL_CHOICES.find((c) => (origin.flipped
  ? c.flipLike === origin.labels : !c.flipLike && c.labels === origin.labels));

const fmt = (n) => n.toLocaleString('en-US');

/** What the panel says about the loaded sample's labels, from its dataset. */
export function describeLabels(origin, ds) {
  const training = ds.images.filter((img) => !img.holdout);
  const heldOutWrong = ds.mislabeledHeldOut;
  const choice = choiceOf(origin);
  const parts = [`Labels: ${choice?.words ?? origin.labels}. ${fmt(ds.mislabeled)} of ${fmt(training.length)} training photos carry a wrong label.`];
  if (heldOutWrong) parts.push(`${fmt(heldOutWrong)} held-out photos do too; they are scored on their true label.`);
  if (origin.leftOut) parts.push(`${fmt(origin.leftOut)} photos were left out: this person named a class outside the set for them.`);
  return parts.join(' ');
}

/** What to look for, for human labels or for the random flips beside them. */
export function lookFor(origin) {
  if (origin.labels === 'true' && !origin.flipped) {
    return 'No label is wrong. Flip some at random below, or pick a people\'s label source under "Photo samples…", and watch the orange curves.';
  }
  if (origin.flipped) {
    return 'These wrong labels are random, not human: as many as people got wrong, on photos picked at random. Load the same photos with the people\'s labels to compare: random flips land mostly on photos that plainly show their true class, so the search for mislabeled images finds more of them (on the cat and dog photos, 69% of random flips against 59% of the worst-of-three mistakes; README).';
  }
  return 'The orange curves are the photos people got wrong. Show "Mislabeled" images with the highest loss first: most are photos that could pass for another class (dark, small, half hidden). Models trained on other photos often agree with the person, so these labels are learnt sooner than random flips and the search for mislabeled images finds fewer of them. Measured on the cat and dog photos (README, medians of 5 seeds): the model first predicts half the worst-of-three wrong labels at epoch 3, random flips as many at epoch 4¼; the search finds 59% of the people\'s mistakes and 69% of random flips.';
}

export function mountSamples(button, dialog, about) {
  const select = dialog.querySelector('#sample-labels');
  const help = dialog.querySelector('#sample-labels-help');
  const missing = dialog.querySelector('#samples-missing');
  const load = dialog.querySelector('#samples-load');
  const chosenSet = () => dialog.querySelector('input[name="sample-set"]:checked').value;
  const available = () => new Set((state.samples?.sets ?? []).map((s) => s.name));

  function renderChoices() {
    const set = chosenSet();
    const kept = select.value || 'worse';
    select.replaceChildren(...LABEL_CHOICES.map((c) => new Option(c.text(WRONG[set]), c.value)));
    select.value = kept;
    help.textContent = LABEL_CHOICES.find((c) => c.value === select.value).help;
    const sets = available();
    for (const radio of dialog.querySelectorAll('input[name="sample-set"]')) radio.disabled = !sets.has(radio.value);
    missing.hidden = state.samples === null || sets.size > 0;
    load.disabled = !sets.has(set);
  }

  // Read once: the sets this copy holds (none when the folder is left out).
  fetch(new URL('./samples/index.json', location.href))
    .then((r) => (r.ok ? r.json() : { sets: [] }), () => ({ sets: [] }))
    .catch(() => ({ sets: [] }))
    .then(setSamples);

  button.addEventListener('click', () => {
    renderChoices();
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('change', renderChoices);
  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'ok') return;
    const set = chosenSet();
    if (!available().has(set)) return;
    const choice = LABEL_CHOICES.find((c) => c.value === select.value);
    const title = SAMPLE_TITLES[set];
    replacingProject(() => loadHumanSample({ set, title, labels: choice.labels, flipLike: choice.flipLike ?? null }),
      'Load the photos', `Replace this project by "${title}"?`);
  });

  const title = about.querySelector('#sample-about-title');
  const labels = about.querySelector('#sample-about-labels');
  const look = about.querySelector('#sample-about-look');
  function renderAbout() {
    const loading = state.sampleLoading;
    const origin = state.origin;
    about.hidden = !loading && !origin;
    if (loading) {
      title.textContent = loading.title;
      labels.textContent = `Fetching the photos: ${fmt(loading.done)} of ${fmt(loading.total)}…`;
      look.textContent = '';
      return;
    }
    if (!origin || !state.dataset) return;
    title.textContent = origin.title;
    labels.textContent = describeLabels(origin, state.dataset);
    look.textContent = lookFor(origin);
  }
  on('samples dataset', renderAbout);
  on('samples', () => { if (dialog.open) renderChoices(); });
}
