import type { OutboundUrlRefusal } from './outbound-url-refusal.js';

/**
 * Why a URL is refused, as a phrase about `subject` (`the image URL`, `the webhook URL`):
 * `the image URL must use https, not http`.
 */
export function describeRefusal(refusal: OutboundUrlRefusal, subject: string): string {
  return refusal.reason === 'scheme'
    ? `${subject} must use ${refusal.allowed}, not ${refusal.scheme}`
    : `${subject} points to ${refusal.hostname}, which is not a public address`;
}
