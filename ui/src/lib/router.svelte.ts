// The current screen, kept in step with the location hash.
import { parseRoute, routeHref, type Route } from './routes';

export const router = $state<{ route: Route }>({ route: parseRoute(location.hash) });

export function startRouter(): void {
  window.addEventListener('hashchange', () => {
    router.route = parseRoute(location.hash);
  });
}

/** Opens `route`; `replace` keeps the screen being left out of the back history. */
export function go(route: Route, replace = false): void {
  const href = routeHref(route);
  if (replace) {
    history.replaceState(history.state, '', href);
    router.route = parseRoute(href);
  } else if (location.hash !== href) {
    location.hash = href;
  } else {
    router.route = parseRoute(href);
  }
}
