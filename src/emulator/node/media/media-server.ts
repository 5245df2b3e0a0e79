/**
 * The emulator's media server (an SFU) for the unmodified TRTC SDKs: each SDK connection gets server-side
 * peer connections (transport.ts), a publisher's RTP goes to each subscriber as it came (no transcoding:
 * werift's sender rewrites SSRC, payload type, sequence number and timestamp to what the subscriber's SDP
 * says), keyframes are asked of the publisher when a subscription starts and whenever a subscriber asks
 * (PLI, FIR), and werift answers NACKs from its send history and sends NACKs for what it lost on receipt.
 *
 * The API, for the signalling dialects (signalling-v4.ts; trtc-sdk-v5's single peer connection builds on it too):
 *
 *   const media = createMediaServer({ maxMembers, log });
 *   const member = media.member(roomKey, userId);   // throws MediaRefusal past the cap (the sentence says why)
 *   const transport = member.transport('uplink');   // a werift RTCPeerConnection, loopback ICE-lite
 *   const answerSdp = await transport.answer(offerSdp, (transceivers) => ...);  // the server's answer
 *   member.setSource('video', transceiver.receiver.track);   // what this member publishes, per kind
 *   member.publish({ audio, video, audioMuted, videoMuted }); // the flags peers learn (v4/v5 cmd 23)
 *   const sender = downlink.addSender('video', { ssrc, streamId });  // before answer(): the answer names it
 *   const forward = member.forward(publisherUserId, 'video', sender, downlink);  // forward.stop()
 *   media.onPublications(roomKey, (list) => ...);    // every change of who publishes what in the room
 *   media.end(roomKey, userId, 'left');              // leave, ban, removal, drop: forwarding stops, transports close
 *
 * A transport made with `{ from: publisherUserId }` (a v4 downlink) also closes when that publisher's media ends.
 * Memory per member is bounded: werift keeps a fixed-size send history per sender; nothing here grows with time.
 */
import type { MediaStreamTrack, RTCRtpReceiver, RTCRtpSender, RtpHeader, RtpPacket } from 'werift';
import type { MediaPublication } from '../../core/wire-protocol.js';
import { MediaTransport } from './transport.js';
import type { LinkCondition } from '../../core/faults.js';

export { MediaTransport, MEDIA_CODECS, MEDIA_HOST } from './transport.js';
export type { MediaPublication };

/** `screen`: a screen share, the publisher's second video (trtc-js-sdk's auxiliary stream, trtc-sdk-v5's sub stream). */
export type MediaKind = 'audio' | 'video' | 'screen';

/** At most this many members publish or subscribe at once per emulator, by default. */
export const DEFAULT_MAX_MEDIA_MEMBERS = 8;
/** A publisher is asked for a keyframe at most this often, however many subscribers ask. */
const KEYFRAME_INTERVAL_MS = 300;
/** RTCP payload-specific feedback FMT of a full intra request (RFC 5104). */
const FIR_FMT = 4;

export const NO_PUBLICATION: MediaPublication = {
  audio: false,
  video: false,
  screen: false,
  audioMuted: false,
  videoMuted: false,
};

/** A member the media server will not serve: its message is the sentence to show. */
export class MediaRefusal extends Error {
  override name = 'MediaRefusal';
}

export interface MediaServerOptions {
  /** Members (one per userId per room) that may publish or subscribe at once; default 8. */
  maxMembers?: number;
  log?: (line: string) => void;
  /** A member's media link under injected faults (link.ts), by room key and userId; default always clear. */
  linkOf?: (room: string, userId: string) => LinkCondition;
}

export interface PublishedUser {
  userId: string;
  publication: MediaPublication;
}

export interface Forward {
  readonly publisherUserId: string;
  readonly kind: MediaKind;
  /** Asks the publisher for a keyframe (rate-limited per publisher). */
  requestKeyframe(): void;
  stop(): void;
}

/** Where a forward sends: a werift sender (`forward()`), or anything else (`forwardTo()`, e.g. a raw SRTP session). */
export interface ForwardTarget {
  /** One packet of the publisher's, a copy the target may rewrite. */
  send(rtp: RtpPacket): void;
  /** The publisher's track changed (a republish): `header` is the new track's first packet's. */
  restart?(header: RtpHeader): void;
  /** A closed target gets nothing more. */
  readonly closed: boolean;
}

