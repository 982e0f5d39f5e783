// Unlock and first run: the wrong passphrase, setting up a new device, and doing it all from
// the keyboard alone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { calls, close, focused, focusVisible, launch, open, shot, tabTo } from './harness';
import { DEFAULT_PASSPHRASE } from './mock-config';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Unlock', () => {
  test('a wrong passphrase is said plainly and the field keeps focus', async () => {
    const app = await open(browser);
    const { page } = app;
    await expect.poll(() => focused(page)).toMatch(/^input\|.*\|passphrase$/);
    await page.fill('#passphrase', 'not my passphrase');
    await page.click('button[type=submit]');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain("That passphrase does not open this device's records.");
    expect(await alert.textContent()).toContain('Wrong passphrase');
    expect(await focused(page)).toMatch(/\|passphrase$/);
    expect(await page.getAttribute('#passphrase', 'aria-invalid')).toBe('true');
    // The text is selected, so typing again replaces it.
    expect(await page.evaluate(() => {
      const input = document.activeElement as HTMLInputElement;
      return [input.selectionStart, input.selectionEnd, input.value.length];
    })).toEqual([0, 17, 17]);
    await shot(page, 'unlock-wrong-passphrase');
    await page.keyboard.type(DEFAULT_PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Sam Taylor/ }).waitFor();
    await close(app);
  });

  test('show and hide the passphrase', async () => {
    const app = await open(browser);
    const { page } = app;
    await page.fill('#passphrase', 'secret words');
    expect(await page.getAttribute('#passphrase', 'type')).toBe('password');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(await page.getAttribute('#passphrase', 'type')).toBe('text');
    expect(await page.getByRole('button', { name: 'Hide' }).getAttribute('aria-pressed')).toBe('true');
    await shot(page, 'unlock');
    await close(app);
  });

  test('keyboard only: unlock with Tab, typing and Enter, with focus always visible', async () => {
    const app = await open(browser);
    const { page } = app;
    await expect.poll(() => focused(page)).toMatch(/\|passphrase$/);
    await page.keyboard.type(DEFAULT_PASSPHRASE);
    await tabTo(page, /^button\|\|Show/);
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Space');
    expect(await page.getAttribute('#passphrase', 'type')).toBe('text');
    await tabTo(page, /^button\|\|Unlock/);
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Sam Taylor/ }).waitFor();
    expect((await calls(page, 'unlock'))[0]?.args).toEqual({ passphrase: DEFAULT_PASSPHRASE });
    await close(app);
  });
});

describe('First run', () => {
  test('the passphrases must match and be long enough, then the store is created', async () => {
    const app = await open(browser, { config: { initialised: false } });
    const { page } = app;
    await page.getByRole('heading', { name: 'Set up Doorstep on this device' }).waitFor();
    await page.fill('#first-practitioner', 'Priya Shah');
    await page.fill('#first-passphrase', 'short');
    await page.fill('#first-confirm', 'shorter');
    await page.getByRole('button', { name: 'Set up Doorstep' }).click();
    await expect
      .poll(() => page.locator('.field-error').allTextContents())
      .toEqual(['Use at least 8 characters.', 'The two passphrases do not match.']);
    expect(await focused(page)).toMatch(/first-passphrase$/);
    await shot(page, 'first-run-errors');
    expect(await calls(page, 'create_store')).toEqual([]);

    await page.fill('#first-passphrase', 'a long enough passphrase');
    await page.fill('#first-confirm', 'a long enough passphrase');
    await page.getByRole('button', { name: 'Set up Doorstep' }).click();
    await page.getByRole('heading', { level: 1, name: /Priya Shah/ }).waitFor();
    expect((await calls(page, 'create_store'))[0]?.args).toEqual({ practitioner: 'Priya Shah', passphrase: 'a long enough passphrase' });
    await close(app);
  });
});
