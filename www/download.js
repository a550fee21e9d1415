// Hands bytes to the person as a file download (nothing leaves the machine).

/** `prefix-2026-11-27-1430.ext`, so that exports do not overwrite each other. */
export function stampedName(prefix, ext, date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${prefix}-${day}-${pad(date.getHours())}${pad(date.getMinutes())}.${ext}`;
}

export function downloadBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference by now; free ours a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadBytes(bytes, name, type) {
  downloadBlob(new Blob([bytes], { type }), name);
}
