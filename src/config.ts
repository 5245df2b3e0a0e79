/** The inputs the element reads, as its properties hold them (attribute text already converted). */
export interface RoomInputs {
  sdkAppId?: unknown;
  roomId?: unknown;
  strRoomId?: unknown;
  userId?: unknown;
  userSig?: unknown;
  mode?: unknown;
  role?: unknown;
  /** Which SDK generation to import lazily; not part of the room, read by the loader at each join. */
  sdkGeneration?: unknown;
  /** An SDK object given to the element: then nothing is imported, and `sdkGeneration` does not matter. */
  sdk?: unknown;
  /** The SDK's proxy setting, passed to it unchanged. */
  proxy?: unknown;
}

/** The SDK generation imported lazily when neither `el.sdk` nor a global `TRTC` is given. */
export type SdkGeneration = 'v4' | 'v5';
export const SDK_GENERATIONS: readonly SdkGeneration[] = ['v4', 'v5'];

/** `layout`: the element's tiles, or none (the app renders the media itself, from `client`). */
export type Layout = 'tiles' | 'none';

/**
 * What the element asks of the call (the element itself, read when the call acts on it): the devices to publish
 * (`camera`, `microphone`, `screen`) and which (`cameraId`, `microphoneId`, `speakerId`), and whether it shows its own
 * controls (then the SDK's autoplay dialog is off).
 * The call writes `screen = false` back when the browser's own "Stop sharing" ends the share: on the element,
 * that is its property going back to false, as a click on the control bar does.
 */
export interface MediaWish {
  camera: boolean;
  microphone: boolean;
  screen?: boolean;
  controls?: boolean;
  /** The devices to use (`''` or unset: the system default). */
  cameraId?: string | undefined;
  microphoneId?: string | undefined;
  speakerId?: string | undefined;
}

/**
 * TRTC's proxy setting, as the SDK takes it: trtc-js-sdk's `client.setProxyServer()` (a `wss://` URL or
 * `{ websocketProxy, loggerProxy, … }`) or trtc-sdk-v5's `enterRoom({ proxy })`.
 */
export type TrtcProxy = string | Readonly<Record<string, unknown>>;

export type RoomMode = 'rtc' | 'live';
export type RoomRole = 'anchor' | 'audience';

/** A complete, valid description of the room to be in. */
export interface RoomConfig {
  sdkAppId: number;
  /** A number for numeric rooms, a string for string rooms: 123 and "123" are different rooms. */
  roomId: number | string;
  userId: string;
  userSig: string;
  mode: RoomMode;
  /** Only in live mode. */
  role?: RoomRole;
  /** Where the SDK's signalling goes instead of Tencent's servers; part of the room's key, so a change rejoins. */
  proxy?: TrtcProxy;
}

/** The attribute names, which is what `field` in an `invalid-config` error names. */
export type ConfigField = 'sdk-app-id' | 'room-id' | 'str-room-id' | 'user-id' | 'user-sig' | 'mode' | 'role' | 'sdk';

export type ConfigResult =
  | { status: 'valid'; config: RoomConfig }
  | { status: 'incomplete'; missing: ConfigField }
  | { status: 'invalid'; field: ConfigField; message: string };

export const MAX_ROOM_ID = 4294967294;
const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
// TRTC's 89 characters for string room ids: letters, digits, space and these 26 symbols.
const STR_ROOM_ID_PATTERN = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

class InvalidInput extends Error {
  constructor(
    readonly field: ConfigField,
    message: string,
  ) {
    super(message);
  }
}

/** `undefined`, `null` and the empty string all mean "not given (yet)". */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function integerIn(field: ConfigField, value: unknown, min: number, max: number, what: string): number {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new InvalidInput(field, `${field} must be ${what}; got ${describe(value)}.`);
  }
  return number;
}

function matching(field: ConfigField, value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidInput(field, `${field} must be ${what}; got ${describe(value)}.`);
  }
  return value;
}

