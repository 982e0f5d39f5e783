// Day and Night: the device's preference unless the practitioner chose one, which is kept on
// this device (it is not case data).

export type SchemeChoice = 'system' | 'day' | 'night';
export type Scheme = 'day' | 'night';

const KEY = 'doorstep.scheme';

export function loadChoice(storage: Pick<Storage, 'getItem'> = localStorage): SchemeChoice {
  const saved = storage.getItem(KEY);
  return saved === 'day' || saved === 'night' ? saved : 'system';
}

export function saveChoice(choice: SchemeChoice, storage: Pick<Storage, 'setItem' | 'removeItem'> = localStorage): void {
  if (choice === 'system') storage.removeItem(KEY);
  else storage.setItem(KEY, choice);
}

export function effectiveScheme(choice: SchemeChoice, prefersDark: boolean): Scheme {
  if (choice === 'system') return prefersDark ? 'night' : 'day';
  return choice;
}
