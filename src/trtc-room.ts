import { css, html, LitElement, type PropertyValues } from 'lit';
import {
  parseConfig,
  type ConfigResult,
  type Layout,
  type RoomMode,
  type RoomRole,
  type SdkGeneration,
  type TrtcProxy,
} from './config.js';
import {
  emit,
  TrtcRoomError,
  type Capabilities,
  type DeviceLists,
  type RoomState,
  type TrtcRoomEventMap,
} from './events.js';
import type { TrtcRoomInputName, TrtcRoomInputs } from './inputs.js';
import type { TrtcSdk } from './sdk/loader.js';
import { loadVisits, RoomSession } from './session.js';
import type { UiStrings } from './ui/strings.js';

/** Setting the input again (to the same value) is a change: a device that failed or fell back is tried again. */
const again = () => true;

/** Attribute text of a numeric input: a number when it is all digits, else the text, kept to be reported. */
const numericAttribute = {
  fromAttribute(value: string | null): number | string | undefined {
    if (value === null || value.trim() === '') return undefined;
    return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  },
};

/**
 * A Tencent RTC (TRTC) call room as an HTML tag: joins when connected with complete inputs, leaves
 * when disconnected (a move within the document does neither), and reports a forced exit as `banned`.
 *
 * @tagname trtc-room
 * @summary Joins a TRTC room while it is in the document.
 *
 * @slot - Content shown inside the room, after the tiles (the app's own controls).
 *
 * @fires {CustomEvent<JoinedDetail>} joined - The user is in the room: `{ roomId, userId }`.
 * @fires {CustomEvent<LeftDetail>} left - The user left the room: `{ roomId, userId }`.
 * @fires {CustomEvent<BannedDetail>} banned - The user was forced out: `{ roomId, userId, reason, message, sdkReason? }`. No automatic rejoin follows.
 * @fires {CustomEvent<ErrorDetail>} error - Something failed: `{ code, message, field?, sdkCode?, cause? }`. Does not bubble. `connection-lost`: the SDK gave up reconnecting (state `error`, devices released); `sdk-warning` and `media-failed` leave the user in the room.
 * @fires {CustomEvent<PeerDetail>} peer-join - Another user entered the room, or was in it when this user joined (reported right after `joined`): `{ userId }`, once per user while present.
 * @fires {CustomEvent<PeerDetail>} peer-leave - Another user, reported by `peer-join`, left the room: `{ userId }`.
 * @fires {CustomEvent<ConnectionStateChangeDetail>} connection-state-change - The SDK's connection state changed: `{ state, prevState }`.
 * @fires {CustomEvent<StateChangeDetail>} state-change - The element's `state` changed: `{ state, prevState }`.
 * @fires {CustomEvent<LocalMediaDetail>} local-media - What the element publishes changed: `{ camera, microphone, screen }`.
 * @fires {CustomEvent<PeerMediaDetail>} peer-media - What a remote user publishes changed (publish, unpublish, mute, screen share): `{ userId, audio, video, screen }`.
 * @fires {CustomEvent<AutoplayBlockedDetail>} autoplay-blocked - The browser refused to play remote audio until a user gesture: call `resumeAudio()` from a click.
 * @fires {CustomEvent<SpeakingChangeDetail>} speaking-change - With `controls`: a user (the local one too) started or stopped speaking, from the SDK's volume evaluation: `{ userId, speaking }`.
 * @fires {CustomEvent<DevicesChangeDetail>} devices-change - In a room: the browser's devices changed (`devicechange`), or their lists filled after permission: `{ cameras, microphones, speakers }`.
 * @fires {CustomEvent<DeviceFallbackDetail>} device-fallback - The device in use went away; the element uses the system default now: `{ kind, from, to }`.
 * @fires {CustomEvent<NetworkQualityDetail>} network-quality - The SDK's rating of the local user's network, every 2 s in a room: `{ userId, uplink, downlink, uplinkRtt, uplinkLoss, downlinkRtt, downlinkLoss }`, levels 0 (unknown), 1 (excellent) to 6 (disconnected).
 * @fires {CustomEvent<ControlDetail>} control - With `controls`: a control was clicked or a device chosen in the menu, before it acts: `{ control: 'microphone' | 'camera' | 'screen' | 'leave' | 'camera-device' | 'microphone-device' | 'speaker-device', pressed, deviceId? }` (`deviceId` for a device choice). Cancelable: `preventDefault()` stops the action.
 *
 * @csspart tiles - The grid of tiles (layout `tiles`).
 * @csspart tile - One participant's tile; also `local` (the user, mirrored and muted) or `remote`. Carries `data-user-id`.
 * @csspart screen - A remote user's screen share: its own tile (`::part(tile screen)`, with `data-user-id`), shown first and across the grid; with `controls`, also the screen-share toggle (`::part(control screen)`).
 * @csspart label - The userId shown on a tile.
 * @csspart speaking - With `controls`: a tile whose user speaks now (`::part(tile speaking)`).
 * @csspart audio-muted - With `controls`: a tile whose user publishes no live audio; it shows `muted-icon`.
 * @csspart video-muted - With `controls`: a tile whose user publishes no video.
 * @csspart poor-network - With `controls`: the local user's tile while the SDK rates their uplink or downlink 3 (poor) or worse.
 * @csspart muted-icon - With `controls`: the microphone-off icon in a muted tile's label.
 * @csspart reconnecting - With `controls`: the notice shown while the SDK reconnects in a room.
 * @csspart controls - With `controls`, in a room: the control bar.
 * @csspart control - A button of the bar; also `microphone`, `camera` or `screen` (toggles with `aria-pressed`; `screen` only where the browser can share a screen), `devices` (the device menu's button), or `leave`.
 * @csspart devices-menu - With `controls`: the device menu (`role="menu"`): cameras, microphones and speakers, the ones in use checked.
 * @csspart unblock - With `controls`, while the browser blocks remote audio: the button that plays it.
 * @csspart status - With `controls`: the polite live region (visually hidden) that announces joins, leaves, mutes, a ban and reconnects.
 * @cssprop [--trtc-room-tile-gap=8px] - The space between tiles.
 * @cssprop [--trtc-room-tile-aspect-ratio=16 / 9] - The tiles' aspect ratio.
 * @cssprop [--trtc-room-tile-min-width=240px] - The narrowest a tile gets before the grid wraps.
 * @cssprop [--trtc-room-tile-background=#222] - A tile's background (seen when there is no video).
 * @cssprop [--trtc-room-tile-radius=8px] - A tile's corner radius.
 * @cssprop [--trtc-room-speaking-color=#3ddc84] - The ring of a speaking tile.
 * @cssprop [--trtc-room-poor-network-background=#b3261e] - The label's background on a `poor-network` tile.
 * @cssprop [--trtc-room-reconnecting-background=#fde293] - The reconnecting notice's background.
 * @cssprop [--trtc-room-reconnecting-color=#202124] - The reconnecting notice's text color.
 * @cssprop [--trtc-room-control-background=#3c4043] - A control button's background (a toggle that is on).
 * @cssprop [--trtc-room-control-color=#fff] - A control button's text and icon color.
 * @cssprop [--trtc-room-control-off-background=#e8eaed] - A toggle's background while off.
 * @cssprop [--trtc-room-control-off-color=#202124] - A toggle's text and icon color while off.
 * @cssprop [--trtc-room-leave-background=#c5221f] - The leave button's background.
 * @cssprop [--trtc-room-unblock-background=#1a73e8] - The unblock button's background.
 * @cssprop [--trtc-room-focus-ring=#1a73e8] - The focus ring of the buttons (keyboard focus).
 * @cssprop [--trtc-room-control-gap=8px] - The space between control buttons.
 * @cssprop [--trtc-room-menu-background=#fff] - The device menu's background.
 * @cssprop [--trtc-room-menu-color=#202124] - The device menu's text color.
 *
 * @attr {string} lang - The language of the element's texts (`en`, `zh`, `ko`; else its closest ancestor's, else the document's; unknown: English).
 * @attr {string} state - Read only, reflected: `idle`, `joining`, `joined`, `leaving`, `left`, `banned` or `error`.
 */
