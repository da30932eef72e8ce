import { ResponseParseError } from '../../core/errors.js';
import { imageSize } from '../../core/image-size.js';
import { detectImageType } from '../../core/media.js';
import type { ImagePart } from '../../core/stream-part.js';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient } from '../../http/http-client.js';
import { namedUpstreamError } from '../named-upstream-error.js';

interface UpstreamCall {
  signal: AbortSignal;
  timeoutMs: number;
}

/** The HTTP side of one Kandinsky API instance: its address and token. */
export class KandinskyUpstream {
  private readonly root: string;
  private readonly headers: Record<string, string>;

  constructor(
    readonly id: string,
    baseUrl: string,
    token: string | undefined,
    private readonly http: HttpClient,
  ) {
    this.root = baseUrl.replace(/\/+$/, '');
    this.headers = {
      // The API compares the whole header with its TOKEN: no scheme in front.
      ...(token === undefined ? {} : { authorization: token }),
      // Instances are often published through ngrok, whose warning page would answer.
      'ngrok-skip-browser-warning': '1',
    };
  }

  describe(): string {
    return `kandinsky "${this.id}"`;
  }

  /** POSTs a payload; the answer is the raw JPEG, returned as an image part. */
  async generate(path: string, payload: unknown, call: UpstreamCall): Promise<ImagePart> {
    const data = await this.call(path, call, JSON.stringify(payload), (response) =>
      response.bytes(),
    );
    const mediaType = detectImageType(data);
    if (mediaType === undefined) {
      throw new ResponseParseError(
        `${this.describe()} answered ${path} without an image`,
        {
          provider: this.id,
        },
      );
    }
    return { type: 'image', data, mediaType, ...imageSize(data) };
  }

  /** GETs a path and reads the answer as JSON. */
  async getJson(path: string, call: UpstreamCall): Promise<unknown> {
    return this.call(path, call, undefined, (response) => response.json());
  }

  private async call<T>(
    path: string,
    call: UpstreamCall,
    body: string | undefined,
    read: (response: Awaited<ReturnType<typeof ensureOk>>) => Promise<T>,
  ): Promise<T> {
    try {
      const response = await this.http.request({
        url: `${this.root}${path}`,
        method: body === undefined ? 'GET' : 'POST',
        headers:
          body === undefined
            ? this.headers
            : { ...this.headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
        signal: call.signal,
        timeoutMs: call.timeoutMs,
        // The API answers only with the finished image: the call's bound is the only one.
        idleTimeoutMs: call.timeoutMs,
      });
      await ensureOk(response, { provider: this.id, upstream: 'kandinsky' });
      return await read(response);
    } catch (error) {
      throw namedUpstreamError(error, this.id, this.describe());
    }
  }
}
