// Review: unsure segments marked, tap to hear a segment, confirm and reject themes, edit the
// text, mark the person's own words, choose ecomap ties and approve; approved notes read-only.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { caseload, find } from './fixtures';
import { calls, close, launch, openUnlocked, shot, smallTargets } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const JOAN = caseload().notes.find((n) => n.id === 'n-joan-1130')!;

/** Selects `phrase` inside segment `index` of the transcript, as a finger or mouse would. */
async function select(page: Page, index: number, phrase: string): Promise<void> {
  await page.evaluate(
    ([i, words]) => {
      const piece = [...document.querySelectorAll(`#segment-${i} [data-start]`)].find((el) => el.textContent?.includes(words as string));
      const node = piece?.firstChild;
      if (!node?.textContent) throw new Error('phrase not rendered');
      const at = node.textContent.indexOf(words as string);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + (words as string).length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    [index, phrase] as const,
  );
}

describe('Review', () => {
  test('unsure segments are marked in words and by underline, and a segment plays', async () => {
    const app = await openUnlocked(browser, '#/note/n-joan-1130');
    const { page } = app;
    const unsure = page.locator('#segment-3');
    await unsure.waitFor();
    expect(await unsure.textContent()).toContain('Unsure: check this');
    expect(await unsure.locator('.text').evaluate((el) => getComputedStyle(el).textDecorationStyle)).toBe('dotted');
    expect(await page.locator('#segment-2').textContent()).not.toContain('Unsure');
    expect(await page.getByText('1 unsure part to check').count()).toBe(1);

    await page.getByRole('button', { name: 'Play from 0:33' }).click();
    const audio = page.locator('audio');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toMatch(/^data:audio\/wav;base64,/);
    expect((await calls(page, 'segment_audio'))[0]?.args).toEqual({ noteId: 'n-joan-1130', index: 3 });
    expect(await smallTargets(page), 'controls under 48 px').toEqual([]);
    await close(app);
  });

  test('themes open to their evidence and are confirmed or rejected', async () => {
    const app = await openUnlocked(browser, '#/note/n-joan-1130');
    const { page } = app;
    const themes = page.getByRole('list', { name: 'Themes' });
    const loneliness = themes.locator('[data-theme=loneliness]');
    await loneliness.getByRole('button', { expanded: false }).click();
    expect(await loneliness.locator('blockquote').textContent()).toBe("I don't see anyone from one week to the next, it gets very lonely");
    expect(await loneliness.textContent()).toContain('Need');
    expect(await loneliness.textContent()).toContain('Confidence 86%');
    await loneliness.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect.poll(() => loneliness.textContent()).toContain('Confirmed');
    expect(await loneliness.getByRole('button', { name: 'Confirm', exact: true }).getAttribute('aria-pressed')).toBe('true');

    const neglect = themes.locator('[data-theme=self_neglect]');
    await neglect.getByRole('button', { expanded: false }).click();
    await neglect.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => neglect.textContent()).toContain('Rejected');
    expect(await neglect.locator('.label').evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through');
    expect((await calls(page, 'review_theme')).map((c) => c.args)).toEqual([
      { noteId: 'n-joan-1130', theme: 'loneliness', decision: 'confirm' },
      { noteId: 'n-joan-1130', theme: 'self_neglect', decision: 'reject' },
    ]);
    await close(app);
  });

  test('the text is edited and saved', async () => {
    const app = await openUnlocked(browser, '#/note/n-gareth-1128');
    const { page } = app;
    await page.getByRole('button', { name: 'Edit the text' }).click();
    const box = page.getByLabel('Note text');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('Gareth said he has cut his drinking down to weekends only.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('transcript').getByText('down to weekends only.').waitFor();
    expect((await calls(page, 'edit_note'))[0]?.args).toEqual({ id: 'n-gareth-1128', text: 'Gareth said he has cut his drinking down to weekends only.' });
    await close(app);
  });

  test('a failed edit keeps the text and says why', async () => {
    const app = await openUnlocked(browser, '#/note/n-gareth-1128');
    const { page } = app;
    await page.getByRole('button', { name: 'Edit the text' }).click();
    await page.getByLabel('Note text').fill('   ');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('A note cannot be empty.');
    expect(await page.getByLabel('Note text').count()).toBe(1);
    await close(app);
  });

  test('selected words are marked, shown and unmarked as the person’s own words', async () => {
    const app = await openUnlocked(browser, '#/note/n-joan-1130');
    const { page } = app;
    const mark = page.getByRole('button', { name: 'Mark as their own words' });
    await mark.waitFor();
    expect(await mark.isDisabled()).toBe(true);
    await page.locator('#segment-1').waitFor();
    await select(page, 1, " I don't see anyone from one week to the next");
    await expect.poll(() => mark.isDisabled()).toBe(false);
    await mark.click();
    const own = page.locator('#segment-1 .own');
    await own.waitFor();
    expect(await own.locator('q').textContent()).toBe("I don't see anyone from one week to the next");
    expect(await own.locator('.own-label').textContent()).toBe('Their words');
    expect(await own.locator('q').evaluate((el) => getComputedStyle(el).fontStyle)).toBe('italic');
    // White space at the ends of a selection is not part of the words.
    expect((await calls(page, 'set_own_words'))[0]?.args).toEqual({
      id: 'n-joan-1130',
      spans: [find(JOAN.text, "I don't see anyone from one week to the next")],
    });

    await select(page, 1, 'see anyone');
    await page.getByRole('button', { name: 'Remove the mark' }).click();
    await expect.poll(() => page.locator('#segment-1 .own').count()).toBe(2);
    const spans = (await calls(page, 'set_own_words'))[1]?.args.spans;
    const whole = find(JOAN.text, "I don't see anyone from one week to the next");
    const cut = find(JOAN.text, 'see anyone');
    expect(spans).toEqual([{ start: whole.start, end: cut.start }, { start: cut.end, end: whole.end }]);
    await close(app);
  });

  test('approve with the chosen ecomap ties, and the note becomes read-only', async () => {
    const app = await openUnlocked(browser, '#/note/n-joan-1130');
    const { page } = app;
    const ties = page.getByRole('list', { name: 'Ecomap suggestions' });
    await ties.waitFor();
    expect(await ties.textContent()).toContain('Karen (daughter)');
    expect(await ties.textContent()).toContain('Supports Joan Platt');
    expect(await ties.textContent()).toContain('Strong tie');
    await ties.getByRole('checkbox', { name: /Pat/ }).uncheck();
    await page.getByRole('button', { name: 'Approve note' }).click();
    await page.getByText('Note approved. 2 ties added to the ecomap for confirmation.').waitFor();
    expect((await calls(page, 'approve_note'))[0]?.args).toEqual({ id: 'n-joan-1130', ties: ['Karen', "St Mark's lunch club"] });
    expect(await page.getByRole('button', { name: 'Approve note' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Edit the text' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Mark as their own words' }).count()).toBe(0);
    await close(app);
  });

  test('day and night pictures of a draft under review', async () => {
    for (const night of [false, true]) {
      const app = await openUnlocked(browser, '#/note/n-joan-1130', { night });
      const { page } = app;
      await page.locator('#segment-4').waitFor();
      await page.locator('[data-theme=loneliness] button').first().click();
      await page.locator('[data-theme=falls_mobility] button').first().click();
      await page.locator('[data-theme=falls_mobility]').getByRole('button', { name: 'Confirm', exact: true }).click();
      await select(page, 4, 'would like to go back to the lunch club');
      await page.getByRole('button', { name: 'Mark as their own words' }).click();
      await page.locator('#segment-4 .own').waitFor();
      await shot(page, night ? 'review-night' : 'review-day');
      await close(app);
    }
  });

  test('an approved note is read-only, with its own words quoted', async () => {
    const app = await openUnlocked(browser, '#/note/n-joan-1002');
    const { page } = app;
    await page.getByText('Approved. This note is part of the record').waitFor();
    expect(await page.locator('.own q').textContent()).toBe('misses the lunch club');
    expect(await page.getByRole('button', { name: 'Approve note' }).count()).toBe(0);
    await page.locator('[data-theme=loneliness] button').click();
    await page.locator('[data-theme=loneliness] blockquote').waitFor();
    expect(await page.getByRole('button', { name: /^(Confirm|Reject)$/ }).count()).toBe(0);
    await shot(page, 'review-approved');
    await close(app);
  });

  test('a note that cannot be found says so', async () => {
    const app = await openUnlocked(browser, '#/note/n-gone');
    const { page } = app;
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('That note is not on this device.');
    await close(app);
  });
});
