/**
 * trtc-sdk-v5 5.x's signalling, as read from trtc-sdk-v5 5.17.1's `trtc.esm.js` and tested against it
 * (test/node/real-sdk-emulator.test.mjs). What the generations share is in signalling-frames.ts; this is what v5 says.
 *
 * - Reached through `enterRoom({ proxy: { websocketProxy, loggerProxy } })`: the socket URL is used as given
 *   (`ws://` is fine) and no schedule request is made on join.
 * - Joins with `join/v2` (one peer connection for all media) and, after falling back to separate peer
 *   connections, with `join`. The join's answer must carry `ability` (the SDK reads `ability.useVp8`).
 * - The SDK thinks the channel offline after 12 s without a frame and reconnects: every `quality_report`
 *   (each 2 s) is answered with the published-user list (cmd 23, empty: nobody publishes here).
 * - `get_user_list` every 10 s, answered by 4137; users missing from the list are removed by the SDK.
 * - Kicked out by cmd 9 with the raw reason (`kick`, `banned`, `room_disband`): `KICKED_OUT`.
 * - Media: the join's `ability` carries no ICE or DTLS parameters, so the SDK's single peer connection fails
 *   at once; its `rebuild_pc` is refused (4150), so the SDK falls back to separate peer connections and joins
 *   again on a fresh socket (the emulator resumes the member: no leave or join is seen). Publishing then sends
 *   `publish`, refused with result 4098 and a non-zero code.
 */
import { LOGGER_PATH, SERVER_CMD, type SignallingDialect } from './signalling-frames.js';
import { trtcJsSdkSignalling } from './signalling-v4.js';

export const TRTC_SDK_V5_VERSION = '5.17.1';

export const trtcSdkV5Signalling: SignallingDialect = {
  path: '/signal/v5',
  key: 'v5',
  sdk: `trtc-sdk-v5 ${TRTC_SDK_V5_VERSION}`,
  joinCommands: ['join/v2', 'join'],
  // A browser that can use one peer connection always starts with join/v2; `join` is the fallback's rejoin.
  rejoinCommands: ['join'],
  unanswered: ['quality_report', 'leave', 'receive_data_userlist', 'ready_to_receive'],
  refused: {
    ...trtcJsSdkSignalling.refused,
    rebuild_pc: 4150,
    'publish/v2': 4146,
    'subscribe/v3': 4156,
    start_publish_cdn_stream: 8196,
    update_publish_cdn_stream: 8198,
    stop_publish_cdn_stream: 8200,
    switch_room: 4160,
    abstract_cmd: 8220,
  },
  acknowledged: { ability_status_report: 4158 },
  // `useVp8` and `useH265` are read after the join resolves; without ICE and DTLS the single peer connection fails.
  joinResultData: () => ({ ability: { useVp8: false, useH265: false } }),
  heartbeatAnswer: () => ({ cmd: SERVER_CMD.UPDATE_REMOTE_MUTE_STAT, code: 0, message: '', data: { userList: [] } }),
  proxy: ({ webSocketBase, httpBase }) => ({
    websocketProxy: `${webSocketBase}/signal/v5`,
    loggerProxy: `${httpBase}${LOGGER_PATH}`,
  }),
};
