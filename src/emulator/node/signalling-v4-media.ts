/**
 * trtc-js-sdk 4.15.22's media commands, answered by the media server (media/): read from its `trtc.esm.js`.
 *
 * - `publish { type: 'offer', sdp, screen, state: { audio, bigVideo, smallVideo, auxVideo }, constraintConfig }`:
 *   one uplink peer connection, four sendonly m-lines (audio, big, small, aux video, in that order). Answered
 *   by 4098 `{ type: 'answer', sdp }`; the SDK takes it with `once(PUBLISH_RESULT)`, so no seq is needed.
 * - `publish_state_change { state, constraintConfig }` → 4112: `LocalStream.addTrack/removeTrack` (replaceTrack
 *   on the same transceivers, no renegotiation) and a second publish of the same stream say what is sent now.
 * - `unpublish` → 4100; `mute_uplink { audio, bigVideo, auxVideo }` (true = muted) needs no answer, but gets
 *   4108 as trtc-sdk-v5 waits for one.
 * - `subscribe { type, sdp, srcUserId, srcTinyId, audio, bigVideo, auxVideo, smallVideo }` → 4102: one downlink
 *   per remote user, recvonly audio and two video m-lines, the mid and rid header extensions stripped. Its
 *   `ontrack` keeps a track only if its stream id is `5Y2wZK8n…` (main) or `224d130c-…` (aux), and a video
 *   counts as the main one only when `(ssrc >> 16) & 0xff === 2` in the answer's first `a=ssrc` of its m-line.
 * - `subscribe_change { audio, bigVideo, auxVideo, smallVideo, srcTinyId }` → 4106; `unsubscribe` → 4104.
 * - Who publishes what reaches the others only as cmd 23 (a full snapshot; flags 1 big video, 8 audio,
 *   4 aux video, 16 video muted, 64 audio muted) and the join result's `publishers`: signalling.ts pushes it.
 * Not served: the small stream (a small-video subscription gets the big one), H.264.
 */
import type { RTCRtpTransceiver } from 'werift';
import type { ChannelMedia } from './media/channel-media.js';
import { MediaRefusal, NO_PUBLICATION, type Forward, type MediaTransport } from './media/media-server.js';

/** trtc-js-sdk's stream ids for a remote user's main and auxiliary streams (its `ne` and `ae`). */
export const V4_MAIN_STREAM_ID = '5Y2wZK8nANNAoVw6dSAHVjNxrD1ObBM2kBPV';
export const V4_AUX_STREAM_ID = '224d130c-7b5c-415b-aaa2-79c2eb5a6df2';
/** The SSRC byte (bits 16–23) trtc-js-sdk reads to tell the main video (2) from the auxiliary one. */
const MAIN_VIDEO_SSRC_BYTE = 2;
const AUX_VIDEO_SSRC_BYTE = 4;
const AUDIO_SSRC_BYTE = 1;

export const V4_RESULT = {
  PUBLISH: 4098,
  UNPUBLISH: 4100,
  SUBSCRIBE: 4102,
  UNSUBSCRIBE: 4104,
  SUBSCRIBE_CHANGE: 4106,
  MUTE: 4108,
  PUBLISH_STATE_CHANGE: 4112,
} as const;

export interface MediaCommandChannel {
  readonly userId: string;
  /** The connection's media, once joined; null before. */
  readonly media: ChannelMedia | null;
  send(frame: { cmd: number; seq?: number; code: number; message: string; data: Record<string, unknown> }): void;
  log(line: string): void;
}
export interface MediaCommandFrame {
  cmd: string;
  seq?: number;
  data: Record<string, unknown>;
}
export type MediaCommand = (channel: MediaCommandChannel, frame: MediaCommandFrame) => void | Promise<void>;

/** An SSRC with `byte` in bits 16–23, the rest random. */
function ssrcWithByte(byte: number): number {
  const random = Math.floor(Math.random() * 0xffffffff);
  return ((random & 0xff00ffff) | (byte << 16)) >>> 0;
}

interface Uplink {
  transport: MediaTransport;
  transceivers: RTCRtpTransceiver[];
}
interface Downlink {
  transport: MediaTransport;
  publisherUserId: string;
  audio: { sender: RTCRtpTransceiver['sender']; forward: Forward | null };
  video: { sender: RTCRtpTransceiver['sender']; forward: Forward | null };
  /** The auxiliary (screen) video: the third m-line, stream id V4_AUX_STREAM_ID. */
  screen: { sender: RTCRtpTransceiver['sender']; forward: Forward | null };
}

