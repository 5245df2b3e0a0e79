/**
 * The emulator's media plane: who publishes which track in which room, and real WebRTC between a publisher
 * and each subscriber. Every subscription is a pair of RTCPeerConnections in this page, connected to each
 * other directly (offer, answer and ICE candidates handed over in memory, no server): the subscriber receives
 * a real remote track, decoded from real RTP, as it would from TRTC's media server.
 */

import { CLEAR_LINK, type LinkCondition } from '../../core/faults.js';

/** `screen`: a screen share, a video track of its own beside the camera's (v4's auxiliary stream, v5's sub stream). */
export type MediaKind = 'audio' | 'video' | 'screen';
export const MEDIA_KINDS: readonly MediaKind[] = ['audio', 'video', 'screen'];

/** What a member publishes, as the others see it: which tracks exist, and which of them are muted. */
export interface Publication {
  audio: boolean;
  video: boolean;
  screen: boolean;
  audioMuted: boolean;
  videoMuted: boolean;
}

export const NOTHING_PUBLISHED: Readonly<Publication> = Object.freeze({
  audio: false,
  video: false,
  screen: false,
  audioMuted: false,
  videoMuted: false,
});

/** Whether a publication has any track (none: the member publishes nothing, or left). */
export const publishesAny = (publication: Publication): boolean =>
  publication.audio || publication.video || !!publication.screen;

/** A member's publication from its tracks and mute flags. */
export const publicationOf = (
  tracks: Partial<Record<MediaKind, MediaStreamTrack>>,
  muted: Record<MediaKind, boolean>,
): Publication => ({
  audio: !!tracks.audio,
  video: !!tracks.video,
  screen: !!tracks.screen,
  audioMuted: muted.audio,
  videoMuted: muted.video,
});

/** How the relay reaches one member's SDK double. */
export interface RelayPeer {
  /** `userId`'s publication changed (all false: it published nothing more, or left). Arrives in a task of its own. */
  published(userId: string, publication: Publication): void;
}

/** One subscriber's copy of one published track, carried over a pair of peer connections. */
export interface MediaLink {
  readonly room: string;
  readonly publisherId: string;
  readonly subscriberId: string;
  readonly kind: MediaKind;
  /** The received track (the subscriber's side of the connection). */
  readonly track: MediaStreamTrack;
  readonly closed: boolean;
  close(): void;
  /**
   * Sends another track of the same kind on this link's connection (`RTCRtpSender.replaceTrack`): the subscriber
   * keeps its track, as with the SDKs' own replaceTrack/switchDevice. Absent: the link is closed instead.
   */
  replace?(source: MediaStreamTrack): Promise<void>;
}

/** Where the SDK doubles publish and subscribe: in this page (MediaRelay) or across pages (NetworkMediaRelay). */
export interface MediaPlane {
  /** Links not yet closed, for tests. */
  readonly links: Set<MediaLink>;
  /** Every track the SDK doubles captured from a device, ended or not, for leak checks. */
  readonly capturedTracks: Set<MediaStreamTrack>;
  /** Puts a client in a room's media plane; it hears every current publication, then each change. */
  enter(room: string, userId: string, peer: RelayPeer): PlaneMember;
}

/** One client in a room's media plane. */
export interface PlaneMember {
  /**
   * Settles once the plane has taken the member (at once in this page; across pages, at the emulator's answer).
   * Then `refusal` is the emulator's sentence if this member gets no media in the room (media-carriers.ts).
   */
  readonly entered: Promise<void>;
  readonly refusal: string | undefined;
  setTrack(kind: MediaKind, track: MediaStreamTrack | undefined): void;
  setTracks(tracks: Partial<Record<MediaKind, MediaStreamTrack | undefined>>): void;
  setMuted(kind: MediaKind, muted: boolean): void;
  subscribe(publisherId: string, kind: MediaKind): Promise<MediaLink>;
  /** The member's link as the emulator's faults make it now (a drop blocks it; `degradeMedia` delays and loses). */
  link(): LinkCondition;
  exit(): void;
}

/**
 * Sets a member's published tracks (a kind left out is unchanged); `replaced(kind)` runs before each kind whose
 * track changes, for its subscriptions to close. Returns whether anything changed.
 */
