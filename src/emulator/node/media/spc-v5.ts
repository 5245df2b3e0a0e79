/**
 * trtc-sdk-v5's single peer connection (`enableSPC`, its default on Chromium), served by the emulator: one werift
 * peer per member carries the member's uplink and every downlink, and RTP is forwarded between members by SSRC.
 * Read from trtc-sdk-v5 5.17.1's `trtc.esm.js`:
 *
 * - The client sends no SDP. At `join/v2` (and `rebuild_pc`) it sends its `ability` (ICE ufrag/password, DTLS
 *   fingerprint and setup, audio/video codecs and header extensions, decoders) and builds the answer itself
 *   from the server's `ability`: `a=ice-lite`, the server's candidates (`{ foundation, ip, port, priority, type }`,
 *   the `foundation` written as the candidate's transport, so it is `udp`), the server's DTLS fingerprint and
 *   setup, one audio codec (`audio.codecs[0]`), for uplink video the codec `useVp8` selects, for downlink video
 *   `video.decoders`. The client strips the mid and rtp-stream-id extensions from its offer, so packets are told
 *   apart by SSRC only.
 * - The server's side here is built without an SDP from the client: an offer written from the client's ability
 *   (one bundled m-line: werift only needs the transport) is given to a werift peer in ICE-lite, loopback only,
 *   with no STUN or TURN server; its answer's ICE and DTLS parameters and candidates become the server's ability.
 *   Incoming RTP and RTCP are taken from the DTLS transport and routed here, not by werift's transceivers.
 * - `publish/v2` names the uplink SSRCs (`audioSsrc`, `bigVideoSsrc`, `bigVideoRtxSsrc`, …); `subscribe/v3` names
 *   the SSRCs the subscriber chose for the publisher's audio, big video and its RTX. Forwarding rewrites SSRC and
 *   payload type; sequence numbers and timestamps pass through while the publisher's stream stays the same, and
 *   continue where they were when it is replaced (a publisher that joins again or rebuilds its peer connection
 *   sends with new SSRCs: downlink-numbering.ts). A subscriber's NACK reaches the publisher with its SSRC and
 *   sequence numbers mapped back, and the publisher's retransmissions (RTX) reach the subscriber the same way.
 * - A subscription starts with a PLI to the publisher; a subscriber's PLI and FIR are passed to the publisher; a
 *   downlink whose publisher stream was replaced asks the publisher for a keyframe.
 * - The screen (the sub stream) goes on the same peer connection: `startScreenShare()` → `room.publish()` with
 *   `isAuxiliary`, the track on the fourth transceiver (`publishByTransceiver`), and a second `publish/v2` with
 *   every uplink SSRC (`Ig()`: the fourth m-line's are `auxVideoSsrc` / `auxVideoRtxSsrc`) and `state.auxVideo`.
 * - Not served: the small video, H.265, simulcast, the data channel, TURN.
 */
import {
  GenericNack,
  PictureLossIndication,
  RTCPeerConnection,
  RtcpPayloadSpecificFeedback,
  RtcpTransportLayerFeedback,
  RtpHeader,
  type RtcpPacket,
  type RtpPacket,
  type RTCDtlsTransport,
} from 'werift';
import type { LinkCondition } from '../../core/faults.js';
import { clearLink, impairPeerConnection, type LinkOf } from './link.js';
import { DownlinkNumbering } from './downlink-numbering.js';

