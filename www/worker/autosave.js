// Autosave, in the worker: a quarter of a second after a change the project
// (classes, labels, settings, and each new image's bytes) goes to IndexedDB
// in one transaction. Saves never overlap; a change during a save is saved
// right after it. When storage fails the lab goes on in memory and the
// person is told once, and told again when saving works again.
import { loadFeatures, loadFiles, loadProject, openStore, saveProject, storageProblem } from './store.js';

const SAVE_DELAY_MS = 250;

/**
 * snapshot() returns null (nothing to save) or {generation, project,
 * fileOf(id) → {bytes, generated}, featuresOf(id) → Float32Array or
 * undefined}; project.images lists {id, ...}.
 * post(type, payload) reaches the page.
 */
export function createAutosave({ snapshot, onStatus }) {
  let opening = null;
  let timer = null;
  let saving = false;
  let again = false;
  let suspended = false;
  let savedGeneration = null;
  let savedIds = new Set();
  let savedFeatures = new Set(); // ids whose features are saved
  let failure = null; // the problem last told to the person

  const database = () => {
    opening ??= openStore();
    return opening;
  };

  function report(error) {
    if (!error) {
      onStatus({ ok: true, recovered: failure !== null });
      failure = null;
      return;
    }
    const problem = storageProblem(error);
    onStatus({ ok: false, message: problem, repeated: problem === failure });
    failure = problem;
  }

  async function saveOnce() {
    const db = await database();
    // Taken after the only wait before the transaction, so that the lab
    // cannot change between the snapshot and reading its images' bytes.
    const snap = snapshot();
    if (!snap) return;
    const fresh = snap.generation !== savedGeneration;
    const live = new Set(snap.project.images.map((img) => img.id));
    const put = [];
    for (const id of live) if (fresh || !savedIds.has(id)) put.push([id, snap.fileOf(id)]);
    const remove = fresh ? [] : [...savedIds].filter((id) => !live.has(id));
    const keptFeatures = fresh ? new Set() : savedFeatures;
    const putFeatures = [];
    for (const id of live) {
      const values = keptFeatures.has(id) ? undefined : snap.featuresOf?.(id);
      if (values) putFeatures.push([id, values]);
    }
    await saveProject(db, { clear: fresh, put, putFeatures, remove, project: snap.project });
    savedGeneration = snap.generation;
    savedIds = live;
    savedFeatures = new Set([...keptFeatures, ...putFeatures.map(([id]) => id)].filter((id) => live.has(id)));
  }

  async function run() {
    timer = null;
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    try {
      await saveOnce();
      report(null);
    } catch (e) {
      report(e);
    }
    saving = false;
    if (again) {
      again = false;
      schedule();
    }
  }

  function schedule() {
    if (suspended) return;
    clearTimeout(timer);
    timer = setTimeout(run, SAVE_DELAY_MS);
  }

  /** The saved project and its files, or null (nothing saved, or no storage). */
  async function load() {
    try {
      const db = await database();
      const project = await loadProject(db);
      if (!project) return null;
      const ids = project.images.map((img) => img.id);
      const files = await loadFiles(db, ids);
      const features = await loadFeatures(db, ids);
      return { project, files, features };
    } catch (e) {
      report(e);
      return null;
    }
  }

  return {
    schedule,
    load,
    /** While a saved project is read back, saving would delete the rest of it. */
    suspend() {
      suspended = true;
      clearTimeout(timer);
    },
    /**
     * Resumes saving; `generation` is the one just read back (its files are
     * saved, and the features of `featureIds`).
     */
    resume(generation, ids, featureIds = []) {
      suspended = false;
      if (generation !== undefined) {
        savedGeneration = generation;
        savedIds = new Set(ids);
        savedFeatures = new Set(featureIds);
      }
      schedule();
    },
  };
}
