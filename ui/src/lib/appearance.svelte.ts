// The Day/Night scheme in force, from the saved choice and the device's preference, written to
// <html data-scheme> where the stylesheet picks its colours.
import { effectiveScheme, loadChoice, saveChoice, type Scheme, type SchemeChoice } from './colour-scheme';

const query = window.matchMedia('(prefers-color-scheme: dark)');

export const appearance = $state<{ choice: SchemeChoice; prefersDark: boolean }>({
  choice: loadChoice(),
  prefersDark: query.matches,
});

export function scheme(): Scheme {
  return effectiveScheme(appearance.choice, appearance.prefersDark);
}

function apply(): void {
  document.documentElement.dataset.scheme = scheme();
}

export function startAppearance(): void {
  apply();
  query.addEventListener('change', (event) => {
    appearance.prefersDark = event.matches;
    apply();
  });
}

export function choose(choice: SchemeChoice): void {
  appearance.choice = choice;
  saveChoice(choice);
  apply();
}
