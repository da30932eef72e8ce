/** Rows under upper-case headings, columns padded to their widest cell, two spaces apart. */
export function formatTable(
  headings: readonly string[],
  rows: readonly string[][],
): string {
  const widths = headings.map((heading, column) =>
    Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headings.map((heading) => heading.toUpperCase())), ...rows.map(line)]
    .map((text) => `${text}\n`)
    .join('');
}
