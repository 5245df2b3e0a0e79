/**
 * One subscriber's downlink streams on trtc-sdk-v5's single peer connection (spc-v5.ts) keep one numbering however
 * often the publisher's stream under them is replaced.
 *
 * The subscriber's receiver has one SSRC per publisher stream, chosen at `subscribe/v3`, and keeps it while the
 * publisher stays in the room. A publisher that joins again (its signalling reconnect timed out: `reconnect()` →
 * `room.reJoin()` in trtc.esm.js, which builds a new single peer connection and sends `join/v2` and `publish/v2`
 * again) or rebuilds its peer connection (`rebuild_pc`) sends from a new encoder: new SSRCs, and sequence numbers and
 * timestamps that start anywhere. Passed through as they come, they land in the subscriber's receiver as packets from
 * the past about half the time: Chromium's packet buffer ignores sequence numbers behind those it has cleared, and its
 * frame buffer drops a keyframe whose timestamp is not ahead of the last decoded frame's, so the picture stays frozen
 * whatever keyframes are asked for. Here a downlink stream whose source changes continues from its last packet (the
 * next sequence number, the timestamp advanced by the time elapsed), as werift's sender does for trtc-js-sdk's
 * downlinks (`replaceRTP`); a retransmission (RTX) carries its media stream's timestamp and original sequence number,
 * shifted the same way, and a subscriber's NACK is shifted back to the publisher's numbering.
 */

interface Stream {
  /** The publisher's SSRC this downlink carries now. */
  source: number;
  seqOffset: number;
  timestampOffset: number;
  /** The newest sequence number and timestamp sent (the subscriber's numbering), and when. */
  lastSeq: number;
  lastTimestamp: number;
  lastAt: number;
}

const seq16 = (n: number) => n & 0xffff;
const ts32 = (n: number) => n >>> 0;
/** `a` is ahead of (or equal to) `b` in a wrapping space of `half * 2` values. */
const ahead = (a: number, b: number, half: number) => (half === 0x8000 ? seq16(a - b) : ts32(a - b)) < half;

export class DownlinkNumbering {
  /** By the subscriber's downlink SSRC. */
  private readonly streams = new Map<number, Stream>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * A media packet of the publisher's SSRC `source`, sent on the downlink `ssrc`: its sequence number and timestamp
   * there, and whether the source just changed (the subscriber then needs a keyframe).
   */
  media(ssrc: number, source: number, seq: number, timestamp: number, clockRate: number) {
    let stream = this.streams.get(ssrc);
    let changed = false;
    const now = this.now();
    if (!stream) {
      stream = { source, seqOffset: 0, timestampOffset: 0, lastSeq: seq, lastTimestamp: timestamp, lastAt: now };
      this.streams.set(ssrc, stream);
    } else if (stream.source !== source) {
      changed = true;
      const elapsed = Math.max(1, Math.round(((now - stream.lastAt) * clockRate) / 1000));
      stream.source = source;
      stream.seqOffset = seq16(stream.lastSeq + 1 - seq);
      stream.timestampOffset = ts32(stream.lastTimestamp + elapsed - timestamp);
    }
    const out = {
      sequenceNumber: seq16(seq + stream.seqOffset),
      timestamp: ts32(timestamp + stream.timestampOffset),
      changed,
    };
    if (ahead(out.sequenceNumber, stream.lastSeq, 0x8000)) stream.lastSeq = out.sequenceNumber;
    if (ahead(out.timestamp, stream.lastTimestamp, 0x80000000)) {
      stream.lastTimestamp = out.timestamp;
      stream.lastAt = now;
    }
    return out;
  }

  /**
   * A retransmission of `mediaSource`'s packet `originalSeq` (RFC 4588), sent on the RTX downlink `ssrc` for the media
   * downlink `mediaSsrc`: its own sequence number, its timestamp and original sequence number in the media downlink's
   * numbering. Null if that downlink does not carry `mediaSource` (nothing of it was sent there to repair).
   */
  rtx(
    ssrc: number,
    source: number,
    sequenceNumber: number,
    timestamp: number,
    mediaSsrc: number,
    mediaSource: number,
    originalSeq: number,
  ) {
    const media = this.streams.get(mediaSsrc);
    if (media?.source !== mediaSource) return null;
    const { sequenceNumber: seq } = this.media(ssrc, source, sequenceNumber, timestamp, 0);
    return {
      sequenceNumber: seq,
      timestamp: ts32(timestamp + media.timestampOffset),
      originalSeq: seq16(originalSeq + media.seqOffset),
    };
  }

  /** Sequence numbers a subscriber asks again for on the downlink `ssrc` (a NACK), in the numbering of `source`. */
  toSource(ssrc: number, source: number, lost: number[]): number[] {
    const stream = this.streams.get(ssrc);
    if (!stream) return lost;
    if (stream.source !== source) return [];
    return lost.map((seq) => seq16(seq - stream.seqOffset));
  }
}
