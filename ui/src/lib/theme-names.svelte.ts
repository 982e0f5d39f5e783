// Theme labels by id, loaded once after unlock, so lists that carry only theme ids (notes on
// Today, search hits) show "Strength: family support" rather than an id.
import { themes } from './api';

export const themeNames = $state<{ byId: Record<string, string> }>({ byId: {} });

let loading: Promise<void> | null = null;

export function loadThemeNames(): Promise<void> {
  loading ??= themes()
    .then((list) => {
      themeNames.byId = Object.fromEntries(list.map((t) => [t.id, t.label]));
    })
    .catch(() => {
      loading = null;
    });
  return loading;
}
