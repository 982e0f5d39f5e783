// The app's start-up benchmark on the release build under Xvfb: cold start to an interactive
// Unlock screen, and Unlock to Today with 10,000 notes stored, over several rounds; and the UI
// bundle's gzipped size. Run by scripts/app.sh's bench_app, which prepares the 10,000-note store
// and sets DOORSTEP_APP, DOORSTEP_DATA_DIR, DOORSTEP_PASSPHRASE and DOORSTEP_ROUNDS.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Driver, startTauriDriver } from './webdriver.mjs';

const app = process.env.DOORSTEP_APP;
const passphrase = process.env.DOORSTEP_PASSPHRASE;
const rounds = Number(process.env.DOORSTEP_ROUNDS ?? 5);
const dist = new URL('../../ui/dist/', import.meta.url).pathname;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

// Clicks Unlock and resolves, in the page's own clock, when Today has rendered.
const UNLOCK_TO_TODAY = `
  const done = arguments[arguments.length - 1];
  const started = performance.now();
  const ready = () => document.body.innerText.includes('Record a visit note');
  new MutationObserver((_, observer) => {
    if (ready()) { observer.disconnect(); done(performance.now() - started); }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  document.querySelector('form button[type=submit]').click();
`;

const cold = [];
const unlock = [];
const { child, url } = await startTauriDriver(4544);
try {
  for (let round = 0; round < rounds; round++) {
    const driver = new Driver(url);
    const started = performance.now();
    await driver.start(app);
    const field = await driver.find('#passphrase', { timeout: 30_000 });
    cold.push(performance.now() - started);
    await driver.type(field, passphrase);
    unlock.push(await driver.asyncScript(UNLOCK_TO_TODAY));
    await driver.stop();
  }
} finally {
  child.kill('SIGTERM');
}

let raw = 0;
let gzipped = 0;
for (const file of await readdir(join(dist, 'assets'))) {
  const bytes = await readFile(join(dist, 'assets', file));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
const index = await readFile(join(dist, 'index.html'));
raw += index.length;
gzipped += gzipSync(index, { level: 9 }).length;

const report = {
  rounds,
  cold_start_to_unlock_ms: { p50: Math.round(median(cold)), max: Math.round(max(cold)), goal: 1500 },
  unlock_to_today_10k_notes_ms: { p50: Math.round(median(unlock)), max: Math.round(max(unlock)), goal: 1000 },
  ui_bundle_kb: { raw: +(raw / 1024).toFixed(1), gzipped: +(gzipped / 1024).toFixed(1), goal_gzipped: 250 },
};
console.log(JSON.stringify(report, null, 2));
