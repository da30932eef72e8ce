import { type ResultStorage, resultPath } from '../balancer/result-storage.js';
import type { ImageData } from '../core/stream-part.js';

/** A finished image as clients receive it: our URL, and the bytes for base64 answers. */
export interface PublishedImage {
  url: string;
  data?: Uint8Array;
  mediaType: string;
}

/**
 * Stores image bytes and names them by a URL on this server. An image that only has an
 * upstream URL is passed on as it is.
 */
export class ImagePublisher {
  constructor(private readonly storage: ResultStorage) {}

  async publish(image: ImageData, baseUrl: string): Promise<PublishedImage> {
    if (image.data === undefined) {
      return { url: image.url ?? '', mediaType: image.mediaType };
    }
    const stored = await this.storage.save(image.data, image.mediaType);
    return {
      url: `${baseUrl.replace(/\/+$/, '')}${resultPath(stored.key)}`,
      data: image.data,
      mediaType: image.mediaType,
    };
  }
}
