import { randomUUID } from 'node:crypto';
import { UpstreamError } from '../../core/errors.js';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient } from '../../http/http-client.js';
import { untilAborted } from '../../http/until-aborted.js';
import { jwtResponseSchema } from './gradio-api.js';

export const defaultJwtUrl = 'https://huggingface.co/api/spaces/{space}/jwt';

export interface ZeroGpuOptions {
  http: HttpClient;
  /** The Space, `owner/name`. */
  space: string;
  /** A Hugging Face token; without one, calls go anonymously and this adds no headers. */
  hfToken: string | undefined;
  /** Where the Space's token comes from; `{space}` is replaced. */
  jwtUrl?: string;
  /** The provider instance, named in errors. */
  provider: string;
  /** A token is renewed this long before it expires. Default 60 s. */
  renewBeforeMs?: number;
  now?: () => number;
}

/** Bound on asking for a token; each caller also stops waiting when its signal aborts. */
const jwtTimeoutMs = 15_000;

/**
 * The `x-zerogpu-token` / `x-zerogpu-uuid` headers that let a ZeroGPU Space count a call
 * against the Hugging Face account's quota instead of the anonymous one. The token is the
 * Space's JWT for that account, kept until shortly before it expires; the uuid names this
 * process's session. Without a Hugging Face token there are no headers at all.
 */
export class ZeroGpuCredentials {
  private readonly uuid = randomUUID();
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly url: string;
  private readonly now: () => number;

  constructor(private readonly options: ZeroGpuOptions) {
    this.url = (options.jwtUrl ?? defaultJwtUrl).replace('{space}', options.space);
    this.now = options.now ?? Date.now;
  }

  async headers(signal: AbortSignal): Promise<Record<string, string>> {
    if (this.options.hfToken === undefined) return {};
    const token = await this.token(this.options.hfToken, signal);
    return { 'x-zerogpu-token': token, 'x-zerogpu-uuid': this.uuid };
  }

  private token(hfToken: string, signal: AbortSignal): Promise<string> {
    if (this.cached !== undefined && this.now() < this.cached.renewAt) {
      return Promise.resolve(this.cached.token);
    }
    // Jobs that start together at a cold start share one request.
    this.pending ??= this.fetchToken(hfToken).finally(() => {
      this.pending = undefined;
    });
    return untilAborted(this.pending, signal);
  }

  /**
   * Asks Hugging Face for the Space's token, within its own bound rather than one
   * caller's signal: a caller that gives up must not fail the others waiting on it.
   */
  private async fetchToken(hfToken: string): Promise<string> {
    const context = { provider: this.options.provider, upstream: 'huggingface' };
    const response = await ensureOk(
      await this.options.http.request({
        url: this.url,
        headers: { authorization: `Bearer ${hfToken}`, accept: 'application/json' },
        timeoutMs: jwtTimeoutMs,
      }),
      context,
    );
    const parsed = jwtResponseSchema.safeParse(await response.json());
    if (!parsed.success) {
      throw new UpstreamError(
        `huggingface answered no ZeroGPU token for ${this.options.space}`,
        { provider: this.options.provider },
      );
    }
    const { token } = parsed.data;
    const expiresAt = jwtExpiry(token);
    const renewBeforeMs = this.options.renewBeforeMs ?? 60_000;
    // A token whose expiry cannot be read serves the calls waiting for it only.
    this.cached =
      expiresAt === undefined ? undefined : { token, renewAt: expiresAt - renewBeforeMs };
    return token;
  }
}

/** The `exp` claim of a JWT in milliseconds, or undefined when it has none. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    );
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