export class TrtcRoom extends LitElement implements TrtcRoomInputs {
  // prettier-ignore
  static override styles = css`:host{display:block}:host([hidden]){display:none}`;

  static override properties = {
    sdkAppId: { attribute: 'sdk-app-id', converter: numericAttribute },
    roomId: { attribute: 'room-id', converter: numericAttribute },
    strRoomId: { attribute: 'str-room-id' },
    userId: { attribute: 'user-id' },
    userSig: { attribute: 'user-sig' },
    mode: {},
    role: {},
    sdk: { attribute: false },
    proxy: { attribute: false },
    sdkGeneration: { attribute: 'sdk' },
    camera: { type: Boolean, hasChanged: again },
    microphone: { type: Boolean, hasChanged: again },
    screen: { type: Boolean, hasChanged: again },
    cameraId: { attribute: 'camera-id', hasChanged: again },
    microphoneId: { attribute: 'microphone-id', hasChanged: again },
    speakerId: { attribute: 'speaker-id', hasChanged: again },
    layout: {},
    controls: { type: Boolean },
    strings: { attribute: false },
  };

  /** The TRTC application's SDKAppID. Required; a positive integer. */
  declare sdkAppId: number | undefined;
  /** A numeric room id, 1 to 4294967294. Give this or `strRoomId`, not both. */
  declare roomId: number | undefined;
  /** A string room id: 1 to 64 of TRTC's allowed characters. Give this or `roomId`, not both. */
  declare strRoomId: string | undefined;
  /** The user's id. Required; 1 to 32 characters of A-Z, a-z, 0-9, `_` and `-`. */
  declare userId: string | undefined;
  /** The user signature. Required; never reflected, logged or put in an event. Changing it alone does not rejoin. */
  declare userSig: string | undefined;
  /** `rtc` (default) for calls, `live` for interactive live streaming. */
  declare mode: RoomMode;
  /** In live mode: `anchor` (default) or `audience`. */
  declare role: RoomRole;
  /** The SDK to use: trtc-js-sdk (v4) or trtc-sdk-v5's `TRTC`. Default: a global `TRTC`, else the package `sdkGeneration` names, imported at the first join. */
  declare sdk: TrtcSdk | undefined;
  /**
   * Which SDK to import at the first join when neither `sdk` nor a global `TRTC` is given: `v4`
   * (default, trtc-js-sdk) or `v5` (trtc-sdk-v5, an optional peer dependency). Attribute: `sdk`.
   */
  declare sdkGeneration: SdkGeneration;
  /**
   * TRTC's proxy setting, passed to the SDK unchanged: trtc-js-sdk gets `client.setProxyServer(proxy)` before
   * its join, trtc-sdk-v5 gets `enterRoom({ proxy })`. For networks that reach Tencent only through a proxy
   * you deploy, or for the local emulator (`GET /proxy` on it). Property only; a change rejoins through the
   * new route. See docs/real-sdks.md.
   */
  declare proxy: TrtcProxy | undefined;
  /** Publish the camera while in the room (ignored for a live audience). False releases it: its track ends. */
  declare camera: boolean;
  /** Publish the microphone while in the room (ignored for a live audience). False releases it. */
  declare microphone: boolean;
  /**
   * The camera to use: a `deviceId` from `devices.cameras`; empty or unset: the system default. A change in a
   * call switches the camera through the SDK, the microphone and the publication going on. Attribute `camera-id`.
   */
  declare cameraId: string | undefined;
  /** The microphone to use (`devices.microphones`); empty or unset: the default. Attribute `microphone-id`. */
  declare microphoneId: string | undefined;
  /**
   * The speaker all remote audio plays on (`devices.speakers`), where `capabilities.speakerSelection`; empty or
   * unset: the default. Set it from a click (some browsers need a user gesture). Attribute `speaker-id`.
   */
  declare speakerId: string | undefined;
  /**
   * Share a screen while in the room (ignored for a live audience): the browser's picker opens, and the share is
   * published as the SDK's screen stream (v4's auxiliary stream, v5's sub stream), beside the camera. Goes back
   * to false when the browser's own "Stop sharing" ends it (with `local-media`) or the picker is refused (with
   * `error` `media-failed`, `field: 'screen'`). See docs/media.md.
   */
  declare screen: boolean;
  /** `tiles` (default): a tile per participant in the shadow root. `none`: no tiles, for an app that lays out video itself. */
  declare layout: Layout;
  /**
   * Show the call's own controls in a room: a control bar (microphone, camera, leave), tiles that say who speaks
   * and who is muted, a button that plays audio the browser blocked, and announcements for screen readers. Off
   * (default): none of these. See docs/ui.md.
   */
  declare controls: boolean;
  /**
   * Replaces entries of the built-in strings table (picked by `lang`, the element's or its closest ancestor's,
   * else English): `{ leave: 'Hang up' }`. Property only. The keys are in docs/ui.md.
   */
  declare strings: Partial<UiStrings> | undefined;

