/**
 * Asks `read` every `intervalMs` until `done` accepts its answer, for at most `timeoutMs`.
 * For state another process owns, which sends no event this test could await.
 */
export async function pollUntil<Value>(
  read: () => Promise<Value>,
  done: (value: Value) => boolean,
  options: { timeoutMs: number; intervalMs: number; describe: (last: Value) => string },
): Promise<Value> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${options.describe(value)} after ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
