import type { Command } from 'commander';
import type { GenerationRequest } from '../core/generation-request.js';
import type { JsonValue } from '../core/json.js';
import type { Message } from '../core/message.js';
import { createChatPrinter } from './chat-printer.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { configOption, jsonOption } from './common-options.js';
import { partToJson } from './part-to-json.js';
import { runGeneration } from './run-generation.js';
import { withJsonErrors } from './with-json-errors.js';
import { withRuntime } from './with-runtime.js';

interface ChatOptions {
  model?: string;
  system?: string;
  conversation?: string;
  config?: string;
  json?: boolean;
}

function parseConversation(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new CliError(
      `--conversation must be the JSON state a conversation line printed: ${(error as Error).message}`,
    );
  }
}

/** The request for a prompt; an empty model name asks for the default chat model. */
function chatRequest(prompt: string, options: ChatOptions): GenerationRequest {
  if (prompt.trim() === '') throw new CliError('The prompt is empty.');
  const messages: Message[] = [];
  if (options.system !== undefined)
    messages.push({ role: 'system', content: options.system });
  messages.push({ role: 'user', content: prompt });
  return {
    kind: 'chat',
    model: options.model ?? '',
    messages,
    stream: true,
    ...(options.conversation === undefined
      ? {}
      : { conversation: parseConversation(options.conversation) }),
  };
}

/** `genrelay chat "prompt"`: one answer, generated in this process and streamed. */
export function addChatCommand(program: Command, io: CliIo): void {
  program
    .command('chat')
    .description('answer a prompt, streaming the text as it is generated')
    .argument('<prompt>', 'what to ask')
    .option('-m, --model <name>', 'model or alias (default: the first chat model)')
    .option('-s, --system <text>', 'system prompt')
    .option(
      '--conversation <json>',
      'continue the conversation a `conversation` line printed',
    )
    .addOption(configOption())
    .addOption(jsonOption())
    .action((prompt: string, options: ChatOptions) =>
      withJsonErrors(io, options.json, async () => {
        const request = chatRequest(prompt, options);
        await withRuntime(
          { config: options.config, purpose: 'command' },
          io,
          async (runtime) => {
            if (options.json === true) {
              await runGeneration(runtime, request, io, (part) => {
                io.stdout.write(`${partToJson(part)}\n`);
              });
              return;
            }
            const printer = createChatPrinter(io);
            try {
              await runGeneration(runtime, request, io, (part) => printer.write(part));
            } finally {
              printer.end();
            }
          },
        );
      }),
    );
}
