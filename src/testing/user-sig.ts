/**
 * Checks TLS v2 user signatures (the format Tencent's `tls-sig-api-v2` issues) with Web Crypto and
 * DecompressionStream, so the same code runs in browsers (in-memory emulator) and in Node 18+ (server).
 */

export interface UserSigCheck {
  sdkAppId: number;
  userId: string;
  userSig: string;
  /** Seconds since the epoch; default now. */
  now?: number;
}

/** Why a signature was refused, in words for the join error. */
export class UserSigError extends Error {
  override name = 'UserSigError';
}

// tls-sig-api-v2's base64 alphabet swaps + / = for * - _.
function unescapeBase64(text: string): string {
  return text.replace(/_/g, '=').replace(/-/g, '/').replace(/\*/g, '+');
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function inflate(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Response(stream).text();
}

/** The HMAC-SHA256 over the same text tls-sig-api-v2 signs, base64-encoded. */
export async function tlsHmac(secretKey: string, fields: { userId: string; sdkAppId: number; time: number; expire: number; userBuf?: string }): Promise<string> {
  let content = `TLS.identifier:${fields.userId}\nTLS.sdkappid:${fields.sdkAppId}\nTLS.time:${fields.time}\nTLS.expire:${fields.expire}\n`;
  if (fields.userBuf !== undefined) content += `TLS.userbuf:${fields.userBuf}\n`;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secretKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return bytesToBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(content))));
}

/** Resolves if `userSig` is a valid, unexpired signature for the app and user; else rejects with UserSigError. */
export async function verifyUserSig(secretKey: string, check: UserSigCheck): Promise<void> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await inflate(base64ToBytes(unescapeBase64(check.userSig))));
  } catch {
    throw new UserSigError('userSig is not a TLS v2 signature (it does not decode).');
  }
  const time = Number(doc['TLS.time']);
  const expire = Number(doc['TLS.expire']);
  if (doc['TLS.ver'] !== '2.0' || !Number.isFinite(time) || !Number.isFinite(expire) || typeof doc['TLS.sig'] !== 'string') {
    throw new UserSigError('userSig is not a TLS v2 signature (fields are missing).');
  }
  if (Number(doc['TLS.sdkappid']) !== check.sdkAppId) {
    throw new UserSigError(`userSig was issued for SDKAppID ${String(doc['TLS.sdkappid'])}, not ${check.sdkAppId}.`);
  }
  if (String(doc['TLS.identifier']) !== check.userId) {
    throw new UserSigError(`userSig was issued for another userId, not "${check.userId}".`);
  }
  const userBuf = typeof doc['TLS.userbuf'] === 'string' ? doc['TLS.userbuf'] : undefined;
  const expected = await tlsHmac(secretKey, { userId: check.userId, sdkAppId: check.sdkAppId, time, expire, ...(userBuf !== undefined ? { userBuf } : {}) });
  if (expected !== doc['TLS.sig']) {
    throw new UserSigError('userSig was not signed with this application\'s secret key.');
  }
  const now = check.now ?? Math.floor(Date.now() / 1000);
  if (time + expire < now) {
    throw new UserSigError(`userSig expired ${now - (time + expire)} s ago.`);
  }
}

async function deflate(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Issues a TLS v2 user signature, byte-compatible with tls-sig-api-v2's `genUserSig`, for local tests
 * and demos only, like Tencent's own GenerateTestUserSig: a real app signs on its server, never in a page.
 */
export async function generateTestUserSig(options: { secretKey: string; sdkAppId: number; userId: string; expireSeconds?: number; now?: number }): Promise<string> {
  const time = options.now ?? Math.floor(Date.now() / 1000);
  const expire = options.expireSeconds ?? 86400;
  const sig = await tlsHmac(options.secretKey, { userId: options.userId, sdkAppId: options.sdkAppId, time, expire });
  const doc = { 'TLS.ver': '2.0', 'TLS.identifier': options.userId, 'TLS.sdkappid': options.sdkAppId, 'TLS.time': time, 'TLS.expire': expire, 'TLS.sig': sig };
  return bytesToBase64(await deflate(JSON.stringify(doc))).replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}
