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

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
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

/**
 * A real TLS v2 userSig is 200 to 400 characters, and under 2 KB with a userbuf: a longer one is refused
 * unread, before any work, so a join cannot make the verifier inflate a deflate bomb.
 */
export const MAX_USER_SIG_LENGTH = 4096;
/** More than any real signature document inflates to (a few hundred bytes): inflation stops here. */
export const MAX_INFLATED_BYTES = 16 * 1024;
/** Compressed bytes fed to the inflater at a time, so it never makes much more than it is asked for. */
const INFLATE_SLICE_BYTES = 256;

/** Inflates `bytes`, or throws a UserSigError as soon as the output passes `limit` bytes. */
async function inflate(bytes: Uint8Array<ArrayBuffer>, limit: number): Promise<string> {
  const inflater = new DecompressionStream('deflate');
  const writer = inflater.writable.getWriter();
  const reader = inflater.readable.getReader();
  // Fed slice by slice: the inflater waits for the reader between slices (backpressure), so the output in
  // memory stays within the limit and one slice's worth.
  // Settles with the feeder's error (or undefined), handled from the start so a failure is never unhandled.
  const feedFailure = (async () => {
    for (let at = 0; at < bytes.length; at += INFLATE_SLICE_BYTES)
      await writer.write(bytes.subarray(at, at + INFLATE_SLICE_BYTES));
    await writer.close();
  })().then(
    () => undefined,
    (error: unknown) => error ?? new Error('The inflater refused the userSig.'),
  );
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > limit)
        throw new UserSigError(`userSig is not a TLS v2 signature (it inflates to more than ${limit} bytes).`);
      chunks.push(read.value);
    }
    const failure = await feedFailure;
    if (failure !== undefined) throw failure;
  } catch (error) {
    await reader.cancel().catch(() => undefined); // already errored or done: nothing left to release
    // The feeder then fails too, with the same cause or the cancellation: `error` is the one to report.
    await feedFailure;
    throw error;
  }
  const whole = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(whole);
}

/** The HMAC-SHA256 over the same text tls-sig-api-v2 signs, base64-encoded. */
export async function tlsHmac(
  secretKey: string,
  fields: { userId: string; sdkAppId: number; time: number; expire: number; userBuf?: string },
): Promise<string> {
  let content = `TLS.identifier:${fields.userId}\nTLS.sdkappid:${fields.sdkAppId}\nTLS.time:${fields.time}\nTLS.expire:${fields.expire}\n`;
  if (fields.userBuf !== undefined) content += `TLS.userbuf:${fields.userBuf}\n`;
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secretKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return bytesToBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(content))));
}

/** Resolves if `userSig` is a valid, unexpired signature for the app and user; else rejects with UserSigError. */
export async function verifyUserSig(secretKey: string, check: UserSigCheck): Promise<void> {
  if (check.userSig.length > MAX_USER_SIG_LENGTH) {
    throw new UserSigError(
      `userSig is ${check.userSig.length} characters, longer than any TLS v2 signature (at most ${MAX_USER_SIG_LENGTH}); issue a new one with tls-sig-api-v2.`,
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await inflate(base64ToBytes(unescapeBase64(check.userSig)), MAX_INFLATED_BYTES));
  } catch (error) {
    if (error instanceof UserSigError) throw error;
    throw new UserSigError('userSig is not a TLS v2 signature (it does not decode).');
  }
  const time = Number(doc['TLS.time']);
  const expire = Number(doc['TLS.expire']);
  if (
    doc['TLS.ver'] !== '2.0' ||
    !Number.isFinite(time) ||
    !Number.isFinite(expire) ||
    typeof doc['TLS.sig'] !== 'string'
  ) {
    throw new UserSigError('userSig is not a TLS v2 signature (fields are missing).');
  }
  if (Number(doc['TLS.sdkappid']) !== check.sdkAppId) {
    throw new UserSigError(`userSig was issued for SDKAppID ${String(doc['TLS.sdkappid'])}, not ${check.sdkAppId}.`);
  }
  if (String(doc['TLS.identifier']) !== check.userId) {
    throw new UserSigError(`userSig was issued for another userId, not "${check.userId}".`);
  }
  const userBuf = typeof doc['TLS.userbuf'] === 'string' ? doc['TLS.userbuf'] : undefined;
  const expected = await tlsHmac(secretKey, {
    userId: check.userId,
    sdkAppId: check.sdkAppId,
    time,
    expire,
    ...(userBuf !== undefined ? { userBuf } : {}),
  });
  if (expected !== doc['TLS.sig']) {
    throw new UserSigError("userSig was not signed with this application's secret key.");
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

/** What `generateTestUserSig` signs. */
export interface TestUserSigOptions {
  /** The application's secret key (the console's "SDK secret key"). */
  secretKey: string;
  sdkAppId: number;
  userId: string;
  /** How long the signature is valid; default 86400 s (one day). */
  expireSeconds?: number;
  /** Seconds since the epoch the signature is issued at; default now. */
  now?: number;
}

/**
 * Issues a TLS v2 user signature, byte-compatible with tls-sig-api-v2's `genUserSig`, for local tests
 * and demos only, like Tencent's own GenerateTestUserSig: a real app signs on its server, never in a page.
 */
export async function generateTestUserSig(options: TestUserSigOptions): Promise<string> {
  const time = options.now ?? Math.floor(Date.now() / 1000);
  const expire = options.expireSeconds ?? 86400;
  const sig = await tlsHmac(options.secretKey, { userId: options.userId, sdkAppId: options.sdkAppId, time, expire });
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': options.userId,
    'TLS.sdkappid': options.sdkAppId,
    'TLS.time': time,
    'TLS.expire': expire,
    'TLS.sig': sig,
  };
  return bytesToBase64(await deflate(JSON.stringify(doc)))
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_');
}
