// Registers the service worker (sw.js, see offline/sw.js) in a built page,
// so that the next visit works without a network. Not under `vite dev`,
// where the files change under it. Without service workers (an old
// browser, or one that refuses them, as some private windows do) the page
// works as before and needs the network: worth a warning, not an error.
export function registerOffline() {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // After load: its first fetches wait until the page has what it needs.
  const register = () => navigator.serviceWorker.register('./sw.js')
    .catch((e) => console.warn(`The lab will not work offline: ${e.message}`));
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
