// Theme chips add and remove `theme:ID` in a query without disturbing what was typed.
import { describe, expect, test } from 'vitest';

import { hasTheme, queryThemes, tokenise, toggleTheme } from '../../src/lib/query';

describe('theme chips and the query', () => {
  test('a chip adds theme:ID at the end', () => {
    expect(toggleTheme('drinking', 'alcohol')).toBe('drinking theme:alcohol');
    expect(toggleTheme('', 'loneliness')).toBe('theme:loneliness');
  });

  test('pressing it again takes it out, leaving the rest as typed', () => {
    expect(toggleTheme('theme:alcohol drinking  "rent arrears"', 'alcohol')).toBe('drinking "rent arrears"');
    expect(toggleTheme('theme:alcohol', 'alcohol')).toBe('');
  });

  test('only whole ids match', () => {
    expect(hasTheme('theme:alcohol_other', 'alcohol')).toBe(false);
    expect(toggleTheme('theme:alcohol_other', 'alcohol')).toBe('theme:alcohol_other theme:alcohol');
  });

  test('the key is read without regard to case; phrases are never split', () => {
    expect(queryThemes('Theme:neglect "theme:drugs in a phrase" theme:')).toEqual(['neglect']);
    expect(tokenise('person:"Joan Platt" falls "unclosed phrase')).toEqual([
      'person:',
      '"Joan Platt"',
      'falls',
      '"unclosed phrase',
    ]);
  });
});
