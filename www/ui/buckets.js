// Class buckets: one per class, with its count and how many of its images
// are mislabeled. A bucket takes dropped thumbnails (relabel) and dropped
// files (add with that class); it can be renamed and removed. Clicking a
// bucket shows only its images and makes it the class loose files join.
import { addClass, moveImages, removeClass, renameClass } from '../actions.js';
import { GRID_PAGE, on, setTargetClass, setView, state } from '../state.js';
import { carriesFiles, ingestDrop } from './dropzone.js';
import { IDS_TYPE, dropMode } from './dragging.js';
import { drawThumb } from './thumbs.js';

const PREVIEWS = 6;
const ICONS = {
  rename: 'M11.2 2.3l2.5 2.5-7.9 7.9-3.1.6.6-3.1zM10 3.5l2.5 2.5',
  remove: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9M7 7v4.5M9 7v4.5',
};

export function mountBuckets(root) {
  const list = root.querySelector('#bucket-list');
  const summary = root.querySelector('#bucket-summary');
  const form = root.querySelector('#add-class');
  const input = form.querySelector('input');

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) return;
    addClass(name);
    input.value = '';
  });

  // The class whose removal waits for "Yes, remove": kept across renders
  // (the dataset is redrawn whenever it changes, e.g. as photos are read).
  let confirming = null;
  // What the list shows, to redraw it only when that changes: a redraw
  // under the pointer would swallow a click (the dataset is posted again
  // whenever anything changes, e.g. when photos' features come in).
  let shown = null;

  function render(force = false) {
    const ds = state.dataset;
    if (!ds) {
      list.replaceChildren();
      shown = null;
      return;
    }
    const mislabeled = ds.classes.map(() => 0);
    const byClass = ds.classes.map(() => []);
    for (const img of ds.images) {
      if (img.mislabeled) mislabeled[img.given] += 1;
      if (byClass[img.given].length < PREVIEWS) byClass[img.given].push(img.id);
    }
    const drawn = byClass.map((ids) => ids.map((id) => state.thumbs.has(id)));
    const now = JSON.stringify([state.generation, ds.side, ds.classes, ds.counts, ds.mislabeled, ds.mislabeledHeldOut,
      mislabeled, byClass, drawn, state.view.filter, confirming]);
    if (!force && now === shown) return;
    shown = now;
    list.replaceChildren();
    ds.classes.forEach((name, i) => list.append(bucket(name, i, ds.counts[i] ?? 0, mislabeled[i], byClass[i])));
    const n = ds.images.length;
    summary.textContent = `${ds.classes.length} class${ds.classes.length === 1 ? '' : 'es'} · ${n} image${n === 1 ? '' : 's'} · ${ds.mislabeled + ds.mislabeledHeldOut} mislabeled${ds.mislabeledHeldOut ? ` (${ds.mislabeledHeldOut} held out, scored on their truth)` : ''}`;
    if (!ds.classes.length) {
      const hint = document.createElement('li');
      hint.className = 'bucket-empty';
      hint.textContent = 'No classes yet. Drop a folder with one subfolder per class, or add a class below.';
      list.append(hint);
    }
  }

  function bucket(name, index, count, mislabeled, previews) {
    const li = document.createElement('li');
    li.className = 'bucket';
    li.dataset.index = String(index);
    li.dataset.count = String(count);
    li.dataset.mislabeled = String(mislabeled);
    const active = state.view.filter === `class:${index}`;
    li.classList.toggle('is-active', active);

    const main = document.createElement('button');
    main.type = 'button';
    main.className = 'bucket-main';
    main.setAttribute('aria-pressed', String(active));
    main.title = active ? 'Show all images' : `Show only “${name}”; loose files dropped on the page join it`;
    const key = document.createElement('kbd');
    key.textContent = index < 9 ? String(index + 1) : '';
    key.title = index < 9 ? `Press ${index + 1} in the image grid to move the selection here` : '';
    key.hidden = index >= 9;
    const label = document.createElement('span');
    label.className = 'bucket-name';
    label.textContent = name;
    const counts = document.createElement('span');
    counts.className = 'bucket-count';
    counts.textContent = String(count);
    // Spaced, and the count named: read aloud it is "1 cats 12 images", not "1cats12".
    const unit = document.createElement('span');
    unit.className = 'visually-hidden';
    unit.textContent = count === 1 ? ' image' : ' images';
    main.append(key, ' ', label, ' ', counts, unit);
    main.addEventListener('click', () => {
      setView({ filter: active ? 'all' : `class:${index}`, limit: GRID_PAGE });
      setTargetClass(index);
    });

    const strip = document.createElement('div');
    strip.className = 'bucket-previews';
    strip.setAttribute('aria-hidden', 'true');
    const minis = document.createElement('span');
    minis.className = 'bucket-minis';
    for (const id of previews) minis.append(drawThumb(id, 'mini'));
    strip.append(minis);
    const note = document.createElement('span');
    note.className = mislabeled ? 'bucket-mislabeled' : 'bucket-clean';
    note.textContent = mislabeled ? `${mislabeled} mislabeled` : 'all labels true';
    strip.append(note);

    const tools = document.createElement('div');
    tools.className = 'bucket-tools';
    tools.append(
      iconButton(ICONS.rename, `Rename class “${name}”`, () => startRename(li, label, index, name)),
      iconButton(ICONS.remove, `Remove class “${name}” and its images`, () => {
        confirming = name;
        render(true);
        list.querySelector(`.bucket[data-index="${index}"] .bucket-tools button`)?.focus();
      }),
    );
    li.append(main, tools, strip);
    if (confirming === name) confirmRemove(li, index, count);
    wireDrop(li, index, name);
    return li;
  }

  function iconButton(path, ariaLabel, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'icon-button';
    b.title = ariaLabel;
    b.setAttribute('aria-label', ariaLabel);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 16 16');
    svg.setAttribute('aria-hidden', 'true');
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', path);
    svg.append(p);
    b.append(svg);
    b.addEventListener('click', onClick);
    return b;
  }

  function toolButton(text, ariaLabel, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'link-button';
    b.textContent = text;
    b.setAttribute('aria-label', ariaLabel);
    b.addEventListener('click', onClick);
    return b;
  }

  function startRename(li, label, index, name) {
    const field = document.createElement('input');
    field.className = 'bucket-rename';
    field.value = name;
    field.setAttribute('aria-label', `New name for “${name}”`);
    let done = false;
    const finish = (commit) => {
      if (done) return;
      done = true;
      const next = field.value.trim();
      if (commit && next && next !== name) renameClass(index, next);
      render(true);
    };
    field.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') finish(false);
    });
    field.addEventListener('blur', () => finish(true));
    label.replaceWith(field);
    field.focus();
    field.select();
  }

  function confirmRemove(li, index, count) {
    const tools = li.querySelector('.bucket-tools');
    const question = document.createElement('span');
    question.className = 'bucket-confirm';
    question.textContent = count ? `Remove with its ${count} image${count === 1 ? '' : 's'}?` : 'Remove?';
    const answer = (remove) => () => {
      confirming = null;
      if (remove) removeClass(index);
      else render(true);
    };
    tools.replaceChildren(question,
      toolButton('Yes, remove', 'Yes, remove this class', answer(true)),
      toolButton('Keep', 'Keep this class', answer(false)));
  }

  function wireDrop(li, index, name) {
    li.addEventListener('dragover', (e) => {
      const types = [...e.dataTransfer.types];
      if (!types.includes(IDS_TYPE) && !carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      e.stopPropagation();
      const mode = types.includes(IDS_TYPE) ? dropMode(e) : 'files';
      li.dataset.drop = mode;
    });
    li.addEventListener('dragleave', () => { delete li.dataset.drop; });
    li.addEventListener('drop', (e) => {
      delete li.dataset.drop;
      const ids = [...e.dataTransfer.types].includes(IDS_TYPE) && e.dataTransfer.getData(IDS_TYPE);
      if (ids) {
        e.preventDefault();
        e.stopPropagation();
        moveImages(JSON.parse(ids), index, dropMode(e));
      } else if (carriesFiles(e.dataTransfer)) {
        e.preventDefault();
        e.stopPropagation();
        ingestDrop(e.dataTransfer, name);
      }
    });
  }

  on('dataset view', () => render());
  let thumbsPending = false;
  on('thumbs', () => {
    if (thumbsPending) return;
    thumbsPending = true;
    requestAnimationFrame(() => { thumbsPending = false; render(); });
  });
  render();
}
