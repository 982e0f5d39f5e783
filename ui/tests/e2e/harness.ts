// What every e2e test does: start Debian's Chromium, open the built UI with the mocked shell
// injected, collect the page's errors, take screenshots, and steer the mock.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';

import type { AppError } from '../../src/lib/errors';
import type { MockCall, MockConfig } from './mock-config';

const SCREENS = fileURLToPath(new URL('../../test-results/screens/', import.meta.url));

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // The machine has no network: keep Chromium from trying to reach Google's services.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--lang=en-GB',
    ],
  });
}

export interface App {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

export interface OpenOptions {
  config?: MockConfig;
  path?: string;
  night?: boolean;
  width?: number;
  height?: number;
}

export async function open(browser: Browser, options: OpenOptions = {}): Promise<App> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 412, height: options.height ?? 860 },
    colorScheme: options.night ? 'dark' : 'light',
    reducedMotion: 'reduce',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`);
    }
  });
  await page.addInitScript((config) => {
    (window as unknown as { __DOORSTEP_MOCK_CONFIG__: unknown }).__DOORSTEP_MOCK_CONFIG__ = config;
  }, options.config ?? {});
  await page.addInitScript({ content: inject('mockScript') });
  await page.goto(`${inject('baseUrl')}/${options.path ?? ''}`);
  return { context, page, errors };
}

/** Opens the app already unlocked, at `hash` (e.g. "#/search"). */
export function openUnlocked(browser: Browser, hash = '#/', options: OpenOptions = {}): Promise<App> {
  return open(browser, { ...options, path: hash, config: { unlocked: true, ...(options.config ?? {}) } });
}

export async function close(app: App): Promise<void> {
  await app.context.close();
  expect(app.errors, 'the page logged errors').toEqual([]);
}

/**
 * A picture of the whole screen, as tall as its content: the viewport grows for the shot so
 * the fixed action bar and navigation sit at the bottom, where a phone shows them.
 */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  const viewport = page.viewportSize() ?? { width: 412, height: 860 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const scrollY = await page.evaluate(() => window.scrollY);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.screenshot({ path: `${SCREENS}${name}.png`, animations: 'disabled' });
  await page.setViewportSize(viewport);
  await page.evaluate((y) => window.scrollTo(0, y), scrollY);
}

export async function calls(page: Page, command?: string): Promise<MockCall[]> {
  const all = await page.evaluate(() => window.__DOORSTEP_MOCK__?.calls ?? []);
  return command ? all.filter((c) => c.cmd === command) : all;
}

export async function fail(page: Page, command: string, error: AppError | null): Promise<void> {
  await page.evaluate(([cmd, err]) => window.__DOORSTEP_MOCK__?.fail(cmd as string, err as AppError | null), [command, error] as const);
}

export async function release(page: Page, command: string): Promise<void> {
  await page.evaluate((cmd) => window.__DOORSTEP_MOCK__?.release(cmd), command);
}

/** The element that has keyboard focus, described by its tag, label and text. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    return `${el.tagName.toLowerCase()}|${el.getAttribute('aria-label') ?? ''}|${(el.textContent ?? '').trim().replace(/\s+/g, ' ')}|${el.id}`;
  });
}

/** Presses Tab until the focused element matches `pattern`; fails after `limit` presses. */
export async function tabTo(page: Page, pattern: RegExp, limit = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    seen.push(now);
    if (pattern.test(now)) return;
  }
  throw new Error(`Tab never reached ${pattern}; it went through:\n${seen.join('\n')}`);
}

/** Whether the focused element shows a visible focus outline. */
export async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  });
}

/** Every visible control smaller than 48 × 48 px, described. */
export async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [role=tab]')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) return false;
        if (el.closest('.visually-hidden')) return false;
        // Inline links in running text are exempt, as WCAG 2.5.8 allows.
        if (el.tagName === 'A' && !el.classList.contains('btn') && el.closest('p')) return false;
        if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
          return !el.closest('label') || el.closest('label')!.getBoundingClientRect().height < 48;
        }
        return box.height < 48 || box.width < 48;
      })
      .map((el) => `${el.tagName} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().width)}x${Math.round(el.getBoundingClientRect().height)}`),
  );
}
