// The project as a whole: start a new one, import and export it as a .zip,
// and whether it is saved in this browser. Anything that would throw away a
// person's images asks first.
import { exportProject, importProject, loadSample, newProject } from '../actions.js';
import { on, state } from '../state.js';

/**
 * Whether the current project holds the person's own images: a photo
 * sample can be loaded again, unless the person added images to it.
 */
const holdsOwnImages = () => !state.isSample && (!state.origin || state.origin.withOwnImages)
  && (state.dataset?.images.length ?? 0) > 0;

let dialog = null;

/** Asks in a modal dialog; resolves true when the person confirms. */
export function confirmAction(text, okLabel) {
  dialog.querySelector('#confirm-text').textContent = text;
  dialog.querySelector('#confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

const LOSE = 'The images, classes and labels of this project are removed from this browser; export a .zip first to keep them.';

/** Runs `action` if nothing would be lost, or once the person agrees. */
export async function replacingProject(action, okLabel, question) {
  if (holdsOwnImages() && !(await confirmAction(`${question} ${LOSE}`, okLabel))) return;
  action();
}

/** Imports a .zip, asking first when it would replace the person's images. */
export function importZip(file) {
  return replacingProject(() => importProject(file), 'Import', `Import ${file.name}?`);
}

export function mountProject(header, confirmDialog) {
  dialog = confirmDialog;
  const picker = header.querySelector('#zip-picker');
  header.querySelector('#new-project').addEventListener('click', async () => {
    const question = holdsOwnImages() ? 'Start a new, empty project?' : 'Start a new, empty project? The sample digits go away (they come back with "Sample digits").';
    if (await confirmAction(holdsOwnImages() ? `${question} ${LOSE}` : question, 'New project')) newProject();
  });
  header.querySelector('#load-sample').addEventListener('click', () => replacingProject(
    () => loadSample({ autoplay: true }), 'Load the digits', 'Replace this project by the sample digits?'));
  header.querySelector('#import-project').addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    const [file] = picker.files;
    picker.value = '';
    if (file) importZip(file);
  });
  header.querySelector('#export-project').addEventListener('click', exportProject);

  const status = header.querySelector('#save-status');
  on('storage', () => {
    const failed = state.storage.state === 'failed';
    status.textContent = { saved: 'Saved in this browser', failed: 'Not saved', idle: '' }[state.storage.state];
    status.classList.toggle('is-failed', failed);
    status.title = failed ? `${state.storage.message}. Export a .zip to keep your work.` : '';
  });
  on('dataset', () => {
    header.querySelector('#export-project').disabled = !state.dataset;
  });
}