/** A source's keyframe request: the receiver a PLI goes out on, or a function of the caller's. */
export type KeyframeRequester = RTCRtpReceiver | (() => void);

export interface MediaMember {
  readonly room: string;
  readonly userId: string;
  readonly ended: boolean;
  /** A new server-side peer connection of this member; `from` ties it to one publisher (closed when they end). */
  transport(label: string, options?: { from?: string }): MediaTransport;
  /**
   * The track this member publishes for `kind`, or null: a werift receive track of one of its transports (with
   * its receiver, which PLIs go out on), or any werift MediaStreamTrack fed with `writeRtp()` (with a function
   * that asks the publisher for a keyframe).
   */
  setSource(kind: MediaKind, track: MediaStreamTrack | null, keyframe?: KeyframeRequester): void;
  /** What peers are told this member publishes. */
  publish(publication: MediaPublication): void;
  readonly publication: MediaPublication;
  /** Forwards `publisherUserId`'s `kind` to `sender`, a sender of `transport`, one of this member's. */
  forward(publisherUserId: string, kind: MediaKind, sender: RTCRtpSender, transport: MediaTransport): Forward;
  /** Forwards `publisherUserId`'s `kind` to `target` (the caller rewrites SSRCs and asks for keyframes itself). */
  forwardTo(publisherUserId: string, kind: MediaKind, target: ForwardTarget): Forward;
}

export interface MediaServer {
  readonly maxMembers: number;
  /** The member's media, made at its first use. Throws MediaRefusal when the emulator serves maxMembers already. */
  member(room: string, userId: string): MediaMember;
  /** The member's media if it has any. */
  find(room: string, userId: string): MediaMember | undefined;
  /** The users of the room with media here (publishing, subscribing, or both). */
  members(room: string): string[];
  /** Ends the member's media (left, removed, banned, dropped, replaced): forwarding stops, its transports close. */
  end(room: string, userId: string, why: string): void;
  /** Who publishes what in the room (members with something published or muted). */
  publications(room: string): PublishedUser[];
  /** Calls `listener` after every change of the room's publications; returns the unsubscribe function. */
  onPublications(room: string, listener: (users: PublishedUser[]) => void): () => void;
  stats(): { members: number; transports: number; forwards: number };
  close(): Promise<void>;
}

interface Source {
  track: MediaStreamTrack | null;
  keyframe: KeyframeRequester | null;
  forwards: Set<ForwardImpl>;
  lastKeyframeRequest: number;
}

class ForwardImpl implements Forward {
  private unsubscribeRtp: (() => void) | null = null;
  private disposers: (() => void)[] = [];
  stopped = false;
  /** The member's transport the forward sends on, if it is a werift sender's (closed with it). */
  transport: MediaTransport | null = null;

  constructor(
    readonly publisherUserId: string,
    readonly kind: MediaKind,
    private readonly source: () => Source | undefined,
    readonly target: ForwardTarget,
    readonly requestKeyframe: () => void,
    private readonly onStop: (forward: ForwardImpl) => void,
  ) {}

  /** Stops with `dispose` run (a subscription of the target's). */
  own(dispose: () => void): void {
    this.disposers.push(dispose);
  }

  /** Follows the publisher's current track (a republish gives a new one; sequence and timestamps stay continuous). */
  attach(track: MediaStreamTrack | null): void {
    this.unsubscribeRtp?.();
    this.unsubscribeRtp = null;
    if (!track || this.stopped) return;
    let first = true;
    this.unsubscribeRtp = track.onReceiveRtp.subscribe((rtp) => {
      if (this.target.closed) return;
      if (first) {
        first = false;
        this.target.restart?.(rtp.header);
      }
      // A copy: werift's sendRtp rewrites the header in place, and every subscriber gets the same packet.
      this.target.send(rtp.clone());
    }).unSubscribe;
    if (this.kind !== 'audio') this.requestKeyframe();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribeRtp?.();
    this.unsubscribeRtp = null;
    for (const dispose of this.disposers.splice(0)) dispose();
    this.source()?.forwards.delete(this);
    this.onStop(this);
  }
}

interface MemberState extends MediaMember {
  sources: Record<MediaKind, Source>;
  transports: Set<MediaTransport>;
  /** Transports tied to one publisher (`from`), to close when that publisher ends. */
  tiedTo: Map<MediaTransport, string>;
  outgoing: Set<ForwardImpl>;
}

