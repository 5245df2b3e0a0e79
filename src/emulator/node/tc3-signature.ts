/**
 * Checks Tencent Cloud API 3.0 request signatures (TC3-HMAC-SHA256, Tencent's "Signature v3"): the canonical
 * request, the credential scope date/service/tc3_request, and the key derived from "TC3" + SecretKey.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A refused API request: a Tencent Cloud error code and a sentence. */
export class CloudApiError extends Error {
  override name = 'CloudApiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Tc3Credentials {
  secretId: string;
  secretKey: string;
}

export interface SignedRequest {
  method: string;
  /** The path, e.g. `/`. */
  path: string;
  /** The query string without `?`. */
  query: string;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** Tencent refuses a request whose X-TC-Timestamp is more than five minutes from its clock. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The UTC date (YYYY-MM-DD) of a Unix timestamp, as in the credential scope. */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** The TC3-HMAC-SHA256 signature (hex) of a canonical request. */
export function tc3Signature(
  secretKey: string,
  fields: { timestamp: number; service: string; canonicalRequest: string },
): string {
  const date = utcDate(fields.timestamp);
  const stringToSign = `TC3-HMAC-SHA256\n${fields.timestamp}\n${date}/${fields.service}/tc3_request\n${sha256Hex(fields.canonicalRequest)}`;
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), fields.service), 'tc3_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

/**
 * The service names a signature may carry in its credential scope: `trtc`, as for Tencent's own
 * endpoint, and the one Tencent's SDKs derive from the endpoint they were pointed at (its text up to the
 * first dot: `127` for `127.0.0.1:8090`), so an SDK works against the emulator with only its endpoint changed.
 */
function acceptedServices(host: string): string[] {
  return ['trtc', host.split('.')[0]!];
}

/**
 * Resolves if the request carries a valid TC3-HMAC-SHA256 signature by `credentials`, made within five
 * minutes of `nowSeconds`; else throws a CloudApiError with Tencent's code for the failure.
 */
export function verifyTc3Signature(request: SignedRequest, credentials: Tc3Credentials, nowSeconds: number): void {
  const authorization = header(request, 'authorization');
  if (!authorization) {
    throw new CloudApiError(
      'AuthFailure.InvalidAuthorization',
      'The request has no Authorization header: sign it with TC3-HMAC-SHA256 and the SecretId/SecretKey the emulator printed.',
    );
  }
  const parsed = AUTHORIZATION.exec(authorization.trim());
  if (!parsed) {
    throw new CloudApiError(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header is not "TC3-HMAC-SHA256 Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders=<headers>, Signature=<hex>".',
    );
  }
  const [, secretId, date, service, signedHeaderList, signature] = parsed as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  const timestampText = header(request, 'x-tc-timestamp');
  if (timestampText === undefined || timestampText === '')
    throw new CloudApiError('MissingParameter', 'The request has no X-TC-Timestamp header.');
  if (!/^\d+$/.test(timestampText.trim()))
    throw new CloudApiError(
      'InvalidParameter',
      `X-TC-Timestamp ${JSON.stringify(timestampText)} is not a Unix time in seconds.`,
    );
  const timestamp = Number(timestampText);
  const skew = Math.abs(nowSeconds - timestamp);
  if (skew > MAX_CLOCK_SKEW_SECONDS) {
    throw new CloudApiError(
      'AuthFailure.SignatureExpire',
      `The signature expired: X-TC-Timestamp ${timestamp} is ${skew} s from the server's clock (at most ${MAX_CLOCK_SKEW_SECONDS} s).`,
    );
  }
  if (secretId !== credentials.secretId) {
    throw new CloudApiError(
      'AuthFailure.SecretIdNotFound',
      `SecretId ${secretId} does not exist: use the SecretId the emulator printed at start.`,
    );
  }
  if (date !== utcDate(timestamp)) {
    throw new CloudApiError(
      'AuthFailure.SignatureFailure',
      `The credential scope's date ${date} is not the UTC date of X-TC-Timestamp (${utcDate(timestamp)}).`,
    );
  }
  const host = header(request, 'host') ?? '';
  if (!acceptedServices(host).includes(service)) {
    throw new CloudApiError(
      'AuthFailure.SignatureFailure',
      `The credential scope names service "${service}"; this endpoint is "trtc".`,
    );
  }
  const signedHeaders = signedHeaderList.split(';');
  if (
    !signedHeaders.includes('content-type') ||
    !signedHeaders.includes('host') ||
    signedHeaders.join(';') !== [...signedHeaders].sort().join(';')
  ) {
    throw new CloudApiError(
      'AuthFailure.InvalidAuthorization',
      'SignedHeaders must list content-type and host (and any other signed headers) in lower case, sorted.',
    );
  }

  // Tencent's Node SDK signs the host name without the port it sends in Host; its other SDKs sign the Host
  // header as sent. Tencent's own endpoints have no port, so both are the same there; here, accept either.
  const hostForms = [...new Set([host, host.replace(/:\d+$/, '')])];
  const expected = hostForms.map((signedHost) => {
    const canonicalHeaders = signedHeaders
      .map((name) => `${name}:${(name === 'host' ? signedHost : (header(request, name) ?? '')).trim().toLowerCase()}\n`)
      .join('');
    const canonicalRequest = [
      request.method.toUpperCase(),
      request.path,
      request.query,
      canonicalHeaders,
      signedHeaderList,
      sha256Hex(request.body),
    ].join('\n');
    return tc3Signature(credentials.secretKey, { timestamp, service, canonicalRequest });
  });
  const given = Buffer.from(signature, 'hex');
  if (!expected.some((candidate) => timingSafeEqual(Buffer.from(candidate, 'hex'), given))) {
    throw new CloudApiError(
      'AuthFailure.SignatureFailure',
      "The signature does not match: the request was not signed with the emulator's SecretKey, or it was changed after signing.",
    );
  }
}
