// Opening and replacing the lab: the sample digits, a new empty
// project (also made on the fly when files are dropped onto the sample),
// a project opened by projects.js, a rebuild at another image size, and
// the settings it trains with. Replacing the lab also stops what
// belonged to the old one: the files still queued, a search under way, and
// the history sent to the page.
import { FROM_WORKER as OUT } from '../protocol.js';
import { openLab } from './lab.js';
import { post } from './post.js';

/**
 * lab: lab.js; posting: posting.js; ingest: ingest-queue.js; training:
 * training.js; finder: finder.js; projects(): projects.js.
 */
export function createLifecycle({ lab, posting, ingest, training, finder, projects }) {
  function replaceLab(next, sample, origin = null) {
    ingest.drop();
    training.forgetResume();
    finder.cancel(); // its lab is about to go
    lab.replace(next, sample, origin);
    posting.labReplaced();
  }

  function configure(settings) {
    lab.configure(settings);
    posting.modelsRestarted();
  }

  function setEpsilon(eps) {
    lab.setEpsilon(eps);
    projects().autosave.schedule();
  }

  function loadSample({ seed, side, noise, settings, epsilon }) {
    lab.setSide(side ?? lab.side); // for the user project that may follow
    replaceLab(openLab({ kind: 'sample' }, { seed }), true);
    configure(settings);
    setEpsilon(epsilon);
    if (noise && noise.rate > 0) lab.handle.injectNoise(noise.mode, noise.rate, noise.seed);
    posting.dataset();
    posting.allThumbnails();
  }

  function newProject({ side, seed, settings, epsilon }) {
    lab.setSide(side);
    replaceLab(openLab({ kind: 'empty', side, color: 'rgb' }, { seed }), false);
    configure(settings);
    setEpsilon(epsilon);
    posting.dataset();
  }

  return {
    loadSample,
    newProject,

    /** Dropped files need a user project: the sample makes way for an empty one. */
    ensureUserProject() {
      if (lab.handle && !lab.isSample) return;
      training.pause(); // an empty project has nothing to train yet
      newProject({ side: lab.side, seed: lab.settings?.seed ?? 1, settings: lab.settings, epsilon: lab.epsilon });
      post(OUT.notice, { message: 'Started a new project for your images. "Sample digits" brings the digits back.' });
    },

    /** Makes a lab opened by projects.js the worker's. */
    adopt(next, { isSample, settings, side, origin = null }) {
      replaceLab(next, isSample, origin);
      lab.adoptSettings(settings);
      if (side !== undefined) lab.setSide(side);
    },

    /**
     * Rebuilds the user project at side×side. It is read back from its own
     * description and kept files (projects.js) by the restore entries a
     * project from storage or a zip comes in by, added at once rather than
     * over the next slices: the page gets it at its new size in one dataset.
     */
    setImageSize({ side }) {
      lab.setSide(side);
      if (lab.isSample) {
        post(OUT.notice, { message: 'The digits are always 8×8; the image size applies to your own images.' });
        return;
      }
      projects().resize(side);
      ingest.drain();
    },

    configure,
    setEpsilon,
  };
}