/** The codec entries of an ability, as the SDK writes them (`Ag()` in trtc.esm.js). */
export interface AbilityCodec {
  payload: number;
  codec: string;
  fmtp: string;
  rate: number;
  channels?: number;
  rtx: number;
  rtcpfb: { id: string; params: string[] }[];
}
interface AbilityExtension {
  id: number;
  uri: string;
}
/** What the client sends as `ability` (`Rg()` in trtc.esm.js). */
export interface ClientAbility {
  ice: { ufrag: string; password: string };
  dtls: { hash: string; fingerprint: string; setup: string };
  audio: { codecs: AbilityCodec[]; extensions: AbilityExtension[] };
  video: { codecs: AbilityCodec[]; decoders: AbilityCodec[]; extensions: AbilityExtension[] };
  useDataChannel?: boolean;
}
/** What the server answers as `ability`: the client's shape plus candidates and the codec choice. */
export interface ServerAbility extends ClientAbility {
  candidates: { foundation: string; ip: string; port: number; priority: number; type: string }[];
  useVp8: boolean;
  useH265: boolean;
}
/** `publish/v2`'s SSRCs (`Ig()` in trtc.esm.js: from the client's local offer). */
export interface UplinkSsrcs {
  audioSsrc: number;
  bigVideoSsrc: number;
  bigVideoRtxSsrc: number;
  /** The sub stream (screen share): `startScreenShare()`'s track. */
  auxVideoSsrc: number;
  auxVideoRtxSsrc: number;
}
/** `subscribe/v3`'s `ssrc`: where the subscriber wants the publisher's streams (`Fa()` in trtc.esm.js). */
export interface DownlinkSsrcs {
  audioSsrc: number;
  bigVideoSsrc: number;
  bigVideoRtxSsrc: number;
  auxVideoSsrc: number;
  auxVideoRtxSsrc: number;
}
/** What a subscriber receives of a publisher (`subscribe/v3`, `subscribe_change`). */
interface Wants {
  audio: boolean;
  bigVideo: boolean;
  auxVideo: boolean;
}
const wantsOf = (data: Record<string, unknown>): Wants => ({
  audio: !!data.audio,
  bigVideo: !!data.bigVideo,
  auxVideo: !!data.auxVideo,
});
/** The SSRCs of a `publish/v2` or of a `subscribe/v3`'s `ssrc`, 0 where not given. */
const ssrcsOf = (data: Partial<Record<keyof UplinkSsrcs, unknown>>): UplinkSsrcs => ({
  audioSsrc: Number(data.audioSsrc) || 0,
  bigVideoSsrc: Number(data.bigVideoSsrc) || 0,
  bigVideoRtxSsrc: Number(data.bigVideoRtxSsrc) || 0,
  auxVideoSsrc: Number(data.auxVideoSsrc) || 0,
  auxVideoRtxSsrc: Number(data.auxVideoRtxSsrc) || 0,
});
export interface PublishState {
  audio: boolean;
  bigVideo: boolean;
  smallVideo: boolean;
  auxVideo: boolean;
}
export interface MuteState {
  audio: boolean;
  bigVideo: boolean;
  auxVideo: boolean;
}

/** The cmd 23 flag bits (trtc.esm.js `kr`, `hn`, `is`, `Mr`, `ec`, `Ka`). */
export const PUBLISH_FLAG = { BIG_VIDEO: 1, SMALL_VIDEO: 2, AUX_VIDEO: 4, AUDIO: 8, VIDEO_MUTED: 16, AUDIO_MUTED: 64 };
/** Header extensions the client strips from its offer (trtc.esm.js `TA()`), and transport-wide feedback the emulator does not give. */
const UNSERVED_EXTENSIONS = new Set([
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
]);
const SERVED_FEEDBACK = new Set(['nack', 'ccm', 'goog-remb']);
/** The uplink video codec: VP8 (the SDK's `useVp8`), which Chromium encodes everywhere, forwarded unchanged. */
const VIDEO_CODEC = 'vp8';

interface Subscription {
  wants: Wants;
  ssrc: DownlinkSsrcs;
  /** The subscriber's payload types for the publisher's codecs (by codec name, lower case; `rtx` its RTX). */
}

/** One member's single peer connection. */
export interface SpcMember {
  readonly room: string;
  readonly userId: string;
  readonly tinyId: string;
  state: PublishState;
  mute: MuteState;
  uplink: UplinkSsrcs | null;
  /** Publisher userId → what this member receives of them, and where. */
  readonly subscriptions: Map<string, Subscription>;
  /** What this member's downlinks have been sent, to continue them when a publisher's stream is replaced. */
  readonly numbering: DownlinkNumbering;
  peer: RTCPeerConnection;
  dtls: RTCDtlsTransport | null;
  clientAbility: ClientAbility;
  serverAbility: ServerAbility;
  closed: boolean;
}