function oneOf<T extends string>(field: ConfigField, value: unknown, allowed: readonly T[], fallback: T): T {
  if (isAbsent(value)) return fallback;
  if (!allowed.includes(value as T)) {
    throw new InvalidInput(
      field,
      `${field} must be ${allowed.map((v) => `"${v}"`).join(' or ')}; got ${describe(value)}.`,
    );
  }
  return value as T;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return `a value of type ${typeof value}`;
}

/**
 * Validates the inputs against TRTC's rules. Present values are checked first, so a bad value is
 * reported even while another required input is still missing.
 */
export function parseConfig(inputs: RoomInputs): ConfigResult {
  try {
    const given = (value: unknown, check: (value: unknown) => unknown) => (isAbsent(value) ? undefined : check(value));
    const sdkAppId = given(inputs.sdkAppId, (v) =>
      integerIn('sdk-app-id', v, 1, Number.MAX_SAFE_INTEGER, 'a positive integer'),
    ) as number | undefined;
    const roomId = given(inputs.roomId, (v) =>
      integerIn('room-id', v, 1, MAX_ROOM_ID, `an integer from 1 to ${MAX_ROOM_ID}`),
    ) as number | undefined;
    const strRoomId = given(inputs.strRoomId, (v) =>
      matching(
        'str-room-id',
        v,
        STR_ROOM_ID_PATTERN,
        "1 to 64 of TRTC's allowed characters (letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~,)",
      ),
    ) as string | undefined;
    const userId = given(inputs.userId, (v) =>
      matching('user-id', v, USER_ID_PATTERN, '1 to 32 characters of A-Z, a-z, 0-9, _ and -'),
    ) as string | undefined;
    const userSig = given(inputs.userSig, (v) => {
      // The value itself is never echoed: it is a credential.
      if (typeof v !== 'string') throw new InvalidInput('user-sig', 'user-sig must be a string.');
      return v;
    }) as string | undefined;
    const mode = oneOf('mode', inputs.mode, ['rtc', 'live'] as const, 'rtc');
    const role = oneOf('role', inputs.role, ['anchor', 'audience'] as const, 'anchor');
    // Checked like every input while it chooses what to import; the loader reads it itself at join time.
    // With an SDK object given it chooses nothing, so a stale value (React 19 writes "[object Object]"
    // when it renders before the tag is defined) does not block the join.
    if (isAbsent(inputs.sdk)) oneOf('sdk', inputs.sdkGeneration, SDK_GENERATIONS, 'v4');
    if (roomId !== undefined && strRoomId !== undefined) {
      throw new InvalidInput(
        'room-id',
        'Give exactly one of room-id and str-room-id, not both: 123 and "123" are different TRTC rooms.',
      );
    }

    if (sdkAppId === undefined) return { status: 'incomplete', missing: 'sdk-app-id' };
    if (roomId === undefined && strRoomId === undefined) return { status: 'incomplete', missing: 'room-id' };
    if (userId === undefined) return { status: 'incomplete', missing: 'user-id' };
    if (userSig === undefined) return { status: 'incomplete', missing: 'user-sig' };

    const config: RoomConfig = { sdkAppId, roomId: roomId ?? (strRoomId as string), userId, userSig, mode };
    if (mode === 'live') config.role = role;
    // Any truthy value goes to the SDK unchecked: the SDK validates its own setting.
    if (inputs.proxy) config.proxy = inputs.proxy as TrtcProxy;
    return { status: 'valid', config };
  } catch (error) {
    if (error instanceof InvalidInput) return { status: 'invalid', field: error.field, message: error.message };
    throw error;
  }
}

/**
 * Two configs with the same key are the same room for the same user through the same route; the userSig is not
 * part of it. JSON keeps 123 and "123" apart, and writes an absent role or proxy as null.
 */
export function roomKey(config: RoomConfig): string {
  return JSON.stringify([config.sdkAppId, config.roomId, config.userId, config.mode, config.role, config.proxy]);
}
