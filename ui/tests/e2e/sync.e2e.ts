// Sync: what is waiting, safe to close or not, Sync now with its progress (including a dropped
// connection), and the state where no server is set.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { calls, close, focused, launch, openUnlocked, release, shot } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Sync', () => {
  test('what is waiting, then Sync now with progress until it is safe to close', async () => {
    const app = await openUnlocked(browser, '#/sync', { config: { hold: ['sync_now'] } });
    const { page } = app;
    const safe = page.getByTestId('safe-to-close');
    await safe.waitFor();
    expect(await safe.textContent()).toContain('Not safe to close yet');
    expect((await page.getByTestId('queued').textContent())?.trim()).toBe('3 records, 2 of them pieces of audio (sent after the text)');
    expect(await page.getByTestId('unqueued').textContent()).toBe('1 change');
    expect(await page.getByTestId('incoming-recordings').textContent()).toContain('1 recording partly received');
    expect(await page.getByTestId('set-aside').textContent()).toContain('2 records');
    expect(await page.getByLabel('Your organisation’s sync server').inputValue()).toBe('https://sync.example.org');
    await shot(page, 'sync');

    await page.getByRole('button', { name: 'Sync now' }).click();
    const progress = page.getByRole('progressbar', { name: 'Sending records' });
    await expect.poll(() => progress.getAttribute('aria-valuenow')).toBe('50');
    await shot(page, 'sync-progress');
    await release(page, 'sync_now');
    await page.getByText('Sync finished: 4 records sent, 5 records received.').waitFor();
    expect(await safe.textContent()).toContain('Safe to close');
    expect((await page.getByTestId('queued').textContent())?.trim()).toBe('0 records');
    expect(await page.getByTestId('incoming-recordings').count()).toBe(0);
    expect((await calls(page, 'sync_now'))[0]?.args).toMatchObject({ server: 'https://sync.example.org' });
    await shot(page, 'sync-done');
    await close(app);
  });

  test('no server: the error says what to do and the address field takes focus', async () => {
    const app = await openUnlocked(browser, '#/sync', { config: { sync: { configured: false, server: null } } });
    const { page } = app;
    await page.getByTestId('safe-to-close').waitFor();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Sync needs a server address');
    expect(await alert.textContent()).toContain('No sync server is set for this device.');
    expect(await alert.textContent()).toContain("Enter your organisation's sync server address");
    await expect.poll(() => focused(page)).toMatch(/sync-server$/);
    expect((await calls(page, 'sync_now'))[0]?.args.server).toBeNull();
    await shot(page, 'sync-no-server');

    await page.keyboard.type('https://sync.council.example');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText(/^Sync finished/).waitFor();
    expect((await calls(page, 'sync_now'))[1]?.args.server).toBe('https://sync.council.example');
    await close(app);
  });

  test('a refused device is told so', async () => {
    const app = await openUnlocked(browser, '#/sync', {
      config: { fail: { sync_now: { kind: 'server_refused', message: 'The server does not know this device.' } } },
    });
    const { page } = app;
    await page.getByRole('button', { name: 'Sync now' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Sync did not finish');
    expect(await alert.textContent()).toContain('The server does not know this device.');
    await close(app);
  });
});
