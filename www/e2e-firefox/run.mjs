// `npm run e2e:firefox`: serves the built page (vite preview, as the
// Playwright suite does) and runs the Firefox smoke test against it.
// GECKODRIVER and FIREFOX override where the driver and the browser are.
import { spawn, execFileSync } from 'node:child_process';
import { smoke } from './smoke.mjs';

const port = Number(process.env.E2E_FIREFOX_PORT || 4174);
const baseUrl = `http://localhost:${port}`;
const which = (name) => {
  try { return execFileSync('sh', ['-c', `command -v ${name}`]).toString().trim(); } catch { return ''; }
};
const geckodriver = process.env.GECKODRIVER || which('geckodriver');
const firefoxBinary = process.env.FIREFOX || which('firefox-esr') || which('firefox');
if (!geckodriver || !firefoxBinary) {
  console.error('e2e:firefox needs geckodriver and Firefox on PATH (make test installs both: scripts/setup.sh)');
  process.exit(1);
}

const server = spawn('npm', ['run', 'serve', '--', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
const stopServer = () => { try { process.kill(-server.pid); } catch { /* already gone */ } };

async function serverUp() {
  for (let i = 0; i < 120; i += 1) {
    try { if ((await fetch(baseUrl)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the preview server did not answer on ${baseUrl}`);
}

try {
  await serverUp();
  const started = Date.now();
  const { userAgent, points } = await smoke({ baseUrl, geckodriver, firefoxBinary });
  console.log(`✓ Firefox smoke (${userAgent.match(/Firefox\/[\d.]+/)[0]}): trained, ${points} points drawn, a photo added, no console error (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (e) {
  console.error(`✘ Firefox smoke: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  stopServer();
}
