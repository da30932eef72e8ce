import type { z } from 'zod';

/** `providers.local.baseUrl: Invalid URL` lines, one per zod issue. */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: PropertyKey[] = [],
): string[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path]
      .map((key, index) =>
        typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
      )
      .join('');
    return `${path === '' ? '(root)' : path}: ${issue.message}`;
  });
}
