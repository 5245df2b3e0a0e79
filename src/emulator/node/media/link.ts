/**
 * A member's media link under injected faults (core/faults.ts): every UDP datagram of the member's server-side peer
 * connections, both ways, STUN, DTLS, SRTP and SRTCP alike, passes here. A drop discards them all (the browser's ICE
 * consent checks go unanswered, as on a dead network); a media fault loses a share of them and delays the rest. The
 * SDKs' own RTCP then reports the loss and the round trip (packetsLost, fractionLost, roundTripTime in getStats),
 * which is what trtc-sdk-v5 and trtc-js-sdk compute their network quality from (docs/emulator.md#faults).
 */
import type { RTCPeerConnection } from 'werift';
import { CLEAR_LINK, type LinkCondition } from '../../core/faults.js';

/** The member's link now; asked once per datagram. */
export type LinkOf = () => LinkCondition;

export const clearLink: LinkOf = () => CLEAR_LINK;

interface UdpTransportLike {
  onData: (data: Buffer, address: unknown) => void;
  send: (data: Buffer, address?: unknown) => Promise<void>;
}

const impaired = new WeakSet<object>();

/** Puts the peer connection's sockets behind `linkOf` (once gathered: werift makes its sockets while gathering). */
export function impairPeerConnection(pc: RTCPeerConnection, linkOf: LinkOf): void {
  for (const ice of pc.iceTransports) {
    // werift 0.24 keeps its STUN protocols (one per local candidate, each with its UDP socket) private.
    const protocols = (ice.connection as unknown as { protocols?: { transport?: UdpTransportLike }[] }).protocols;
    for (const { transport } of protocols ?? []) if (transport) impairTransport(transport, linkOf);
  }
}

function impairTransport(transport: UdpTransportLike, linkOf: LinkOf): void {
  if (impaired.has(transport)) return;
  impaired.add(transport);
  const receive = transport.onData;
  transport.onData = (data, address) => pass(linkOf(), () => receive(data, address));
  const send = transport.send;
  transport.send = async (data, address) => pass(linkOf(), () => void send(data, address).catch(() => undefined));
}

function pass(link: LinkCondition, deliver: () => void): void {
  if (link.blocked) return;
  if (link.lossRate > 0 && Math.random() < link.lossRate) return;
  if (link.delayMs > 0) setTimeout(deliver, link.delayMs);
  else deliver();
}
