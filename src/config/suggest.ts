/** Spelling suggestions for unknown keys. */

/** Largest edit distance at which a valid key is offered as a suggestion. */
export const MAX_SUGGESTION_DISTANCE = 3;

/** Computes the Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Finds the valid key nearest to `key`, or undefined when none is within
 * MAX_SUGGESTION_DISTANCE. The comparison ignores case and reads camelCase as
 * snake_case, so `poolSize` suggests `pool_size`. Ties go to the earlier key.
 */
export function suggestKey(key: string, validKeys: readonly string[]): string | undefined {
  const normalized = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const candidate of validKeys) {
    const distance = levenshtein(normalized, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
