// CSV cells that spreadsheets read back as the same text: quoted when they
// hold a comma, quote or line break, and defused when they start like a
// formula (a file name "=HYPERLINK(…)" must stay a name, not run).

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells) => cells.map(csvCell).join(',');