export interface SpcMediaServerOptions {
  log?(line: string): void;
  /** A member's media link under injected faults (link.ts), by room key and userId; default always clear. */
  linkOf?(room: string, userId: string): LinkCondition;
  /** Told when a room's published-user list changed (to send cmd 23 to its members). */
  publishersChanged?(room: string): void;
  /** The most members with a peer connection at once, across rooms. */
  maxMembers?: number;
}

export const DEFAULT_MAX_SPC_MEMBERS = 16;

export class SpcMediaCapError extends Error {
  constructor(max: number) {
    super(
      `The emulator's media server is full: it carries media for at most ${max} members at once (trtc-sdk-v5 single peer connection).`,
    );
    this.name = 'SpcMediaCapError';
  }
}

const NO_STATE: PublishState = { audio: false, bigVideo: false, smallVideo: false, auxVideo: false };
const NO_MUTE: MuteState = { audio: false, bigVideo: false, auxVideo: false };

/** An SDP offer for werift, written from the client's ability: one bundled m-line is the whole transport. */
function offerFromAbility(ability: ClientAbility): string {
  const opus = ability.audio.codecs[0];
  const payload = opus?.payload ?? 111;
  return (
    [
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      't=0 0',
      'a=group:BUNDLE 0',
      'a=msid-semantic: WMS',
      `m=audio 9 UDP/TLS/RTP/SAVPF ${payload}`,
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      `a=ice-ufrag:${ability.ice.ufrag}`,
      `a=ice-pwd:${ability.ice.password}`,
      `a=fingerprint:${ability.dtls.hash} ${ability.dtls.fingerprint}`,
      `a=setup:${ability.dtls.setup || 'actpass'}`,
      'a=mid:0',
      'a=sendrecv',
      'a=rtcp-mux',
      `a=rtpmap:${payload} opus/48000/2`,
    ].join('\r\n') + '\r\n'
  );
}

function checkAbility(ability: unknown): ClientAbility {
  const a = ability as Partial<ClientAbility> | undefined;
  if (
    !a ||
    typeof a.ice?.ufrag !== 'string' ||
    typeof a.ice.password !== 'string' ||
    typeof a.dtls?.fingerprint !== 'string' ||
    !Array.isArray(a.audio?.codecs) ||
    !Array.isArray(a.video?.codecs)
  )
    throw new Error(
      'The join carries no usable media ability (ice, dtls, audio and video codecs), so the emulator cannot build its side of the peer connection.',
    );
  return a as ClientAbility;
}

const served = (codec: AbilityCodec): AbilityCodec => ({
  ...codec,
  rtcpfb: codec.rtcpfb.filter((fb) => SERVED_FEEDBACK.has(fb.id)),
});

function ssrcOf(line: string, sdp: string): string | undefined {
  return sdp
    .split(/\r?\n/)
    .find((l) => l.startsWith(line))
    ?.slice(line.length);
}

