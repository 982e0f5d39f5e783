// Record and the other ways in: levels, pause and resume, stop, transcription progress, the
// microphone and model errors; typing a note; importing an audio file; adding someone new.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { calls, close, fail, launch, openUnlocked, release, shot } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const timer = (page: import('playwright-core').Page) => page.getByRole('timer').textContent();
const meter = (page: import('playwright-core').Page) => page.getByRole('meter', { name: 'Sound level' }).getAttribute('aria-valuenow');

describe('Record', () => {
  test('levels and time while recording, pause and resume, stop, then transcription opens Review', async () => {
    const app = await openUnlocked(browser, '#/record', { config: { hold: ['transcribe_recording'] } });
    const { page } = app;
    await page.getByLabel('Who is this about?').selectOption({ label: 'Joan Platt, Platt household' });
    await page.getByRole('button', { name: 'Start recording' }).click();
    await expect.poll(() => meter(page)).not.toBe('0');
    await expect.poll(() => timer(page)).not.toBe('0:00');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await page.getByRole('meter').getAttribute('aria-valuetext')).toMatch(/^Sound level (quiet|good|silent|too loud)$/);
    await shot(page, 'record-recording');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Paused. Nothing is being recorded until you resume.').waitFor();
    const paused = await timer(page);
    await page.waitForTimeout(300);
    expect(await timer(page)).toBe(paused);
    expect(await meter(page)).toBe('0');
    await shot(page, 'record-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => timer(page)).not.toBe(paused);

    await page.getByRole('button', { name: 'Stop' }).click();
    const progress = page.getByRole('progressbar', { name: 'Transcribing on this phone' });
    await expect.poll(() => progress.getAttribute('aria-valuenow')).toBe('50');
    await shot(page, 'record-transcribing');

    await release(page, 'transcribe_recording');
    await page.getByRole('heading', { level: 1, name: 'Joan Platt' }).waitFor();
    await page.getByText('Quick visit to Joan Platt after school.').waitFor();
    const [transcribe] = await calls(page, 'transcribe_recording');
    expect(transcribe?.args).toMatchObject({ recordingId: expect.stringMatching(/^rec-/), subject: 'p-joan', onEvent: expect.stringMatching(/^__CHANNEL__:/) });
    expect((await calls(page, 'start_recording'))[0]?.args.subject).toBe('p-joan');
    await close(app);
  });

  test('who it is about can wait until after the recording', async () => {
    const app = await openUnlocked(browser, '#/record');
    const { page } = app;
    await page.getByLabel('Who is this about?').waitFor();
    await page.getByRole('button', { name: 'Start recording' }).click();
    await expect.poll(() => timer(page)).not.toBe('0:00');
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Recording saved').waitFor();
    await page.getByRole('button', { name: 'Transcribe now' }).click();
    await page.getByText('Choose who this recording is about.').waitFor();
    expect((await calls(page, 'start_recording'))[0]?.args.subject).toBeNull();
    await page.getByLabel('Who is this about?').selectOption({ label: 'Gareth Evans, Evans family' });
    await page.getByRole('button', { name: 'Transcribe now' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gareth Evans' }).waitFor();
    await close(app);
  });

  test('a microphone that cannot be used says what to do, and Try again starts', async () => {
    const app = await openUnlocked(browser, '#/record', {
      config: { fail: { start_recording: { kind: 'audio_device', message: 'No microphone was found on this device.' } } },
    });
    const { page } = app;
    await page.getByRole('button', { name: 'Start recording' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The microphone could not be used');
    expect(await alert.textContent()).toContain('No microphone was found on this device.');
    expect(await alert.textContent()).toContain('Check that a microphone is connected');
    await shot(page, 'record-audio-device');
    await fail(page, 'start_recording', null);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => timer(page)).not.toBe('0:00');
    await page.getByRole('button', { name: 'Stop' }).click();
    await close(app);
  });

  test('no speech model: the recording is kept, Settings is offered, and Try again works', async () => {
    const app = await openUnlocked(browser, '#/record?subject=p-amira', {
      config: { fail: { transcribe_recording: { kind: 'model_missing', message: 'No Whisper model is installed on this device.' } } },
    });
    const { page } = app;
    await page.getByRole('button', { name: 'Start recording' }).click();
    await expect.poll(() => timer(page)).not.toBe('0:00');
    await page.getByRole('button', { name: 'Stop' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('No speech model on this phone yet');
    expect(await alert.textContent()).toContain('No Whisper model is installed on this device.');
    expect(await alert.getByRole('link', { name: 'Open Settings' }).getAttribute('href')).toBe('#/settings');
    await page.getByText('Recording saved').waitFor();
    await shot(page, 'record-model-missing');
    await fail(page, 'transcribe_recording', null);
    await page.getByRole('button', { name: 'Try transcribing again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Amira Khan' }).waitFor();
    await close(app);
  });
});

describe('Other ways to add a note', () => {
  test('type a note: checks, then a draft opens for review', async () => {
    const app = await openUnlocked(browser, '#/new?mode=type');
    const { page } = app;
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText('Choose who this note is about.').waitFor();
    await page.getByText('Write the note first.').waitFor();
    expect(await calls(page, 'add_note')).toEqual([]);
    await page.getByLabel('Who is this about?').selectOption({ label: 'Joan Platt, Platt household' });
    await page.getByLabel('Date of the visit').fill('2026-12-01');
    await page.getByLabel('Note').fill('Phoned Joan. She said she has been feeling lonely since the club closed.');
    await shot(page, 'new-note-type');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Joan Platt' }).waitFor();
    await page.getByRole('list', { name: 'Themes' }).getByText('Loneliness and social isolation').waitFor();
    expect((await calls(page, 'add_note'))[0]?.args).toEqual({
      subject: 'p-joan',
      text: 'Phoned Joan. She said she has been feeling lonely since the club closed.',
      date: '2026-12-01',
    });
    await close(app);
  });

  test('someone new is added to the caseload and chosen', async () => {
    const app = await openUnlocked(browser, '#/new?mode=type');
    const { page } = app;
    await page.getByLabel('Who is this about?').selectOption({ label: 'Someone new…' });
    await page.getByRole('button', { name: 'Add them' }).click();
    await page.getByText('Enter their name.').waitFor();
    await page.getByLabel('Their name').fill('Dorothy Hughes');
    await page.getByLabel('Household (if you know it)').fill('Hughes household');
    await page.getByLabel('Household (if you know it)').press('Enter');
    await expect.poll(() => page.getByLabel('Who is this about?').inputValue()).toMatch(/^p-new-/);
    expect((await calls(page, 'add_person'))[0]?.args).toEqual({ name: 'Dorothy Hughes', aliases: [], household: 'Hughes household' });
    await page.getByLabel('Note').fill('First visit to Dorothy.');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dorothy Hughes' }).waitFor();
    await close(app);
  });

  test('import an audio file: a wrong file is refused, a good one is transcribed with progress', async () => {
    const app = await openUnlocked(browser, '#/new?mode=import', { config: { hold: ['ingest_file'] } });
    const { page } = app;
    await page.getByLabel('Who is this about?').selectOption({ label: 'Gareth Evans, Evans family' });
    await page.getByLabel('Audio file').fill('/home/sam/notes.txt');
    await page.getByRole('button', { name: 'Import and transcribe' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('is not an audio file Doorstep can read');
    await shot(page, 'new-note-import-error');
    await page.getByLabel('Audio file').fill('/home/sam/visit.m4a');
    await page.getByRole('button', { name: 'Import and transcribe' }).click();
    await expect.poll(() => page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    await release(page, 'ingest_file');
    await page.getByRole('heading', { level: 1, name: 'Gareth Evans' }).waitFor();
    expect((await calls(page, 'ingest_file')).at(-1)?.args).toMatchObject({ path: '/home/sam/visit.m4a', subject: 'p-gareth' });
    await close(app);
  });
});
