import { startOpenAIDouble } from '../test/upstreams/openai-compatible/openai-compatible-double.js';

// The upstream for the benchmark, in a process of its own so it does not share a core's
// event loop with the load generator. It prints its address, then serves until stopped.
const double = await startOpenAIDouble({
  models: ['bench-chat'],
  behaviour: { kind: 'normal', text: 'The quick brown fox jumps over the lazy dog.' },
  record: false,
});
process.stdout.write(`ready ${double.baseUrl}\n`);
process.on('SIGTERM', () => {
  void double.close().then(() => process.exit(0));
});
