/**
 * trtc-js-sdk 4.15.x's signalling, as read from trtc-js-sdk 4.15.22's `trtc.esm.js` and tested against it
 * (test/node/real-sdk-emulator.test.mjs). What the generations share is in signalling-frames.ts; this is what v4 says.
 *
 * - Reached through `client.setProxyServer({ websocketProxy, loggerProxy })` before `join()`. The string form
 *   must start with `wss://` (the SDK throws INVALID_PARAMETER otherwise), so the emulator offers the object form.
 * - Joins with `join`; heartbeats are `quality_report` every 2 s: the SDK needs no answer (it never judges the
 *   channel by silence); `get_user_list` every 10 s; `leave` takes no answer.
 * - Reconnects on a fresh socket with `&rc=1&roomId=…` and waits for result 514 (signalling.ts).
 * - Media goes through its own peer connections negotiated by `publish` / `subscribe` (and their changes):
 *   refused with their result command and a non-zero code, so `client.publish()` rejects with the SDK's
 *   RtcError UNKNOWN (0xFFFF) naming the emulator's sentence.
 */
import { LOGGER_PATH, SERVER_CMD, type SignallingDialect } from './signalling-frames.js';
import { trtcJsSdkMediaCommands } from './signalling-v4-media.js';

export const TRTC_JS_SDK_VERSION = '4.15.22';

export const trtcJsSdkSignalling: SignallingDialect = {
  path: '/signal/v4',
  key: 'v4',
  sdk: `trtc-js-sdk ${TRTC_JS_SDK_VERSION}`,
  joinCommands: ['join'],
  rejoinCommands: [],
  unanswered: ['quality_report', 'leave', 'receive_data_userlist', 'ready_to_receive'],
  refused: {
    publish: 4098,
    unpublish: 4100,
    subscribe: 4102,
    unsubscribe: 4104,
    subscribe_change: 4106,
    mute_uplink: 4108,
    change_role: 4110,
    publish_state_change: 4112,
    publish_change: 4128,
    start_publishing: 1286,
    stop_publishing: 1288,
    start_push_user_cdn: 777,
    stop_push_user_cdn: 779,
    start_mcu_mix: 781,
    stop_mcu_mix: 783,
    update_constraint_config: 772,
    connect_other_room: 8209,
    disconnect_other_room: 8211,
    update_other_room_forward_mode: 8213,
  },
  acknowledged: {},
  // Answered by the media server (signalling-v4-media.ts), in place of their refusal.
  commands: trtcJsSdkMediaCommands,
  joinResultData: () => ({}),
  // trtc-js-sdk needs no answer to its heartbeat; with media, the published-user list goes with each one.
  heartbeatAnswer: () => ({ cmd: SERVER_CMD.UPDATE_REMOTE_MUTE_STAT, code: 0, message: '', data: { userList: [] } }),
  proxy: ({ webSocketBase, httpBase }) => ({
    websocketProxy: `${webSocketBase}/signal/v4`,
    loggerProxy: `${httpBase}${LOGGER_PATH}`,
  }),
};
