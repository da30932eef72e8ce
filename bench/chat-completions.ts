import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess } from './child-process.js';
import { latency, type Target, throughput } from './measure.js';

// Chat completions straight to a mock upstream and through genrelay, in one run on
// loopback, so the ratio says what genrelay costs on this machine.

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const latencyRequests = Number(process.env.BENCH_LATENCY_REQUESTS ?? 2000);
const targets = { throughput: 4000, addedP99Ms: 3 };

const folder = await mkdtemp(join(tmpdir(), 'genrelay-bench-'));
// Node itself with tsx's loader, not `npx tsx`: a wrapper process may exit on SIGTERM
// without passing it on, leaving the upstream (and this process's sockets to it) alive.
const upstream = await startProcess(
  process.execPath,
  ['--import', 'tsx', 'bench/mock-upstream.ts'],
  /ready (\S+)/,
);
let genrelay: Awaited<ReturnType<typeof startProcess>> | undefined;
try {
  const config = join(folder, 'genrelay.config.json');
  await writeFile(
    config,
    JSON.stringify({
      server: { dataDir: join(folder, 'data') },
      providers: {
        mock: {
          type: 'openai-compatible',
          baseUrl: upstream.ready,
          models: ['bench-chat'],
          imageModels: [],
        },
      },
      log: { level: 'warn' },
    }),
  );
  genrelay = await startProcess(
    'node',
    ['dist/cli/main.js', 'serve', '--port', '0', '--config', config],
    /listening on (http:\/\/\S+)/,
  );
  const body = (stream: boolean) =>
    JSON.stringify({
      model: 'bench-chat',
      stream,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
  const direct = (stream: boolean): Target => ({
    url: `${upstream.ready}/chat/completions`,
    body: body(stream),
  });
  const through = (stream: boolean): Target => ({
    url: `${genrelay?.ready}/v1/chat/completions`,
    body: body(stream),
  });

  const rows: string[][] = [];
  for (const stream of [false, true]) {
    const mode = stream ? 'streaming' : 'non-streaming';
    const directRate = await throughput(direct(stream), 32, seconds);
    const throughRate = await throughput(through(stream), 32, seconds);
    const directLatency = await latency(direct(stream), latencyRequests);
    const throughLatency = await latency(through(stream), latencyRequests);
    rows.push(
      [
        mode,
        'requests/s, concurrency 32',
        directRate.toFixed(0),
        throughRate.toFixed(0),
        `${((throughRate / directRate) * 100).toFixed(0)}%`,
      ],
      [
        mode,
        'P50 ms, concurrency 1',
        directLatency.p50.toFixed(2),
        throughLatency.p50.toFixed(2),
        `+${(throughLatency.p50 - directLatency.p50).toFixed(2)} ms`,
      ],
      [
        mode,
        'P99 ms, concurrency 1',
        directLatency.p99.toFixed(2),
        throughLatency.p99.toFixed(2),
        `+${(throughLatency.p99 - directLatency.p99).toFixed(2)} ms`,
      ],
    );
    if (!stream) {
      const addedP99 = throughLatency.p99 - directLatency.p99;
      console.log(
        `target non-streaming: >= ${targets.throughput} req/s (${throughRate >= targets.throughput ? 'met' : 'missed'}: ${throughRate.toFixed(0)}), ` +
          `<= ${targets.addedP99Ms} ms added P99 (${addedP99 <= targets.addedP99Ms ? 'met' : 'missed'}: ${addedP99.toFixed(2)} ms)`,
      );
    }
  }
  const header = [
    'mode',
    'measure',
    'direct to mock',
    'through genrelay',
    'genrelay vs direct',
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log(
    [
      line(header),
      line(widths.map((width) => '-'.repeat(width))),
      ...rows.map(line),
    ].join('\n'),
  );
} finally {
  await genrelay?.stop();
  await upstream.stop();
  await rm(folder, { recursive: true, force: true });
}
