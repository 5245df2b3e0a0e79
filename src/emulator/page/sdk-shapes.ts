/**
 * The SDK objects an emulator hands to `<trtc-room>`, in both generations' shapes, over one backend:
 * shared by the in-memory emulator and the networked client so that both behave alike.
 */
import { FaultQueue, type RoomBackend } from './backend.js';
import { EmulatedV4Client, PageJoinGuard, type EmulatedClientConfig } from './v4-client.js';
import { EmulatedV5Trtc, V5JoinGuard, V5_ERROR_CODE, V5_EVENT } from './v5-client.js';
import { MediaRelay, type MediaPlane } from './media/relay.js';
import { EmulatedLocalStream, EmulatedV4MediaClient, type EmulatedStreamConfig } from './media/v4-media.js';
import { EmulatedV5MediaTrtc, V5_MEDIA_EVENT } from './media/v5-media.js';

/** The v4-shaped SDK namespace: set it as `el.sdk`. */
export interface EmulatedTrtcV4 {
  createClient(config: EmulatedClientConfig & { autoSubscribe?: boolean }): EmulatedV4MediaClient;
  /** A LocalStream: `initialize()` captures with getUserMedia (src/testing/media/). */
  createStream(config: EmulatedStreamConfig): EmulatedLocalStream;
}

/** The v5-shaped SDK class (`TRTC.create()`, `TRTC.EVENT`): set it as `el.sdk` to drive the v5 adapter. */
export interface EmulatedTrtcV5 {
  create(): EmulatedV5MediaTrtc;
  /** As the static TRTC.setCurrentSpeaker: every instance's remote audio on that speaker, if getSpeakerList() lists it. */
  setCurrentSpeaker(speakerId: string): Promise<void>;
  readonly EVENT: typeof V5_EVENT & typeof V5_MEDIA_EVENT;
  readonly ERROR_CODE: typeof V5_ERROR_CODE;
}

export interface EmulatedSdks {
  /** trtc-js-sdk v4's shape. */
  sdk: EmulatedTrtcV4;
  /** trtc-sdk-v5's shape, on the same rooms. */
  sdkV5: EmulatedTrtcV5;
  /** Make the next join or leave of any client reject or hang. */
  faults: FaultQueue;
  /** The clients (v4) and TRTC instances (v5) created and not yet destroyed. */
  readonly liveClients: readonly (EmulatedV4Client | EmulatedV5Trtc)[];
  /** The media plane: real peer connections between publishers and subscribers in this page, and every captured track. */
  readonly media: MediaPlane;
}

/** How the emulated SDKs behave where the real ones take time, and where their media go. */
export interface EmulatedSdkOptions {
  /**
   * How many times a v4 client whose connection dropped tries to reconnect (each try waiting as
   * trtc-js-sdk does: 2, 2, 3, 3, 5, 5, 8, 8, then 13 s) before it fires `error` 0x4006
   * (SIGNAL_CHANNEL_RECONNECTION_FAILED). Default 30, as trtc-js-sdk: about 5½ minutes. 0 fails at once.
   */
  reconnectAttempts?: number;
  /** Where the clients' media go: a relay within this page unless told (the networked client's crosses pages). */
  media?: MediaPlane;
}

/**
 * The SDKs of one page (tab or device) over `backend`: trtc-js-sdk's page-wide join guard is this page's;
 * another call gives another page's.
 */
export function createEmulatedSdks(backend: RoomBackend, options: EmulatedSdkOptions = {}): EmulatedSdks {
  const media = options.media ?? new MediaRelay();
  const faults = new FaultQueue();
  const live = new Set<EmulatedV4Client | EmulatedV5Trtc>();
  const joinGuard = new PageJoinGuard();
  // trtc-sdk-v5 keeps one join guard for every TRTC instance of the page: here, of this SDK object.
  const v5JoinGuard = new V5JoinGuard();
  const track = (config: EmulatedClientConfig, rules: ConstructorParameters<typeof EmulatedV4Client>[4]) => {
    if (typeof config !== 'object' || config === null) throw new TypeError('createClient needs a config object.');
    const client = EmulatedV4MediaClient.create(
      media,
      { ...config },
      backend,
      faults,
      (destroyed) => live.delete(destroyed),
      rules,
    );
    live.add(client);
    return client;
  };
  const reconnectAttempts = options.reconnectAttempts;
  const sdk: EmulatedTrtcV4 = {
    createClient: (config) =>
      track(config, {
        joinGuard,
        refuseDestroyWhileJoined: true,
        ...(reconnectAttempts === undefined ? {} : { reconnectAttempts }),
      }),
    createStream: (config) => new EmulatedLocalStream(media, { ...config }),
  };
  const sdkV5: EmulatedTrtcV5 = {
    create() {
      const trtc = EmulatedV5MediaTrtc.create(media, backend, faults, v5JoinGuard, (destroyed) =>
        live.delete(destroyed),
      );
      live.add(trtc);
      return trtc;
    },
    // trtc.esm.js: an id not among the speakers (enumerateDevices' audiooutput) is ignored, without an error.
    async setCurrentSpeaker(speakerId: string) {
      const speakers = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput');
      if (!speakers.some((speaker) => speaker.deviceId === speakerId)) return;
      await Promise.all(
        [...live].map((client) =>
          client instanceof EmulatedV5MediaTrtc ? client.setSpeaker(speakerId) : Promise.resolve(),
        ),
      );
    },
    EVENT: Object.freeze({ ...V5_EVENT, ...V5_MEDIA_EVENT }),
    ERROR_CODE: V5_ERROR_CODE,
  };
  return {
    sdk,
    sdkV5,
    faults,
    media,
    get liveClients() {
      return [...live];
    },
  };
}