export function createSpcMediaServer(options: SpcMediaServerOptions = {}) {
  const log = options.log ?? (() => undefined);
  const maxMembers = options.maxMembers ?? DEFAULT_MAX_SPC_MEMBERS;
  /** Room → userId → member. */
  const rooms = new Map<string, Map<string, SpcMember>>();
  let count = 0;

  const membersOf = (room: string) => rooms.get(room) ?? new Map<string, SpcMember>();

  async function buildPeer(ability: ClientAbility, link: LinkOf) {
    const peer = new RTCPeerConnection({
      iceServers: [],
      iceLite: true,
      iceUseIpv6: false,
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
      iceAdditionalHostAddresses: ['127.0.0.1'],
      bundlePolicy: 'max-bundle',
    });
    try {
      await peer.setRemoteDescription({ type: 'offer', sdp: offerFromAbility(ability) });
      await peer.setLocalDescription(await peer.createAnswer());
      if (peer.iceGatheringState !== 'complete')
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('ICE gathering on 127.0.0.1 did not finish')), 5000);
          peer.iceGatheringStateChange.subscribe((state) => {
            if (state === 'complete') {
              clearTimeout(timer);
              resolve();
            }
          });
        });
      impairPeerConnection(peer, link);
      const sdp = peer.localDescription?.sdp ?? '';
      const candidates = sdp
        .split(/\r?\n/)
        .filter((line) => line.startsWith('a=candidate:'))
        .map((line) => line.slice('a=candidate:'.length).split(' '))
        .filter((parts) => parts[2]?.toLowerCase() === 'udp' && parts[4] === '127.0.0.1')
        .map((parts) => ({
          foundation: 'udp',
          ip: parts[4]!,
          port: Number(parts[5]),
          priority: Number(parts[3]),
          type: parts[7] ?? 'host',
        }));
      if (candidates.length === 0) throw new Error('The media server found no 127.0.0.1 UDP candidate.');
      const fingerprint = (ssrcOf('a=fingerprint:', sdp) ?? '').split(' ');
      const videoCodecs = ability.video.codecs.filter((c) => c.codec.toLowerCase() === VIDEO_CODEC).map(served);
      if (videoCodecs.length === 0)
        throw new Error(
          `The client offers no ${VIDEO_CODEC.toUpperCase()} video, the one codec the emulator forwards.`,
        );
      const decoders = (ability.video.decoders?.length ? ability.video.decoders : ability.video.codecs)
        .filter((c) => c.codec.toLowerCase() === VIDEO_CODEC)
        .map(served);
      const serverAbility: ServerAbility = {
        ice: { ufrag: ssrcOf('a=ice-ufrag:', sdp) ?? '', password: ssrcOf('a=ice-pwd:', sdp) ?? '' },
        dtls: {
          hash: fingerprint[0] ?? 'sha-256',
          fingerprint: fingerprint[1] ?? '',
          setup: ssrcOf('a=setup:', sdp) ?? 'active',
        },
        candidates,
        audio: {
          codecs: ability.audio.codecs.slice(0, 1).map(served),
          extensions: ability.audio.extensions.filter((e) => !UNSERVED_EXTENSIONS.has(e.uri)),
        },
        video: {
          codecs: videoCodecs.slice(0, 1),
          decoders: (decoders.length ? decoders : videoCodecs).slice(0, 1),
          extensions: ability.video.extensions.filter((e) => !UNSERVED_EXTENSIONS.has(e.uri)),
        },
        useVp8: true,
        useH265: false,
      };
      return { peer, serverAbility };
    } catch (error) {
      await peer.close().catch(() => undefined);
      throw error;
    }
  }

  function flagOf(member: SpcMember): number {
    const { state, mute } = member;
    let flag = 0;
    if (state.bigVideo) flag |= PUBLISH_FLAG.BIG_VIDEO;
    if (state.auxVideo) flag |= PUBLISH_FLAG.AUX_VIDEO;
    if (state.audio) flag |= PUBLISH_FLAG.AUDIO;
    if (state.bigVideo && mute.bigVideo) flag |= PUBLISH_FLAG.VIDEO_MUTED;
    if (state.audio && mute.audio) flag |= PUBLISH_FLAG.AUDIO_MUTED;
    return flag;
  }

  /** The publisher's codec name for a payload type of its uplink ('rtx' for a video RTX payload type). */
  function codecOfPayload(ability: ClientAbility, payloadType: number): string | undefined {
    for (const c of ability.video.codecs) {
      if (c.payload === payloadType) return c.codec.toLowerCase();
      if (c.rtx === payloadType) return `${c.codec.toLowerCase()}/rtx`;
    }
    return undefined;
  }
  function payloadForSubscriber(subscriber: SpcMember, codec: string): number | undefined {
    const [name, rtx] = codec.split('/');
    const decoder = subscriber.serverAbility.video.decoders.find((d) => d.codec.toLowerCase() === name);
    if (!decoder) return undefined;
    return rtx ? decoder.rtx || undefined : decoder.payload;
  }

  function forward(publisher: SpcMember, packet: RtpPacket): void {
    const uplink = publisher.uplink;
    if (!uplink) return;
    const { ssrc, payloadType } = packet.header;
    // Which of the publisher's SSRCs this is, by its name in publish/v2 (the small video is not served).
    const name = !ssrc
      ? undefined
      : (['audioSsrc', 'bigVideoSsrc', 'bigVideoRtxSsrc', 'auxVideoSsrc', 'auxVideoRtxSsrc'] as const).find(
          (key) => uplink[key] === ssrc,
        );
    if (!name) return;
    const wanted: keyof Wants = name === 'audioSsrc' ? 'audio' : name.startsWith('aux') ? 'auxVideo' : 'bigVideo';
    const codec = name === 'audioSsrc' ? undefined : codecOfPayload(publisher.clientAbility, payloadType);
    for (const subscriber of membersOf(publisher.room).values()) {
      const subscription = subscriber.subscriptions.get(publisher.userId);
      if (!subscription || !subscriber.dtls || subscriber.dtls.state !== 'connected') continue;
      if (!subscription.wants[wanted]) continue;
      const to = subscription.ssrc[name];
      const pt =
        name === 'audioSsrc'
          ? subscriber.serverAbility.audio.codecs[0]?.payload
          : codec
            ? payloadForSubscriber(subscriber, codec)
            : undefined;
      if (!to || pt === undefined) continue;
      const { sequenceNumber, timestamp } = packet.header;
      let payload = packet.payload;
      let numbered: { sequenceNumber: number; timestamp: number };
      if (name === 'bigVideoRtxSsrc' || name === 'auxVideoRtxSsrc') {
        // A retransmission: its payload starts with the original sequence number (RFC 4588).
        if (payload.length < 2) continue;
        const media = name === 'bigVideoRtxSsrc' ? 'bigVideoSsrc' : 'auxVideoSsrc';
        const rtx = subscriber.numbering.rtx(
          to,
          ssrc,
          sequenceNumber,
          timestamp,
          subscription.ssrc[media],
          uplink[media],
          payload.readUInt16BE(0),
        );
        if (!rtx) continue;
        if (rtx.originalSeq !== payload.readUInt16BE(0)) {
          payload = Buffer.from(payload);
          payload.writeUInt16BE(rtx.originalSeq, 0);
        }
        numbered = { sequenceNumber: rtx.sequenceNumber, timestamp: rtx.timestamp };
      } else {
        const clockRate = name === 'audioSsrc' ? 48000 : 90000;
        const media = subscriber.numbering.media(to, ssrc, sequenceNumber, timestamp, clockRate);
        // The subscriber's decoder waits for a keyframe of the new stream.
        if (media.changed && name !== 'audioSsrc') requestKeyframe(publisher, ssrc);
        numbered = { sequenceNumber: media.sequenceNumber, timestamp: media.timestamp };
      }
      const header = new RtpHeader({ ...packet.header, ...numbered, ssrc: to, payloadType: pt });
      void subscriber.dtls.sendRtp(payload, header);
    }
  }

  /** A PLI to the publisher's big video, or its screen's (a subscriber's FIR is passed on as a PLI too). */
  function requestKeyframe(publisher: SpcMember, ssrc = publisher.uplink?.bigVideoSsrc): void {
    if (!ssrc || !publisher.dtls || publisher.dtls.state !== 'connected') return;
    const feedback = new PictureLossIndication({ senderSsrc: 1, mediaSsrc: ssrc });
    void publisher.dtls.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback })]);
  }

  /** Which publisher stream a subscriber's downlink SSRC stands for. */
  function publisherOf(subscriber: SpcMember, ssrc: number) {
    for (const [publisherId, subscription] of subscriber.subscriptions) {
      const publisher = membersOf(subscriber.room).get(publisherId);
      if (!publisher?.uplink) continue;
      if (ssrc === subscription.ssrc.bigVideoSsrc) return { publisher, ssrc: publisher.uplink.bigVideoSsrc };
      if (ssrc && ssrc === subscription.ssrc.auxVideoSsrc) return { publisher, ssrc: publisher.uplink.auxVideoSsrc };
      if (ssrc === subscription.ssrc.audioSsrc) return { publisher, ssrc: publisher.uplink.audioSsrc };
    }
    return undefined;
  }

  function feedback(subscriber: SpcMember, packet: RtcpPacket): void {
    if (packet instanceof RtcpPayloadSpecificFeedback) {
      const fb = packet.feedback;
      // PLI (fmt 1) or FIR (fmt 4; werift does not export its class).
      if (fb instanceof PictureLossIndication || fb.count === 4) {
        const source = publisherOf(subscriber, (fb as PictureLossIndication).mediaSsrc);
        if (source) requestKeyframe(source.publisher, source.ssrc);
      }
    } else if (packet instanceof RtcpTransportLayerFeedback && packet.feedback instanceof GenericNack) {
      const nack = packet.feedback;
      const source = publisherOf(subscriber, nack.mediaSourceSsrc);
      const lost = source && subscriber.numbering.toSource(nack.mediaSourceSsrc, source.ssrc, nack.lost);
      if (source?.publisher.dtls?.state === 'connected' && lost?.length)
        void source.publisher.dtls.sendRtcp([
          new RtcpTransportLayerFeedback({
            feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: source.ssrc, lost }),
          }),
        ]);
    }
  }

  function wire(member: SpcMember): void {
    const transceiver = member.peer.getTransceivers()[0];
    const dtls = transceiver?.dtlsTransport ?? null;
    member.dtls = dtls;
    if (!dtls) return;
    dtls.onRtp.subscribe((packet) => {
      if (!member.closed) forward(member, packet);
    });
    dtls.onRtcp.subscribe((packet) => {
      if (!member.closed) feedback(member, packet);
    });
    dtls.onStateChange.subscribe((state) => {
      if (state !== 'connected') return;
      log(`${member.userId}: media connected (trtc-sdk-v5 single peer connection)`);
      // A publisher connected after its subscribers asked: they wait for a keyframe.
      requestKeyframe(member);
      requestKeyframe(member, member.uplink?.auxVideoSsrc);
    });
  }

  async function closePeer(member: SpcMember): Promise<void> {
    member.closed = true;
    await member.peer.close().catch(() => undefined);
  }

  return {
    /** A member's peer connection from its `join/v2` ability; resolves to the server's ability for the join result. */
    async join(room: string, userId: string, tinyId: string, ability: unknown): Promise<ServerAbility> {
      const clientAbility = checkAbility(ability);
      const earlier = membersOf(room).get(userId);
      if (!earlier && count >= maxMembers) throw new SpcMediaCapError(maxMembers);
      const linkOf = options.linkOf;
      const { peer, serverAbility } = await buildPeer(clientAbility, linkOf ? () => linkOf(room, userId) : clearLink);
      const members = membersOf(room);
      rooms.set(room, members);
      const previous = members.get(userId);
      if (previous) await closePeer(previous);
      else count++;
      const member: SpcMember = {
        room,
        userId,
        tinyId,
        state: previous?.state ?? NO_STATE,
        mute: previous?.mute ?? NO_MUTE,
        uplink: null,
        subscriptions: new Map(),
        numbering: new DownlinkNumbering(),
        peer,
        dtls: null,
        clientAbility,
        serverAbility,
        closed: false,
      };
      members.set(userId, member);
      wire(member);
      return serverAbility;
    },
    /** `rebuild_pc`: a new peer connection for a member (its subscriptions and publication start over). */
    async rebuild(room: string, userId: string, tinyId: string, ability: unknown): Promise<ServerAbility> {
      return this.join(room, userId, tinyId, ability);
    },
    has(room: string, userId: string): boolean {
      return membersOf(room).has(userId);
    },
    publish(room: string, userId: string, data: Record<string, unknown>): void {
      const member = membersOf(room).get(userId);
      if (!member) throw new Error('publish/v2 before a single peer connection: join with join/v2 first.');
      member.uplink = ssrcsOf(data);
      this.update(room, userId, data);
      // Subscribers that already asked for this member get a picture as soon as its video starts.
      setTimeout(() => {
        requestKeyframe(member);
        requestKeyframe(member, member.uplink?.auxVideoSsrc);
      }, 300);
    },
    /** `publish/v2`, `publish_state_change`, `unpublish`, `mute_uplink`: what the member publishes and mutes. */
    update(room: string, userId: string, data: Record<string, unknown>): void {
      const member = membersOf(room).get(userId);
      if (!member) return;
      const state = data.state as Partial<PublishState> | undefined;
      if (state && typeof state === 'object')
        member.state = {
          audio: !!state.audio,
          bigVideo: !!state.bigVideo,
          smallVideo: !!state.smallVideo,
          auxVideo: !!state.auxVideo,
        };
      const mute = (data.muteState ?? (data.state ? undefined : data)) as Partial<MuteState> | undefined;
      if (mute && typeof mute === 'object' && ('audio' in mute || 'bigVideo' in mute))
        member.mute = { audio: !!mute.audio, bigVideo: !!mute.bigVideo, auxVideo: !!mute.auxVideo };
      options.publishersChanged?.(room);
    },
    unpublish(room: string, userId: string): void {
      const member = membersOf(room).get(userId);
      if (!member) return;
      member.state = NO_STATE;
      options.publishersChanged?.(room);
    },
    subscribe(room: string, userId: string, data: Record<string, unknown>): void {
      const member = membersOf(room).get(userId);
      if (!member) throw new Error('subscribe/v3 before a single peer connection: join with join/v2 first.');
      const publisherId = String(data.srcUserId ?? '');
      const ssrc = (data.ssrc ?? {}) as Partial<DownlinkSsrcs>;
      member.subscriptions.set(publisherId, { wants: wantsOf(data), ssrc: ssrcsOf(ssrc) });
      const publisher = membersOf(room).get(publisherId);
      if (publisher && data.bigVideo) requestKeyframe(publisher);
      if (publisher && data.auxVideo) requestKeyframe(publisher, publisher.uplink?.auxVideoSsrc);
    },
    subscribeChange(room: string, userId: string, data: Record<string, unknown>): void {
      const member = membersOf(room).get(userId);
      const publisherId = [...(member?.subscriptions.keys() ?? [])].find(
        (id) => membersOf(room).get(id)?.tinyId === data.srcTinyId || id === data.srcUserId,
      );
      const subscription = publisherId ? member?.subscriptions.get(publisherId) : undefined;
      if (!subscription || !publisherId) return;
      const before = subscription.wants;
      subscription.wants = wantsOf(data);
      const publisher = membersOf(room).get(publisherId);
      if (publisher && !before.bigVideo && subscription.wants.bigVideo) requestKeyframe(publisher);
      if (publisher && !before.auxVideo && subscription.wants.auxVideo)
        requestKeyframe(publisher, publisher.uplink?.auxVideoSsrc);
    },
    unsubscribe(room: string, userId: string, data: Record<string, unknown>): void {
      const member = membersOf(room).get(userId);
      if (!member) return;
      for (const [id, _] of member.subscriptions)
        if (id === data.srcUserId || membersOf(room).get(id)?.tinyId === data.srcTinyId)
          member.subscriptions.delete(id);
    },
    /** The room's cmd 23 list: every member that publishes, with its flag bits. */
    publishers(room: string): { userId: string; srcTinyId: string; flag: number }[] {
      return [...membersOf(room).values()]
        .map((m) => ({ userId: m.userId, srcTinyId: m.tinyId, flag: flagOf(m) }))
        .filter((entry) => entry.flag !== 0);
    },
    /** The member's media ends: its transport closes and nobody receives from it. */
    async leave(room: string, userId: string): Promise<void> {
      const members = rooms.get(room);
      const member = members?.get(userId);
      if (!members || !member) return;
      members.delete(userId);
      count--;
      for (const other of members.values()) other.subscriptions.delete(userId);
      if (members.size === 0) rooms.delete(room);
      log(`${userId}: media closed (trtc-sdk-v5 single peer connection)`);
      await closePeer(member);
      options.publishersChanged?.(room);
    },
    /** Members with a peer connection, by room (for pruning). */
    members(): { room: string; userId: string }[] {
      return [...rooms].flatMap(([room, members]) => [...members.keys()].map((userId) => ({ room, userId })));
    },
    async close(): Promise<void> {
      const all = [...rooms.values()].flatMap((m) => [...m.values()]);
      rooms.clear();
      count = 0;
      await Promise.all(all.map(closePeer));
    },
  };
}

export type SpcMediaServer = ReturnType<typeof createSpcMediaServer>;
