import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../core/errors.js';
import { publicAddressLookup } from './public-address-lookup.js';

function resolve(hostname: string, all: boolean): Promise<unknown> {
  return new Promise((done) => {
    publicAddressLookup(hostname, { all }, (error, address, family) => {
      done(error ?? { address, family });
    });
  });
}

describe('publicAddressLookup', () => {
  it('refuses a name that resolves to a loopback address, in both callback forms', async () => {
    for (const all of [true, false]) {
      const error = await resolve('localhost', all);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(
        /^localhost resolves to (127\.0\.0\.1|::1)/,
      );
    }
  });

  it('answers a public IP literal in the form asked for', async () => {
    expect(await resolve('8.8.8.8', false)).toEqual({ address: '8.8.8.8', family: 4 });
    const { address } = (await resolve('8.8.8.8', true)) as { address: LookupAddress[] };
    expect(address).toEqual([{ address: '8.8.8.8', family: 4 }]);
  });
});
