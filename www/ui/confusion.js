// The confusion matrix of the flagged images: given class (rows) against the
// suggested class (columns). A cell with images is a button that narrows the
// review grid to them; pressing it again shows every flag.
import { setFinderView, state } from '../state.js';

export function renderConfusion(table, open) {
  const classes = state.dataset?.classes ?? [];
  const counts = classes.map(() => classes.map(() => 0));
  for (const issue of open) {
    if (counts[issue.given] && issue.suggested < classes.length) counts[issue.given][issue.suggested] += 1;
  }
  const most = Math.max(1, ...counts.flat());
  const cell = state.finder.cell;

  const head = document.createElement('tr');
  head.append(document.createElement('td'));
  for (const name of classes) head.append(header(name, 'col'));
  const rows = classes.map((name, g) => {
    const tr = document.createElement('tr');
    tr.append(header(name, 'row'));
    classes.forEach((suggested, s) => {
      const td = document.createElement('td');
      const n = counts[g][s];
      if (n) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'confusion-cell';
        b.textContent = String(n);
        const on = cell?.given === g && cell?.suggested === s;
        b.setAttribute('aria-pressed', String(on));
        b.setAttribute('aria-label', `${n} flagged image${n === 1 ? '' : 's'} given ${name}, suggested ${suggested}`);
        b.title = on ? 'Show every flagged image' : `Show the ${n} given “${name}”, suggested “${suggested}”`;
        b.style.setProperty('--share', String(n / most));
        b.addEventListener('click', () => setFinderView({ cell: on ? null : { given: g, suggested: s } }));
        td.append(b);
      } else td.className = g === s ? 'confusion-diagonal' : 'confusion-zero';
      tr.append(td);
    });
    return tr;
  });
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  tbody.append(...rows);
  table.replaceChildren(thead, tbody);
}

function header(text, scope) {
  const th = document.createElement('th');
  th.scope = scope;
  th.textContent = text;
  th.title = text;
  return th;
}