export function applyTracks(
  current: Partial<Record<MediaKind, MediaStreamTrack>>,
  tracks: Partial<Record<MediaKind, MediaStreamTrack | undefined>>,
  replaced: (kind: MediaKind) => void,
): boolean {
  let changed = false;
  for (const kind of MEDIA_KINDS) {
    if (!(kind in tracks) || current[kind] === tracks[kind]) continue;
    changed = true;
    replaced(kind);
    const track = tracks[kind];
    if (track) current[kind] = track;
    else delete current[kind];
  }
  return changed;
}

/** Sets one kind's mute flag; returns whether it changed. */
export function applyMuted(muted: Record<MediaKind, boolean>, kind: MediaKind, value: boolean): boolean {
  if (muted[kind] === value) return false;
  muted[kind] = value;
  return true;
}

/** The relay of one emulator: in-memory rooms of publishers and their subscribers. */
export class MediaRelay implements MediaPlane {
  private readonly rooms = new Map<string, Map<string, RelayMember>>();

  /** `linkOf`: the emulator's faults on a member (its fault board's); none given, every link is clear. */
  constructor(readonly linkOf: (room: string, userId: string) => LinkCondition = () => CLEAR_LINK) {}

  /** Links not yet closed, for tests. */
  readonly links = new Set<MediaLink>();
  /** Every track the SDK doubles captured from a device, ended or not, for leak checks. */
  readonly capturedTracks = new Set<MediaStreamTrack>();

  /** Puts a client in a room's media plane; it hears every current publication, then each change. */
  enter(room: string, userId: string, peer: RelayPeer): RelayMember {
    const members = this.rooms.get(room) ?? new Map<string, RelayMember>();
    this.rooms.set(room, members);
    members.get(userId)?.exit();
    const member = new RelayMember(this, room, userId, peer);
    members.set(userId, member);
    for (const other of members.values()) if (other !== member) member.deliver(other.userId, other.publication());
    return member;
  }

  /** @internal */
  membersOf(room: string): Map<string, RelayMember> {
    return this.rooms.get(room) ?? new Map();
  }

  /** @internal */
  remove(member: RelayMember): void {
    const members = this.rooms.get(member.room);
    if (members?.get(member.userId) !== member) return;
    members.delete(member.userId);
    if (members.size === 0) this.rooms.delete(member.room);
  }
}

export class RelayMember implements PlaneMember {
  readonly entered = Promise.resolve();
  readonly refusal = undefined;
  private readonly tracks: Partial<Record<MediaKind, MediaStreamTrack>> = {};
  private readonly muted: Record<MediaKind, boolean> = { audio: false, video: false, screen: false };
  private gone = false;

  constructor(
    private readonly relay: MediaRelay,
    readonly room: string,
    readonly userId: string,
    private readonly peer: RelayPeer,
  ) {}

  publication(): Publication {
    return publicationOf(this.tracks, this.muted);
  }

  link(): LinkCondition {
    return this.relay.linkOf(this.room, this.userId);
  }

  /** Publishes `track` as this member's `kind` (undefined: unpublishes it); a replaced track reaches its subscribers on the same links. */
  setTrack(kind: MediaKind, track: MediaStreamTrack | undefined): void {
    this.setTracks({ [kind]: track });
  }

  /** Sets several kinds at once: the others hear one change (a LocalStream published with both tracks). */
  setTracks(tracks: Partial<Record<MediaKind, MediaStreamTrack | undefined>>): void {
    if (this.gone) return;
    const replaced = (kind: MediaKind) => {
      const next = tracks[kind];
      const mine = (link: MediaLink) => link.publisherId === this.userId && link.kind === kind;
      // A track in place of another (a device switch): the same connections carry it; the peers notice nothing.
      if (!next || !this.tracks[kind]) return this.closeLinks(mine);
      for (const link of [...this.relay.links])
        if (link.room === this.room && mine(link)) {
          if (link.replace) link.replace(next).catch(() => link.close());
          else link.close();
        }
    };
    if (applyTracks(this.tracks, tracks, replaced)) this.announce();
  }

  setMuted(kind: MediaKind, muted: boolean): void {
    if (!this.gone && applyMuted(this.muted, kind, muted)) this.announce();
  }

