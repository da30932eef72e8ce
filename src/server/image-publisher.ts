import type { ResultStorage } from '../balancer/result-storage.js';
import type { ImagePart } from '../core/stream-part.js';
import { readStoredResult, resultUrl } from './result-url.js';

/** A finished image as clients receive it: its URL, and the bytes for base64 answers. */
export interface PublishedImage {
  url: string;
  data?: Uint8Array;
  mediaType: string;
}

/**
 * Names a finished image by a URL clients can fetch. Images the balancer stored are named
 * by their key; bytes that were not stored yet are stored first; an image that only has an
 * upstream URL is passed on as it is.
 */
export class ImagePublisher {
  constructor(private readonly storage: ResultStorage) {}

  async publish(
    image: ImagePart,
    origin: string,
    options: { withData?: boolean } = {},
  ): Promise<PublishedImage> {
    let key = image.key;
    if (key === undefined && image.data !== undefined)
      key = (await this.storage.save(image.data, image.mediaType)).key;
    if (key === undefined) return { url: image.url ?? '', mediaType: image.mediaType };
    const url = await resultUrl(this.storage, key, origin);
    const data =
      image.data ??
      (options.withData === true ? await readStoredResult(this.storage, key) : undefined);
    return { url, mediaType: image.mediaType, ...(data === undefined ? {} : { data }) };
  }
}
