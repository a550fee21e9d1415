// The saved project in IndexedDB (used by the worker only). Two object
// stores: "project" holds one record (the core's project manifest, with
// each image's id and name, and whether it is the sample), "files" holds
// each image's bytes by image id, written once per image, and "features"
// each image's backbone features by id, so that a reload never embeds again. Every
// function rejects with an Error whose message a person can act on.

const DB_NAME = 'smoothlab';
const DB_VERSION = 2; // 2: the features store
const PROJECT_KEY = 'current';

const request = (req) => new Promise((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

const done = (tx) => new Promise((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onabort = () => reject(tx.error ?? new Error('the save was aborted'));
  tx.onerror = () => reject(tx.error);
});

/** Says what a storage failure means for the person, in one sentence. */
export function storageProblem(error) {
  const name = error?.name ?? '';
  if (name === 'QuotaExceededError') {
    return 'The browser\'s storage for this page is full';
  }
  if (name === 'InvalidStateError' || name === 'SecurityError' || name === 'UnknownError') {
    return `This browser does not let the page store data (${name}; private windows often do this)`;
  }
  return `Saving failed (${error?.message || name || 'unknown error'})`;
}

/** Opens the database; rejects when IndexedDB is missing or refused. */
export async function openStore() {
  if (typeof indexedDB === 'undefined' || !indexedDB) {
    throw Object.assign(new Error('IndexedDB is not available'), { name: 'InvalidStateError' });
  }
  const req = indexedDB.open(DB_NAME, DB_VERSION);
  req.onupgradeneeded = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains('project')) db.createObjectStore('project');
    if (!db.objectStoreNames.contains('files')) db.createObjectStore('files');
    if (!db.objectStoreNames.contains('features')) db.createObjectStore('features');
  };
  return request(req);
}

/** The saved project record, or null. */
export async function loadProject(db) {
  const tx = db.transaction(['project'], 'readonly');
  const record = await request(tx.objectStore('project').get(PROJECT_KEY));
  return record ?? null;
}

/** The saved records of some images in one store: Map id → record. */
async function loadByIds(db, storeName, ids) {
  const tx = db.transaction([storeName], 'readonly');
  const store = tx.objectStore(storeName);
  const out = new Map();
  await Promise.all(ids.map(async (id) => {
    const record = await request(store.get(id));
    if (record) out.set(id, record);
  }));
  return out;
}

/** The saved bytes of some images: Map id → {bytes, generated}. */
export const loadFiles = (db, ids) => loadByIds(db, 'files', ids);

/** The saved backbone features of some images: Map id → Float32Array. */
export const loadFeatures = (db, ids) => loadByIds(db, 'features', ids);

/**
 * One atomic save: optionally clears every file and feature first (a new
 * project), puts the new files and features, deletes the gone ones and
 * writes the project record.
 */
export async function saveProject(db, { clear, put, putFeatures = [], remove, project }) {
  const tx = db.transaction(['project', 'files', 'features'], 'readwrite');
  const files = tx.objectStore('files');
  const features = tx.objectStore('features');
  if (clear) {
    files.clear();
    features.clear();
  }
  for (const [id, record] of put) files.put(record, id);
  for (const [id, values] of putFeatures) features.put(values, id);
  for (const id of remove) {
    files.delete(id);
    features.delete(id);
  }
  tx.objectStore('project').put(project, PROJECT_KEY);
  await done(tx);
}