  /**
   * Receives `publisherId`'s `kind` over a new pair of peer connections. Resolves once they are connected;
   * rejects if that user publishes no such track, or the connection fails or is closed first.
   */
  async subscribe(publisherId: string, kind: MediaKind): Promise<MediaLink> {
    const publisher = this.relay.membersOf(this.room).get(publisherId);
    const source = publisher?.tracks[kind];
    if (this.gone || !publisher || !source) throw new Error(`${publisherId} publishes no ${kind} in this room.`);
    const link = await connectLoopback(
      source,
      { room: this.room, publisherId, subscriberId: this.userId, kind },
      (closed) => this.relay.links.delete(closed),
    );
    // The publication or membership changed while connecting: that subscription is void.
    if (this.gone || publisher.gone || publisher.tracks[kind] !== source) {
      link.close();
      const why = this.gone ? 'the subscriber left' : publisher.gone ? 'the publisher left' : 'its track changed';
      throw new Error(`${publisherId} stopped publishing ${kind} while it was being subscribed (${why}).`);
    }
    this.relay.links.add(link);
    return link;
  }

  /** Leaves the media plane: unpublishes everything and closes every link to and from this member. */
  exit(): void {
    if (this.gone) return;
    const published = publishesAny(this.publication());
    this.gone = true;
    this.closeLinks((link) => link.publisherId === this.userId || link.subscriberId === this.userId);
    for (const kind of MEDIA_KINDS) delete this.tracks[kind];
    this.relay.remove(this);
    if (published) this.announce(true);
  }

  /** @internal Tells this member about `userId`'s publication, in a task of its own (as a network push). */
  deliver(userId: string, publication: Publication): void {
    if (!publishesAny(publication)) return;
    setTimeout(() => {
      if (!this.gone) this.peer.published(userId, publication);
    });
  }

  private announce(evenIfGone = false): void {
    if (this.gone && !evenIfGone) return;
    const publication = this.publication();
    for (const other of this.relay.membersOf(this.room).values()) {
      if (other === this) continue;
      setTimeout(() => {
        if (!other.gone) other.peer.published(this.userId, publication);
      });
    }
  }

  private closeLinks(which: (link: MediaLink) => boolean): void {
    for (const link of [...this.relay.links]) if (link.room === this.room && which(link)) link.close();
  }
}

/**
 * Sends `source` from one RTCPeerConnection to another in this page: the offer, the answer and each ICE
 * candidate go straight across. Resolves with the receiving side's track once the connection is up.
 */
export async function connectLoopback(
  source: MediaStreamTrack,
  about: Pick<MediaLink, 'room' | 'publisherId' | 'subscriberId' | 'kind'>,
  onClose: (link: MediaLink) => void,
): Promise<MediaLink> {
  const sender = new RTCPeerConnection();
  const receiver = new RTCPeerConnection();
  let closed = false;
  let track!: MediaStreamTrack;
  let abandon: (error: Error) => void = () => undefined;
  const link: MediaLink = {
    ...about,
    get track() {
      return track;
    },
    get closed() {
      return closed;
    },
    close() {
      if (closed) return;
      closed = true;
      abandon(new Error('The media connection was closed before it was up.'));
      sender.close();
      receiver.close();
      track?.stop();
      onClose(link);
    },
    async replace(next) {
      await sender.getSenders()[0]?.replaceTrack(next);
    },
  };
  // A candidate the other end refuses (it closed meanwhile) is not an error: the link's state reports a failure.
  sender.onicecandidate = ({ candidate }) => {
    if (candidate && !closed) receiver.addIceCandidate(candidate).catch(() => undefined);
  };
  receiver.onicecandidate = ({ candidate }) => {
    if (candidate && !closed) sender.addIceCandidate(candidate).catch(() => undefined);
  };
  const received = new Promise<MediaStreamTrack>((resolve) => {
    receiver.ontrack = (event) => resolve(event.track);
  });
  const connected = new Promise<void>((resolve, reject) => {
    abandon = reject;
    receiver.onconnectionstatechange = () => {
      if (receiver.connectionState === 'connected') resolve();
      else if (receiver.connectionState === 'failed' || receiver.connectionState === 'closed')
        reject(new Error(`The media connection ${receiver.connectionState}.`));
    };
  });
  try {
    sender.addTrack(source, new MediaStream([source]));
    await sender.setLocalDescription();
    await receiver.setRemoteDescription(sender.localDescription!);
    await receiver.setLocalDescription();
    await sender.setRemoteDescription(receiver.localDescription!);
    track = await received;
    await connected;
  } catch (error) {
    link.close();
    throw error;
  }
  return link;
}
