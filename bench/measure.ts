import autocannon from 'autocannon';
import { Agent, request } from 'undici';

export interface Target {
  url: string;
  body: string;
}

/** Requests per second with `connections` clients sending back to back for `seconds`. */
export async function throughput(target: Target, connections: number, seconds: number) {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: target.body,
    connections,
    duration: seconds,
  });
  const failures = result.errors + result.timeouts + result.non2xx;
  if (failures > 0)
    throw new Error(`${failures} of ${result.requests.total} requests failed`);
  return result.requests.average;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ??
    Number.NaN
  );
}

/** P50 and P99 latency in milliseconds of `count` requests sent one at a time. */
export async function latency(target: Target, count: number) {
  const agent = new Agent({ connections: 1 });
  const samples: number[] = [];
  try {
    for (let index = 0; index < count + 100; index++) {
      const started = process.hrtime.bigint();
      const response = await request(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: target.body,
        dispatcher: agent,
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
      // The first hundred warm up the connection and the JIT, and are not counted.
      if (index >= 100) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  } finally {
    await agent.close();
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}
