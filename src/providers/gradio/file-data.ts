import { type FileData, fileDataSchema } from './gradio-api.js';

/**
 * The first file in an output value: a FileData (`gr.Image`, `gr.File`), the first entry
 * of a gallery (`[{ image: FileData, caption }]`), or a bare URL or path string.
 */
export function findFile(value: unknown): FileData | undefined {
  if (typeof value === 'string' && value !== '') {
    return /^https?:\/\//.test(value) ? { url: value } : { path: value };
  }
  if (Array.isArray(value)) return findFile(value[0]);
  if (typeof value !== 'object' || value === null) return undefined;
  if ('image' in value) return findFile(value.image);
  const parsed = fileDataSchema.safeParse(value);
  if (!parsed.success || (!parsed.data.url && !parsed.data.path)) return undefined;
  return parsed.data;
}

/**
 * Where to fetch a file of the app at `appUrl` (its base URL plus the API prefix). The
 * file's own URL is used when it is on the app's origin; otherwise the URL is rebuilt
 * from its server path, so the app's credentials never go to another host. Undefined
 * when the file has no usable URL or path.
 */
export function fileUrl(file: FileData, appUrl: string): string | undefined {
  const origin = new URL(appUrl).origin;
  if (file.url && URL.canParse(file.url, origin)) {
    const url = new URL(file.url, origin);
    if (url.origin === origin) return url.href;
  }
  if (!file.path) return undefined;
  if (/^https?:\/\//.test(file.path)) {
    // A path that is a URL is kept when it is on the app's origin. One that does not
    // parse names no file at all: the caller reports the image missing.
    if (!URL.canParse(file.path)) return undefined;
    if (new URL(file.path).origin === origin) return file.path;
  }
  const encoded = file.path.split('/').map(encodeURIComponent).join('/');
  return `${appUrl}/file=${encoded}`;
}

const extensionTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
};

/** The file's media type: declared, else from its name's extension. */
export function fileMediaType(file: FileData): string {
  if (file.mime_type) return file.mime_type;
  const name = file.orig_name ?? file.path ?? file.url ?? '';
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(name)?.[1]?.toLowerCase();
  return (extension && extensionTypes[extension]) || 'application/octet-stream';
}
