// Search queries as the practitioner sees them: free words plus `theme:ID` filters that the
// theme chips add and take away, leaving the rest of what was typed alone.

const THEME_PREFIX = /^theme:/i;

/** Words and "quoted phrases" of a query, in order (an unclosed quote runs to the end). */
export function tokenise(query: string): string[] {
  return query.match(/"[^"]*"?|[^\s"]+/g) ?? [];
}

/** The theme ids a query filters by. */
export function queryThemes(query: string): string[] {
  return tokenise(query)
    .filter((t) => THEME_PREFIX.test(t))
    .map((t) => t.replace(THEME_PREFIX, ''))
    .filter((id) => id !== '');
}

export function hasTheme(query: string, id: string): boolean {
  return queryThemes(query).includes(id);
}

/** The query with `theme:ID` added at the end, or taken out wherever it was. */
export function toggleTheme(query: string, id: string): string {
  const tokens = tokenise(query);
  if (hasTheme(query, id)) {
    return tokens.filter((t) => !(THEME_PREFIX.test(t) && t.replace(THEME_PREFIX, '') === id)).join(' ');
  }
  return [...tokens, `theme:${id}`].join(' ');
}
