/**
 * A JWT-shaped token for `space`, expiring at `expiresAt`. Unsigned: the double checks
 * the tokens it issued by identity.
 */
export function makeJwt(expiresAt: number, space: string): string {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { sub: space, exp: Math.floor(expiresAt / 1000), nonce: Math.random() };
  return `${part({ alg: 'EdDSA', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
