// Network addresses written in configuration strings (env values, args, commands, ConfigMap
// data): `host`, `host:port`, and the hosts of URLs and connection strings
// (`scheme://user:pass@host:port/…`, `jdbc:mysql://…`, `mongodb://a:1,b:2/db`). Pure text:
// whether a host names a Service is decided later, against the unit's Services, so this finds
// candidates generously and says how strongly each looks like an address.

/** How the text marks the string as an address: a URL's authority, `host:port`, a key that
 *  names an address (`DB_HOST=`, `--server=`), or a bare word (weakest). */
export type AddressEvidence = 'url' | 'host-port' | 'keyed' | 'bare';

export interface Address {
  /** As written (lowercased): `carts-db`, `zipkin.jaeger.svc.cluster.local`. */
  host: string;
  /** From the string, else the scheme's default, else null. */
  port: number | null;
  /** The URL scheme (`mongodb`, `jdbc:mysql`), if any. */
  scheme: string | null;
  evidence: AddressEvidence;
  /** Where `host[:port]` is in the scanned string (offsets, end exclusive). */
  start: number;
  end: number;
}

/** Default ports of the schemes connection strings use (IANA registrations and each
 *  product's documented default). */
const SCHEME_PORTS: Record<string, number> = {
  http: 80, https: 443, ws: 80, wss: 443, grpc: 80, grpcs: 443, ftp: 21, ldap: 389, ldaps: 636,
  mongodb: 27017, redis: 6379, rediss: 6379, amqp: 5672, amqps: 5671, postgres: 5432, postgresql: 5432,
  mysql: 3306, mariadb: 3306, sqlserver: 1433, nats: 4222, mqtt: 1883, mqtts: 8883, memcached: 11211,
  cassandra: 9042, zookeeper: 2181, etcd: 2379,
};

/** Keys whose value is an address: env names and option names that say host, server, URL…
 *  (not `…_NAME`: a Service's name is often set for other strings to use, or for nothing). */
const ADDRESS_KEY = /(host|hosts|addr|address|url|uri|endpoint|server|servers|broker|brokers|dsn|upstream|backend|target|collector|connection)s?$/i;

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST = `${LABEL}(?:\\.${LABEL})*`;
const HOST_PORT = new RegExp(`^(${HOST})(?::(\\d{1,5}))?$`, 'i');
const URL_START = /(?:jdbc:)?[a-z][a-z0-9+.-]*:\/\//gi;

/** Kubernetes expands `$(VAR)` in env values, args and commands from the container's env. */
export function expandVariables(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string) => env.get(name) ?? whole);
}

function schemePort(scheme: string | null): number | null {
  if (!scheme) return null;
  const s = scheme.toLowerCase();
  return SCHEME_PORTS[s] ?? SCHEME_PORTS[s.replace(/^jdbc:/, '')] ?? SCHEME_PORTS[s.split('+')[0]] ?? null;
}

const isIp = (host: string) => /^\d+(\.\d+){3}$/.test(host);

function port(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/** Addresses in `text`; `key` is the env name or option the text is the value of. */
export function addressesIn(text: string, key?: string): Address[] {
  const out: Address[] = [];
  const taken: [number, number][] = [];
  // URLs and connection strings: the authority after `scheme://`, up to the path.
  for (const m of text.matchAll(URL_START)) {
    const scheme = m[0].slice(0, -3).toLowerCase();
    const from = m.index! + m[0].length;
    let to = from;
    while (to < text.length && !/[\s/?#"'<>\\]/.test(text[to])) to++;
    // The path and query are part of the URL, not words of their own.
    let urlEnd = to;
    while (urlEnd < text.length && !/[\s"'<>]/.test(text[urlEnd])) urlEnd++;
    taken.push([m.index!, urlEnd]);
    const authority = text.slice(from, to);
    const at = authority.lastIndexOf('@');
    let offset = from + (at >= 0 ? at + 1 : 0);
    for (const part of authority.slice(at + 1).split(',')) {
      const hp = HOST_PORT.exec(part);
      if (hp && !isIp(hp[1])) {
        out.push({ host: hp[1].toLowerCase(), port: hp[2] !== undefined ? port(hp[2]) : schemePort(scheme), scheme, evidence: 'url', start: offset, end: offset + part.length });
      }
      offset += part.length + 1;
    }
  }
  // Words outside URLs: `host:port`, or a host after `key=` / as a keyed value.
  const keyed = key !== undefined && ADDRESS_KEY.test(key);
  for (const m of text.matchAll(/[^\s,;"'=()[\]{}]+/g)) {
    const start = m.index!;
    const end = start + m[0].length;
    if (taken.some(([a, b]) => start < b && end > a)) continue;
    const word = m[0].replace(/[.:]+$/, '');
    const hp = HOST_PORT.exec(word);
    if (!hp || isIp(hp[1]) || /^\d+$/.test(hp[1])) continue;
    // The option this word is the value of: `--db-host=carts-db`, `-Dspring.redis.host=redis`.
    const before = text.slice(0, start);
    const option = /([A-Za-z][\w.-]*)\s*=\s*$/.exec(before)?.[1];
    const evidence: AddressEvidence = hp[2] !== undefined ? 'host-port'
      : (option ? ADDRESS_KEY.test(option) : keyed) ? 'keyed' : 'bare';
    out.push({ host: hp[1].toLowerCase(), port: port(hp[2]), scheme: null, evidence, start, end: start + word.length });
  }
  return out.sort((a, b) => a.start - b.start);
}
