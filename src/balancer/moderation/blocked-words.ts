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
  /** One capturing group per word, in list order; escaping leaves no other groups. */
  private readonly pattern: RegExp | undefined;

  constructor(private readonly words: readonly string[]) {
    const alternatives = words.map((word) => `(${phrasePattern(word)})`).join('|');
    this.pattern =
      words.length === 0
        ? undefined
        : new RegExp(
            `(?<!${wordCharacter})(?:${alternatives})(?!${wordCharacter})`,
            'iu',
          );
  }

  /** The first blocked word in `text` (already normalized), as the list spells it. */
  find(text: string): string | undefined {
    const match = this.pattern?.exec(text);
    if (!match) return undefined;
    const index = match.findIndex(
      (group, position) => position > 0 && group !== undefined,
    );
    return this.words[index - 1];
  }
}
