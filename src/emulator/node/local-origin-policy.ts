/**
 * Who may talk to a local server (the emulator, the demo). Every web page a developer opens can send requests
 * to 127.0.0.1, so:
 * - every request must name one of the server's own hosts in `Host` (a foreign name is DNS rebinding);
 * - a WebSocket upgrade or a state-changing request from a page must come from the server's own origin, or
 *   from one allowed by option. Requests without an Origin header are not from a page (Node clients, curl,
 *   Tencent's SDKs) and pass.
 */
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

export interface LocalOriginPolicyOptions {
  /** The address the server listens on. */
  host: string;
  port: number;
  /** More host names (or addresses) requests may name, besides localhost, 127.0.0.1, [::1] and `host`. */
  allowedHosts?: readonly string[];
  /** Other origins whose pages may open WebSockets and send state-changing requests, e.g. `http://localhost:5173`. */
  allowedOrigins?: readonly string[];
}

/** Why a request was refused: a code, and a sentence saying what to do. */
export interface Refusal {
  code: 'ForeignHost' | 'ForeignOrigin';
  message: string;
}

export interface LocalOriginPolicy {
  /** Every `host:port` a request may name. */
  readonly hosts: readonly string[];
  /** The origins allowed besides the server's own. */
  readonly allowedOrigins: readonly string[];
  /** Refuses a request whose Host header is not one of `hosts`. */
  checkHost(request: IncomingMessage): Refusal | undefined;
  /** Refuses a request whose Origin header is neither the server's own nor allowed; no Origin header passes. */
  checkOrigin(request: IncomingMessage): Refusal | undefined;
  /** The value for Access-Control-Allow-Origin: the request's Origin if it is an allowed other origin, else none. */
  corsOrigin(request: IncomingMessage): string | undefined;
}

const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]', '']);

/** The name as it appears in a URL's host: IPv6 addresses in brackets, lower case. */
function hostInUrl(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/** True for an address (or name) that only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const bare = address
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/^::ffff:/, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Whether `host` is a wildcard address (every interface). */
export function isWildcardAddress(host: string): boolean {
  return WILDCARD_ADDRESSES.has(host);
}

/** `origin` as the browser sends it (`http://localhost:5173`); throws a TypeError saying what is wrong with it. */
export function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new TypeError(
      `${JSON.stringify(origin)} is not an origin; write it as the browser shows it, e.g. http://localhost:5173.`,
    );
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username
  ) {
    throw new TypeError(
      `${JSON.stringify(origin)} is not an origin: give the scheme, host and port only, e.g. http://localhost:5173.`,
    );
  }
  return url.origin;
}

/** The origin in an Origin header, if it is an http(s) origin at all. */
function originOf(header: string): string | undefined {
  try {
    return normalizeOrigin(header);
  } catch {
    return undefined;
  }
}

export function createLocalOriginPolicy(options: LocalOriginPolicyOptions): LocalOriginPolicy {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', hostInUrl(options.host)]);
  // Listening on every interface: pages are reached by this machine's addresses and name.
  if (isWildcardAddress(options.host)) {
    for (const addresses of Object.values(networkInterfaces()))
      for (const entry of addresses ?? []) names.add(hostInUrl(entry.address));
    names.add(hostname().toLowerCase());
  }
  for (const name of options.allowedHosts ?? []) names.add(hostInUrl(name));
  const hosts = [...names].map((name) => `${name}:${options.port}`);
  // Browsers leave the default port out of Host and Origin.
  if (options.port === 80) hosts.push(...names);
  const hostSet = new Set(hosts);
  const allowedOrigins = [...new Set((options.allowedOrigins ?? []).map(normalizeOrigin))];
  const allowedOriginSet = new Set(allowedOrigins);

  // "null" (sandboxed and opaque pages) and anything unparsable are not this server's.
  const ownOrigin = (origin: string) =>
    originOf(origin) === origin && origin.startsWith('http://') && hostSet.has(new URL(origin).host);

  return {
    hosts,
    allowedOrigins,
    checkHost(request) {
      const host = request.headers.host?.toLowerCase();
      if (host !== undefined && hostSet.has(host)) return undefined;
      return {
        code: 'ForeignHost',
        message:
          host === undefined
            ? `The request names no Host; this server answers ${hosts.join(', ')}.`
            : `Host ${JSON.stringify(host)} is not this server's (it answers ${hosts.join(', ')}); to reach it by that name, add it with --allow-host (allowedHosts).`,
      };
    },
    checkOrigin(request) {
      const origin = request.headers.origin;
      if (origin === undefined || allowedOriginSet.has(origin) || ownOrigin(origin)) return undefined;
      const allowable = originOf(origin);
      return {
        code: 'ForeignOrigin',
        message: allowable
          ? `A page from ${allowable} may not use this server; if that page is yours, allow it with --allow-origin ${allowable} (allowedOrigins).`
          : `A page with the origin ${JSON.stringify(origin)} may not use this server; sandboxed and opaque pages cannot be allowed.`,
      };
    },
    corsOrigin(request) {
      const origin = request.headers.origin;
      return origin !== undefined && allowedOriginSet.has(origin) ? origin : undefined;
    },
  };
}

/**
 * The warning to print when a server listens beyond loopback, or undefined on loopback. `reachable` says what
 * other machines can then do, one line each.
 */
export function exposureWarning(
  server: string,
  host: string,
  port: number,
  reachable: readonly string[],
): string | undefined {
  if (isLoopbackAddress(host)) return undefined;
  const where = isWildcardAddress(host) ? `${host || 'every address'} (every network interface)` : host;
  return [
    `WARNING: ${server} listens on ${where}, port ${port}: not only this machine. Anyone who can reach it on the network can:`,
    ...reachable.map((line) => `  - ${line}`),
    `Listen on 127.0.0.1 (the default) unless other machines must join.`,
  ].join('\n');
}
