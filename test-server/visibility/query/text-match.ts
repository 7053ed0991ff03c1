/**
 * Text search attribute matching, modelled on Temporal's SQLite visibility store (the store of the
 * Temporal dev server): values are indexed with the FTS5 `unicode61 remove_diacritics 2` tokenizer, and
 * `Attr = 'a b'` matches when ANY space-separated term of the query occurs in the value, each term being a
 * phrase of one or more tokens. Elasticsearch's `match` query (standard analyzer, OR of tokens) agrees
 * on ordinary words.
 */

/**
 * Splits text into search tokens like FTS5's unicode61 tokenizer: runs of letters and digits, lower-cased,
 * with diacritics removed (`Café-Été` → `cafe`, `ete`).
 */
export function textTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '');
}

/**
 * Turns the right-hand side of `Attr = '...'` into phrases: one per space-separated term, each the term's
 * tokens (`'my-id foo'` → [['my', 'id'], ['foo']]). Terms without any letter or digit are dropped.
 */
export function textQueryPhrases(query: string): string[][] {
  return query
    .split(' ')
    .filter((term) => term !== '')
    .map(textTokens)
    .filter((phrase) => phrase.length > 0);
}

/** True when one of the phrases occurs, as a contiguous run of tokens, in the value's tokens. */
export function matchesAnyPhrase(valueTokens: readonly string[], phrases: readonly (readonly string[])[]): boolean {
  for (const phrase of phrases) {
    for (let start = 0; start + phrase.length <= valueTokens.length; start++) {
      let k = 0;
      while (k < phrase.length && valueTokens[start + k] === phrase[k]) k++;
      if (k === phrase.length) return true;
    }
  }
  return false;
}
