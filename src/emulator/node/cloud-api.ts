/**
 * Tencent Cloud API 3.0 for TRTC's room actions (`RemoveUser`, `RemoveUserByStrRoomId`, `DismissRoom`,
 * `DismissRoomByStrRoomId`, version 2019-07-22) over a RoomService: a signed request in, the JSON
 * `{ Response: … }` body out. A refused request changes nothing. As Tencent documents these actions: the
 * region (X-TC-Region) is one of ap-beijing, ap-guangzhou, ap-singapore, and at most 20 requests a second
 * are answered (the emulator counts them per SecretId).
 */
import { randomUUID } from 'node:crypto';
import { RoomServiceError, type RoomService } from '../core/room-service.js';
import { CloudApiError, verifyTc3Signature, type SignedRequest, type Tc3Credentials } from './tc3-signature.js';

export const TRTC_API_VERSION = '2019-07-22';

/** The regions TRTC's room actions take (the only ones their API pages list). */
export const TRTC_API_REGIONS: readonly string[] = Object.freeze(['ap-beijing', 'ap-guangzhou', 'ap-singapore']);

/** The documented rate limit of each of these actions: 20 requests a second. */
export const MAX_REQUESTS_PER_SECOND = 20;

export interface CloudApiOptions {
  /** Seconds since the epoch, for signature expiry; default the clock. */
  nowSeconds?: () => number;
  /** Milliseconds, for the request rate limit; default the clock. */
  nowMs?: () => number;
  /** Requests a second answered per SecretId; default 20. */
  maxRequestsPerSecond?: number;
}

type Action = { roomId: 'number' | 'string'; removesUsers: boolean };

const ACTIONS: Record<string, Action> = {
  RemoveUser: { roomId: 'number', removesUsers: true },
  RemoveUserByStrRoomId: { roomId: 'string', removesUsers: true },
  DismissRoom: { roomId: 'number', removesUsers: false },
  DismissRoomByStrRoomId: { roomId: 'string', removesUsers: false },
};

export type CloudApiResponse =
  { Response: { RequestId: string } } | { Response: { Error: { Code: string; Message: string }; RequestId: string } };

/** What the server reports of each API call, for its log. */
export interface CloudApiOutcome {
  action: string | undefined;
  response: CloudApiResponse;
}

export class CloudApi {
  private readonly nowSeconds: () => number;
  private readonly nowMs: () => number;
  private readonly maxRequestsPerSecond: number;
  /** Per SecretId, when the requests of the last second were answered (ms). */
  private readonly recentRequests = new Map<string, number[]>();

  constructor(
    private readonly service: RoomService,
    private readonly credentials: Tc3Credentials,
    options: CloudApiOptions = {},
  ) {
    this.nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
    this.nowMs = options.nowMs ?? (() => Date.now());
    this.maxRequestsPerSecond = options.maxRequestsPerSecond ?? MAX_REQUESTS_PER_SECOND;
  }

  /** Answers one `POST /` request; never throws: a failure is a `Response.Error`, as Tencent sends it. */
  handle(request: SignedRequest): CloudApiOutcome {
    const RequestId = randomUUID();
    const action = headerValue(request, 'x-tc-action');
    try {
      this.perform(request, action);
      return { action, response: { Response: { RequestId } } };
    } catch (error) {
      const { code, message } =
        error instanceof CloudApiError || error instanceof RoomServiceError
          ? error
          : {
              code: 'InternalError',
              message: `The emulator failed: ${error instanceof Error ? error.message : String(error)}`,
            };
      return { action, response: { Response: { Error: { Code: code, Message: message }, RequestId } } };
    }
  }