export function createMediaServer(options: MediaServerOptions = {}): MediaServer {
  const maxMembers = options.maxMembers ?? DEFAULT_MAX_MEDIA_MEMBERS;
  if (!Number.isInteger(maxMembers) || maxMembers < 1)
    throw new RangeError(`maxMediaMembers must be a positive integer, not ${String(maxMembers)}.`);
  const log = options.log ?? (() => undefined);
  const rooms = new Map<string, Map<string, MemberState>>();
  const listeners = new Map<string, Set<(users: PublishedUser[]) => void>>();
  let count = 0;
  let transportCount = 0;
  let forwardCount = 0;

  const emptySource = (): Source => ({ track: null, keyframe: null, forwards: new Set(), lastKeyframeRequest: 0 });
  const publications = (room: string): PublishedUser[] =>
    [...(rooms.get(room)?.values() ?? [])]
      .filter(({ publication: p }) => p.audio || p.video || p.screen || p.audioMuted || p.videoMuted)
      .map(({ userId, publication }) => ({ userId, publication: { ...publication } }));
  const announce = (room: string) => {
    const list = publications(room);
    for (const listener of [...(listeners.get(room) ?? [])]) listener(list);
  };

  function requestKeyframe(source: Source): void {
    const { keyframe, track } = source;
    if (!keyframe || !track) return;
    const now = Date.now();
    if (now - source.lastKeyframeRequest < KEYFRAME_INTERVAL_MS) return;
    source.lastKeyframeRequest = now;
    if (typeof keyframe === 'function') keyframe();
    else if (track.ssrc !== undefined)
      void keyframe
        .sendRtcpPLI(track.ssrc)
        .catch((error: unknown) => log(`media: a keyframe request failed: ${String(error)}`));
  }

  function create(room: string, userId: string): MemberState {
    const members = rooms.get(room) ?? new Map<string, MemberState>();
    rooms.set(room, members);
    let publication = NO_PUBLICATION;
    const member: MemberState = {
      room,
      userId,
      ended: false,
      sources: { audio: emptySource(), video: emptySource(), screen: emptySource() },
      transports: new Set(),
      tiedTo: new Map(),
      outgoing: new Set(),
      get publication() {
        return publication;
      },
      transport(label, { from } = {}) {
        if (member.ended)
          throw new MediaRefusal(`The media of ${userId} has ended; join again to publish or subscribe.`);
        const linkOf = options.linkOf;
        const transport = new MediaTransport(
          `${userId}/${label}`,
          log,
          linkOf ? () => linkOf(room, userId) : undefined,
        );
        member.transports.add(transport);
        transportCount++;
        if (from !== undefined) member.tiedTo.set(transport, from);
        transport.onClosed(() => {
          member.transports.delete(transport);
          member.tiedTo.delete(transport);
          transportCount--;
          for (const forward of [...member.outgoing]) if (forward.transport === transport) forward.stop();
        });
        return transport;
      },
      setSource(kind, track, keyframe) {
        const source = member.sources[kind];
        if (source.track === track) return;
        source.track = track;
        source.keyframe = track ? (keyframe ?? null) : null;
        for (const forward of source.forwards) forward.attach(track);
      },
      publish(next) {
        if (member.ended) return;
        const same =
          next.audio === publication.audio &&
          next.video === publication.video &&
          next.audioMuted === publication.audioMuted &&
          next.videoMuted === publication.videoMuted;
        publication = { ...next };
        if (!same) announce(room);
      },
      forward(publisherUserId, kind, sender, transport) {
        if (!member.transports.has(transport))
          throw new Error(`forward(): the transport ${transport.label} is not one of ${userId}'s.`);
        const forward = member.forwardTo(publisherUserId, kind, {
          send: (rtp) => void sender.sendRtp(rtp),
          restart: (header) => sender.replaceRTP(header, true),
          get closed() {
            return transport.closed;
          },
        }) as ForwardImpl;
        forward.transport = transport;
        if (kind !== 'audio') {
          forward.own(sender.onPictureLossIndication.subscribe(() => forward.requestKeyframe()).unSubscribe);
          forward.own(
            sender.onRtcp.subscribe((packet) => {
              const feedback = (packet as { feedback?: { count?: number } }).feedback;
              if (packet.type === 206 && feedback?.count === FIR_FMT) forward.requestKeyframe();
            }).unSubscribe,
          );
          // A decoder starts at a keyframe: ask for one as soon as this subscriber can receive it.
          transport.whenConnected(() => forward.requestKeyframe());
        }
        return forward;
      },
      forwardTo(publisherUserId, kind, target) {
        if (member.ended) throw new MediaRefusal(`The media of ${userId} has ended; join again to subscribe.`);
        const sourceOf = () => rooms.get(room)?.get(publisherUserId)?.sources[kind];
        const forward = new ForwardImpl(
          publisherUserId,
          kind,
          sourceOf,
          target,
          () => {
            const source = sourceOf();
            if (source) requestKeyframe(source);
          },
          (stopped) => {
            member.outgoing.delete(stopped);
            const key = `${room}\n${publisherUserId}`;
            waitingFor.get(key)?.delete(stopped);
            if (waitingFor.get(key)?.size === 0) waitingFor.delete(key);
            forwardCount--;
          },
        );
        forwardCount++;
        member.outgoing.add(forward);
        const source = sourceOf();
        if (source) {
          source.forwards.add(forward);
          forward.attach(source.track);
        } else pending(room, publisherUserId).add(forward);
        return forward;
      },
    };
    members.set(userId, member);
    count++;
    // Subscriptions made before this publisher had media (a v4 subscriber may subscribe first) now find it.
    const waiting = waitingFor.get(`${room}\n${userId}`);
    if (waiting) {
      waitingFor.delete(`${room}\n${userId}`);
      for (const forward of waiting)
        if (!forward.stopped) {
          member.sources[forward.kind].forwards.add(forward);
          forward.attach(member.sources[forward.kind].track);
        }
    }
    return member;
  }

  /** Forwards from a publisher who has no media yet, by room and userId. */
  const waitingFor = new Map<string, Set<ForwardImpl>>();
  function pending(room: string, userId: string): Set<ForwardImpl> {
    const key = `${room}\n${userId}`;
    const set = waitingFor.get(key) ?? new Set<ForwardImpl>();
    waitingFor.set(key, set);
    return set;
  }

  function end(room: string, userId: string, why: string): void {
    const members = rooms.get(room);
    const member = members?.get(userId);
    if (!members || !member) return;
    (member as { ended: boolean }).ended = true;
    members.delete(userId);
    count--;
    for (const forward of [...member.outgoing]) forward.stop();
    for (const kind of ['audio', 'video', 'screen'] as const) {
      for (const forward of [...member.sources[kind].forwards]) {
        // Subscribers keep their forward, waiting: the same user may publish again (v4 rejoins as a new member).
        forward.attach(null);
        member.sources[kind].forwards.delete(forward);
        pending(room, userId).add(forward);
      }
    }
    for (const transport of [...member.transports]) void transport.close();
    // Subscribers' transports that served only this publisher (v4 downlinks) close too.
    for (const other of members.values())
      for (const [transport, from] of [...other.tiedTo]) if (from === userId) void transport.close();
    const { audio, video, screen, audioMuted, videoMuted } = member.publication;
    const hadPublication = audio || video || screen || audioMuted || videoMuted;
    if (members.size === 0) rooms.delete(room);
    log(`media of ${userId} in ${room} ended (${why})`);
    if (hadPublication) announce(room);
  }

  return {
    maxMembers,
    member(room, userId) {
      const existing = rooms.get(room)?.get(userId);
      if (existing) return existing;
      if (count >= maxMembers)
        throw new MediaRefusal(
          `The emulator's media server serves at most ${maxMembers} members at once (its maxMediaMembers setting), and ${count} are publishing or subscribing; ${userId} gets no media until one leaves.`,
        );
      return create(room, userId);
    },
    find: (room, userId) => rooms.get(room)?.get(userId),
    members: (room) => [...(rooms.get(room)?.keys() ?? [])],
    end,
    publications,
    onPublications(room, listener) {
      const set = listeners.get(room) ?? new Set();
      listeners.set(room, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(room);
      };
    },
    stats: () => ({ members: count, transports: transportCount, forwards: forwardCount }),
    async close() {
      for (const [room, members] of [...rooms]) for (const userId of [...members.keys()]) end(room, userId, 'closed');
      listeners.clear();
      waitingFor.clear();
    },
  };
}
