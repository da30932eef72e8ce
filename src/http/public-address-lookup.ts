import { type LookupAddress, lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { InvalidRequestError } from '../core/errors.js';
import { isPrivateAddress } from './private-address.js';

/**
 * A socket `lookup` that refuses a host when any of its addresses is private (see
 * isPrivateAddress). It runs when the socket connects, on the addresses the socket then
 * uses, so a name that resolved to a public address a moment earlier cannot switch to a
 * private one (DNS rebinding). IP literals never reach a lookup: check those separately.
 */
export const publicAddressLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '');
      return;
    }
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused) {
      const reason = `${hostname} resolves to ${refused.address}, which is not a public address`;
      callback(new InvalidRequestError(reason), '');
      return;
    }
    const [first] = addresses;
    if (options.all) callback(null, addresses);
    else if (first) callback(null, first.address, first.family);
    else callback(new InvalidRequestError(`${hostname} has no address`), '');
  });
};
