// Opening and replacing the session: the sample digits, a new empty
// project (also made on the fly when files are dropped onto the sample),
// a project opened by projects.js, a rebuild at another image size, and
// the settings it trains with. Replacing the session also stops what
// belonged to the old one: the files still queued, a search under way, and
// the history sent to the page.
import { Session } from '../pkg/smoothlab.js';
import { FROM_WORKER as OUT } from '../protocol.js';
import { post } from './post.js';

/**
 * lab: session.js; posting: posting.js; ingest: ingest-queue.js; training:
 * training.js; finder: finder.js; autosave(): autosave.js's saver.
 */
export function createLifecycle({ lab, posting, ingest, training, finder, autosave }) {
  function replaceSession(next, sample) {
    ingest.drop();
    training.forgetResume();
    finder.cancel(); // its session is about to go
    lab.replace(next, sample);
    posting.sessionReplaced();
  }

  function configure(settings) {
    lab.configure(settings);
    posting.modelsRestarted();
  }

  function setEpsilon(eps) {
    lab.setEpsilon(eps);
    autosave().schedule();
  }

  function loadSample({ seed, side, noise, settings, epsilon }) {
    lab.setSide(side ?? lab.side); // for the user project that may follow
    replaceSession(Session.sample(seed), true);
    configure(settings);
    setEpsilon(epsilon);
    if (noise && noise.rate > 0) lab.session.injectNoise(noise.mode, noise.rate, noise.seed);
    posting.dataset();
    posting.allThumbnails();
  }

  function newProject({ side, seed, settings, epsilon }) {
    lab.setSide(side);
    replaceSession(new Session(side, seed), false);
    configure(settings);
    setEpsilon(epsilon);
    posting.dataset();
  }

  return {
    loadSample,
    newProject,

    /** Dropped files need a user project: the sample makes way for an empty one. */
    ensureUserProject() {
      if (lab.session && !lab.isSample) return;
      training.pause(); // an empty project has nothing to train yet
      newProject({ side: lab.side, seed: lab.settings?.seed ?? 1, settings: lab.settings, epsilon: lab.epsilon });
      post(OUT.notice, { message: 'Started a new project for your images. "Sample digits" brings the digits back.' });
    },

    /** Makes a session opened by projects.js the worker's. */
    adopt(next, { isSample, settings, side }) {
      replaceSession(next, isSample);
      lab.adoptSettings(settings);
      if (side !== undefined) lab.setSide(side);
    },

    // Re-adds every kept file at a new size, restoring given and true labels.
    setImageSize({ side }) {
      lab.setSide(side);
      if (lab.isSample) {
        post(OUT.notice, { message: 'The digits are always 8×8; the image size applies to your own images.' });
        return;
      }
      const { settings, epsilon, files } = lab;
      const old = lab.dataset();
      const next = new Session(side, settings.seed);
      const kept = new Map();
      try {
        next.configure(JSON.stringify(settings));
        next.setSmoothing(epsilon);
        old.classes.forEach((name) => next.addClass(name));
        for (const img of old.images) {
          const file = files.get(img.id);
          if (!file) continue;
          const truth = img.truth ?? img.given;
          const id = next.addImage(file.name, file.bytes, truth);
          if (img.given !== truth) next.mislabel(id, img.given);
          kept.set(id, file);
        }
      } catch (e) {
        next.free(); // keep the project as it was
        throw e;
      }
      replaceSession(next, false);
      for (const [id, file] of kept) lab.keepFile(id, file.name, file.bytes);
      posting.dataset();
      posting.allThumbnails();
    },

    configure,
    setEpsilon,
  };
}
