import "server-only";
import { BlockList, isIP } from "node:net";

// Which addresses the image proxy may connect to. A message's image URL is chosen by its sender,
// so without this the proxy would fetch from the server's own network on the sender's behalf
// (SSRF): the loopback admin port, the cloud metadata service, the office printer. The check runs
// on the addresses DNS actually returned, at connect time (fetch-remote-image.ts), so a name that
// resolves to a private address — or changes its answer between two lookups — is refused too.

const refused = new BlockList();
// IPv4: RFC 6890's special-purpose registry, everything not globally reachable.
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private (RFC 1918)
  ["100.64.0.0", 10], // carrier-grade NAT (RFC 6598)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, and cloud metadata at 169.254.169.254
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  refused.addSubnet(net, prefix, "ipv4");
}
// IPv6 (RFC 6890, RFC 4291).
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["::", 96], // IPv4-compatible (deprecated)
  ["64:ff9b::", 96], // NAT64 (RFC 6052): could reach any IPv4 address, private ones included
  ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215)
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHID, benchmarking, …)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds an IPv4 address
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  refused.addSubnet(net, prefix, "ipv6");
}

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** True when `address` (an IP literal) is globally reachable: not private, loopback, link-local, multicast or reserved. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 0) return false;
  if (family === 4) return !refused.check(bare, "ipv4");
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches the IPv4 address it carries.
  const mapped = MAPPED_V4.exec(bare);
  if (mapped) return isPublicAddress(mapped[1]!);
  if (/^::ffff:/i.test(bare)) {
    // The hexadecimal form of a mapped address (::ffff:7f00:1): judge by the IPv4 address it carries.
    const groups = bare.split(":").slice(-2).map((g) => parseInt(g || "0", 16));
    const v4 = [groups[0]! >> 8, groups[0]! & 255, groups[1]! >> 8, groups[1]! & 255].join(".");
    return isPublicAddress(v4);
  }
  return !refused.check(bare, "ipv6");
}

/**
 * Hosts the proxy may fetch from whatever they resolve to: a test-only list (LETTERBOX_PROXY_ALLOW_HOSTS,
 * honoured only with MAIL_TEST_MODE=1, see lib/env.ts), so a test can serve images from loopback.
 * Entries are `host` (any port) or `host:port`, compared without case.
 */
export function isAllowlistedHost(url: URL, allowHosts: readonly string[]): boolean {
  if (allowHosts.length === 0) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return allowHosts.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e === host || e === `${host}:${port}`;
  });
}
