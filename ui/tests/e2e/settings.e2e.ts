// Settings: models (download with progress and checking, import and its errors, choosing one),
// audio retention, auto-lock, colours and Lock now.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { calls, close, launch, openUnlocked, release, shot } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Settings', () => {
  test('a model downloads with progress, is checked, then is on the device', async () => {
    const app = await openUnlocked(browser, '#/settings', { config: { hold: ['download_model'] } });
    const { page } = app;
    const small = page.locator('[data-model="small.en"]');
    await small.waitFor();
    expect(await small.textContent()).toContain('Not downloaded');
    expect(await small.textContent()).toContain('488 MB');
    expect(await page.locator('[data-model="base.en"]').textContent()).toContain('In use');
    await small.getByRole('button', { name: 'Download' }).click();
    const progress = small.getByRole('progressbar');
    await expect.poll(() => progress.getAttribute('aria-valuenow')).toBe('50');
    expect(await small.textContent()).toContain('244 MB of 488 MB');
    expect(await page.locator('[data-model="base"]').getByRole('button', { name: 'Download' }).isDisabled()).toBe(true);
    await shot(page, 'settings-download');
    await release(page, 'download_model');
    await expect.poll(() => small.textContent()).toContain('On this device');
    expect((await calls(page, 'download_model'))[0]?.args).toMatchObject({ name: 'small.en', onEvent: expect.stringMatching(/^__CHANNEL__:/) });
    await close(app);
  });

  test('import: a wrong file is refused with the reason; a good one installs', async () => {
    const app = await openUnlocked(browser, '#/settings');
    const { page } = app;
    await page.getByLabel('Import a model file').fill('/media/usb/notes.txt');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The model could not be imported');
    expect(await alert.textContent()).toContain('That file is not a Whisper model (a ggml .bin file).');
    await alert.scrollIntoViewIfNeeded();
    await shot(page, 'settings-import-error');
    await page.getByLabel('Import a model file').fill('/media/usb/ggml-base.bin');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.locator('[data-model="base"]').textContent()).toContain('On this device');
    expect(await page.getByRole('alert').count()).toBe(0);
    await close(app);
  });

  test('choosing a model, retention and auto-lock saves them', async () => {
    const app = await openUnlocked(browser, '#/settings');
    const { page } = app;
    await page.locator('[data-model="tiny.en"]').getByRole('button', { name: 'Use this model' }).click();
    await expect.poll(() => page.locator('[data-model="tiny.en"]').textContent()).toContain('In use');
    await page.getByLabel('Keep the audio for 30 days after approval').check();
    await expect.poll(async () => (await calls(page, 'save_settings')).length).toBe(2);
    await page.getByLabel('Lock automatically').selectOption('15');
    await expect.poll(async () => (await calls(page, 'save_settings')).length).toBe(3);
    expect((await calls(page, 'save_settings')).map((c) => c.args.settings)).toEqual([
      { retention: 'delete_on_approve', model: 'tiny.en', lockAfterMinutes: 5 },
      { retention: 'keep_30_days', model: 'tiny.en', lockAfterMinutes: 5 },
      { retention: 'keep_30_days', model: 'tiny.en', lockAfterMinutes: 15 },
    ]);
    await shot(page, 'settings');
    await close(app);
  });

  test('colours can be chosen here too', async () => {
    const app = await openUnlocked(browser, '#/settings');
    const { page } = app;
    await page.getByRole('radio', { name: 'Night' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.scheme)).toBe('night');
    await shot(page, 'settings-night');
    await page.getByRole('radio', { name: 'Follow this device' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.scheme)).toBe('day');
    await close(app);
  });

  test('Lock now returns to Unlock', async () => {
    const app = await openUnlocked(browser, '#/settings');
    const { page } = app;
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'Doorstep is locked' }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);
    await close(app);
  });
});
