/** Invisible characters that split a word for the eye's purposes without showing. */
const invisible = /[\u00AD\u180E\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * A text as the local lists see it: compatibility forms folded (full-width and styled
 * letters become plain ones) and invisible characters removed, so the simplest
 * disguises of a blocked word still match.
 */
export function normalizeModerationText(text: string): string {
  return text.normalize('NFKC').replace(invisible, '');
}
