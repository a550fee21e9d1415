// The built page in headless Firefox (stock Firefox ESR driven by geckodriver
// over WebDriver BiDi; Playwright cannot drive it here): the digits load and
// train, the curves draw, the file input adds a photo, and no console error
// or uncaught exception happens on the way. Run by `npm run e2e:firefox`
// (run.mjs starts the preview server first).
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, until } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import logInspector from 'selenium-webdriver/bidi/logInspector.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const photo = path.resolve(here, '../../tests/fixtures/folders/cats/cat_1.jpg');

/** Waits until `script` (a function body returning a value) is truthy. */
async function waitFor(driver, what, script, timeout = 90_000) {
  await driver.wait(async () => Boolean(await driver.executeScript(script)), timeout, `waited for ${what}`);
}

export async function smoke({ baseUrl, geckodriver, firefoxBinary }) {
  const options = new firefox.Options().addArguments('-headless').enableBidi();
  if (firefoxBinary) options.setBinary(firefoxBinary);
  const driver = await new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(geckodriver))
    .build();
  const problems = [];
  try {
    const log = await logInspector(driver);
    await log.onConsoleEntry((entry) => { if (entry.level === 'error') problems.push(`console: ${entry.text}`); });
    await log.onJavascriptException((entry) => problems.push(`uncaught: ${entry.text}`));
    await driver.manage().window().setRect({ width: 1440, height: 1000 });

    await driver.get(`${baseUrl}/`);
    await waitFor(driver, 'three points of the curves', 'return window.__smoothlab?.state.reports.length >= 3');
    const userAgent = await driver.executeScript('return navigator.userAgent');
    assert.match(userAgent, /Firefox\//);
    const points = await driver.executeScript('return window.__smoothlab.plotPoints()');
    assert.ok(points >= 3, `the plot drew ${points} points`);
    const last = await driver.executeScript('return window.__smoothlab.state.reports.at(-1)');
    assert.ok(Number.isFinite(last.baseline.cleanLoss) && Number.isFinite(last.smoothed.noisyLoss), 'finite losses');
    assert.ok(last.baseline.testAcc > 0.3, `held-out accuracy ${last.baseline.testAcc}`);
    await driver.wait(until.elementLocated(By.css('#reliability-baseline svg')), 30_000);

    // A photo through the file input ("Add images…" opens it): the digits
    // are a sample, so the photo starts a project of its own.
    await driver.findElement(By.id('file-picker')).sendKeys(photo);
    await driver.wait(until.elementLocated(By.xpath("//*[contains(@class,'toast') and contains(., 'Added 1 image')]")), 60_000);
    await waitFor(driver, 'the photo in a project of its own',
      'const d = window.__smoothlab.state.dataset; return !window.__smoothlab.state.isSample && d.images.length === 1');
    assert.deepEqual(problems, [], 'console errors or uncaught exceptions in Firefox');
    return { userAgent, points };
  } finally {
    await driver.quit();
  }
}
