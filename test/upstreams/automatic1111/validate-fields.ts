import type { FieldSpec, FieldType } from './payload-fields.js';

/** One entry of FastAPI's 422 `detail` list, as pydantic v1 reports it. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

type Coerced = { ok: true; value: unknown } | { ok: false; msg: string; type: string };

const truthy = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const falsy = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** pydantic v1's lax coercions: `"20"` is an int, `7.5` an int of 7, `"yes"` true. */
function coerce(type: FieldType, value: unknown): Coerced {
  const fail = (msg: string, kind: string): Coerced => ({ ok: false, msg, type: kind });
  switch (type) {
    case 'int':
      if (typeof value === 'number' && Number.isFinite(value))
        return { ok: true, value: Math.trunc(value) };
      if (typeof value === 'boolean') return { ok: true, value: Number(value) };
      if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value))
        return { ok: true, value: Number.parseInt(value, 10) };
      return fail('value is not a valid integer', 'type_error.integer');
    case 'float':
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'boolean') return { ok: true, value: Number(value) };
      if (
        typeof value === 'string' &&
        value.trim() !== '' &&
        !Number.isNaN(Number(value))
      )
        return { ok: true, value: Number(value) };
      return fail('value is not a valid float', 'type_error.float');
    case 'str':
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number') return { ok: true, value: String(value) };
      return fail('str type expected', 'type_error.str');
    case 'bool':
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 0 || value === 1) return { ok: true, value: value === 1 };
      if (typeof value === 'string' && truthy.has(value.toLowerCase()))
        return { ok: true, value: true };
      if (typeof value === 'string' && falsy.has(value.toLowerCase()))
        return { ok: true, value: false };
      return fail('value could not be parsed to a boolean', 'type_error.bool');
    case 'list':
    case 'str-list':
      if (Array.isArray(value)) return { ok: true, value };
      return fail('value is not a valid list', 'type_error.list');
    case 'dict':
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return { ok: true, value };
      return fail('value is not a valid dict', 'type_error.dict');
  }
}

/**
 * The body checked and coerced field by field, defaults filled in; unknown fields are
 * dropped (pydantic's default). Every problem is reported, in field order.
 */
export function validateFields(
  body: Record<string, unknown>,
  fields: Record<string, FieldSpec>,
): { value: Record<string, unknown>; issues: ValidationIssue[] } {
  const value: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  for (const [name, spec] of Object.entries(fields)) {
    const given = body[name];
    if (given === undefined || (given === null && spec.default === null)) {
      value[name] = given === undefined ? structuredClone(spec.default) : null;
      continue;
    }
    if (given === null) {
      issues.push({
        loc: ['body', name],
        msg: 'none is not an allowed value',
        type: 'type_error.none.not_allowed',
      });
      continue;
    }
    const coerced = coerce(spec.type, given);
    if (!coerced.ok) {
      issues.push({ loc: ['body', name], msg: coerced.msg, type: coerced.type });
      continue;
    }
    if (spec.type === 'str-list') {
      (coerced.value as unknown[]).forEach((item, index) => {
        const element = coerce('str', item);
        if (!element.ok) {
          issues.push({
            loc: ['body', name, index],
            msg: element.msg,
            type: element.type,
          });
        }
      });
    }
    value[name] = coerced.value;
  }
  return { value, issues };
}
