// What the service worker keeps and how it answers, as pure functions (no
// caches, no fetch), so that the rules can be checked on their own.
//
// Each build gets its own cache, named after a hash of every file the build
// emitted (names and bytes), so a rebuild that changes anything starts a
// fresh cache and the old one is deleted whole instead of patched.

export const CACHE_PREFIX = 'smoothlab-';

/** The cache of the build whose file hash is `version`. */
export const cacheName = (version) => `${CACHE_PREFIX}${version}`;

/** Caches left by earlier builds: ours by name, and not the current one. */
export const staleCaches = (names, current) =>
  names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== current);

/** The page itself, under the names it is asked for by. */
export const PAGE = 'index.html';

/**
 * How to answer a GET of `url`: 'page' (network first, the cached page when
 * offline, so that a new build is picked up as soon as there is a network),
 * 'cached' (cache first: every other file is named by its content, or comes
 * and goes with the whole cache), or null (not ours: fetched as usual).
 * scope: the worker's scope (ends with '/'); files: a Set of the build's
 * files, relative to the scope.
 */
export function strategyFor(url, scope, files) {
  if (!url.startsWith(scope)) return null;
  const path = url.slice(scope.length).replace(/[?#].*$/, '');
  if (path === '' || path === PAGE) return 'page';
  return files.has(path) ? 'cached' : null;
}
