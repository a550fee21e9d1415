// Projects as a whole, in the training worker: saving to IndexedDB as the
// project changes, reading the saved project back at start, export and
// import of the project zip (written and checked by the Rust core), and
// rebuilding the project at another image size, which reads it back from its
// own description and kept files. It reads the lab (lab.js) and
// opens new ones; their images come in through the ingest queue as restore
// entries, whichever way the project was read back.
import { ProjectReader } from '../pkg/smoothlab.js';
import { FROM_WORKER as OUT } from '../protocol.js';
import { createAutosave } from './autosave.js';
import { openLab } from './lab.js';
import { messageOf, post } from './post.js';

/**
 * lab: the lab state (lab.js); adopt(lab, {isSample, settings,
 * side}) makes a new lab the worker's; queue: the ingest queue
 * (ingest-queue.js); postDataset().
 */
const isSavedRecord = (record) => record?.format === 'smoothlab-project'
  || (record?.format === 'smoothlab-autosave' && record.version === 1);

// Projects saved before the record was the core's manifest kept labels as
// class indices, the image size as `side`: read as a manifest with ids.
function fromOlderRecord(record) {
  if (record.format === 'smoothlab-project') return record;
  const { classes, side, color, settings, isSample } = record;
  const images = record.images.map(({ id, name, given, truth }) => ({
    file: `${classes[given]}/${name}`,
    given: classes[given],
    true: truth === null || truth === undefined ? null : classes[truth],
    mislabeled: truth !== null && truth !== undefined && truth !== given,
    id,
    name,
  }));
  return { format: 'smoothlab-project', version: 1, classes, imageSize: side, color, settings,
    seed: settings.seed, images, isSample };
}

export function createProjects({ lab, adopt, queue, features, postDataset }) {
  // The project as it is saved, all but the images' bytes: the core's
  // manifest (the one a project zip carries), each image with its id and
  // name, and whether it is the sample.
  function describe() {
    const { handle, files, isSample, origin } = lab;
    return { ...JSON.parse(handle.savedManifestJson((id) => files.has(id))), isSample, origin };
  }

  const autosave = createAutosave({
    snapshot: () => {
      const { handle, files, generation, settings } = lab;
      if (!handle || !settings) return null;
      return {
        generation,
        project: describe(),
        featuresOf: (id) => features.cached(id),
        fileOf: (id) => {
          const file = files.get(id);
          return file ? { bytes: file.bytes, generated: false } : { bytes: handle.imagePng(id), generated: true };
        },
      };
    },
    onStatus: (status) => post(OUT.storage, status),
  });

  // A new lab for a project read back from storage or a zip, or for a photo
  // sample; its images are queued and come in over the next slices, like a
  // drop.
  function open({ side, color, settings, classes, isSample, origin }) {
    const handle = openLab({ kind: 'empty', side, color }, settings);
    adopt(handle, { isSample, settings, side: color === 'rgb' ? side : undefined, origin });
    for (const name of classes) handle.addClass(name);
  }

  // Opens a saved project (describe()'s record) anew at `side`, read and
  // checked by the core as a zip's manifest is, and queues restore entries
  // for its images with their bytes, fileOf(id) → {bytes, generated} or
  // null, then `end`; returns how many images had no bytes.
  function reopen({ isSample, origin = null, ...manifest }, fileOf, end, side = manifest.imageSize) {
    const reader = ProjectReader.fromSavedManifest(JSON.stringify(manifest));
    const images = JSON.parse(reader.imagesJson());
    reader.free();
    open({ side, color: manifest.color, settings: manifest.settings, classes: manifest.classes, isSample, origin });
    let missing = 0;
    for (const img of images) {
      const file = fileOf(img.id);
      if (!file) { missing += 1; continue; }
      queue.push({ restore: true, ...img, bytes: file.bytes, generated: file.generated });
    }
    queue.push(end);
    return missing;
  }

  function readBack({ project, files: stored, features: storedFeatures }, pageSettings) {
    const settings = pageSettings ?? project.settings;
    const missing = reopen({ ...project, settings }, (id) => stored.get(id),
      { end: 'restore', savedIds: project.images.map((img) => img.id), savedFeatureIds: [...storedFeatures.keys()] });
    features.adopt(storedFeatures); // a reload reads no image again
    autosave.suspend();
    if (missing) post(OUT.notice, { message: `${missing} saved image${missing === 1 ? ' was' : 's were'} missing from storage.` });
    post(OUT.opened, { found: true, source: 'storage', settings, side: project.imageSize, isSample: project.isSample });
    postDataset();
  }

  /** Reads the saved project back, or says there is none (or none readable). */
  async function restoreSaved({ settings: pageSettings }) {
    const saved = await autosave.load();
    try {
      if (saved && isSavedRecord(saved.project)) {
        readBack({ ...saved, project: fromOlderRecord(saved.project) }, pageSettings);
        return;
      }
    } catch (e) {
      post(OUT.notice, { message: `The saved project could not be read back (${messageOf(e)}); it is replaced by the sample.` });
    }
    post(OUT.opened, { found: false });
  }

  function exportProject() {
    const { handle, files, isSample } = lab;
    const zip = handle.exportProject((id) => files.get(id)?.bytes);
    post(OUT.exported, { bytes: zip, isSample }, [zip.buffer]);
  }

  function importProject({ name, bytes }) {
    let reader;
    try {
      reader = new ProjectReader(new Uint8Array(bytes));
    } catch (e) {
      throw new Error(`${name}: ${messageOf(e)}`);
    }
    const manifest = JSON.parse(reader.manifestJson());
    const images = JSON.parse(reader.imagesJson());
    const settings = { ...manifest.settings };
    try {
      open({ side: manifest.imageSize, color: manifest.color, settings, classes: manifest.classes, isSample: false });
    } catch (e) {
      reader.free();
      throw new Error(`${name}: ${messageOf(e)}`);
    }
    images.forEach((img, index) => queue.push({ restore: true, reader, index, ...img, id: null }));
    queue.push({ end: 'import', name, reader });
    post(OUT.opened, { found: true, source: 'zip', name, settings, side: manifest.imageSize, isSample: false });
    postDataset();
  }

  /**
   * Rebuilds the user project at side×side, labels and all, from its kept
   * files, as it would be read back: the new lab's images are queued
   * (closed by {end: 'resize'}) and come in when the queue next runs. Images
   * without a kept file are left out. Throws, keeping the project, when the
   * new lab cannot be made.
   */
  function resize(side) {
    const { files } = lab; // the store of the lab about to go
    const kept = (id) => (files.has(id) ? { bytes: files.get(id).bytes, generated: false } : null);
    reopen(describe(), kept, { end: 'resize' }, side);
  }

  return { autosave, restoreSaved, exportProject, importProject, resize, open };
}
