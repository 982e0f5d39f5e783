// The real app, end to end, under Xvfb through tauri-driver and WebKitWebDriver: a wrong
// passphrase, unlock, ingest a WAV of the evaluation corpus, see its transcript and themes,
// search for a theme and open the hit, view the person's ecomap, record a spoken note from the
// microphone (the clip played into PulseAudio's null sink, whose monitor is the default source)
// and see it transcribed, sync with no server set, then with a real server on loopback. A
// screenshot of each screen goes to
// $DOORSTEP_ARTEFACTS (look at them).
//
// Run by scripts/app.sh's test_app, which prepares the store and sets:
//   DOORSTEP_APP (the release binary), DOORSTEP_DATA_DIR, DOORSTEP_MODELS_DIR,
//   DOORSTEP_PASSPHRASE, DOORSTEP_CLIP (a WAV), DOORSTEP_SYNC_URL, DOORSTEP_ARTEFACTS.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Driver, startTauriDriver } from './webdriver.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const app = env('DOORSTEP_APP');
const artefacts = env('DOORSTEP_ARTEFACTS');
const passphrase = env('DOORSTEP_PASSPHRASE');
const clip = env('DOORSTEP_CLIP');
const subject = process.env.DOORSTEP_SUBJECT ?? 'Margaret Holt';
await mkdir(artefacts, { recursive: true });

const { child, url } = await startTauriDriver(4444);
const driver = new Driver(url);
// A screen is photographed once nothing on it is still loading and it has painted.
const shot = async (name) => {
  await driver.until('loading to finish', async () =>
    (await driver.findAll('p.loading')).length === 0, 60_000).catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 300));
  await driver.screenshot(join(artefacts, `${name}.png`));
};
const body = () => driver.bodyText();
const step = (what) => console.log(`e2e: ${what}`);

try {
  await driver.start(app);
  step('unlock screen');
  let field = await driver.find('#passphrase', { timeout: 30_000 });
  await shot('01-unlock');

  step('a wrong passphrase is refused clearly');
  await driver.type(field, 'not the passphrase');
  await driver.click(await driver.control('Unlock'));
  await driver.until('the wrong-passphrase message', async () =>
    (await body()).includes('does not open'), 30_000);
  await shot('02-unlock-wrong');

  step('unlock');
  field = await driver.find('#passphrase');
  await driver.clear(field);
  await driver.type(field, passphrase);
  await driver.click(await driver.control('Unlock'));
  await driver.until('Today', async () => (await body()).includes('Record a visit note'), 30_000);
  await shot('03-today');

  step('ingest a WAV');
  await driver.click(await driver.control('Import audio file'));
  const option = await driver.find(
    `//select[@id='new-subject']/option[normalize-space(.)='${subject}']`,
    { using: 'xpath' },
  );
  await driver.click(option);
  await driver.type(await driver.find('#new-path'), clip);
  await driver.click(await driver.control('Import and transcribe'));
  await driver.until('the transcribed draft', async () =>
    (await body()).includes('Approve note'), 180_000);
  await shot('04-review');
  const review = await body();
  assert.match(review, new RegExp(subject), 'the draft is about the person chosen');
  assert.match(review, /fall/i, 'the transcript is shown');
  assert.match(review, /Falls and mobility/, 'its themes are shown');

  step('search for a theme and open the hit');
  await driver.click(await driver.control('Search'));
  const query = await driver.find('#search-query');
  await driver.type(query, `falls person:"${subject}"\uE007`); // Enter
  const hit = await driver.find("//ol[@aria-label='Search results']//a", {
    using: 'xpath',
    timeout: 60_000,
  });
  await shot('05-search');
  await driver.click(hit);
  await driver.until('the note', async () => (await body()).includes('Approve note'), 30_000);
  await shot('06-note-from-search');
  assert.match(await body(), /fall/i, 'the hit opened the transcribed note');

  step("the person's ecomap");
  await driver.click(await driver.control('records'));
  await driver.click(await driver.control('Ecomap', 30_000));
  await driver.find("div.picture[role='img'] svg", { timeout: 60_000 });
  assert.match(await body(), /son/i, 'the ecomap proposes her son, from the spoken note');
  await shot('07-ecomap');

  step('record a spoken note from the microphone');
  await driver.click(await driver.control(`Record for ${subject}`));
  await driver.click(await driver.control('Start recording'));
  await driver.until('recording', async () => (await body()).includes('Pause'), 30_000);
  const sink = process.env.DOORSTEP_PULSE_SINK ?? 'doorstep_test';
  const played = await new Promise((resolve) => {
    const player = spawn('paplay', [`--device=${sink}`, clip], { stdio: 'inherit' });
    setTimeout(() => shot('08-recording').catch(() => {}), 3_000);
    player.on('exit', (code) => resolve(code));
  });
  assert.equal(played, 0, 'paplay played the clip');
  await driver.click(await driver.control('Stop'));
  await driver.until('the recorded note transcribed', async () =>
    (await body()).includes('Approve note'), 180_000);
  await shot('09-recorded-review');
  assert.match(await body(), /fall|visit|Margaret/i, 'the recording was heard and transcribed');

  step('sync with no server set says so');
  await driver.click(await driver.control('Sync'));
  await driver.click(await driver.control('Sync now', 30_000));
  await driver.until('the no-server message', async () => /server/i.test(await body()) &&
    (await driver.findAll("[aria-invalid='true']")).length > 0, 30_000);
  await shot('10-sync-no-server');

  step('sync with the server on loopback: nothing left only on this device');
  await driver.type(await driver.find('#sync-server'), env('DOORSTEP_SYNC_URL'));
  await driver.click(await driver.control('Sync now'));
  await driver.until('safe to close', async () => (await body()).includes('Safe to close'), 120_000);
  await shot('11-synced');
  step('passed');
} catch (e) {
  await shot('failure').catch(() => {});
  console.error(`e2e failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await driver.stop();
  child.kill('SIGTERM');
}
