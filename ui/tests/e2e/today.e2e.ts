// Today: the greeting, drafts to review, recent notes, people, the sync banner, the Record
// button in thumb reach, Day and Night, the empty and error states, and keyboard use.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { close, fail, focused, focusVisible, launch, open, openUnlocked, shot, smallTargets, tabTo } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Today', () => {
  test('greets the practitioner and lists drafts, recent notes, people and the sync summary', async () => {
    const app = await openUnlocked(browser);
    const { page } = app;
    await page.getByRole('heading', { level: 1, name: /Sam Taylor/ }).waitFor();
    const drafts = page.getByRole('list', { name: 'Drafts waiting for review' });
    await expect.poll(() => drafts.getByRole('link').allTextContents()).toHaveLength(2);
    expect(await drafts.textContent()).toContain('Joan Platt');
    expect(await drafts.textContent()).toContain('Gareth Evans');
    expect(await page.getByRole('list', { name: 'Recent notes' }).getByRole('link').count()).toBe(2);
    expect(await page.getByRole('list', { name: 'People' }).getByRole('link').count()).toBe(3);
    expect(await page.getByRole('status').filter({ hasText: 'waiting to sync' }).textContent()).toContain('4 waiting to sync');

    const record = page.getByRole('link', { name: 'Record a visit note' });
    const box = await record.boundingBox();
    expect(box && box.height).toBeGreaterThanOrEqual(56);
    // In thumb reach: the lowest fifth of the screen, above the navigation.
    expect(box && box.y).toBeGreaterThan(860 * 0.7);
    expect((await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).map((t) => t.trim())).toEqual(['Today', 'Search', 'Sync', 'Settings']);
    expect(await smallTargets(page)).toEqual([]);
    await shot(page, 'today-day');

    await drafts.getByRole('link').filter({ hasText: 'Gareth Evans' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gareth Evans' }).waitFor();
    await close(app);
  });

  test('Night by the device’s preference, and the Day/Night switch is remembered', async () => {
    const app = await openUnlocked(browser, '#/', { night: true });
    const { page } = app;
    await page.getByRole('heading', { level: 1, name: /Sam Taylor/ }).waitFor();
    await page.getByRole('list', { name: 'People' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.scheme)).toBe('night');
    await shot(page, 'today-night');
    await page.getByRole('button', { name: 'Switch to Day colours' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.scheme)).toBe('day');
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.scheme)).toBe('day');
    await close(app);
  });

  test('an empty caseload says so calmly, and a synced device is safe to close', async () => {
    const app = await openUnlocked(browser, '#/', { config: { empty: true, sync: { queued: 0, unqueued: 0, safeToClose: true } } });
    const { page } = app;
    await page.getByText('No drafts are waiting.').waitFor();
    await page.getByText('Nobody on this device yet.').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Safe to close' }).count()).toBe(1);
    await shot(page, 'today-empty');
    await close(app);
  });

  test('a failure to load shows the message and Try again', async () => {
    const app = await openUnlocked(browser, '#/', { config: { fail: { today: { kind: 'disk_full', message: 'This device is out of space.' } } } });
    const { page } = app;
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This device is out of space.');
    await shot(page, 'today-error');
    await fail(page, 'today', null);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('list', { name: 'Drafts waiting for review' }).waitFor();
    await close(app);
  });

  test('a command finding the store locked returns to Unlock, saying why', async () => {
    const app = await openUnlocked(browser, '#/', { config: { fail: { today: { kind: 'locked', message: 'Doorstep locked itself.' } } } });
    const { page } = app;
    await page.getByRole('heading', { name: 'Doorstep is locked' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Doorstep locked itself.');
    await close(app);
  });

  test('it locks itself after the chosen minutes without use', async () => {
    const app = await open(browser, { config: { unlocked: true }, path: '#/' });
    const { page } = app;
    await page.clock.install();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Sam Taylor/ }).waitFor();
    await page.clock.runFor(4 * 60_000);
    expect(await page.getByRole('heading', { name: 'Doorstep is locked' }).count()).toBe(0);
    await page.clock.runFor(61_000);
    await page.getByRole('heading', { name: 'Doorstep is locked' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('after 5 minutes without use');
    await close(app);
  });

  test('keyboard only: from the heading through the drafts to Record and the navigation', async () => {
    const app = await openUnlocked(browser);
    const { page } = app;
    await page.getByRole('list', { name: 'Drafts waiting for review' }).waitFor();
    expect(await focused(page)).toMatch(/^h1\|/);
    await tabTo(page, /^a\|Sync: 4 waiting to sync/);
    expect(await focusVisible(page)).toBe(true);
    await tabTo(page, /^a\|\|Joan Platt/);
    expect(await focusVisible(page)).toBe(true);
    await tabTo(page, /^a\|\|.*Record a visit note/);
    expect(await focusVisible(page)).toBe(true);
    await tabTo(page, /^a\|\|Today/);
    await tabTo(page, /^a\|\|Search/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Search notes' }).waitFor();
    await page.goBack();
    await page.getByRole('list', { name: 'Drafts waiting for review' }).waitFor();
    await tabTo(page, /^a\|\|Joan Platt/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Joan Platt' }).waitFor();
    await close(app);
  });
});
