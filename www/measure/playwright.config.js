import base from '../playwright.config.js';

// Measurements in the real page, not tests: `photos.spec.js` trains on a
// project zip a person would import and prints what the page shows.
export default { ...base, testDir: '.', timeout: 30 * 60_000 };
