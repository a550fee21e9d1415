// Toasts for per-file and per-action messages, and the banner for a training
// fault. Message text can hold file names (user text): always textContent.
import { dismissMessage, on, setBanner, state } from '../state.js';

const SHOWN = 5; // newest toasts on screen; older ones wait behind "n more"
const INFO_LIFETIME_MS = 6000;

export function mountMessages(toastRoot, bannerRoot) {
  const timers = new Map();
  let expanded = false; // every message shown (a drop with many bad files)

  function renderToasts() {
    const list = state.messages;
    if (list.length <= SHOWN) expanded = false;
    const shown = expanded ? list : list.slice(-SHOWN);
    toastRoot.replaceChildren();
    toastRoot.classList.toggle('is-expanded', expanded);
    if (list.length > SHOWN) {
      const hidden = list.length - SHOWN;
      const more = document.createElement('button');
      more.type = 'button';
      more.className = 'toast toast-more';
      more.setAttribute('aria-expanded', String(expanded));
      more.textContent = expanded ? 'Show only the latest messages'
        : `Show ${hidden} earlier message${hidden === 1 ? '' : 's'}`;
      more.addEventListener('click', () => { expanded = !expanded; renderToasts(); });
      toastRoot.append(more);
    }
    for (const m of shown) toastRoot.append(toast(m));
    if (list.length > 1) {
      const clear = document.createElement('button');
      clear.type = 'button';
      clear.className = 'toast-clear';
      clear.textContent = 'Clear all';
      clear.addEventListener('click', () => {
        for (const m of [...state.messages]) dismissMessage(m.id);
      });
      toastRoot.append(clear);
    }
    for (const m of list) {
      if (m.kind === 'info' && !timers.has(m.id)) {
        timers.set(m.id, setTimeout(() => { timers.delete(m.id); dismissMessage(m.id); }, INFO_LIFETIME_MS));
      }
    }
  }

  function toast(m) {
    const el = document.createElement('div');
    el.className = `toast toast-${m.kind}`;
    el.dataset.kind = m.kind;
    const text = document.createElement('p');
    text.textContent = m.text;
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'toast-close';
    close.setAttribute('aria-label', 'Dismiss message');
    close.textContent = '×';
    close.addEventListener('click', () => dismissMessage(m.id));
    el.append(text, close);
    return el;
  }

  function renderBanner() {
    bannerRoot.hidden = !state.banner;
    bannerRoot.querySelector('.banner-text').textContent = state.banner?.text ?? '';
  }
  bannerRoot.querySelector('.banner-close').addEventListener('click', () => setBanner(null));

  on('messages', renderToasts);
  on('banner', renderBanner);
  renderBanner();
}
