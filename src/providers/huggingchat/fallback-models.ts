/**
 * The models HuggingChat served when this list was written (from the original provider),
 * used only while the live list cannot be read; the live list always wins.
 */
export const fallbackTextModels: readonly string[] = [
  'Qwen/Qwen2.5-72B-Instruct',
  'meta-llama/Llama-3.3-70B-Instruct',
  'CohereForAI/c4ai-command-r-plus-08-2024',
  'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
  'Qwen/QwQ-32B',
  'nvidia/Llama-3.1-Nemotron-70B-Instruct-HF',
  'Qwen/Qwen2.5-Coder-32B-Instruct',
  'meta-llama/Llama-3.2-11B-Vision-Instruct',
  'mistralai/Mistral-Nemo-Instruct-2407',
  'microsoft/Phi-3.5-mini-instruct',
  'NousResearch/Hermes-3-Llama-3.1-8B',
];

export const fallbackVisionModels: readonly string[] = [
  'meta-llama/Llama-3.2-11B-Vision-Instruct',
];

/**
 * Short names. They resolve only while their target is listed. `qwen-2.5-72b` points at
 * the 72B model (the original pointed it at the 32B coder model by mistake).
 */
export const huggingChatAliases: Readonly<Record<string, string>> = {
  'qwen-2.5-72b': 'Qwen/Qwen2.5-72B-Instruct',
  'llama-3': 'meta-llama/Llama-3.3-70B-Instruct',
  'llama-3.3-70b': 'meta-llama/Llama-3.3-70B-Instruct',
  'command-r-plus': 'CohereForAI/c4ai-command-r-plus-08-2024',
  'deepseek-r1': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',
  'qwq-32b': 'Qwen/QwQ-32B',
  'nemotron-70b': 'nvidia/Llama-3.1-Nemotron-70B-Instruct-HF',
  'qwen-2.5-coder-32b': 'Qwen/Qwen2.5-Coder-32B-Instruct',
  'llama-3.2-11b': 'meta-llama/Llama-3.2-11B-Vision-Instruct',
  'mistral-nemo': 'mistralai/Mistral-Nemo-Instruct-2407',
  'phi-3.5-mini': 'microsoft/Phi-3.5-mini-instruct',
  'hermes-3': 'NousResearch/Hermes-3-Llama-3.1-8B',
};
