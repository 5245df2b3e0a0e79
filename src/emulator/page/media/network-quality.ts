/**
 * Both SDKs' network quality, for the doubles. trtc-js-sdk 4.15.22 and trtc-sdk-v5 5.17.1 (trtc.esm.js,
 * `NetworkQuality.start`) fire `network-quality` every 2 s from the join to the leave, with
 * `{ uplinkNetworkQuality, downlinkNetworkQuality, uplinkRTT, uplinkLoss, downlinkRTT, downlinkLoss }`, each
 * direction graded by `getNetworkQuality(loss %, rtt ms)`: the uplink from the server's cmd 22 while publishing (0
 * with nothing published), the downlink from `getStats()` of the receiving connections (0 with none), 6 while the
 * connection is down. The doubles' media goes between the pages, which no fault touches: they grade the link the
 * emulator's faults give their member instead, as the emulator's cmd 22 does for the real SDKs (loss, and twice the
 * one-way delay plus 1 ms as the round trip: src/emulator/node/signalling-channel.ts, sendUplinkStats), both ways.
 */
import type { LinkCondition } from '../../core/faults.js';
import type { MediaPlane } from './relay.js';
import { everyInterval } from './volume.js';

/** Whether `userId` receives anything in `room` now (an open link it subscribed to). */
export const receives = (plane: MediaPlane, room: string, userId: string): boolean =>
  [...plane.links].some((link) => !link.closed && link.room === room && link.subscriberId === userId);

/** Both SDKs' `getNetworkQuality(loss, rtt)`: 5 above 50 % or 500 ms, 4 above 30 %/350 ms, 3 above 20 %/200 ms, 2 above 10 %/100 ms, else 1. */
export const gradeNetwork = (loss: number, rtt: number): number =>
  loss > 50 || rtt > 500 ? 5 : loss > 30 || rtt > 350 ? 4 : loss > 20 || rtt > 200 ? 3 : loss > 10 || rtt > 100 ? 2 : 1;

/** What the double measures each time: whether it publishes, whether it receives, and its member's link. */
export interface NetworkState {
  publishing: boolean;
  receiving: boolean;
  link: LinkCondition;
}

/** The SDKs' interval (`NetworkQuality.start`: `{ delay: 2e3 }`). */
export const NETWORK_QUALITY_INTERVAL_MS = 2000;

/** Fires the SDKs' `network-quality` payload every 2 s from `state()`; returns a function that stops it. */
export function startNetworkQuality(fire: (payload: unknown) => void, state: () => NetworkState): () => void {
  return everyInterval(NETWORK_QUALITY_INTERVAL_MS, () => {
    const { publishing, receiving, link } = state();
    const loss = Math.round(link.lossRate * 100);
    const rtt = 2 * link.delayMs + 1;
    const direction = (active: boolean) =>
      !active
        ? { quality: 0, rtt: 0, loss: 0 }
        : link.blocked
          ? { quality: 6, rtt: 0, loss: 0 }
          : { quality: gradeNetwork(loss, rtt), rtt, loss };
    const up = direction(publishing);
    const down = direction(receiving);
    fire({
      uplinkNetworkQuality: up.quality,
      downlinkNetworkQuality: down.quality,
      uplinkRTT: up.rtt,
      uplinkLoss: up.loss,
      downlinkRTT: down.rtt,
      downlinkLoss: down.loss,
    });
  });
}
