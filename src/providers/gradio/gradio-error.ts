import {
  type GenRelayError,
  QuotaExceededError,
  UpstreamError,
} from '../../core/errors.js';
import type { UpstreamName } from '../upstream-json.js';

/** Who failed, for messages and the `provider` field of errors. */
export interface GradioErrorContext {
  /** The provider instance. */
  provider: string;
  /** How messages name the app: `gradio "blackforestlabs-flux1dev"`. */
  speaker: string;
  /** Appended to quota errors (anonymous calls: how to get a larger quota). */
  quotaHint?: string | undefined;
}

/** The app as the shared upstream JSON helpers name it. */
export function upstreamName(context: GradioErrorContext): UpstreamName {
  return { id: context.provider, describe: () => context.speaker };
}

/**
 * An app's message text in one line: HTML links (ZeroGPU appends "<a …>Create a free
 * account</a>") are cut off, other tags dropped, whitespace collapsed.
 */
export function plainText(text: string): string {
  const [beforeLink = ''] = text.split(/\s*<a[\s>]/i);
  return beforeLink
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `Try again in 23:14:07` / `retry in 0:05:12` / `Try again in 4:09` → milliseconds. */
export function retryAfterFromText(text: string): number | undefined {
  const match = /(?:try again|retry) in (?:(\d+):)?(\d{1,2}):(\d{2})\b/i.exec(text);
  if (match === null) return undefined;
  const [hours, minutes, seconds] = [match[1], match[2], match[3]].map(Number);
  return (((hours || 0) * 60 + (minutes ?? 0)) * 60 + (seconds ?? 0)) * 1000;
}

function isQuota(text: string, title: string): boolean {
  return (
    /quota/i.test(title) ||
    /exceeded your .*quota/i.test(text) ||
    /runs limit/i.test(text) ||
    /reached its GPU limit/i.test(text)
  );
}

/**
 * The GenRelayError for a failure a Gradio app reported (a `gr.Error`, ZeroGPU's
 * messages): quota messages in both wordings → QuotaExceededError with the wait they name;
 * "No GPU" and an expired ZeroGPU token → a retryable UpstreamError, as the next attempt
 * may get one; anything else → an UpstreamError that trying again will not fix.
 */
export function errorFromGradio(
  text: string | null | undefined,
  title: string | null | undefined,
  context: GradioErrorContext,
): GenRelayError {
  const said = plainText(text ?? '') || 'an error without a message';
  const heading = title && !said.startsWith(title) ? `${title}: ` : '';
  const message = `${context.speaker} failed: ${heading}${said}`;
  const details = { provider: context.provider };
  // "No GPU was available after 60s" arrives titled "ZeroGPU quota exceeded" too.
  if (/no gpu/i.test(said) || /expired zerogpu/i.test(said)) {
    return new UpstreamError(message, { ...details, retryable: true });
  }
  if (isQuota(said, title ?? '')) {
    const hint = context.quotaHint ? ` ${context.quotaHint}` : '';
    return new QuotaExceededError(`${message}${hint}`, {
      ...details,
      retryAfterMs: retryAfterFromText(said),
    });
  }
  return new UpstreamError(message, details);
}

/**
 * The server failed outside the app's function (`unexpected_error`, "Server stopped
 * unexpectedly."): a retryable UpstreamError, as the next attempt may find it well.
 */
export function unexpectedError(
  text: string | null | undefined,
  context: GradioErrorContext,
): UpstreamError {
  return new UpstreamError(
    `${context.speaker} failed unexpectedly: ${text ?? 'no message'}`,
    { provider: context.provider, retryable: true },
  );
}
