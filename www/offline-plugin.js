// Emits the service worker (offline/sw.js) as /sw.js, at the root so that
// its scope is the whole page, and writes into it the list of every file
// this build emitted, with a version hashed from their names and bytes:
// a rebuild that changes any file gets a new cache, one that changes
// nothing keeps the old one.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const SW_SOURCE = fileURLToPath(new URL('./offline/sw.js', import.meta.url));
const SW_FILE = 'sw.js';
const PLACEHOLDER = /(["'`])__SMOOTHLAB_BUILD__\1/g;

/** A short hash of every file's name and bytes, in name order. */
export function buildVersion(entries) {
  const hash = createHash('sha256');
  for (const [name, bytes] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(name).update('\0').update(bytes).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export function offlinePlugin() {
  return {
    name: 'smoothlab-offline',
    apply: 'build',
    buildStart() {
      this.emitFile({ type: 'chunk', id: SW_SOURCE, fileName: SW_FILE });
    },
    // Last, so that the page and the samples are in the bundle already.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const entries = Object.values(bundle)
          .filter((file) => file.fileName !== SW_FILE)
          .map((file) => [file.fileName, file.type === 'chunk' ? file.code : file.source]);
        const build = { version: buildVersion(entries), files: entries.map(([name]) => name).sort() };
        const sw = bundle[SW_FILE];
        const filled = sw.code.replace(PLACEHOLDER, () => JSON.stringify(JSON.stringify(build)));
        if (filled === sw.code) this.error(`${SW_FILE}: the placeholder for the list of files is missing`);
        sw.code = filled;
      },
    },
  };
}
