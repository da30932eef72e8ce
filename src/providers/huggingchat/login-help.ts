import type { HuggingChatSettings } from './huggingchat-settings.js';

/** What an operator does to give an instance a session, for auth error messages. */
export function loginHelp(
  id: string,
  settings: HuggingChatSettings,
  loginUrl: string,
): string {
  const places = [
    ...(settings.cookieEnv === undefined ? [] : [`$${settings.cookieEnv}`]),
    `providers.${id}.token`,
  ].join(' or ');
  const file =
    settings.cookiesFileEnv === undefined
      ? `providers.${id}.cookiesFile`
      : `providers.${id}.cookiesFile or $${settings.cookiesFileEnv}`;
  return (
    `Log in at ${loginUrl} in a browser, copy the value of its hf-chat cookie into ${places}` +
    ` (or export the site's cookies to a Netscape or JSON file and name it in ${file}).`
  );
}
