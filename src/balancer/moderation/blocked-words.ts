import { normalizeModerationText } from './normalize-moderation-text.js';

/** Letters (any script), combining marks and digits: what a word is made of. */
const wordCharacter = '[\\p{L}\\p{M}\\p{N}]';

/** With the `u` flag only syntax characters may be escaped, so this list is exact. */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** A word or phrase as a pattern: its tokens apart by any run of whitespace. */
function phrasePattern(word: string): string {
  return normalizeModerationText(word)
    .trim()
    .split(/\s+/u)
    .map(escapeRegExp)
    .join('\\s+');
}

/**
 * A list of blocked words and phrases, matched case-insensitively as whole words: a
 * letter or digit of any script on either side means it is part of a longer word
 * ("class" does not contain "ass"). All words are tried in one pass over the text.
 */
export class BlockedWords {
  readonly #any: RegExp | undefined;
  readonly #each: { word: string; pattern: RegExp }[];

  constructor(words: readonly string[]) {
    this.#each = words.map((word) => ({
      word,
      pattern: new RegExp(`^(?:${phrasePattern(word)})$`, 'iu'),
    }));
    const alternatives = words.map(phrasePattern).join('|');
    this.#any =
      words.length === 0
        ? undefined
        : new RegExp(
            `(?<!${wordCharacter})(?:${alternatives})(?!${wordCharacter})`,
            'iu',
          );
  }

  /** The first blocked word in `text` (already normalized), as the list spells it. */
  find(text: string): string | undefined {
    const match = this.#any?.exec(text);
    if (!match) return undefined;
    return this.#each.find((entry) => entry.pattern.test(match[0]))?.word;
  }
}
