import {
  type GenRelayError,
  ModerationError,
  toGenRelayError,
  UpstreamError,
} from '../../core/errors.js';
import { type Logger, silentLogger } from '../../core/logger.js';
import { errorFromAbort } from '../../http/error-from-abort.js';
import type { HttpClient } from '../../http/http-client.js';
import { BlockedWords } from './blocked-words.js';
import { ModerationEndpoint } from './moderation-endpoint.js';
import type { ModerationSettings } from './moderation-settings.js';
import { normalizeModerationText } from './normalize-moderation-text.js';

/** Whether texts may be generated from, and if not, why. */
export type ModerationVerdict =
  | { flagged: false }
  | { flagged: true; reason: string; categories: string[] };

export interface ModeratorOptions {
  /** For the endpoint. */
  http: HttpClient;
  logger?: Logger;
}

/**
 * Checks prompt texts before a job is queued: the blocked words, then the blocked
 * patterns (both free, local), then the moderation endpoint when one is configured.
 */
export class Moderator {
  private readonly words: BlockedWords;
  private readonly endpoint: ModerationEndpoint | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly settings: ModerationSettings,
    options: ModeratorOptions,
  ) {
    this.words = new BlockedWords(settings.words);
    this.endpoint =
      settings.endpoint && new ModerationEndpoint(settings.endpoint, options.http);
    this.logger = options.logger ?? silentLogger;
  }

  /** Whether a request is checked: it asked to be, or the server moderates everything. */
  applies(requested: boolean | undefined): boolean {
    return requested === true || this.settings.force;
  }

  /** Blank texts are skipped: they ask for nothing, and the endpoint need not see them. */
  async check(texts: readonly string[], signal: AbortSignal): Promise<ModerationVerdict> {
    if (signal.aborted) throw errorFromAbort(signal);
    const checked = texts.filter((text) => text.trim() !== '');
    for (const text of checked.map(normalizeModerationText)) {
      const word = this.words.find(text);
      if (word !== undefined) {
        return flagged(`matches the blocked word "${word}"`, ['blocked-word']);
      }
      const index = this.settings.patterns.findIndex((pattern) => pattern.test(text));
      if (index !== -1) {
        return flagged(`matches blocked pattern #${index}`, ['blocked-pattern']);
      }
    }
    if (this.endpoint === undefined || checked.length === 0) return { flagged: false };
    return this.askEndpoint(this.endpoint, checked, signal);
  }

  /** Throws a ModerationError (400, `moderation_rejected`) when the texts are flagged. */
  async assertAllowed(texts: readonly string[], signal: AbortSignal): Promise<void> {
    const verdict = await this.check(texts, signal);
    if (verdict.flagged)
      throw new ModerationError(`The prompt was rejected: ${verdict.reason}.`);
  }

  private async askEndpoint(
    endpoint: ModerationEndpoint,
    texts: readonly string[],
    signal: AbortSignal,
  ): Promise<ModerationVerdict> {
    try {
      const verdict = await endpoint.classify(texts, signal);
      if (!verdict.flagged) return { flagged: false };
      const named = verdict.categories.join(', ');
      return flagged(
        named === ''
          ? 'flagged by the moderation endpoint'
          : `flagged by the moderation endpoint: ${named}`,
        verdict.categories,
      );
    } catch (error) {
      const failure = toGenRelayError(error);
      if (signal.aborted || failure.code === 'canceled') throw failure;
      if (this.settings.endpoint?.failOpen === true) {
        this.logger.warn(
          { err: failure },
          'moderation endpoint failed; the prompt is let through (failOpen)',
        );
        return { flagged: false };
      }
      throw unavailable(failure);
    }
  }
}

function flagged(reason: string, categories: string[]): ModerationVerdict {
  return { flagged: true, reason, categories };
}

/**
 * A failure the client can wait out (unreachable, timed out, rate limited, 5xx) keeps its
 * type. Anything else (a rejected key, a malformed answer) is our setup's fault, not the
 * client's, so it is not passed on as a 400 or 401.
 */
function unavailable(failure: GenRelayError): GenRelayError {
  if (failure.retryable) return failure;
  return new UpstreamError(`Moderation is unavailable: ${failure.message}`, {
    cause: failure,
  });
}
