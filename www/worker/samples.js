// The CIFAR-10N samples: photos with the labels people gave them, fetched
// from the page's own origin (samples/<set>/, see samples-plugin.js) only
// when a person picks one. The core reads labels.csv under the chosen label
// source (humanLabelsJson); every photo comes in with that label as given and
// its CIFAR-10 label as the truth, so the curves, the mislabeled count and
// the finder know which photos people got wrong.
//
// "Flipped like" a source compares human with synthetic noise on the same
// photos: the photos come in with that source's labels, then exactly as many
// training labels as it got wrong are flipped at random from the truth
// instead (inject_noise clears the human labels first).
//
// The current project stays until every photo has been fetched, so a
// missing sample or a failed fetch loses nothing; a photo that fails is
// named and the others still come in.
import { humanLabelsJson } from '../pkg/smoothlab.js';
import { FROM_WORKER as OUT } from '../protocol.js';
import { messageOf, post } from './post.js';

const FETCHES_AT_ONCE = 8;
const PROGRESS_EVERY_MS = 150;

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response;
}

/** Fetches every url, FETCHES_AT_ONCE at a time: [{bytes} | {error}] in order. */
async function fetchAll(urls, onProgress, stillWanted) {
  const out = new Array(urls.length);
  let next = 0;
  let done = 0;
  async function lane() {
    while (next < urls.length && stillWanted()) {
      const i = next++;
      try {
        out[i] = { bytes: new Uint8Array(await (await fetchOk(urls[i])).arrayBuffer()) };
      } catch (e) {
        out[i] = { error: messageOf(e) };
      }
      done += 1;
      onProgress(done);
    }
  }
  await Promise.all(Array.from({ length: FETCHES_AT_ONCE }, lane));
  return out;
}

/**
 * lab: lab.js; openProject({side, color, settings, classes, isSample,
 * origin}) makes a new empty lab the worker's (projects.js); queue: the
 * ingest queue; postDataset().
 */
export function createSamples({ lab, openProject, queue, postDataset }) {
  let latest = 0; // a newer load, or any other project opened meanwhile, wins

  /**
   * set: its folder name; labels: the label source; flipLike: null, or the
   * source whose count of wrong training labels is flipped at random from
   * the truth; base: the page's address; title: the set's name for people.
   */
  async function load({ set, labels, flipLike, base, title, side, settings }) {
    const token = ++latest;
    const generation = lab.generation;
    const stillWanted = () => token === latest && generation === lab.generation;
    const url = (path) => new URL(`samples/${set}/${path}`, base);
    let csv;
    try {
      csv = await (await fetchOk(url('labels.csv'))).text();
    } catch (e) {
      throw new Error(`The sample "${title}" is not part of this copy of smoothlab (${messageOf(e)}).`);
    }
    const source = flipLike ?? labels;
    const { classes, photos, leftOut } = JSON.parse(humanLabelsJson(csv, source));
    post(OUT.sampleLoading, { title, done: 0, total: photos.length });
    let shown = 0;
    const fetched = await fetchAll(photos.map((p) => url(`images/${p.file}`)), (done) => {
      const now = performance.now();
      if (now - shown < PROGRESS_EVERY_MS && done < photos.length) return;
      shown = now;
      post(OUT.sampleLoading, { title, done, total: photos.length });
    }, stillWanted);
    if (!stillWanted()) return;
    post(OUT.sampleLoading, { title, done: photos.length, total: photos.length, finished: true });

    const origin = { set, title, labels: source, flipped: Boolean(flipLike), leftOut: leftOut.length };
    openProject({ side, color: 'rgb', settings, classes, isSample: false, origin });
    photos.forEach((photo, i) => {
      const { bytes, error } = fetched[i];
      if (error) post(OUT.imageError, { fileName: photo.file, message: `could not be fetched (${error})` });
      else queue.push({ restore: true, id: null, name: photo.file, bytes, given: photo.given, truth: photo.truth });
    });
    const flip = () => {
      const ds = lab.dataset();
      const training = ds.images.filter((img) => !img.holdout).length;
      if (flipLike && training) lab.handle.injectNoise('flip', ds.mislabeled / training, settings.seed);
    };
    queue.push({ end: 'sample', name: title, after: flip });
    if (leftOut.length) {
      post(OUT.notice, { message: `${leftOut.length} photo${leftOut.length === 1 ? ' was' : 's were'} left out: `
        + `this annotator named a class outside ${classes.join(' and ')} for ${leftOut.length === 1 ? 'it' : 'them'}.` });
    }
    postDataset();
  }

  return { load };
}
