// CHORUS_TRUST_PROXY: whose X-Forwarded-For header to believe when working out a client's address (sign-in and
// guest limits count per address). Anyone can send that header, so by default nobody's is believed and the client
// is the socket's peer. `true` believes the one proxy in front of Chorus, a number that many proxies in a row; a
// list of addresses and CIDR ranges believes only proxies connecting from them.
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

export type TrustProxy =
  /** So many proxies stand in front of Chorus: the client is the address that many hops back. */
  | { hops: number }
  /** Only these proxies: the client is the nearest address, walking back from the peer, that is none of them. */
  | { proxies: BlockList; entries: string[] };

const MAX_HOPS = 10;

/** An IPv4 address inside IPv6 (::ffff:1.2.3.4), as Node reports IPv4 peers on a dual-stack socket, as IPv4. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function addressFamily(address: string): 'ipv4' | 'ipv6' | null {
  const family = isIP(address);
  return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : null;
}

/** Whether `address` (a valid IP) is one of the trusted proxies. */
export function isTrustedProxy(proxies: BlockList, address: string): boolean {
  const plain = plainAddress(address);
  const family = addressFamily(plain);
  return family !== null && proxies.check(plain, family);
}

/** An address, or a CIDR range (address/prefix bits), as BlockList takes it; null when it is neither. */
function parseProxy(entry: string): { address: string; family: 'ipv4' | 'ipv6'; bits?: number } | null {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
  const address = plainAddress(match?.[1] ?? '');
  const family = addressFamily(address);
  if (!match || !family) return null;
  const bits = match[2] === undefined ? undefined : Number(match[2]);
  if (bits !== undefined && bits > (family === 'ipv4' ? 32 : 128)) return null;
  return { address, family, bits };
}

function proxyList(value: string, context: z.RefinementCtx): TrustProxy | typeof z.NEVER {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const proxies = new BlockList();
  for (const entry of entries) {
    const proxy = parseProxy(entry);
    if (!proxy) {
      context.addIssue({
        code: 'custom',
        message: `"${entry}" is not an IP address or CIDR range; use true, a number of proxy hops, or a comma-separated list such as 10.0.0.1,192.168.0.0/16`,
      });
      return z.NEVER;
    }
    if (proxy.bits === undefined) proxies.addAddress(proxy.address, proxy.family);
    else proxies.addSubnet(proxy.address, proxy.bits, proxy.family);
  }
  if (entries.length === 0) {
    context.addIssue({ code: 'custom', message: 'names no proxy' });
    return z.NEVER;
  }
  return { proxies, entries };
}

/** The variable's value: unset or `false` believes no forwarded header (undefined). */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((value, context): TrustProxy | undefined => {
    const lower = value.toLowerCase();
    if (lower === 'false' || lower === '0') return undefined;
    if (lower === 'true') return { hops: 1 };
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops > MAX_HOPS) {
        context.addIssue({ code: 'custom', message: `at most ${MAX_HOPS} proxy hops` });
        return z.NEVER;
      }
      return { hops };
    }
    return proxyList(value, context);
  });