  private readonly session = new RoomSession(
    () => loadVisits(this.sdk, this.sdkGeneration || 'v4'),
    (name, detail) => {
      if (name === 'state-change') this.setAttribute('state', (detail as { state: RoomState }).state);
      emit(this, name, detail);
    },
    () => this.requestUpdate(),
  );
  /** Connected, and not merely between the two halves of a move. */
  private inDocument = false;
  private pendingDisconnect: ReturnType<typeof setTimeout> | undefined;
  private reportedInvalid: string | undefined;
  /** Connected before the first update: the hold a connection clears is cleared by that update's sync. */
  private clearHoldAtFirstUpdate = false;

  constructor() {
    super();
    this.mode = 'rtc';
    this.role = 'anchor';
    this.sdkGeneration = 'v4';
    this.camera = this.microphone = this.screen = false;
    this.layout = 'tiles';
  }

  /**
   * The SDK's own client while in a room (v4 `Client`, v5 `TRTC` instance), else `null`: for what the element
   * does not cover (beauty, stats, a screen share with its audio). An escape hatch: the element still owns join, leave and destroy.
   */
  get client(): unknown {
    return this.session.visit?.client ?? null;
  }

  /** Plays remote audio the browser refused to autoplay (after `autoplay-blocked`). Call it from a click. */
  async resumeAudio(): Promise<void> {
    await this.session.visit?.resumeAudio();
  }

