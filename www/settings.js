// The page's settings, in one place: the URL-hash schema (key and default of
// each setting), the ranges they may take — not written here but read from
// the core (`core::limits`, posted by the worker when its wasm has loaded),
// so that the page and the core cannot disagree — and the mapping between
// the page's settings and the core's `Settings`.
//
// Until the limits arrive, values are only checked for their type; the page
// sends nothing to the worker before then, and re-checks the address when
// they come (see adoptLimits in state.js).

let limits = null; // core::limits::Limits, once the worker is ready

/** Whether `v` lies in the core's bound (see core::limits::Bound). */
function within(bound, v) {
  if (!Number.isFinite(v)) return false;
  if (!bound) return true;
  const above = bound.minExclusive ? v > bound.min : v >= bound.min;
  const under = bound.maxExclusive ? v < bound.max : v <= bound.max;
  return above && under && (!bound.whole || Number.isInteger(v));
}

const number = (limit, whole = false) => (text) => {
  const v = Number(text);
  if (text === '' || (whole && !Number.isInteger(v))) return undefined;
  return within(limits?.[limit], v) ? v : undefined;
};
const percent = (limit) => (text) => {
  const v = Number(text);
  return text !== '' && within(limits?.[limit], v / 100) ? v : undefined;
};
// "auto" (every core the browser reports) or a count of cores; the worker
// caps it (worker/pool.js).
const cores = (text) => (text === 'auto' || /^([1-9]|1[0-6])$/.test(text) ? text : undefined);
const oneOf = (...allowed) => (text) => (allowed.includes(text) ? text : undefined);
// Hidden layer widths, e.g. "128" or "128,64"; "0" is no hidden layer (a
// linear head, the core's empty list).
const layers = (text) => {
  if (text === '0') return text;
  if (!/^\d{1,4}(,\d{1,4})*$/.test(text)) return undefined;
  const widths = text.split(',').map(Number);
  const ok = within(limits?.hiddenLayers, widths.length)
    && widths.every((w) => within(limits?.hiddenUnits, w));
  return ok ? text : undefined;
};

// Each setting: its hash key, its default, and a parser that returns
// undefined for a value it cannot accept (the default is used then).
const SETTINGS = {
  epsilon: { key: 'eps', initial: 0.2, parse: number('smoothing') },
  learningRate: { key: 'lr', initial: 0.001, parse: number('learningRate') },
  // The hidden layers on raw pixels, and on backbone features: a linear head
  // keeps the mislabeled photos' loss apart far longer (docs/features-defaults.md).
  hidden: { key: 'hidden', initial: '128', parse: layers },
  featuresHidden: { key: 'head', initial: '0', parse: layers },
  batchSize: { key: 'batch', initial: 32, parse: number('batchSize', true) },
  optimizer: { key: 'opt', initial: 'adam', parse: oneOf('adam', 'sgd') },
  side: { key: 'size', initial: 32, parse: number('imageSize', true) },
  seed: { key: 'seed', initial: 1, parse: number('seed', true) },
  pointsPerEpoch: { key: 'points', initial: 4, parse: number('pointsPerEpoch', true) },
  noiseRate: { key: 'noise', initial: 20, parse: percent('noiseRate') },
  noiseMode: { key: 'mode', initial: 'flip', parse: oneOf('flip', 'uniform', 'pair') },
  input: { key: 'see', initial: 'features', parse: oneOf('features', 'pixels') },
  cores: { key: 'cores', initial: 'auto', parse: cores },
};

// The core's bound behind each page setting, for messages.
const LIMIT_OF = { epsilon: 'smoothing', learningRate: 'learningRate', batchSize: 'batchSize',
  side: 'imageSize', seed: 'seed', noiseRate: 'noiseRate', pointsPerEpoch: 'pointsPerEpoch' };

export const DEFAULT_SETTINGS = Object.freeze(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, s.initial])),
);

/** Takes the core's limits (the worker's `ready` message). */
export function useLimits(next) {
  limits = next;
}

/** A core bound by its name in core::limits::Limits, e.g. "folds". */
export const limit = (name) => limits?.[name];

/** What a setting may be, in words, e.g. "between 1 and 4096". */
export function ruleOf(name) {
  if (name === 'hidden' || name === 'featuresHidden') {
    return `units per hidden layer, e.g. 128 or 128,64, or 0 for none (${limits?.hiddenLayers.words ?? 'at most 4 layers'}, each ${limits?.hiddenUnits.words ?? ''})`;
  }
  if (name === 'optimizer') return 'adam or sgd';
  if (name === 'input') return 'features or pixels';
  if (name === 'noiseRate') return 'a percentage from 0 to 100';
  if (name === 'cores') return 'auto, or a whole number from 1 to 16';
  return limits?.[LIMIT_OF[name]]?.words ?? 'a number';
}

export function parseHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const out = { ...DEFAULT_SETTINGS };
  for (const [name, s] of Object.entries(SETTINGS)) {
    if (!params.has(s.key)) continue;
    const v = s.parse(params.get(s.key));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export function toHash(settings) {
  const params = new URLSearchParams();
  for (const [name, s] of Object.entries(SETTINGS)) params.set(s.key, String(settings[name]));
  return `#${params.toString().replace(/%2C/g, ',')}`;
}

/** Validates one setting typed by a person; returns the value or undefined. */
export function parseSetting(name, text) {
  return SETTINGS[name].parse(String(text).trim());
}

const widths = (text) => (text === '0' ? [] : text.split(',').map(Number));
const layersText = (list) => (list.length ? list.join(',') : '0');

/** The page's settings as the core's `Settings` (what configure() takes). */
export function toCoreSettings(s) {
  return {
    learningRate: s.learningRate,
    hidden: widths(s.hidden),
    featuresHidden: widths(s.featuresHidden),
    batchSize: s.batchSize,
    optimizer: s.optimizer,
    momentum: 0.9,
    weightDecay: 0,
    seed: s.seed,
    smoothing: s.epsilon,
    pointsPerEpoch: s.pointsPerEpoch,
  };
}

/**
 * The core's `Settings` of a project read back, and its image size, as a
 * patch of page settings: only the values the page accepts.
 */
export function fromCoreSettings(settings, side) {
  const patch = {
    epsilon: settings.smoothing,
    learningRate: settings.learningRate,
    hidden: layersText(settings.hidden),
    // Missing from projects saved before these settings: the core's own
    // defaults then (a linear head, one point per epoch), which the models
    // will run with, so that the page shows what they do.
    featuresHidden: layersText(settings.featuresHidden ?? []),
    batchSize: settings.batchSize,
    optimizer: settings.optimizer,
    seed: settings.seed,
    pointsPerEpoch: settings.pointsPerEpoch ?? 1,
  };
  if (side !== undefined) patch.side = side;
  return Object.fromEntries(Object.entries(patch)
    .filter(([name, v]) => SETTINGS[name].parse(String(v)) !== undefined));
}
