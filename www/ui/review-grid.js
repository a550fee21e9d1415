// The flagged images, worst first: each tile shows the picture, given →
// suggested class and the score (self-confidence: the out-of-fold probability
// of the given label). One tile is "chosen" (roving focus); Enter or A accepts
// its suggestion, K keeps its label, Delete removes it. Tiles drag onto the
// class buckets like the image grid's.
import { acceptSuggestion, removeImages } from '../actions.js';
import { keepLabel, state } from '../state.js';
import { IDS_TYPE, endDrag } from './dragging.js';
import { drawThumb, paint } from './thumbs.js';

const PAGE = 40;

export function mountReviewGrid(root) {
  const grid = root.querySelector('#review-grid');
  const more = root.querySelector('#review-more');
  const empty = root.querySelector('#review-empty');
  const chosen = root.querySelector('#review-chosen');
  const accept = root.querySelector('#review-accept');
  const keep = root.querySelector('#review-keep');
  const remove = root.querySelector('#review-remove');
  let issues = [];
  let limit = PAGE;
  let activeId = null;
  // Tiles by flag, kept while the class names stay: acting on one image then
  // rebuilds no other tile (a rebuild costs a long frame).
  let tiles = new WeakMap();
  let tilesOf = null;

  const issueOf = (id) => issues.find((issue) => issue.id === id) ?? null;
  const active = () => issueOf(activeId);
  const tileOf = (id) => grid.querySelector(`.review-tile[data-id="${id}"]`);

  function act(kind, issue = active()) {
    if (!issue) return;
    if (kind === 'accept') acceptSuggestion(issue);
    else if (kind === 'keep') keepLabel(issue.id);
    else removeImages([issue.id]);
  }
  accept.addEventListener('click', () => act('accept'));
  keep.addEventListener('click', () => act('keep'));
  remove.addEventListener('click', () => act('remove'));
  more.addEventListener('click', () => { limit += PAGE; render(issues); });

  function choose(id, focus) {
    activeId = id;
    for (const t of grid.children) {
      const on = Number(t.dataset.id) === id;
      t.tabIndex = on ? 0 : -1;
      t.setAttribute('aria-selected', String(on));
    }
    if (focus) tileOf(id)?.focus();
    describeChosen();
  }

  function describeChosen() {
    const issue = active();
    const classes = state.dataset?.classes ?? [];
    for (const b of [accept, keep, remove]) b.disabled = !issue;
    if (!issue) {
      chosen.textContent = 'Choose an image';
      return;
    }
    chosen.textContent = `Chosen: given “${classes[issue.given]}”, suggested “${classes[issue.suggested]}”`;
    accept.firstChild.textContent = `Accept “${classes[issue.suggested]}” `;
  }

  grid.addEventListener('click', (e) => {
    const tile = e.target.closest('.review-tile');
    if (!tile) return;
    const id = Number(tile.dataset.id);
    if (e.target.closest('.review-accept')) act('accept', issueOf(id));
    else choose(id, true);
  });
  grid.addEventListener('focusin', (e) => {
    const tile = e.target.closest('.review-tile');
    if (tile && Number(tile.dataset.id) !== activeId) choose(Number(tile.dataset.id), false);
  });
  grid.addEventListener('keydown', (e) => {
    const ids = [...grid.children].map((t) => Number(t.dataset.id));
    const at = ids.indexOf(activeId);
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(), ArrowUp: -columns() };
    if (e.key in moves) {
      e.preventDefault();
      choose(ids[Math.max(0, Math.min(ids.length - 1, at + moves[e.key]))], true);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      choose(e.key === 'Home' ? ids[0] : ids[ids.length - 1], true);
    } else if (e.ctrlKey || e.metaKey || e.altKey) {
      // leave browser shortcuts alone
    } else if (e.key === 'Enter' || e.key === 'a' || e.key === 'A') {
      e.preventDefault();
      act('accept');
    } else if (e.key === 'k' || e.key === 'K') {
      e.preventDefault();
      act('keep');
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      act('remove');
    }
  });

  function columns() {
    const first = grid.children[0];
    let n = 0;
    for (const t of grid.children) {
      if (t.offsetTop !== first.offsetTop) break;
      n += 1;
    }
    return Math.max(1, n);
  }

  /** Shows `next` (worst first); the chosen image stays chosen, or its place does. */
  function render(next) {
    const hadFocus = grid.contains(document.activeElement);
    const ids = issues.map((issue) => issue.id);
    const position = Math.max(0, ids.indexOf(activeId));
    issues = next;
    const shown = issues.slice(0, limit);
    const names = state.dataset?.classes.join('\n');
    if (tilesOf !== names) { // captions name the classes
      tilesOf = names;
      tiles = new WeakMap();
    }
    const elements = shown.map((issue) => {
      if (!tiles.has(issue)) tiles.set(issue, tile(issue));
      return tiles.get(issue);
    });
    const same = elements.length === grid.childElementCount && elements.every((t, i) => grid.children[i] === t);
    if (!same) grid.replaceChildren(...elements);
    more.hidden = shown.length >= issues.length;
    empty.hidden = issues.length > 0;
    empty.textContent = 'Nothing left to review here.';
    if (!shown.some((issue) => issue.id === activeId)) {
      // The chosen image was acted on: its place passes to the next one.
      const stillOpen = ids.slice(position).find((id) => shown.some((issue) => issue.id === id));
      activeId = stillOpen ?? shown[Math.min(position, shown.length - 1)]?.id ?? null;
    }
    choose(activeId, hadFocus);
  }

  function tile(issue) {
    const classes = state.dataset.classes;
    const given = classes[issue.given] ?? '?';
    const suggested = classes[issue.suggested] ?? '?';
    const t = document.createElement('div');
    t.className = 'review-tile tile';
    t.setAttribute('role', 'option');
    t.dataset.id = String(issue.id);
    t.dataset.given = String(issue.given);
    t.dataset.suggested = String(issue.suggested);
    t.dataset.truth = issue.trulyMislabeled === null ? 'unknown' : String(issue.trulyMislabeled);
    t.classList.toggle('is-mislabeled', issue.trulyMislabeled === true);
    t.classList.toggle('is-false-flag', issue.trulyMislabeled === false);
    t.tabIndex = -1;
    t.draggable = true;
    t.addEventListener('dragstart', (e) => {
      e.dataTransfer.setData(IDS_TYPE, JSON.stringify([issue.id]));
      e.dataTransfer.setData('text/plain', '1 image');
      e.dataTransfer.effectAllowed = 'move';
      document.body.classList.add('is-dragging-images');
    });
    t.addEventListener('dragend', endDrag);

    const picture = document.createElement('div');
    picture.className = 'tile-picture';
    const img = drawThumb(issue.id, 'tile');
    picture.append(img);
    const tag = document.createElement('span');
    tag.className = 'tile-tag';
    tag.textContent = issue.trulyMislabeled === true ? 'wrong' : issue.trulyMislabeled === false ? 'right' : '';
    picture.append(tag);
    // A shortcut for the pointer only: a button inside an option would be
    // a control inside a control. Keyboards and screen readers accept with
    // Enter or A on the tile, or the Accept button beside the grid.
    const b = document.createElement('span');
    b.className = 'review-accept';
    b.setAttribute('aria-hidden', 'true');
    b.textContent = '✓';
    b.title = `Accept “${suggested}”`;
    picture.append(b);

    const caption = document.createElement('div');
    caption.className = 'review-caption';
    const from = document.createElement('span');
    from.className = 'review-given';
    from.textContent = given;
    const arrow = document.createElement('span');
    arrow.className = 'review-arrow';
    arrow.textContent = '→';
    arrow.setAttribute('aria-hidden', 'true');
    const to = document.createElement('span');
    to.className = 'review-suggested';
    to.textContent = suggested;
    caption.append(from, ' ', arrow, ' ', to); // spaced: its accessible text reads "a b", not "ab"
    const score = document.createElement('div');
    score.className = 'review-score';
    score.textContent = issue.selfConfidence.toFixed(3);
    score.title = 'Self-confidence: the probability a model that never saw this image gives its label';
    t.append(picture, ' ', caption, ' ', score); // spaced, so that its words do not run together when read
    const truth = issue.trulyMislabeled === true ? ', known to be mislabeled'
      : issue.trulyMislabeled === false ? ', its label is known to be right' : '';
    // The words on the tile first, as shown (speech input names a tile by
    // what a person sees), then what they mean.
    const shown = [tag.textContent, given, suggested, score.textContent].filter(Boolean).join(' ');
    t.setAttribute('aria-label', `${shown}: given ${given}, suggested ${suggested}, self-confidence ${score.textContent}${truth}`);
    return t;
  }

  return {
    render,
    repaint() { for (const img of grid.querySelectorAll('img.is-pending')) paint(img, Number(img.closest('.review-tile').dataset.id)); },
  };
}
