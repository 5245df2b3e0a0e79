/**
 * The media plane across pages: each client in a room opens a WebSocket of its own to the networked emulator
 * (src/emulator/node/media-hub.ts), which passes on publications to the room and each subscription's offer,
 * answer and ICE candidates to the one peer they are for. The media flows between the two browsers directly,
 * over a real RTCPeerConnection on each side.
 */
import {
  applyMuted,
  applyTracks,
  NOTHING_PUBLISHED,
  publicationOf,
  publishesAny,
  type MediaKind,
  type MediaLink,
  type MediaPlane,
  type PlaneMember,
  type Publication,
  type RelayPeer,
} from './relay.js';
import { CLEAR_LINK, type LinkCondition } from '../../core/faults.js';
import type { MediaClientMessage, MediaServerMessage } from '../../core/wire-protocol.js';
import type { WebSocketConstructor, WebSocketLike } from '../web-socket.js';

/** What the two ends of one subscription say to each other (the payload of `media-signal`). */
type Signal =
  | { type: 'subscribe'; id: string; kind: MediaKind }
  | { type: 'refuse'; id: string; reason: string }
  | { type: 'offer'; id: string; sdp: RTCSessionDescriptionInit }
  | { type: 'answer'; id: string; sdp: RTCSessionDescriptionInit }
  /** `toPublisher`: which end of subscription `id` the candidate is for. */
  | { type: 'ice'; id: string; toPublisher: boolean; candidate: RTCIceCandidateInit }
  /** Either end closed subscription `id`. */
  | { type: 'close'; id: string; toPublisher: boolean };

export class NetworkMediaRelay implements MediaPlane {
  readonly links = new Set<MediaLink>();
  readonly capturedTracks = new Set<MediaStreamTrack>();

  constructor(
    private readonly url: string,
    private readonly WebSocketClass: WebSocketConstructor,
  ) {}

  enter(room: string, userId: string, peer: RelayPeer): PlaneMember {
    return new NetworkMember(new this.WebSocketClass(this.url), this.links, room, userId, peer);
  }
}

interface Outgoing {
  kind: MediaKind;
  subscriber: string;
  pc: RTCPeerConnection;
}

interface Incoming {
  kind: MediaKind;
  publisher: string;
  pc: RTCPeerConnection;
  link?: MediaLink;
  fail(error: Error): void;
}

let lastSubscription = 0;

class NetworkMember implements PlaneMember {
  private readonly tracks: Partial<Record<MediaKind, MediaStreamTrack>> = {};
  private readonly muted: Record<MediaKind, boolean> = { audio: false, video: false, screen: false };
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly incoming = new Map<string, Incoming>();
  private readonly queue: string[] = [];
  private open = false;
  private gone = false;
  refusal: string | undefined;
  /** The link the emulator last said this member has (`media-link`). */
  private currentLink: LinkCondition = CLEAR_LINK;
  private enteredNow!: () => void;
  readonly entered = new Promise<void>((resolve) => (this.enteredNow = resolve));

  constructor(
    private readonly socket: WebSocketLike,
    private readonly links: Set<MediaLink>,
    readonly room: string,
    readonly userId: string,
    private readonly peer: RelayPeer,
  ) {
    socket.addEventListener('open', () => {
      this.open = true;
      for (const text of this.queue.splice(0)) socket.send(text);
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', () => {
      this.enteredNow();
      this.exit();
    });
    socket.addEventListener('error', () => undefined);
    this.send({ type: 'media-enter', room, userId });
  }

  setTrack(kind: MediaKind, track: MediaStreamTrack | undefined): void {
    this.setTracks({ [kind]: track });
  }

  setTracks(tracks: Partial<Record<MediaKind, MediaStreamTrack | undefined>>): void {
    if (this.gone) return;
    const replaced = (kind: MediaKind) => {
      const next = tracks[kind];
      // A track in place of another (a device switch): the same connections carry it, as in this page's relay
      // (relay.ts) and as the SDKs' own switchDevice/replaceTrack; the peers notice nothing.
      const swap = this.tracks[kind] ? next : undefined;
      for (const [id, out] of this.outgoing) {
        if (out.kind !== kind) continue;
        const sender = swap && out.pc.getSenders()[0];
        if (swap && sender) sender.replaceTrack(swap).catch(() => this.closeOutgoing(id, true));
        else this.closeOutgoing(id, true);
      }
    };
    if (applyTracks(this.tracks, tracks, replaced)) this.publish();
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    if (!this.gone && applyMuted(this.muted, kind, muted)) this.publish();
  }

