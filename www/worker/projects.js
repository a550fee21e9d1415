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
export function createProjects({ lab, adopt, queue, postDataset }) {
  // The project as it is saved, all but the images' bytes.
  function describe() {
    const ds = lab.dataset();
    return {
      format: 'smoothlab-autosave',
      version: 1,
      isSample: lab.isSample,
      side: ds.side,
      color: ds.color,
      settings: { ...lab.settings, smoothing: lab.epsilon },
      classes: ds.classes,
      images: ds.images.map(({ id, name, given, truth }) => ({ id, name, given, truth })),
    };
  }

  const autosave = createAutosave({
    snapshot: () => {
      const { handle, files, generation, settings } = lab;
      if (!handle || !settings) return null;
      return {
        generation,
        project: describe(),
        fileOf: (id) => {
          const file = files.get(id);
          return file ? { bytes: file.bytes, generated: false } : { bytes: handle.imagePng(id), generated: true };
        },
      };
    },
    onStatus: (status) => post(OUT.storage, status),
  });

  // A new lab for a project read back from storage or a zip; its images
  // are queued and come in over the next slices, like a drop.
  function open({ side, color, settings, classes, isSample }) {
    const handle = openLab({ kind: 'empty', side, color }, settings);
    adopt(handle, { isSample, settings, side: color === 'rgb' ? side : undefined });
    for (const name of classes) handle.addClass(name);
  }

  // Opens a described project (describe()) anew and queues restore entries
  // for its images with their bytes, fileOf(id) → {bytes, generated} or
  // null, then `end`; returns how many images had no bytes.
  function reopen(project, fileOf, end) {
    open(project);
    let missing = 0;
    for (const img of project.images) {
      const file = fileOf(img.id);
      if (!file) { missing += 1; continue; }
      queue.push({ restore: true, ...img, bytes: file.bytes, generated: file.generated });
    }
    queue.push(end);
    return missing;
  }

  function readBack({ project, files: stored }, pageSettings) {
    const settings = pageSettings ?? project.settings;
    const missing = reopen({ ...project, settings }, (id) => stored.get(id),
      { end: 'restore', savedIds: project.images.map((img) => img.id) });
    autosave.suspend();
    if (missing) post(OUT.notice, { message: `${missing} saved image${missing === 1 ? ' was' : 's were'} missing from storage.` });
    post(OUT.opened, { found: true, source: 'storage', settings, side: project.side, isSample: project.isSample });
    postDataset();
  }

  /** Reads the saved project back, or says there is none (or none readable). */
  async function restoreSaved({ settings: pageSettings }) {
    const saved = await autosave.load();
    const known = saved?.project.format === 'smoothlab-autosave' && saved.project.version === 1;
    try {
      if (known) {
        readBack(saved, pageSettings);
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
    reopen({ ...describe(), side }, kept, { end: 'resize' });
  }

  return { autosave, restoreSaved, exportProject, importProject, resize };
}
