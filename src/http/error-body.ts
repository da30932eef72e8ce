/** What an error body says, in one line, and the request field it blames if any. */
export interface ErrorBody {
  message: string;
  param?: string;
}

const maxMessageLength = 500;

const cloudflareMarkers = [
  'cf-please-wait',
  'Just a moment...',
  'cf_chl_',
  'challenge-platform',
];

/**
 * Summarise an upstream error body. JSON is searched for `error.message`, Replicate's
 * `invalid_fields`, `detail` (FastAPI's 422 list names the field), `message`, then
 * `error` as a string (last, since some servers put a class name there and the text in
 * `detail`); HTML becomes one line with its title; other text is collapsed to one line
 * and truncated.
 */
export function describeErrorBody(
  text: string,
  header: (name: string) => string | undefined,
): ErrorBody {
  const trimmed = text.trim();
  const html = isHtml(trimmed, header('content-type'));
  if (
    header('cf-mitigated') === 'challenge' ||
    (html && isCloudflareChallenge(trimmed))
  ) {
    return { message: 'blocked by a Cloudflare browser challenge' };
  }
  if (html) return { message: summarizeHtml(trimmed) };
  const fromJson =
    trimmed.startsWith('{') || trimmed.startsWith('"')
      ? fromJsonText(trimmed)
      : undefined;
  if (fromJson) return { ...fromJson, message: oneLine(fromJson.message) };
  return { message: oneLine(trimmed) };
}

function isCloudflareChallenge(text: string): boolean {
  return cloudflareMarkers.some((marker) => text.includes(marker));
}

function isHtml(text: string, contentType: string | undefined): boolean {
  return (
    contentType?.includes('text/html') === true || /^<(!doctype html|html)/i.test(text)
  );
}

function summarizeHtml(html: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim();
  return title ? `HTML page "${oneLine(decodeEntities(title))}"` : 'HTML error page';
}

function decodeEntities(text: string): string {
  const entities: Record<string, string> = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    '#39': "'",
  };
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_match, name: string) => entities[name] ?? '',
  );
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxMessageLength ? `${line.slice(0, maxMessageLength)}…` : line;
}

function fromJsonText(text: string): ErrorBody | undefined {
  try {
    return fromJson(JSON.parse(text));
  } catch {
    // Not JSON after all, or cut short by the read limit: the text itself is the message.
    return undefined;
  }
}

function fromJson(value: unknown): ErrorBody | undefined {
  if (typeof value === 'string') return { message: value };
  if (typeof value !== 'object' || value === null) return undefined;
  const body = value as Record<string, unknown>;
  const error = body.error;
  if (typeof error === 'object' && error !== null) {
    const { message, param } = error as Record<string, unknown>;
    if (typeof message === 'string') {
      return typeof param === 'string' ? { message, param } : { message };
    }
  }
  const invalidFields = Array.isArray(body.invalid_fields)
    ? fromInvalidFields(body.invalid_fields)
    : undefined;
  if (invalidFields !== undefined) return invalidFields;
  if (typeof body.detail === 'string') return { message: body.detail };
  if (Array.isArray(body.detail)) return fromValidationErrors(body.detail);
  if (typeof body.message === 'string') return { message: body.message };
  if (typeof error === 'string') return { message: error };
  return undefined;
}

/** Replicate's 422: `invalid_fields: [{ field: 'input.width', description: '…' }]`. */
function fromInvalidFields(fields: unknown[]): ErrorBody | undefined {
  return fromProblems(
    fields.flatMap((entry) => {
      if (typeof entry !== 'object' || entry === null) return [];
      const { field, description } = entry as Record<string, unknown>;
      if (typeof field !== 'string' || field === '') return [];
      const text = typeof description === 'string' ? description : 'invalid';
      return [{ path: field, text: `${field}: ${text}` }];
    }),
  );
}

/** FastAPI / pydantic: `[{ loc: ['body', 'messages', 0, 'content'], msg: '…' }]`. */
function fromValidationErrors(details: unknown[]): ErrorBody | undefined {
  return fromProblems(
    details.flatMap((detail) => {
      if (typeof detail !== 'object' || detail === null) return [];
      const { loc, msg } = detail as Record<string, unknown>;
      const path = Array.isArray(loc) ? fieldPath(loc) : '';
      const text = typeof msg === 'string' ? msg : 'invalid';
      return [{ path, text: path ? `${path}: ${text}` : text }];
    }),
  );
}

/** Every problem in one message; the first one's field, if named, is the param. */
function fromProblems(problems: { path: string; text: string }[]): ErrorBody | undefined {
  const first = problems[0];
  if (first === undefined) return undefined;
  const message = problems.map((problem) => problem.text).join('; ');
  return first.path ? { message, param: first.path } : { message };
}

/** `['body', 'messages', 0, 'content']` → `messages[0].content`. */
function fieldPath(loc: unknown[]): string {
  const parts = ['body', 'query', 'path', 'header', 'cookie'].includes(String(loc[0]))
    ? loc.slice(1)
    : loc;
  return parts
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${part}`,
    )
    .join('');
}