  subscribe(publisherId: string, kind: MediaKind): Promise<MediaLink> {
    if (this.gone) return Promise.reject(new Error('Not in the room.'));
    const id = `${this.userId}-${++lastSubscription}`;
    const pc = new RTCPeerConnection();
    return new Promise<MediaLink>((resolve, reject) => {
      let track: MediaStreamTrack | undefined;
      const incoming: Incoming = { kind, publisher: publisherId, pc, fail: reject };
      this.incoming.set(id, incoming);
      pc.onicecandidate = ({ candidate }) => {
        if (candidate) this.signal(publisherId, { type: 'ice', id, toPublisher: true, candidate: candidate.toJSON() });
      };
      pc.ontrack = (event) => (track = event.track);
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'connected' && track && !incoming.link) {
          let closed = false;
          const link: MediaLink = {
            room: this.room,
            publisherId,
            subscriberId: this.userId,
            kind,
            track,
            get closed() {
              return closed;
            },
            close: () => {
              if (closed) return;
              closed = true;
              this.closeIncoming(id, true);
            },
          };
          incoming.link = link;
          this.links.add(link);
          resolve(link);
        } else if (pc.connectionState === 'failed') this.closeIncoming(id, true);
      };
      this.signal(publisherId, { type: 'subscribe', id, kind });
    });
  }

  link(): LinkCondition {
    return this.currentLink;
  }

  exit(): void {
    if (this.gone) return;
    // The other ends are told first (a subscriber that publishes nothing is not announced when it goes).
    for (const id of [...this.outgoing.keys()]) this.closeOutgoing(id, true);
    for (const id of [...this.incoming.keys()]) this.closeIncoming(id, true);
    this.gone = true;
    this.socket.close(1000);
  }

  private publish(): void {
    const publication: Publication = publicationOf(this.tracks, this.muted);
    this.send({ type: 'media-publish', publication });
  }

  private send(message: MediaClientMessage): void {
    const text = JSON.stringify(message);
    if (this.open) this.socket.send(text);
    else this.queue.push(text);
  }

  private signal(to: string, payload: Signal): void {
    if (!this.gone) this.send({ type: 'media-signal', to, payload });
  }

  private receive(text: string): void {
    if (this.gone) return;
    let message: MediaServerMessage;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.type === 'media-entered') {
      this.refusal = message.refusal;
      this.enteredNow();
    } else if (message.type === 'media-published') {
      const publication = { ...NOTHING_PUBLISHED, ...message.publication };
      this.peer.published(message.userId, publication);
      if (!publishesAny(publication)) {
        for (const [id, incoming] of this.incoming)
          if (incoming.publisher === message.userId) this.closeIncoming(id, false);
        for (const [id, out] of this.outgoing) if (out.subscriber === message.userId) this.closeOutgoing(id, false);
      }
    } else if (message.type === 'media-link') this.currentLink = message.link;
    else if (message.type === 'media-signal') void this.onSignal(message.from, message.payload as Signal);
  }

  private async onSignal(from: string, signal: Signal): Promise<void> {
    try {
      if (signal.type === 'subscribe') await this.answerSubscription(from, signal.id, signal.kind);
      else if (signal.type === 'offer') {
        const incoming = this.incoming.get(signal.id);
        if (!incoming) return;
        await incoming.pc.setRemoteDescription(signal.sdp);
        await incoming.pc.setLocalDescription();
        this.signal(from, { type: 'answer', id: signal.id, sdp: incoming.pc.localDescription!.toJSON() });
      } else if (signal.type === 'answer') await this.outgoing.get(signal.id)?.pc.setRemoteDescription(signal.sdp);
      else if (signal.type === 'ice') {
        const pc = signal.toPublisher ? this.outgoing.get(signal.id)?.pc : this.incoming.get(signal.id)?.pc;
        await pc?.addIceCandidate(signal.candidate);
      } else if (signal.type === 'refuse') {
        this.incoming.get(signal.id)?.fail(new Error(signal.reason));
        this.closeIncoming(signal.id, false);
      } else if (signal.type === 'close') {
        if (signal.toPublisher) this.closeOutgoing(signal.id, false);
        else this.closeIncoming(signal.id, false);
      }
    } catch {
      // A subscription whose connection was closed meanwhile: its end has been told, or will be.
    }
  }

  /** The publisher's end of a subscription: sends its track, and makes the offer. */
  private async answerSubscription(subscriber: string, id: string, kind: MediaKind): Promise<void> {
    const track = this.tracks[kind];
    if (!track) {
      this.signal(subscriber, { type: 'refuse', id, reason: `${this.userId} publishes no ${kind}.` });
      return;
    }
    const pc = new RTCPeerConnection();
    this.outgoing.set(id, { kind, subscriber, pc });
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.signal(subscriber, { type: 'ice', id, toPublisher: false, candidate: candidate.toJSON() });
    };
    pc.addTrack(track, new MediaStream([track]));
    await pc.setLocalDescription();
    this.signal(subscriber, { type: 'offer', id, sdp: pc.localDescription!.toJSON() });
  }

  private closeOutgoing(id: string, tell: boolean): void {
    const out = this.outgoing.get(id);
    if (!out) return;
    this.outgoing.delete(id);
    out.pc.close();
    if (tell) this.signal(out.subscriber, { type: 'close', id, toPublisher: false });
  }

  private closeIncoming(id: string, tell: boolean): void {
    const incoming = this.incoming.get(id);
    if (!incoming) return;
    this.incoming.delete(id);
    incoming.pc.close();
    incoming.fail(new Error('The subscription was closed.'));
    if (incoming.link) {
      this.links.delete(incoming.link);
      incoming.link.track.stop();
      incoming.link.close();
    }
    if (tell) this.signal(incoming.publisher, { type: 'close', id, toPublisher: true });
  }
}
