// The lab's own page (www/dist) while it trains at full speed: every long
// task on the main thread and every redraw of the loss plot. Both probes are
// installed before the page's scripts run, from outside, so that no page
// file changes for the benchmark:
// - a PerformanceObserver for 'longtask' entries (tasks over 50 ms);
// - uPlot clears its canvas once per redraw, so clearRect calls on the
//   loss plot's canvas (inside #plot-loss) count its redraws.

function installProbes() {
  const seen = { longTasks: [], redraws: [] };
  window.__benchLab = seen;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const clearRect = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    if (this.canvas.closest?.('#plot-loss')) seen.redraws.push(performance.now());
    return clearRect.apply(this, args);
  };
}

/**
 * Opens the lab at `url`, which loads the sample digits and starts training
 * by itself, waits for the first epoch, then watches for `seconds`.
 */
export async function measureLabPage(browser, url, seconds) {
  // No service worker: the offline cache's first fill would share the cores.
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, serviceWorkers: 'block' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  try {
    await page.addInitScript(installProbes);
    await page.goto(url);
    await page.waitForFunction(() => window.__smoothlab?.state.reports.length >= 1, null, { timeout: 120_000 });
    const start = await page.evaluate(() => ({
      at: performance.now(),
      epochs: window.__smoothlab.state.reports.length,
      loadLongTasks: window.__benchLab.longTasks.length,
    }));
    await page.waitForTimeout(seconds * 1000);
    const end = await page.evaluate((from) => {
      const { longTasks, redraws } = window.__benchLab;
      const { state } = window.__smoothlab;
      return {
        at: performance.now(),
        longTasks: longTasks.filter((t) => t.start >= from),
        redraws: redraws.filter((t) => t >= from).length,
        epochs: state.reports.length,
        stillTraining: state.playing,
      };
    }, start.at);
    const elapsed = (end.at - start.at) / 1000;
    return {
      url: new URL(url).pathname,
      seconds: elapsed,
      longTasks: end.longTasks.map((t) => ({ ...t, start: t.start - start.at })),
      longTasksWhileLoading: start.loadLongTasks,
      redraws: end.redraws,
      redrawsPerSecond: end.redraws / elapsed,
      epochs: end.epochs - start.epochs,
      stillTraining: end.stillTraining,
      errors,
    };
  } finally {
    await page.close();
  }
}
