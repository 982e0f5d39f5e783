// The screens of an unlocked Doorstep as URL hashes, so the back button, reloads and links
// from search hits all work without a router library.

export type PersonTab = 'timeline' | 'ecomap' | 'chronology';
export type NewNoteMode = 'type' | 'import';

export type Route =
  | { name: 'today' }
  | { name: 'record'; subject: string | null }
  | { name: 'new-note'; mode: NewNoteMode; subject: string | null }
  /** `segment` (an index) or `at` (a time in the audio, ms) says where to scroll to. */
  | { name: 'note'; id: string; segment: number | null; at: number | null }
  | { name: 'person'; id: string; tab: PersonTab }
  | { name: 'search'; query: string }
  | { name: 'sync' }
  | { name: 'settings' };

const TABS: readonly PersonTab[] = ['timeline', 'ecomap', 'chronology'];

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The route a location hash names; anything unknown is Today. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const params = new URLSearchParams(queryPart);
  const parts = pathPart.split('/').filter((p) => p !== '').map(decode);
  const [first, second] = parts;
  switch (first) {
    case 'record':
      return { name: 'record', subject: params.get('subject') || null };
    case 'new': {
      const mode = params.get('mode') === 'import' ? 'import' : 'type';
      return { name: 'new-note', mode, subject: params.get('subject') || null };
    }
    case 'note': {
      if (!second) break;
      const number = (key: string) => {
        const value = Number.parseInt(params.get(key) ?? '', 10);
        return Number.isFinite(value) ? value : null;
      };
      return { name: 'note', id: second, segment: number('segment'), at: number('at') };
    }
    case 'person': {
      if (!second) break;
      const tab = params.get('tab') as PersonTab | null;
      return { name: 'person', id: second, tab: tab && TABS.includes(tab) ? tab : 'timeline' };
    }
    case 'search':
      return { name: 'search', query: params.get('q') ?? '' };
    case 'sync':
      return { name: 'sync' };
    case 'settings':
      return { name: 'settings' };
  }
  return { name: 'today' };
}

/** The hash (with its leading '#') that opens `route`. */
export function routeHref(route: Route): string {
  const query = (entries: Record<string, string | number | null>) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(entries)) {
      if (value !== null && value !== '') params.set(key, String(value));
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  switch (route.name) {
    case 'today':
      return '#/';
    case 'record':
      return `#/record${query({ subject: route.subject })}`;
    case 'new-note':
      return `#/new${query({ mode: route.mode, subject: route.subject })}`;
    case 'note':
      return `#/note/${encodeURIComponent(route.id)}${query({ segment: route.segment, at: route.at })}`;
    case 'person':
      return `#/person/${encodeURIComponent(route.id)}${query({ tab: route.tab === 'timeline' ? null : route.tab })}`;
    case 'search':
      return `#/search${query({ q: route.query })}`;
    case 'sync':
      return '#/sync';
    case 'settings':
      return '#/settings';
  }
}

/**
 * What makes a screen a different screen: a person's tabs and a search's query change within
 * one screen; anything else opens a fresh one.
 */
export function screenKey(route: Route): string {
  switch (route.name) {
    case 'person':
      return `person:${route.id}`;
    case 'search':
      return 'search';
    default:
      return routeHref(route);
  }
}
