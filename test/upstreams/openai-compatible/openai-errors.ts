/** The `error` object of OpenAI's error envelope `{"error": {...}}`. */
export interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** An error answer: status, envelope content and any extra headers. */
export interface ErrorReply {
  status: number;
  error: OpenAIError;
  headers?: Record<string, string>;
}

function badRequest(
  message: string,
  param: string | null,
  code: string | null,
): ErrorReply {
  return { status: 400, error: { message, type: 'invalid_request_error', param, code } };
}

export function invalidJson(): ErrorReply {
  return badRequest(
    'We could not parse the JSON body of your request. (HINT: This likely means you ' +
      "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, " +
      'but what was sent was not valid JSON.)',
    null,
    null,
  );
}

export function missingParameter(param: string): ErrorReply {
  return badRequest(
    `Missing required parameter: '${param}'.`,
    param,
    'missing_required_parameter',
  );
}

export function invalidType(param: string, expected: string): ErrorReply {
  return badRequest(
    `Invalid type for '${param}': expected ${expected}.`,
    param,
    'invalid_type',
  );
}

export function invalidValue(param: string, message: string): ErrorReply {
  return badRequest(message, param, 'invalid_value');
}

export function invalidUrl(method: string, path: string): ErrorReply {
  const message = `Invalid URL (${method} ${path})`;
  return {
    status: 404,
    error: { message, type: 'invalid_request_error', param: null, code: null },
  };
}

export function modelNotFound(model: string): ErrorReply {
  return {
    status: 404,
    error: {
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    },
  };
}

export function invalidApiKey(authorization: string | undefined): ErrorReply {
  const key = authorization?.replace(/^Bearer\s+/i, '') ?? '';
  const message = key
    ? `Incorrect API key provided: ${maskKey(key)}. You can find your API key at ` +
      'https://platform.openai.com/account/api-keys.'
    : "You didn't provide an API key. You need to provide your API key in an " +
      'Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).';
  return {
    status: 401,
    error: {
      message,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  };
}

export function rateLimited(retryAfterSeconds: number): ErrorReply {
  return {
    status: 429,
    error: {
      message: `Rate limit reached for requests. Please try again in ${retryAfterSeconds}s.`,
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

export function serverError(status: number, detail?: string): ErrorReply {
  const message =
    detail ?? 'The server had an error while processing your request. Sorry about that!';
  return { status, error: { message, type: 'server_error', param: null, code: null } };
}

/** OpenAI shows the first three and last four characters of a rejected key. */
function maskKey(key: string): string {
  return key.length > 8
    ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`
    : '***';
}
