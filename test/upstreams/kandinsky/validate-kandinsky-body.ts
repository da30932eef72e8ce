/** One entry of FastAPI's 422 `detail` list, as pydantic v1 reports it. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

type FieldType = 'int' | 'str' | 'list';

/** `Text2Img` and `MixImages` from `src/api/schemas.py`, with their defaults. */
const optionalFields: [string, FieldType, unknown][] = [
  ['steps', 'int', 30],
  ['guidance_scale', 'int', 4],
  ['height', 'int', 512],
  ['width', 'int', 512],
  ['sampler', 'str', 'p_sampler'],
  ['prior_cf_scale', 'int', 4],
  ['prior_steps', 'str', '5'],
  ['negative_prior_prompt', 'str', ''],
  ['negative_decoder_prompt', 'str', ''],
];

const requiredFields: Record<'text2img' | 'mix2images', [string, FieldType][]> = {
  text2img: [['prompt', 'str']],
  mix2images: [
    ['images_texts', 'list'],
    ['weights', 'list'],
  ],
};

const messages: Record<FieldType, [string, string]> = {
  int: ['value is not a valid integer', 'type_error.integer'],
  str: ['str type expected', 'type_error.str'],
  list: ['value is not a valid list', 'type_error.list'],
};

/** pydantic v1's lax coercion: `"30"` and `30.7` are ints, numbers are strings. */
function coerce(type: FieldType, value: unknown): { ok: boolean; value: unknown } {
  if (type === 'list') return { ok: Array.isArray(value), value };
  if (type === 'str') {
    if (typeof value === 'string') return { ok: true, value };
    return typeof value === 'number'
      ? { ok: true, value: String(value) }
      : { ok: false, value };
  }
  if (typeof value === 'number' && Number.isFinite(value))
    return { ok: true, value: Math.trunc(value) };
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
    return { ok: true, value: Number.parseInt(value, 10) };
  }
  return { ok: false, value };
}

/**
 * The body as FastAPI hands it to the route: required fields present, optional ones
 * defaulted (`Union[int, None]`, so null is allowed), every problem reported in order.
 */
export function validateKandinskyBody(
  kind: 'text2img' | 'mix2images',
  raw: string,
  body: unknown,
):
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; issues: ValidationIssue[] } {
  if (raw !== '' && body === undefined) {
    return {
      ok: false,
      issues: [
        {
          loc: ['body', 0],
          msg: 'Expecting value: line 1 column 1 (char 0)',
          type: 'value_error.jsondecode',
        },
      ],
    };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const missing = body === undefined;
    return {
      ok: false,
      issues: [
        {
          loc: ['body'],
          msg: missing ? 'field required' : 'value is not a valid dict',
          type: missing ? 'value_error.missing' : 'type_error.dict',
        },
      ],
    };
  }
  const given = body as Record<string, unknown>;
  const value: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  const fields = [
    ...requiredFields[kind].map(([name, type]) => [name, type, undefined] as const),
    ...optionalFields,
  ];
  for (const [name, type, fallback] of fields) {
    const entry = given[name];
    if (entry === undefined || entry === null) {
      if (fallback !== undefined) value[name] = entry === null ? null : fallback;
      else if (entry === undefined) {
        issues.push({
          loc: ['body', name],
          msg: 'field required',
          type: 'value_error.missing',
        });
      } else {
        issues.push({
          loc: ['body', name],
          msg: 'none is not an allowed value',
          type: 'type_error.none.not_allowed',
        });
      }
      continue;
    }
    const coerced = coerce(type, entry);
    if (coerced.ok) value[name] = coerced.value;
    else {
      const [msg, error] = messages[type];
      issues.push({ loc: ['body', name], msg, type: error });
    }
  }
  return issues.length === 0 ? { ok: true, value } : { ok: false, issues };
}