  private perform(request: SignedRequest, actionName: string | undefined): void {
    if (request.method !== 'POST')
      throw new CloudApiError(
        'UnsupportedProtocol',
        `The emulator takes API requests as POST with a JSON body, not ${request.method}.`,
      );
    verifyTc3Signature(request, this.credentials, this.nowSeconds());
    this.countRequest(this.credentials.secretId);

    if (!actionName) throw new CloudApiError('MissingParameter', 'The request has no X-TC-Action header.');
    const action = Object.hasOwn(ACTIONS, actionName) ? ACTIONS[actionName]! : undefined;
    if (!action) {
      throw new CloudApiError(
        'InvalidAction',
        `Action ${actionName} does not exist in the emulator; it answers ${Object.keys(ACTIONS).join(', ')}.`,
      );
    }
    const version = headerValue(request, 'x-tc-version');
    if (!version) throw new CloudApiError('MissingParameter', 'The request has no X-TC-Version header.');
    if (version !== TRTC_API_VERSION)
      throw new CloudApiError(
        'NoSuchVersion',
        `Version ${version} of ${actionName} does not exist; TRTC's is ${TRTC_API_VERSION}.`,
      );
    const region = headerValue(request, 'x-tc-region');
    if (!region)
      throw new CloudApiError(
        'MissingParameter',
        `The request has no X-TC-Region header; ${actionName} takes ${TRTC_API_REGIONS.join(', ')}.`,
      );
    if (!TRTC_API_REGIONS.includes(region)) {
      throw new CloudApiError(
        'UnsupportedRegion',
        `${actionName} does not support region ${JSON.stringify(region)}; it takes ${TRTC_API_REGIONS.join(', ')}.`,
      );
    }
    const contentType = headerValue(request, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      throw new CloudApiError(
        'UnsupportedProtocol',
        `The emulator takes Content-Type application/json, not ${JSON.stringify(contentType)}.`,
      );
    }

    let params: unknown;
    try {
      params = JSON.parse(new TextDecoder().decode(request.body));
    } catch {
      throw new CloudApiError('InvalidParameter', 'The request body is not JSON.');
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params))
      throw new CloudApiError('InvalidParameter', 'The request body must be a JSON object.');
    const body = params as Record<string, unknown>;
    const known = ['SdkAppId', 'RoomId', ...(action.removesUsers ? ['UserIds'] : [])];
    const unknown = Object.keys(body).find((key) => !known.includes(key));
    if (unknown !== undefined)
      throw new CloudApiError(
        'UnknownParameter',
        `${actionName} has no parameter ${unknown}; it takes ${known.join(', ')}.`,
      );

    const { SdkAppId, RoomId, UserIds } = body;
    if (RoomId === undefined || RoomId === null)
      throw new CloudApiError('MissingParameter.RoomId', `${actionName} needs RoomId.`);
    if (typeof RoomId !== action.roomId) {
      const other = action.roomId === 'number' ? `${actionName}ByStrRoomId` : actionName.replace('ByStrRoomId', '');
      throw new CloudApiError(
        'InvalidParameter.RoomId',
        `${actionName} takes a ${action.roomId === 'number' ? 'numeric' : 'string'} RoomId; for a ${action.roomId === 'number' ? 'string' : 'numeric'} room use ${other}.`,
      );
    }
    const room =
      action.roomId === 'number'
        ? { sdkAppId: SdkAppId as number, roomId: RoomId as number }
        : { sdkAppId: SdkAppId as number, strRoomId: RoomId as string };
    if (action.removesUsers) this.service.removeUsers({ ...room, userIds: UserIds as string[] });
    else this.service.dismissRoom(room);
  }

  /** Refuses the request with RequestLimitExceeded if this SecretId's requests of the last second reach the limit. */
  private countRequest(secretId: string): void {
    const now = this.nowMs();
    const recent = (this.recentRequests.get(secretId) ?? []).filter((at) => now - at < 1000);
    this.recentRequests.set(secretId, recent);
    if (recent.length >= this.maxRequestsPerSecond) {
      throw new CloudApiError(
        'RequestLimitExceeded',
        `More than ${this.maxRequestsPerSecond} requests a second with SecretId ${secretId}: wait a second and retry.`,
      );
    }
    recent.push(now);
  }
}

function headerValue(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
