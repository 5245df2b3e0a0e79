/**
 * One server-side peer connection (werift 0.24), set up the way the emulator's media must be: ICE-lite, its
 * own host candidate on 127.0.0.1 only (werift skips loopback unless told, and would otherwise add every
 * interface), no STUN or TURN server (`iceServers: []`: werift's default contacts a public STUN server), one
 * codec per kind (VP8, Opus) so that every publisher and every subscriber agree without transcoding.
 */
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  useFIR,
  useNACK,
  usePLI,
  useSdesMid,
  type RTCRtpTransceiver,
} from 'werift';
import { clearLink, impairPeerConnection, type LinkOf } from './link.js';

/** The codecs the emulator's media serves: the first of each kind that every Chromium offers. */
export const MEDIA_CODECS = {
  audio: { mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 },
  video: { mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 },
} as const;

/** The only address the media server listens on and advertises. */
export const MEDIA_HOST = '127.0.0.1';

/** How long an SDP answer may wait for werift's candidate gathering (one loopback socket: milliseconds). */
const GATHER_TIMEOUT_MS = 5_000;

export type TransportState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export class MediaTransport {
  readonly pc: RTCPeerConnection;
  private closedListeners: (() => void)[] = [];
  private connectedListeners: (() => void)[] = [];
  private isClosed = false;

  constructor(
    readonly label: string,
    private readonly log: (line: string) => void,
    /** The member's link under injected faults (link.ts): a drop, delay, loss. */
    private readonly link: LinkOf = clearLink,
  ) {
    this.pc = new RTCPeerConnection({
      iceServers: [],
      iceLite: true,
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [MEDIA_HOST],
      iceInterfaceAddresses: { udp4: MEDIA_HOST },
      bundlePolicy: 'max-bundle',
      codecs: {
        audio: [new RTCRtpCodecParameters({ ...MEDIA_CODECS.audio })],
        video: [
          new RTCRtpCodecParameters({
            ...MEDIA_CODECS.video,
            rtcpFeedback: [useNACK(), usePLI(), useFIR()],
          }),
        ],
      },
      headerExtensions: { audio: [useSdesMid()], video: [useSdesMid()] },
    });
    this.pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') for (const listener of this.connectedListeners.splice(0)) listener();
      if (state === 'failed' || state === 'closed') void this.close();
    });
  }

  get state(): TransportState {
    return this.isClosed ? 'closed' : (this.pc.connectionState as TransportState);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Adds a transceiver that will send to the client (before `answer`, so the answer carries its SSRC). */
  addSender(kind: 'audio' | 'video', { ssrc, streamId }: { ssrc?: number; streamId?: string } = {}) {
    const transceiver = this.pc.addTransceiver(kind, { direction: 'sendonly' });
    // werift picks a random SSRC at construction; the SDKs need theirs (v4: a bit pattern, v5: the client's).
    if (ssrc !== undefined) {
      Object.defineProperty(transceiver.sender, 'ssrc', { value: ssrc >>> 0, writable: true });
      // werift routes the client's RTCP about this stream (PLI, NACK, receiver reports) by the media SSRC, in a table
      // filled when the transceiver was made, under the random SSRC: without this, a subscriber's keyframe requests
      // never reach the forward, and its picture, frozen by any lost packet (a drop), never comes back.
      (this.pc as unknown as { router: { registerRtpSender(sender: unknown): void } }).router.registerRtpSender(
        transceiver.sender,
      );
    }
    if (streamId !== undefined) transceiver.sender.streamId = streamId;
    return transceiver;
  }

  /**
   * Takes the client's offer (no candidates: the SDKs do not trickle) and returns the answer with the server's
   * loopback candidate. `prepare` runs between the two, to set directions of the transceivers the offer made.
   */
  async answer(offerSdp: string, prepare?: (transceivers: RTCRtpTransceiver[]) => void): Promise<string> {
    if (this.isClosed) throw new Error(`The media transport ${this.label} is closed.`);
    if (!/\nm=(audio|video) /.test(offerSdp)) throw new Error('the offer has no audio or video section');
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    prepare?.(this.pc.getTransceivers());
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    await this.gathered();
    impairPeerConnection(this.pc, this.link);
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new Error(`The media transport ${this.label} has no local description.`);
    return sdp;
  }

  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The media transport ${this.label} gathered no candidate in time.`)),
        GATHER_TIMEOUT_MS,
      );
      const { unSubscribe } = this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state !== 'complete') return;
        clearTimeout(timer);
        unSubscribe();
        resolve();
      });
    });
  }

  /** Runs `listener` once the transport is connected (at once if it is). */
  whenConnected(listener: () => void): void {
    if (this.pc.connectionState === 'connected') listener();
    else if (!this.isClosed) this.connectedListeners.push(listener);
  }

  onClosed(listener: () => void): void {
    if (this.isClosed) listener();
    else this.closedListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.connectedListeners = [];
    for (const listener of this.closedListeners.splice(0)) listener();
    await this.pc
      .close()
      .catch((error: unknown) =>
        this.log(
          `media transport ${this.label}: closing failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }
}
