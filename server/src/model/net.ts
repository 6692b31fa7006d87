// IPv4/IPv6 parsing, CIDR membership and name validation rules from the Kubernetes API.

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  const groups = s.split(':').filter((g) => g !== '');
  if (groups.some((g) => g.length > 4 && !g.includes('.'))) return false;
  return dbl.length === 2 ? groups.length <= 7 : groups.length === 8;
}

export interface Cidr {
  base: number;
  bits: number;
  size: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const ip = parseIPv4(m[1]);
  const bits = Number(m[2]);
  if (ip === undefined || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, bits, size: 2 ** (32 - bits) };
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

/** Why an address may not be an endpoint, or undefined when it may. */
export function endpointAddressProblem(ip: string): string | undefined {
  const v4 = parseIPv4(ip);
  if (v4 === undefined) {
    if (!isIPv6(ip)) return `\`${ip}\` is not an IP address`;
    const l = ip.toLowerCase();
    if (l === '::1') return `\`${ip}\` is the loopback address`;
    if (/^fe[89ab]/.test(l)) return `\`${ip}\` is link-local (fe80::/10)`;
    if (l.startsWith('ff02:')) return `\`${ip}\` is link-local multicast (ff02::/16)`;
    return undefined;
  }
  if (v4 >>> 24 === 127) return `\`${ip}\` is a loopback address (127.0.0.0/8)`;
  if (v4 >>> 16 === ((169 << 8) | 254)) return `\`${ip}\` is link-local (169.254.0.0/16)`;
  if (v4 >>> 8 === ((224 << 16) >>> 0)) return `\`${ip}\` is link-local multicast (224.0.0.0/24)`;
  if (v4 === 0) return `\`${ip}\` is the unspecified address`;
  return undefined;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function rfc1123LabelProblem(s: string): string | undefined {
  if (s.length > 63) return `is ${s.length} characters long; at most 63 are allowed`;
  if (!DNS1123_LABEL.test(s)) return 'must consist of lowercase letters, digits and `-`, and start and end with a letter or digit';
  return undefined;
}

export function rfc1035LabelProblem(s: string): string | undefined {
  if (s.length > 63) return `is ${s.length} characters long; at most 63 are allowed`;
  if (!DNS1035_LABEL.test(s)) return 'must consist of lowercase letters, digits and `-`, start with a letter and end with a letter or digit';
  return undefined;
}

export function rfc1123SubdomainProblem(s: string): string | undefined {
  if (s.length > 253) return `is ${s.length} characters long; at most 253 are allowed`;
  if (!s.split('.').every((l) => DNS1123_LABEL.test(l))) {
    return 'must consist of lowercase letters, digits, `-` and `.`, and start and end with a letter or digit';
  }
  return undefined;
}

/** IANA_SVC_NAME: the rule for container port names and named targetPorts. */
export function ianaSvcNameProblem(s: string): string | undefined {
  if (s.length > 15) return `is ${s.length} characters long; at most 15 are allowed`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s) || s.includes('--')) {
    return 'must consist of lowercase letters, digits and single `-`, and start and end with a letter or digit';
  }
  if (!/[a-z]/.test(s)) return 'must contain at least one letter';
  return undefined;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export function labelValueProblem(v: string): string | undefined {
  if (v.length > 63) return `is ${v.length} characters long; at most 63 are allowed`;
  if (!LABEL_VALUE.test(v)) return 'must be empty or consist of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit';
  return undefined;
}

export function labelKeyProblem(k: string): string | undefined {
  const slash = k.lastIndexOf('/');
  const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
  const name = slash >= 0 ? k.slice(slash + 1) : k;
  if (prefix !== undefined && (prefix === '' || rfc1123SubdomainProblem(prefix))) return 'has an invalid prefix (must be a DNS subdomain)';
  if (name.length > 63) return `has a name part of ${name.length} characters; at most 63 are allowed`;
  if (!LABEL_NAME.test(name)) return 'must consist of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit (an optional DNS-subdomain prefix and `/` may come first)';
  return undefined;
}

/** A DNS name usable as an ExternalName (RFC 1123 subdomain, a trailing dot allowed). */
export function externalNameProblem(s: string): string | undefined {
  if (parseIPv4(s) !== undefined || isIPv6(s)) {
    return `\`${s}\` is an IP address; cluster DNS would return it as a CNAME target, which clients cannot follow. Use a selectorless Service with Endpoints for an IP`;
  }
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  const p = rfc1123SubdomainProblem(name.toLowerCase());
  return p ? `\`${s}\` is not a valid DNS name: it ${p}` : undefined;
}

/** FNV-1a: a small stable hash for deterministic simulated values. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function parsePortRange(s: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(s.trim());
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a >= 1 && b <= 65535 && a <= b) return [a, b];
  }
  return [30000, 32767];
}
