// The files waiting to go into the lab, added a few at a time between
// training slices so that a big drop or a project read back never holds the
// worker. Two kinds of entries: dropped files {name, bytes, className}, which
// decode-ahead.js may have decoded in the browser meanwhile, and restore
// entries for a project read back from storage or a zip, or rebuilt at
// another image size {restore: true, id, name, bytes | reader + index,
// given, truth, generated}; {end: kind, after?} closes one batch, runs
// after() and, but for a rebuild the page asked for, tells the page how it
// went.
import { FROM_WORKER as OUT } from '../protocol.js';
import { createDecodeAhead } from './decode-ahead.js';
import { messageOf, post } from './post.js';

const INGEST_SLICE_MS = 25; // decoding a few files between training slices

/**
 * lab: the lab state (lab.js); posting: posting.js; autosave():
 * autosave.js's saver; postStatus(); wake() runs the worker's loop.
 */
export function createIngestQueue({ lab, posting, autosave, postStatus, wake }) {
  const queue = [];
  let stats = { added: 0, failed: 0 };

  const decodeAhead = createDecodeAhead({
    queue,
    probe: (name, bytes) => JSON.parse(lab.handle.probeImageJson(name, bytes)),
    side: () => lab.side,
    wake,
  });

  // Adds one queued file to the lab; returns its id.
  function ingestOne(item) {
    const { handle } = lab;
    if (!item.restore) {
      const bytes = new Uint8Array(item.bytes);
      const klass = lab.classIndexFor(item.className);
      const id = item.rgba ? handle.addRgba(item.name, item.rgba, klass) : handle.addImage(item.name, bytes, klass);
      lab.keepFile(id, item.name, bytes);
      lab.ownImageAdded();
      return id;
    }
    const bytes = item.bytes ?? item.reader.takeBytes(item.index);
    const id = handle.restoreImage(item.id ?? undefined, item.name, bytes, item.given,
      item.truth ?? undefined);
    if (!item.generated) lab.keepFile(id, item.name, bytes);
    return id;
  }

  function endBatch(item) {
    item.after?.(); // e.g. a sample's random flips, once all its photos are in
    posting.dataset(); // before the "added" message, so the page shows them all
    if (item.end !== 'resize') post(OUT.ingestDone, { ...stats, kind: item.end, name: item.name });
    postStatus(); // the heap may have grown
    stats = { added: 0, failed: 0 };
    item.reader?.free();
    if (item.end === 'restore') autosave().resume(lab.generation, item.savedIds, item.savedFeatureIds);
    else autosave().schedule();
  }

  // Adds ready entries for up to budgetMs, posting thumbnails as they come.
  function pump(budgetMs) {
    decodeAhead.pump();
    if (!decodeAhead.headReady()) return;
    const { handle } = lab;
    const start = performance.now();
    const items = [];
    while (decodeAhead.headReady() && performance.now() - start < budgetMs) {
      const item = queue.shift();
      if (item.end) {
        endBatch(item);
        continue;
      }
      try {
        const id = ingestOne(item);
        items.push({ id, rgba: handle.thumbnailRgba(id) });
        stats.added += 1;
      } catch (e) {
        stats.failed += 1;
        post(OUT.imageError, { fileName: item.name, message: messageOf(e) });
      }
    }
    posting.datasetNowAndThen();
    if (items.length) posting.thumbnails(items);
  }

  return {
    /** Queues entries (see above) at the end. */
    push: (...items) => queue.push(...items),

    /** Queues one batch of a drop; `end` marks the drop's last batch. */
    addFiles(list, end) {
      queue.push(...list);
      if (end) queue.push({ end: 'drop' });
    },

    /** Whether files are waiting: training waits for them. */
    get busy() { return queue.length > 0; },

    /** Starts browser decodes of the photos ahead of the queue. */
    lookAhead: () => decodeAhead.pump(),

    /** Whether the first entry can be added now. */
    headReady: () => decodeAhead.headReady(),

    /** Adds queued files for a short while, posting thumbnails as they come. */
    pump: () => pump(INGEST_SLICE_MS),

    /** Adds the entries now, up to the first one not ready (restore entries always are). */
    drain: () => pump(Infinity),

    /** Forgets the files still waiting for the lab that is about to go. */
    drop() {
      const readers = new Set(queue.map((item) => item.reader).filter(Boolean));
      for (const reader of readers) reader.free();
      const restoring = queue.some((item) => item.end === 'restore');
      queue.length = 0;
      if (restoring) autosave().resume();
    },
  };
}
