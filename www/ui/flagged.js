// Which flagged images the review panel shows: the chosen ranking and filter,
// minus the images acted on since (relabeled, removed, or marked "label is
// right"), narrowed to a confusion-matrix cell when one is chosen.
import { state } from '../state.js';

/** The ranking under review ({issues, quality, ...}) or null. */
export function currentRanking(s = state) {
  const f = s.finder.findings;
  if (!f) return null;
  return f.byFilter[s.finder.filter]?.[s.finder.ranking] ?? null;
}

/** {open, shown}: open flags (worst first), and those in the chosen cell. */
export function openIssues(s = state) {
  const ranking = currentRanking(s);
  if (!ranking || !s.dataset) return { open: [], shown: [] };
  const given = new Map(s.dataset.images.map((img) => [img.id, img.given]));
  // An image whose label changed was acted on: it leaves the list.
  const open = ranking.issues.filter((issue) =>
    given.get(issue.id) === issue.given && !s.finder.kept.has(issue.id));
  const cell = s.finder.cell;
  const shown = cell
    ? open.filter((issue) => issue.given === cell.given && issue.suggested === cell.suggested)
    : open;
  return { open, shown };
}
