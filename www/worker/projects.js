// Projects as a whole, in the training worker: saving to IndexedDB as the
// project changes, reading the saved project back at start, and export and
// import of the project zip (written and checked by the Rust core). It reads
// the session (session.js) and opens new ones; their images come in through
// the ingest queue as restore entries.
import { ProjectReader, Session } from '../pkg/smoothlab.js';
import { FROM_WORKER as OUT } from '../protocol.js';
import { createAutosave } from './autosave.js';
import { messageOf, post } from './post.js';

/**
 * lab: the session state (session.js); adopt(session, {isSample, settings,
 * side}) makes a new session the worker's; queue: the ingest queue
 * (ingest-queue.js); postDataset().
 */
export function createProjects({ lab, adopt, queue, postDataset }) {
  const autosave = createAutosave({
    snapshot: () => {
      const { session, files, isSample, generation, settings, epsilon } = lab;
      if (!session || !settings) return null;
      const ds = JSON.parse(session.datasetJson());
      return {
        generation,
        project: {
          format: 'smoothlab-autosave',
          version: 1,
          isSample,
          side: ds.side,
          color: ds.channels === 1 ? 'gray' : 'rgb',
          settings: { ...settings, smoothing: epsilon },
          classes: ds.classes,
          images: ds.images.map(({ id, name, given, truth }) => ({ id, name, given, truth })),
        },
        fileOf: (id) => {
          const file = files.get(id);
          return file ? { bytes: file.bytes, generated: false } : { bytes: session.imagePng(id), generated: true };
        },
      };
    },
    onStatus: (status) => post(OUT.storage, status),
  });

  // A new session for a project read back from storage or a zip; its images
  // are queued and come in over the next slices, like a drop.
  function open({ side, color, settings, classes, isSample }) {
    const session = Session.empty(side, color, JSON.stringify(settings));
    adopt(session, { isSample, settings, side: color === 'rgb' ? side : undefined });
    for (const name of classes) session.addClass(name);
  }

  function readBack({ project, files: stored }, pageSettings) {
    const settings = pageSettings ?? project.settings;
    open({ ...project, settings });
    autosave.suspend();
    let missing = 0;
    for (const img of project.images) {
      const file = stored.get(img.id);
      if (!file) { missing += 1; continue; }
      queue.push({ restore: true, ...img, bytes: file.bytes, generated: file.generated });
    }
    queue.push({ end: 'restore', savedIds: project.images.map((img) => img.id) });
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
    const { session, files, isSample } = lab;
    const zip = session.exportProject((id) => files.get(id)?.bytes);
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

  return { autosave, restoreSaved, exportProject, importProject };
}
