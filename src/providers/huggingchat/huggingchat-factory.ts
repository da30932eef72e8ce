import type { ProviderFactory } from '../provider-factory.js';
import { HuggingChatProvider } from './huggingchat-provider.js';
import {
  defaultHuggingChatUrl,
  type HuggingChatSettings,
  huggingChatSettingsSchema,
} from './huggingchat-settings.js';

const cookieVariable = 'HUGGINGCHAT_COOKIE';
const cookiesFileVariable = 'HUGGINGCHAT_COOKIES_FILE';

const isSet = (value: string | undefined) => value !== undefined && value.trim() !== '';

export const huggingChatFactory: ProviderFactory<HuggingChatSettings> = {
  type: 'huggingchat',
  label: 'HuggingChat (chat-ui)',
  settings: huggingChatSettingsSchema,
  builtIn: [
    {
      id: 'huggingchat',
      defaults: {
        baseUrl: defaultHuggingChatUrl,
        cookieEnv: cookieVariable,
        cookiesFileEnv: cookiesFileVariable,
      },
      // Without a session every call ends in login-required, so the instance only exists
      // by default when the environment holds one.
      enabledByDefault: (env) =>
        isSet(env[cookieVariable]) || isSet(env[cookiesFileVariable]),
    },
  ],
  environment: [
    `${cookieVariable} (the hf-chat cookie, or a whole Cookie header, for the built-in "huggingchat" instance)`,
    `${cookiesFileVariable} (a Netscape or JSON cookies file, the same instance)`,
    'cookieEnv and cookiesFileEnv name others',
  ],
  create: (id, settings, context) => new HuggingChatProvider(id, settings, context),
};
