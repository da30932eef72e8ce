import type { SourcesPart } from '../../core/stream-part.js';
import type { ChatUiSource } from './huggingchat-api.js';

/**
 * Web sources as a `sources` part: `webSearch` updates name them `{link, title}`, the
 * final answer of older versions `{uri, title}`. Undefined when none has an address.
 */
export function sourcesPart(sources: readonly ChatUiSource[]): SourcesPart | undefined {
  const mapped = sources.flatMap((source) => {
    const url = source.link ?? source.uri ?? source.url;
    if (url === undefined || url === '') return [];
    return [source.title ? { url, title: source.title } : { url }];
  });
  return mapped.length === 0 ? undefined : { type: 'sources', sources: mapped };
}
