// A person: the header, the timeline of notes, the ecomap (picture, words, proposed ties to
// confirm, versions and their differences) and the chronology of themes with evidence.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { calls, close, focused, launch, openUnlocked, shot } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Person', () => {
  test('header and timeline', async () => {
    const app = await openUnlocked(browser, '#/person/p-joan');
    const { page } = app;
    await page.getByRole('heading', { level: 1, name: 'Joan Platt' }).waitFor();
    const header = page.locator('header');
    await header.getByText('Mrs P').waitFor();
    expect(await header.textContent()).toContain('Platt household');
    expect(await header.textContent()).toContain('3 March 1941');
    expect(await page.getByRole('tab', { name: 'Timeline' }).getAttribute('aria-selected')).toBe('true');
    const notes = page.getByRole('list', { name: 'Notes about Joan Platt' }).getByRole('link');
    expect(await notes.count()).toBe(2);
    expect(await notes.first().textContent()).toContain('30 November 2026');
    await shot(page, 'person-timeline');
    await notes.nth(1).click();
    await page.getByText('Approved. This note is part of the record').waitFor();
    await close(app);
  });

  test('the tabs work from the keyboard', async () => {
    const app = await openUnlocked(browser, '#/person/p-joan');
    const { page } = app;
    await page.getByRole('tab', { name: 'Timeline' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('tab', { name: 'Ecomap' }).getAttribute('aria-selected')).toBe('true');
    expect(await focused(page)).toMatch(/^button\|\|Ecomap\|tab-ecomap$/);
    await page.keyboard.press('End');
    await expect.poll(() => focused(page)).toMatch(/tab-chronology$/);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focused(page)).toMatch(/tab-timeline$/);
    expect(await page.evaluate(() => location.hash)).toBe('#/person/p-joan');
    await close(app);
  });

  test('the ecomap: picture, words, proposed ties confirmed or rejected', async () => {
    const app = await openUnlocked(browser, '#/person/p-joan?tab=ecomap');
    const { page } = app;
    const picture = page.getByRole('img', { name: 'Ecomap of Joan Platt' });
    await picture.locator('svg').waitFor();
    expect(await picture.locator('svg text').allTextContents()).toContain('The memory clinic');
    expect(await page.locator('#ecomap-description').textContent()).toContain('Joan Platt has 4 ties.');
    expect(await picture.getAttribute('aria-describedby')).toBe('ecomap-description');
    await page.getByText('What matters to Joan Platt').waitFor();
    const proposed = page.getByRole('list', { name: 'Ecomap suggestions' });
    expect(await proposed.textContent()).toContain('Smudge (her cat)');
    expect(await proposed.textContent()).toContain('Broken tie');
    await proposed.getByRole('checkbox', { name: /Hollins Day Centre/ }).uncheck();
    await shot(page, 'person-ecomap');
    await page.getByRole('button', { name: 'Confirm 1 tie, reject 1' }).click();
    await page.getByText('Ecomap updated: 1 tie confirmed, 1 rejected.').waitFor();
    expect((await calls(page, 'confirm_ecomap'))[0]?.args).toEqual({ personId: 'p-joan', reject: ['Hollins Day Centre'] });
    expect(await picture.locator('svg text').allTextContents()).toContain('Smudge');
    expect(await page.locator('.versions li').count()).toBe(3);
    await close(app);
  });

  test('the differences between two versions', async () => {
    const app = await openUnlocked(browser, '#/person/p-joan?tab=ecomap');
    const { page } = app;
    await page.getByLabel('From', { exact: true }).waitFor();
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('1');
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('2');
    await page.getByRole('button', { name: 'Show changes' }).click();
    const diff = page.getByTestId('ecomap-diff');
    await diff.waitFor();
    expect(await diff.textContent()).toContain('From version 1 to version 2: 2 added, 1 changed, 0 removed.');
    expect(await diff.locator('.added').allTextContents()).toEqual([
      '+ The memory clinic: Moderate tie, Health',
      '+ Pat (neighbour): Tenuous tie, Neighbour',
    ]);
    expect(await diff.textContent()).toContain('Karen: support to subject → both');
    expect((await calls(page, 'ecomap_diff'))[0]?.args).toEqual({ personId: 'p-joan', from: 1, to: 2 });
    await page.getByTestId('ecomap-diff').scrollIntoViewIfNeeded();
    await shot(page, 'person-ecomap-diff');
    await page.getByLabel('From', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Show changes' }).click();
    await diff.getByText('No ties changed between these versions.').waitFor();
    await close(app);
  });

  test('an ecomap picture is cleaned of anything that could run', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>window.__pwned = 1</script><image href="x.png" onerror="window.__pwned = 2"/><a href="javascript:window.__pwned = 3"><text onclick="window.__pwned = 4">Karen</text></a><foreignObject><div>x</div></foreignObject></svg>';
    const app = await openUnlocked(browser, '#/person/p-joan?tab=ecomap', { config: { svg } });
    const { page } = app;
    const picture = page.getByRole('img', { name: 'Ecomap of Joan Platt' });
    await picture.locator('svg').waitFor();
    await picture.getByText('Karen').dispatchEvent('click');
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await picture.locator('script, foreignObject, [onerror], [onclick]').count()).toBe(0);
    expect(await picture.locator('a').getAttribute('href')).toBeNull();
    await close(app);
  });

  test('the chronology: evidence in date order, filtered by theme, opening the note at that point', async () => {
    const app = await openUnlocked(browser, '#/person/p-joan?tab=chronology');
    const { page } = app;
    const entries = page.getByRole('list', { name: 'Chronology' }).locator('li');
    await entries.first().waitFor();
    const dates = await entries.locator('strong').allTextContents();
    expect(dates[0]).toBe('2 October 2026');
    expect(dates.at(-1)).toBe('30 November 2026');
    expect(await entries.first().textContent()).toContain('Confirmed');
    await shot(page, 'person-chronology');

    await page.getByRole('group', { name: 'Show evidence for' }).locator('[data-theme=loneliness]').click();
    await expect.poll(() => entries.count()).toBe(2);
    expect(await page.locator('[data-theme=loneliness]').getAttribute('aria-pressed')).toBe('true');
    expect((await calls(page, 'chronology')).at(-1)?.args).toEqual({ personId: 'p-joan', theme: 'loneliness' });
    expect(await entries.nth(1).textContent()).toContain('Suggested, not yet confirmed');
    await entries.nth(1).getByRole('link', { name: /Open the note at 0:09/ }).click();
    const target = page.locator('#segment-1');
    await expect.poll(() => target.getAttribute('class')).toContain('target');
    await expect.poll(() => focused(page)).toMatch(/segment-1$/);
    await close(app);
  });

  test('someone with no notes or ties yet', async () => {
    const app = await openUnlocked(browser, '#/person/p-gareth?tab=ecomap');
    const { page } = app;
    await page.getByText('No ties confirmed for Gareth Evans yet.').waitFor();
    await page.getByText('No version has been confirmed yet.').waitFor();
    await close(app);
  });

  test('a person who is not there', async () => {
    const app = await openUnlocked(browser, '#/person/p-nobody');
    const { page } = app;
    await page.getByRole('alert').getByText('That person is not on this device.').waitFor();
    await close(app);
  });
});
