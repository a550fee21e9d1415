// Getting images in: files or folders dropped anywhere on the page, and the
// two pickers (files, a folder). A drop onto a bucket goes through
// `ingestDrop` too, with that bucket's class for every file.
import { addFiles } from '../actions.js';
import { assignClasses, recordsFromDataTransfer, recordsFromFileList } from '../ingest.js';
import { addMessage, state } from '../state.js';
import { importZip } from './project.js';

export const LOOSE_CLASS = 'new class';

/** The class loose files join: the chosen bucket of a user project, or a new one. */
function looseClassName() {
  const ds = state.dataset;
  if (state.isSample || !ds || !ds.classes.length) return LOOSE_CLASS;
  return ds.classes[state.targetClass] ?? ds.classes[0];
}

/** Sends records to the worker; bucketClass (a name) overrides the folders. */
export async function ingestRecords(dropped, bucketClass = null) {
  if (!dropped.length) {
    addMessage('warn', 'Nothing to add: the drop held no files.');
    return;
  }
  // A .zip is a whole project: alone it is imported, among images it is not.
  const isZip = ({ file }) => /\.zip$/i.test(file.name);
  const zips = dropped.filter(isZip);
  if (zips.length === 1 && dropped.length === 1) {
    await importZip(zips[0].file);
    return;
  }
  for (const { file } of zips) {
    addMessage('error', `${file.name}: a .zip replaces the whole project; drop it on its own or use “Import .zip…”.`);
  }
  const records = dropped.filter((r) => !isZip(r));
  if (!records.length) return;
  const loose = looseClassName();
  const assigned = bucketClass !== null
    ? records.map(({ file }) => ({ file, className: bucketClass }))
    : assignClasses(records).map(({ file, className }) => ({ file, className: className ?? loose }));
  const classes = [...new Set(assigned.map((a) => a.className))];
  addMessage('info', `Reading ${assigned.length} file${assigned.length === 1 ? '' : 's'} into ${
    classes.length === 1 ? `“${classes[0]}”` : `${classes.length} classes`}…`);
  await addFiles(assigned);
}

/** Handles a drop's files; must be called inside the drop event. */
export function ingestDrop(dataTransfer, bucketClass = null) {
  return recordsFromDataTransfer(dataTransfer)
    .then((records) => ingestRecords(records, bucketClass))
    .catch((e) => addMessage('error', `The drop could not be read: ${e.message}`));
}

export const carriesFiles = (dt) => [...(dt?.types ?? [])].includes('Files');

export function mountDropzone(overlay, filePicker, folderPicker) {
  let hideTimer = null;
  document.addEventListener('dragover', (e) => {
    if (!carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    overlay.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => { overlay.hidden = true; }, 200);
  });
  document.addEventListener('drop', (e) => {
    if (!carriesFiles(e.dataTransfer)) return;
    e.preventDefault();
    overlay.hidden = true;
    ingestDrop(e.dataTransfer);
  });

  for (const picker of [filePicker, folderPicker]) {
    picker.addEventListener('change', () => {
      const records = recordsFromFileList(picker.files);
      picker.value = '';
      ingestRecords(records);
    });
  }
  document.querySelector('#add-files').addEventListener('click', () => filePicker.click());
  document.querySelector('#add-folder').addEventListener('click', () => folderPicker.click());
}
