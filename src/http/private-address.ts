import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges that are not on the public internet (IANA special-purpose registry):
 * unspecified, private, CGNAT, loopback, link-local, protocol assignments, documentation,
 * benchmarking, multicast and reserved.
 */
const ipv4Ranges: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

/** IPv6 ranges that are not on the public internet. */
const ipv6Ranges: [string, number][] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 23], // protocol assignments, Teredo
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

/** An IPv4 address as the two trailing hex groups of an IPv6 address. */
function ipv4AsHexGroups(address: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function buildBlockList(): BlockList {
  const blockList = new BlockList();
  for (const [address, prefix] of ipv4Ranges) {
    blockList.addSubnet(address, prefix, 'ipv4');
    // NAT64 and 6to4 embed an IPv4 address, so they reach whatever that address reaches.
    blockList.addSubnet(`64:ff9b::${ipv4AsHexGroups(address)}`, 96 + prefix, 'ipv6');
    const [high, low] = ipv4AsHexGroups(address).split(':');
    blockList.addSubnet(`2002:${high}:${low}::`, 16 + prefix, 'ipv6');
  }
  for (const [address, prefix] of ipv6Ranges)
    blockList.addSubnet(address, prefix, 'ipv6');
  return blockList;
}

const blockList = buildBlockList();

/**
 * Whether an IP address is not a public internet address: private, loopback, link-local,
 * unique-local, CGNAT, unspecified, multicast or reserved, in IPv4 or IPv6 (IPv4-mapped,
 * NAT64 and 6to4 addresses are judged by the IPv4 address they carry). Anything that is
 * not an IP address counts as private, so a caller that forgets to resolve a name fails
 * closed.
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 0) return true;
  return blockList.check(bare, version === 4 ? 'ipv4' : 'ipv6');
}
