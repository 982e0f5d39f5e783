// Every screen's hash survives a round trip, and nonsense in the hash falls back safely.
import { describe, expect, test } from 'vitest';

import { parseRoute, routeHref, screenKey, type Route } from '../../src/lib/routes';

describe('routes', () => {
  const routes: Route[] = [
    { name: 'today' },
    { name: 'record', subject: null },
    { name: 'record', subject: 'p-joan' },
    { name: 'new-note', mode: 'import', subject: null },
    { name: 'note', id: 'n/1 2', segment: 3, at: null },
    { name: 'note', id: 'n3', segment: null, at: 45_000 },
    { name: 'note', id: 'n1', segment: null, at: null },
    { name: 'person', id: 'p-joan', tab: 'ecomap' },
    { name: 'person', id: 'p-joan', tab: 'timeline' },
    { name: 'search', query: 'theme:alcohol "rent arrears" & more' },
    { name: 'sync' },
    { name: 'settings' },
  ];

  test.each(routes)('$name survives a round trip through the hash', (route) => {
    expect(parseRoute(routeHref(route))).toEqual(route);
  });

  test('anything unknown or incomplete is Today', () => {
    expect(parseRoute('')).toEqual({ name: 'today' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'today' });
    expect(parseRoute('#/note/')).toEqual({ name: 'today' });
  });

  test('bad values fall back to defaults', () => {
    expect(parseRoute('#/person/p1?tab=secrets')).toEqual({ name: 'person', id: 'p1', tab: 'timeline' });
    expect(parseRoute('#/note/n1?segment=abc')).toEqual({ name: 'note', id: 'n1', segment: null, at: null });
    expect(parseRoute('#/note/%E0%A4%A')).toEqual({ name: 'note', id: '%E0%A4%A', segment: null, at: null });
  });

  test('tabs and queries stay on one screen; other records do not', () => {
    expect(screenKey({ name: 'person', id: 'a', tab: 'ecomap' })).toBe(screenKey({ name: 'person', id: 'a', tab: 'timeline' }));
    expect(screenKey({ name: 'search', query: 'a' })).toBe(screenKey({ name: 'search', query: 'b' }));
    expect(screenKey({ name: 'note', id: 'a', segment: null, at: null })).not.toBe(screenKey({ name: 'note', id: 'b', segment: null, at: null }));
  });
});
