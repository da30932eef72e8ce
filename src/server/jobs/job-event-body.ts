import type { JobEvent } from '../../balancer/job-events.js';
import type { ResultStorage } from '../../balancer/result-storage.js';
import { resultUrl } from '../result-url.js';

const snakeCase = (name: string) =>
  name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The top-level fields of an event in snake_case, like the rest of the wire. */
function snakeKeys(event: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(event)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [snakeCase(name), value]),
  );
}

/**
 * A job event as the jobs API sends it: snake_case fields, stored images as URLs a client
 * can fetch, previews inline as base64 (they are small and never stored).
 */
export async function jobEventBody(
  event: JobEvent,
  links: { storage: ResultStorage; origin: string },
): Promise<Record<string, unknown>> {
  if (event.type === 'image') {
    const { data, key, url, ...rest } = event;
    const link =
      key === undefined ? url : await resultUrl(links.storage, key, links.origin);
    return snakeKeys({ ...rest, url: link });
  }
  if (event.type === 'image-preview') {
    const { data, ...rest } = event;
    return snakeKeys(
      data === undefined
        ? rest
        : { ...rest, b64Json: Buffer.from(data).toString('base64') },
    );
  }
  return snakeKeys(event);
}
