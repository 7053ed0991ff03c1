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
  if (/^[\x00-\x7f]*$/.test(text)) {
    return text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((token) => token !== '');
  }
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '');
}

const MAX_CACHED_VALUES = 100_000;
const tokenCache = new Map<string, readonly string[]>();

/**
 * {@link textTokens} with a shared cache: stored Text values are tokenised once, not on every query.
 * The cache is bounded (cleared when it reaches 100,000 distinct values).
 */
export function cachedTextTokens(text: string): readonly string[] {
  let tokens = tokenCache.get(text);
  if (tokens === undefined) {
    if (tokenCache.size >= MAX_CACHED_VALUES) tokenCache.clear();
    tokens = textTokens(text);
    tokenCache.set(text, tokens);
  }
  return tokens;
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
