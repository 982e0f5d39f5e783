// Search: matched words marked (and everything else shown as text), theme chips, opening a hit
// at its place in the note, no results, and a query that cannot be understood.
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

describe('Search', () => {
  test('Enter searches; matched words are marked, even after an emoji', async () => {
    const app = await openUnlocked(browser, '#/search');
    const { page } = app;
    await page.getByLabel('Search words').fill('lonely');
    await page.getByLabel('Search words').press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    await results.waitFor();
    const hits = results.getByRole('link');
    expect(await hits.count()).toBe(3);
    expect(await results.locator('mark').allTextContents()).toEqual(['lonely', 'lonely', 'lonely']);
    expect(await page.getByRole('status').filter({ hasText: 'found' }).textContent()).toContain('3 notes found for “lonely”');
    const amira = hits.filter({ hasText: 'Amira Khan' });
    expect(await amira.textContent()).toContain('Children in care and care leavers');
    expect(await page.evaluate(() => location.hash)).toBe('#/search?q=lonely');
    expect((await calls(page, 'search'))[0]?.args).toEqual({ query: 'lonely', limit: 50 });
    await shot(page, 'search-results');
    await close(app);
  });

  test('markup in a note is shown as text, never run', async () => {
    const app = await openUnlocked(browser, '#/search?q=patient');
    const { page } = app;
    const hit = page.getByRole('list', { name: 'Search results' }).getByRole('link');
    await hit.waitFor();
    expect(await hit.locator('.snippet').textContent()).toContain('very supportive and <b>patient</b> with her.');
    expect(await hit.locator('.snippet b').count()).toBe(0);
    expect(await hit.locator('mark').textContent()).toBe('patient');
    await close(app);
  });

  test('a theme chip adds theme:ID to the query and searches; pressed again it comes out', async () => {
    const app = await openUnlocked(browser, '#/search');
    const { page } = app;
    await page.getByLabel('Search words').fill('Joan');
    const chip = page.getByRole('group', { name: 'Search by theme' }).locator('[data-theme=falls_mobility]');
    await chip.click();
    await expect.poll(() => page.getByLabel('Search words').inputValue()).toBe('Joan theme:falls_mobility');
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    const hits = page.getByRole('list', { name: 'Search results' }).getByRole('link');
    await expect.poll(() => hits.count()).toBe(1);
    expect((await calls(page, 'search')).at(-1)?.args.query).toBe('Joan theme:falls_mobility');
    await shot(page, 'search-theme');
    await chip.click();
    await expect.poll(() => page.getByLabel('Search words').inputValue()).toBe('Joan');
    expect(await chip.getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('button', { name: /^All \d+ themes$/ }).click();
    await page.getByRole('group', { name: 'Search by theme' }).locator('[data-theme=alcohol]').waitFor();
    await close(app);
  });

  test('a hit opens its note at the segment it came from', async () => {
    const app = await openUnlocked(browser, '#/search?q=anyone');
    const { page } = app;
    const hit = page.getByRole('list', { name: 'Search results' }).getByRole('link');
    await hit.waitFor();
    expect(await hit.textContent()).toContain('at 0:09');
    await hit.click();
    await page.getByRole('heading', { level: 1, name: 'Joan Platt' }).waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('#/note/n-joan-1130?segment=1');
    await expect.poll(() => focused(page)).toMatch(/segment-1$/);
    expect(await page.locator('#segment-1').getAttribute('class')).toContain('target');
    await close(app);
  });

  test('no results say what to try', async () => {
    const app = await openUnlocked(browser, '#/search?q=zebra');
    const { page } = app;
    await page.getByText('No notes match for “zebra”').waitFor();
    await page.getByText('Try fewer or different words, or search by theme.').waitFor();
    await shot(page, 'search-empty');
    await close(app);
  });

  test('a query that cannot be understood shows the reason', async () => {
    const app = await openUnlocked(browser, '#/search');
    const { page } = app;
    await page.getByLabel('Search words').fill('falls from:2026-13');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('That search could not be understood');
    expect(await alert.textContent()).toContain('“2026-13” is not a date.');
    await shot(page, 'search-error');
    await close(app);
  });
});