const uplinkOf = (media: ChannelMedia) => media.state.get('v4-uplink') as Uplink | undefined;
function downlinks(media: ChannelMedia): Map<string, Downlink> {
  let map = media.state.get('v4-downlinks') as Map<string, Downlink> | undefined;
  if (!map) media.state.set('v4-downlinks', (map = new Map()));
  return map;
}

const bool = (value: unknown) => value === true;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function reply(channel: MediaCommandChannel, cmd: number, seq: number | undefined, data: Record<string, unknown> = {}) {
  channel.send({ cmd, seq, code: 0, message: '', data });
}
function fail(channel: MediaCommandChannel, cmd: number, seq: number | undefined, what: string, error: unknown) {
  const message =
    error instanceof MediaRefusal
      ? error.message
      : `The emulator's media server could not ${what}: ${messageOf(error)}`;
  channel.log(`${channel.userId}: ${what} failed: ${message}`);
  channel.send({ cmd, seq, code: -1, message, data: {} });
}
function joinedMedia(channel: MediaCommandChannel): ChannelMedia {
  if (!channel.media) throw new Error('this connection has not joined a room');
  return channel.media;
}

/** What the SDK's `state` says it sends, and keeps the mute flags already known. */
function applyState(media: ChannelMedia, state: unknown): void {
  const member = media.member();
  const { audio, bigVideo, auxVideo } = (typeof state === 'object' && state !== null ? state : {}) as Record<
    string,
    unknown
  >;
  member.publish({ ...member.publication, audio: bool(audio), video: bool(bigVideo), screen: bool(auxVideo) });
}

function closeUplink(media: ChannelMedia): void {
  const uplink = uplinkOf(media);
  if (!uplink) return;
  media.state.delete('v4-uplink');
  const member = media.server.find(media.room, media.userId);
  member?.setSource('audio', null);
  member?.setSource('video', null);
  member?.setSource('screen', null);
  void uplink.transport.close();
}

const publish: MediaCommand = async (channel, { seq, data }) => {
  try {
    const media = joinedMedia(channel);
    if (typeof data.sdp !== 'string') throw new Error('the publish carries no SDP offer');
    const member = media.member();
    closeUplink(media);
    const transport = member.transport('uplink');
    const uplink: Uplink = { transport, transceivers: [] };
    media.state.set('v4-uplink', uplink);
    const sdp = await transport.answer(data.sdp, (transceivers) => {
      uplink.transceivers = transceivers;
    });
    // m-lines 0 (audio), 1 (big video) and 3 (aux video: the screen, `publish(stream, { isAuxiliary: true })`) are
    // what the emulator forwards; small (2) is not served. trtc.esm.js's publishByTransceiver puts the aux stream's
    // track on the fourth transceiver and says so in `state.auxVideo`.
    const [audio, video, , aux] = uplink.transceivers;
    if (audio?.kind === 'audio') member.setSource('audio', audio.receiver.track, audio.receiver);
    if (video?.kind === 'video') member.setSource('video', video.receiver.track, video.receiver);
    if (aux?.kind === 'video') member.setSource('screen', aux.receiver.track, aux.receiver);
    applyState(media, data.state);
    channel.log(`${channel.userId} publishes (trtc-js-sdk): ${JSON.stringify(data.state ?? {})}`);
    reply(channel, V4_RESULT.PUBLISH, seq, { type: 'answer', sdp });
  } catch (error) {
    fail(channel, V4_RESULT.PUBLISH, seq, 'publish', error);
  }
};

const publishStateChange: MediaCommand = (channel, { seq, data }) => {
  try {
    applyState(joinedMedia(channel), data.state);
    reply(channel, V4_RESULT.PUBLISH_STATE_CHANGE, seq);
  } catch (error) {
    fail(channel, V4_RESULT.PUBLISH_STATE_CHANGE, seq, 'change what is published', error);
  }
};

const unpublish: MediaCommand = (channel, { seq }) => {
  const media = channel.media;
  if (media) {
    closeUplink(media);
    media.server.find(media.room, media.userId)?.publish(NO_PUBLICATION);
  }
  reply(channel, V4_RESULT.UNPUBLISH, seq);
};

