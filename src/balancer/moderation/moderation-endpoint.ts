import { z } from 'zod';
import { ResponseParseError } from '../../core/errors.js';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient } from '../../http/http-client.js';
import type { ModerationEndpointSettings } from './moderation-settings.js';

/** The part of OpenAI's moderation answer we use; other fields are ignored. */
const moderationResponseSchema = z.object({
  results: z.array(
    z.object({
      flagged: z.boolean(),
      // OpenAI sends null for categories a model does not judge.
      categories: z.record(z.string(), z.boolean().nullable()).default({}),
    }),
  ),
});

/** What the endpoint said about a batch of texts. */
export interface EndpointVerdict {
  flagged: boolean;
  /** The categories flagged in any text, in the order the endpoint lists them. */
  categories: string[];
}

/** An OpenAI-compatible `POST /moderations` endpoint. */
export class ModerationEndpoint {
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly settings: ModerationEndpointSettings,
    private readonly http: HttpClient,
  ) {
    this.url = `${settings.baseUrl.replace(/\/+$/, '')}/moderations`;
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(settings.apiKey === undefined
        ? {}
        : { authorization: `Bearer ${settings.apiKey}` }),
    };
  }

  /** Failures are typed (RateLimitError, TimeoutError, retryable UpstreamError…). */
  async classify(
    texts: readonly string[],
    signal: AbortSignal,
  ): Promise<EndpointVerdict> {
    const response = await this.http.request({
      url: this.url,
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify({ model: this.settings.model, input: texts }),
      signal,
      timeoutMs: this.settings.timeoutMs,
    });
    await ensureOk(response, { upstream: 'moderation endpoint' });
    const parsed = moderationResponseSchema.safeParse(await response.json());
    if (!parsed.success) {
      throw new ResponseParseError('the moderation endpoint sent an unexpected answer', {
        cause: parsed.error,
      });
    }
    const flagged = parsed.data.results.filter((result) => result.flagged);
    const categories = new Set<string>();
    for (const result of flagged) {
      for (const [name, value] of Object.entries(result.categories)) {
        if (value === true) categories.add(name);
      }
    }
    return { flagged: flagged.length > 0, categories: [...categories] };
  }
}
