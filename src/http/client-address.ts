// The address a request comes from, worked out by Chorus itself for the limits that count per address (sign-ins,
// sign-ups, guests): the socket's peer, or — only when CHORUS_TRUST_PROXY says whose word to take — the address
// the trusted proxies recorded in X-Forwarded-For. better-auth is handed the result in a header of our own, which
// a client cannot set: anything a client sends under that name is replaced.
import { isIP } from 'node:net';
import { isTrustedProxy, plainAddress, type TrustProxy } from '../config/trust-proxy.ts';

const isAddress = (value: string | undefined): value is string => value !== undefined && isIP(value) !== 0;

/**
 * The client's address: `peer` (the socket's remote address) unless `trust` names proxies, in which case the
 * X-Forwarded-For chain is walked back from the peer over trusted hops. A forwarded entry that is no address stops
 * the walk at the hop that reported it. Undefined when even the peer is unknown (a closed socket).
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | null | undefined,
  trust: TrustProxy | undefined,
): string | undefined {
  if (!isAddress(peer)) return undefined;
  if (!trust || !forwardedFor) return plainAddress(peer);
  // The nearest hop last: each proxy appends the address it was reached from.
  const chain = [...forwardedFor.split(',').map((entry) => entry.trim()), peer];
  if ('hops' in trust) {
    let index = chain.length - 1;
    for (let hop = 0; hop < trust.hops && index > 0 && isAddress(chain[index - 1]); hop++) index--;
    return plainAddress(chain[index]!);
  }
  let index = chain.length - 1;
  while (index > 0 && isTrustedProxy(trust.proxies, chain[index]!) && isAddress(chain[index - 1])) index--;
  return plainAddress(chain[index]!);
}
