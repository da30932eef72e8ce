#!/usr/bin/env node
import { processIo } from './process-io.js';
import { runCli } from './run-cli.js';

// The exit code is set, not forced, so buffered output and logs are written in full.
process.exitCode = await runCli(process.argv.slice(2), processIo());
