// What a person sees of the call (loaded at the first join, kept across visits): the tiles, and with `controls`
// the control bar, the unblock button and a polite live region. It reads the call's state and the element's
// own events, never the SDK.
import type {
  BannedDetail,
  ConnectionStateChangeDetail,
  DeviceFallbackDetail,
  ErrorDetail,
  LocalMediaDetail,
  PeerDetail,
  PeerMediaDetail,
} from '../events.js';
import type { CallMedia } from '../media/call.js';
import { renderControls, renderUnblock, type ControlHost } from './controls.js';
import { DeviceMenu, type DeviceMenuHost } from './devices-menu.js';
import { banReasonKey, fill, stringsFor, type UiStrings } from './strings.js';
import type { HtmlTag } from './html.js';
import { renderTiles } from './tiles.js';

/** The element, as the UI reads it. */
export interface UiHost extends ControlHost, DeviceMenuHost {
  layout: 'tiles' | 'none';
  controls: boolean;
  strings: Partial<UiStrings> | undefined;
  readonly state: string;
  requestUpdate(): void;
}

/** How many announcements the live region keeps (each new one is read out; older ones go). */
const KEPT = 3;

const visuallyHidden = `<style>
  [part='reconnecting'] {
    margin: 8px 0;
    padding: 8px 12px;
    border-radius: 4px;
    font: 14px/1.4 system-ui, sans-serif;
    color: var(--trtc-room-reconnecting-color, #202124);
    background: var(--trtc-room-reconnecting-background, #fde293);
  }
  [part='status'] {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
</style>`;
let hiddenTemplate: TemplateStringsArray | undefined;

export class RoomUi {
  /** The current visit's call (a released one shows nothing). */
  call: CallMedia | undefined;
  private host: UiHost | undefined;
  private announcements: Array<{ id: number; text: string }> = [];
  private nextId = 0;
  private readonly peerMedia = new Map<string, Omit<PeerMediaDetail, 'userId'>>();
  private sharing = false;
  private reconnecting = false;
  private menu: DeviceMenu | undefined;
  /** The devices' labels as last listed (a device that went away is named by the label it had). */
  private readonly labels = new Map<string, string>();

  render(host: UiHost, html: HtmlTag): unknown {
    this.listen(host);
    const controls = !!host.controls;
    const call = this.call;
    call?.watchSpeaking(controls);
    const strings = stringsFor(host, host.strings);
    const tiles =
      host.layout === 'none' || !call || call.ended
        ? undefined
        : renderTiles(call.participants(), strings, controls, html);
    if (!controls) return tiles;
    hiddenTemplate ??= Object.assign([visuallyHidden], { raw: [visuallyHidden] }) as unknown as TemplateStringsArray;
    const menu = call && !call.ended ? (this.menu ??= new DeviceMenu(host)).render(call, strings, html) : '';
    if (call)
      for (const list of Object.values(call.devices)) for (const d of list) this.labels.set(d.deviceId, d.label);
    // The notice is not a live region itself: the status region below announces the same words once.
    const notice = this.reconnecting ? html`<p part="reconnecting">${strings.reconnecting}</p>` : '';
    return html`${notice}${tiles}${host.state === 'joined' ? renderControls(host, strings, html, menu) : ''}${
        call?.audioBlocked ? renderUnblock(host, strings, html) : ''
      }${html(hiddenTemplate)}
      <div part="status" role="status" aria-live="polite">
        ${this.announcements.map(({ text }) => html`<p>${text}</p>`)}
      </div>`;
  }

  /** Announces through the live region (only with `controls`: without them the region is not rendered). */
  private announce(text: string): void {
    this.announcements = [...this.announcements, { id: this.nextId++, text }].slice(-KEPT);
    this.host?.requestUpdate();
  }

  /** Listens to the element's own events once: they say what to announce, and when the bar comes and goes. */
  private listen(host: UiHost): void {
    if (this.host === host) return;
    this.host = host;
    const say = (make: (strings: UiStrings) => string) => {
      if (host.controls) this.announce(make(stringsFor(host, host.strings)));
    };
    const on = <T>(type: string, handle: (detail: T) => void) =>
      host.addEventListener(type, (event) => handle((event as CustomEvent<T>).detail));
    on('state-change', () => {
      // Out of the room (left, banned, error): no reconnection is under way any more.
      if (host.state !== 'joined') this.reconnecting = false;
      host.requestUpdate();
    });
    // The element's own lang: a change relabels at once (an ancestor's or the document's shows at the next render).
    new MutationObserver(() => host.requestUpdate()).observe(host, { attributeFilter: ['lang'] });
    on('joined', () => {
      this.peerMedia.clear();
      this.reconnecting = false;
      say((s) => s.joined);
    });
    on('left', () => say((s) => s.left));
    on<PeerDetail>('peer-join', ({ userId }) => say((s) => fill(s.peerJoined, { name: userId })));
    on<PeerDetail>('peer-leave', ({ userId }) => {
      this.peerMedia.delete(userId);
      say((s) => fill(s.peerLeft, { name: userId }));
    });
    on<PeerMediaDetail>('peer-media', ({ userId, audio, video, screen }) => {
      const before = this.peerMedia.get(userId);
      this.peerMedia.set(userId, { audio, video, screen });
      const name = { name: userId };
      // A screen shared is news even as its user arrives: a new tile comes first in the grid.
      if (!!before?.screen !== screen) say((s) => fill(screen ? s.peerScreenOn : s.peerScreenOff, name));
      // What a user publishes as they arrive is not news; a change afterwards is.
      if (!before) return;
      if (before.audio !== audio) say((s) => fill(audio ? s.peerMicrophoneOn : s.peerMicrophoneOff, name));
      if (before.video !== video) say((s) => fill(video ? s.peerCameraOn : s.peerCameraOff, name));
    });
    on<DeviceFallbackDetail>('device-fallback', ({ kind, from }) =>
      say((s) => fill(s.deviceFallback, { name: this.labels.get(from) || s[kind === 'speaker' ? 'speakers' : kind] })),
    );
    on<LocalMediaDetail>('local-media', ({ screen }) => {
      if (this.sharing !== screen) say((s) => (screen ? s.screenOn : s.screenOff));
      this.sharing = screen;
    });
    on<BannedDetail>('banned', ({ reason }) =>
      say((s) => fill(s.banned, { reason: s[banReasonKey(reason)] ?? s['ban-unknown'] })),
    );
    on<ConnectionStateChangeDetail>('connection-state-change', ({ state }) => {
      // In the room, the signalling's leaving CONNECTED is a reconnection: trtc-js-sdk goes DISCONNECTED, then
      // RECONNECTING (SignalChannel.onclose, reconnect); trtc-sdk-v5 DISCONNECTED, then CONNECTING (its
      // SignalChannel.onclose, startReconnection, connect). Before `joined` it is the join's own connecting.
      if (host.state !== 'joined') return;
      if (state !== 'CONNECTED') {
        if (!this.reconnecting) say((s) => s.reconnecting);
        this.reconnecting = true;
        host.requestUpdate();
      } else if (this.reconnecting) {
        this.reconnecting = false;
        say((s) => s.reconnected);
      }
    });
    on<ErrorDetail>('error', ({ code }) => {
      if (code === 'connection-lost') say((s) => s.connectionLost);
    });
  }
}
