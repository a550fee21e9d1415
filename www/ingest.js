// Turns a drop or a file picker into a list of files with their class, the
// way PyTorch's ImageFolder reads a folder: a dropped folder with subfolders
// gives one class per subfolder; a folder of files is one class named after
// it; loose files go to the class the person chose (null here).

const SKIPPED = /^(\.|thumbs\.db$|desktop\.ini$)/i; // hidden files and OS clutter

/**
 * Files found under one dropped item, with the folders above them:
 * path is [droppedFolder, subfolder, ...] or [] for a loose file.
 */
async function walk(entry, path, out) {
  if (SKIPPED.test(entry.name)) return;
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, path });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    const children = [];
    // readEntries returns the folder in chunks until it returns none.
    for (;;) {
      const chunk = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!chunk.length) break;
      children.push(...chunk);
    }
    children.sort((a, b) => a.name.localeCompare(b.name));
    // Siblings are read at the same time (one by one is slow for thousands
    // of files) and kept in name order.
    const found = await Promise.all(children.map(async (child) => {
      const sub = [];
      await walk(child, [...path, entry.name], sub);
      return sub;
    }));
    for (const sub of found) out.push(...sub);
  }
}

/**
 * Reads a drop's DataTransfer. The entries must be taken during the drop
 * event itself, so call this synchronously from the handler (it returns a
 * promise for the walk that follows).
 */
export function recordsFromDataTransfer(dataTransfer) {
  const entries = [];
  const loose = [];
  for (const item of dataTransfer.items ?? []) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push({ file, path: [] });
    }
  }
  if (!entries.length && !loose.length) {
    for (const file of dataTransfer.files ?? []) loose.push({ file, path: [] });
  }
  return (async () => {
    const out = [...loose];
    for (const entry of entries) await walk(entry, [], out);
    return out;
  })();
}

/** Records from an <input type=file>, with or without webkitdirectory. */
export function recordsFromFileList(fileList) {
  return [...fileList]
    .filter((file) => !SKIPPED.test(file.name))
    .map((file) => {
      const parts = (file.webkitRelativePath || '').split('/').filter(Boolean);
      return { file, path: parts.slice(0, -1) };
    });
}

/**
 * Gives each record its class name (or null for loose files). A dropped
 * folder that holds subfolders is a dataset: its subfolders are the classes
 * (deeper folders belong to their top subfolder). A folder of files alone is
 * one class. Files lying next to class subfolders count as loose.
 */
export function assignClasses(records) {
  const hasSubfolders = new Set();
  for (const { path } of records) if (path.length >= 2) hasSubfolders.add(path[0]);
  return records.map(({ file, path }) => {
    if (!path.length) return { file, className: null };
    if (hasSubfolders.has(path[0])) return { file, className: path.length >= 2 ? path[1] : null };
    return { file, className: path[0] };
  });
}
