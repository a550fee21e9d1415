// The worker's one wasm Lab and what belongs with it: whether it is the
// sample (or which CIFAR-10N sample it was opened from), its generation (bumped when it is replaced: image ids then
// change), the image size and the training settings and ε it is built with,
// and the file store, each user image's original bytes by image id (kept to
// rebuild the project at another image size, to save it and to export it).
// Only this module changes them; the others read them through the getters.
import { Lab } from '../pkg/smoothlab.js';

/** A new wasm Lab: start is {kind: 'sample'} or {kind: 'empty', side, color}. */
export const openLab = (start, settings) => new Lab(JSON.stringify(start), JSON.stringify(settings));

export function createLabState() {
  let handle = null;
  let isSample = false;
  let origin = null; // {set, title, labels, flipped, leftOut}: opened from a CIFAR-10N sample
  let generation = 0;
  let side = 32; // for the next user project, also while the sample is shown
  let settings = null; // the last configure() settings, kept for rebuilds
  let epsilon = 0;
  let files = new Map(); // image id → {name, bytes}; user files only
  // The class names, cached while files stream in (datasetJson() per file
  // would make a big drop quadratic); dropped whenever the classes may change.
  let classNames = null;

  return {
    get handle() { return handle; },
    get isSample() { return isSample; },
    get origin() { return origin; },
    get generation() { return generation; },
    get side() { return side; },
    get settings() { return settings; },
    get epsilon() { return epsilon; },
    get files() { return files; },

    /** The lab's datasetJson(), parsed. */
    dataset: () => JSON.parse(handle.datasetJson()),

    /** Makes `next` the lab, freeing the old one; its file store starts empty. */
    replace(next, sample, from = null) {
      if (handle) handle.free();
      handle = next;
      isSample = sample;
      origin = from;
      generation += 1;
      files = new Map();
      classNames = null;
    },

    /**
     * The person added images of their own to a photo sample: it is now
     * their project too, which the page must not replace without asking.
     */
    ownImageAdded() {
      if (origin && !origin.withOwnImages) origin = { ...origin, withOwnImages: true };
    },

    setSide(next) { side = next; },

    configure(next) {
      settings = next;
      handle.configure(JSON.stringify(next));
    },

    /** Takes the settings a project was opened with (ε among them). */
    adoptSettings(next) {
      settings = next;
      epsilon = next.smoothing;
    },

    setEpsilon(eps) {
      epsilon = eps;
      if (settings) settings = { ...settings, smoothing: eps };
      handle.setSmoothing(eps);
    },

    /** The index of the class called `name`, created when missing. */
    classIndexFor(name) {
      classNames ??= JSON.parse(handle.datasetJson()).classes;
      const found = classNames.indexOf(name);
      if (found >= 0) return found;
      const index = handle.addClass(name);
      classNames = null;
      return index;
    },

    forgetClassNames() { classNames = null; },

    keepFile(id, name, bytes) { files.set(id, { name, bytes }); },

    move(ids, classIndex, mode) {
      for (const id of ids) {
        if (mode === 'mislabel') handle.mislabel(id, classIndex);
        else handle.setLabel(id, classIndex);
      }
    },

    removeImages(ids) {
      for (const id of ids) {
        handle.removeImage(id);
        files.delete(id);
      }
    },

    /** Removes a class and its images; returns how many images went. */
    removeClass(index) {
      const gone = handle.removeClass(index);
      const live = new Set(JSON.parse(handle.datasetJson()).images.map((img) => img.id));
      for (const id of files.keys()) if (!live.has(id)) files.delete(id);
      return gone;
    },
  };
}