  /**
   * Read only: the cameras, microphones and speakers the browser offers, `{ cameras, microphones, speakers }` of
   * `{ deviceId, label }`; empty until the first join and until the page may name devices (after permission).
   * Kept up to date in a room (`devices-change`).
   */
  get devices(): DeviceLists {
    return this.session.devices ?? { cameras: [], microphones: [], speakers: [] };
  }

  /**
   * Read only: what this browser can do, by feature detection: `{ speakerSelection, screenShare, screenShareAudio }`
   * (docs/media.md). Known from the first join on (the detection loads with the room's code); `undefined` before.
   */
  get capabilities(): Capabilities | undefined {
    return this.session.capabilities;
  }

  /** Where the element is: `idle`, `joining`, `joined`, `leaving`, `left`, `banned` or `error`. */
  get state(): RoomState {
    return this.session.state;
  }

  /**
   * Read only: the userIds of the other users in the room now (not this user), in the order `peer-join`
   * reported them; kept in step with `peer-join` and `peer-leave`, empty outside a room (after leave, ban or error).
   */
  get peers(): string[] {
    return this.session.peers;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('state')) this.setAttribute('state', this.session.state);
    if (this.pendingDisconnect !== undefined) {
      // Disconnected and connected again in the same task: a move, not a leave and rejoin.
      clearTimeout(this.pendingDisconnect);
      this.pendingDisconnect = undefined;
      return;
    }
    this.inDocument = true;
    // Until the first update, properties set before the tag was defined (a page script, a framework)
    // are not restored yet: syncing now would join without them, e.g. without `sdk`. The first update syncs.
    if (this.hasUpdated) this.syncSession({ clearHold: true });
    else this.clearHoldAtFirstUpdate = true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Wait one task: a move within the document reconnects before then.
    this.pendingDisconnect = setTimeout(() => {
      this.pendingDisconnect = undefined;
      this.inDocument = false;
      if (this.session.active) this.session.holdOut('left');
      this.syncSession();
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The element is the wish (camera, microphone, screen, the device ids, controls): read when the call acts on it.
    this.session.setMedia(this, changed);
    this.syncSession({ clearHold: this.clearHoldAtFirstUpdate });
    this.clearHoldAtFirstUpdate = false;
  }

  protected override render() {
    return html`${this.session.ui?.render(this, html)}<slot></slot>`;
  }

  /**
   * Enters the room with the current inputs, clearing a `left`, `banned` or `error` hold. Resolves
   * once joined; rejects after the `error` event if the join fails, and with an `InvalidStateError`
   * (and no event) if the element is not connected.
   */
  async join(): Promise<void> {
    if (!this.isConnected) {
      throw new DOMException('<trtc-room> can join only while it is connected to a document.', 'InvalidStateError');
    }
    // Properties set before the tag was defined are restored by the first update: read inputs after it.
    if (!this.hasUpdated) await this.updateComplete;
    const result = this.syncSession({ clearHold: true, reportInvalidAgain: true });
    if (result.status === 'invalid')
      throw new TrtcRoomError({ code: 'invalid-config', field: result.field, message: result.message });
    if (result.status === 'incomplete') {
      throw new TrtcRoomError({
        code: 'invalid-config',
        field: result.missing,
        message: `Cannot join: ${result.missing} is not set.`,
      });
    }
    await this.session.settled();
    if (this.session.state === 'joined') return;
    throw (
      this.session.lastError ??
      new DOMException(`<trtc-room> did not stay in the room (state: ${this.session.state}).`, 'AbortError')
    );
  }

  /** Leaves the room and stays out (state `left`) until `join()`, a reconnect, or a new room or identity. */
  async leave(): Promise<void> {
    this.session.holdOut('left');
    await this.session.settled();
  }

  /** Hands the current inputs to the session, reporting invalid ones once per distinct fault. */
  private syncSession(options: { clearHold?: boolean; reportInvalidAgain?: boolean } = {}): ConfigResult {
    const result = parseConfig(this);
    if (!this.inDocument) {
      this.session.setDesired(null);
      return result;
    }
    if (result.status === 'invalid') {
      const fault = `${result.field}\n${result.message}`;
      const isNew = fault !== this.reportedInvalid;
      this.reportedInvalid = fault;
      this.session.setDesired(null, { whenAbsent: 'error', clearHold: options.clearHold });
      if (isNew || options.reportInvalidAgain) {
        emit(this, 'error', { code: 'invalid-config', field: result.field, message: result.message });
      }
    } else {
      this.reportedInvalid = undefined;
      this.session.setDesired(result.status === 'valid' ? result.config : null, { clearHold: options.clearHold });
    }
    return result;
  }
}

// Typed listeners for the element's own events, `error` included (the DOM types it as ErrorEvent).
export interface TrtcRoom {
  addEventListener<K extends keyof TrtcRoomEventMap>(
    type: K,
    listener: (this: TrtcRoom, event: TrtcRoomEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof TrtcRoomEventMap>(
    type: K,
    listener: (this: TrtcRoom, event: TrtcRoomEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

// The element's Lit properties are exactly the documented inputs (src/inputs.ts): checked by the compiler only.
type Same<A, B> = [Exclude<A, B> | Exclude<B, A>] extends [never] ? true : Exclude<A, B> | Exclude<B, A>;
type Holds<T extends true> = T;
export type InputsAreProperties = Holds<Same<TrtcRoomInputName, keyof (typeof TrtcRoom)['properties']>>;