const muteUplink: MediaCommand = (channel, { seq, data }) => {
  try {
    const member = joinedMedia(channel).member();
    member.publish({ ...member.publication, audioMuted: bool(data.audio), videoMuted: bool(data.bigVideo) });
    reply(channel, V4_RESULT.MUTE, seq);
  } catch (error) {
    fail(channel, V4_RESULT.MUTE, seq, 'mute', error);
  }
};

function closeDownlink(media: ChannelMedia, tinyId: string): void {
  const downlink = downlinks(media).get(tinyId);
  if (!downlink) return;
  downlinks(media).delete(tinyId);
  void downlink.transport.close();
}

/** Starts or stops the downlink's forwards as the subscription's flags say. */
function follow(media: ChannelMedia, downlink: Downlink, data: Record<string, unknown>): void {
  const member = media.member();
  const wanted = {
    audio: bool(data.audio),
    video: bool(data.bigVideo) || bool(data.smallVideo),
    screen: bool(data.auxVideo),
  };
  for (const kind of ['audio', 'video', 'screen'] as const) {
    const slot = downlink[kind];
    if (wanted[kind] && !slot.forward)
      slot.forward = member.forward(downlink.publisherUserId, kind, slot.sender, downlink.transport);
    if (!wanted[kind] && slot.forward) {
      slot.forward.stop();
      slot.forward = null;
    }
  }
}

const subscribe: MediaCommand = async (channel, { seq, data }) => {
  try {
    const media = joinedMedia(channel);
    const { sdp, srcUserId, srcTinyId } = data;
    if (typeof sdp !== 'string') throw new Error('the subscribe carries no SDP offer');
    if (typeof srcUserId !== 'string' || typeof srcTinyId !== 'string')
      throw new Error('the subscribe names no srcUserId and srcTinyId');
    const member = media.member();
    closeDownlink(media, srcTinyId);
    const transport = member.transport(`from-${srcUserId}`, { from: srcUserId });
    const audio = transport.addSender('audio', { ssrc: ssrcWithByte(AUDIO_SSRC_BYTE), streamId: V4_MAIN_STREAM_ID });
    const video = transport.addSender('video', {
      ssrc: ssrcWithByte(MAIN_VIDEO_SSRC_BYTE),
      streamId: V4_MAIN_STREAM_ID,
    });
    // The third m-line is the auxiliary (screen) video, fed while `auxVideo` is subscribed.
    const screen = transport.addSender('video', {
      ssrc: ssrcWithByte(AUX_VIDEO_SSRC_BYTE),
      streamId: V4_AUX_STREAM_ID,
    });
    const downlink: Downlink = {
      transport,
      publisherUserId: srcUserId,
      audio: { sender: audio.sender, forward: null },
      video: { sender: video.sender, forward: null },
      screen: { sender: screen.sender, forward: null },
    };
    downlinks(media).set(srcTinyId, downlink);
    transport.onClosed(() => {
      if (downlinks(media).get(srcTinyId) === downlink) downlinks(media).delete(srcTinyId);
    });
    const answer = await transport.answer(sdp);
    follow(media, downlink, data);
    reply(channel, V4_RESULT.SUBSCRIBE, seq, { type: 'answer', sdp: answer });
  } catch (error) {
    fail(channel, V4_RESULT.SUBSCRIBE, seq, 'subscribe', error);
  }
};

const subscribeChange: MediaCommand = (channel, { seq, data }) => {
  try {
    const media = joinedMedia(channel);
    const downlink = typeof data.srcTinyId === 'string' ? downlinks(media).get(data.srcTinyId) : undefined;
    if (!downlink) throw new Error(`there is no subscription to ${String(data.srcTinyId)}`);
    follow(media, downlink, data);
    reply(channel, V4_RESULT.SUBSCRIBE_CHANGE, seq);
  } catch (error) {
    fail(channel, V4_RESULT.SUBSCRIBE_CHANGE, seq, 'change the subscription', error);
  }
};

const unsubscribe: MediaCommand = (channel, { seq, data }) => {
  if (channel.media && typeof data.srcTinyId === 'string') closeDownlink(channel.media, data.srcTinyId);
  reply(channel, V4_RESULT.UNSUBSCRIBE, seq);
};

/** The commands of trtc-js-sdk's media, by command name. */
export const trtcJsSdkMediaCommands: Readonly<Record<string, MediaCommand>> = {
  publish,
  publish_state_change: publishStateChange,
  unpublish,
  mute_uplink: muteUplink,
  subscribe,
  subscribe_change: subscribeChange,
  unsubscribe,
};
