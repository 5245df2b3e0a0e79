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
 * - Media, in the SDK's default single peer connection (media/spc-v5.ts): `join/v2`'s answer carries the
 *   server's `ability`; `publish/v2` → 4146, `subscribe/v3` → 4156, `subscribe_change` → 4106, `unsubscribe`
 *   → 4104, `mute_uplink` → 4108, `publish_state_change` → 4112, `unpublish` → 4100, `rebuild_pc` → 4150 with a
 *   new ability. cmd 23 (at each change and each heartbeat) is the room's published-user list.
 * - A member the media server does not take (past its cap) gets no ability: the SDK's single peer connection
 *   fails at once, its `rebuild_pc` is refused (4150), so it falls back to separate peer connections and joins
 *   again on a fresh socket (the emulator resumes the member: no leave or join is seen). Publishing then sends
 *   `publish`, refused with result 4098 and a non-zero code. Those separate connections are not served.
 * - The SDK ignores `publish/v2`'s result code (trtc.esm.js `publish()` reads no field of it): refusing it would
 *   not reach the app, so a member is refused media at its join instead.
 */
import {
  LOGGER_PATH,
  SERVER_CMD,
  serverFrame,
  tinyIdOf,
  type SignallingCommand,
  type SignallingDialect,
} from './signalling-frames.js';
import { trtcJsSdkSignalling } from './signalling-v4.js';
import { quote } from './log-text.js';

/** The single peer connection's commands, with the result command each waits for. */
const SPC_RESULT = {
  'publish/v2': 4146,
  'subscribe/v3': 4156,
  rebuild_pc: 4150,
  unsubscribe: 4104,
  subscribe_change: 4106,
  mute_uplink: 4108,
  publish_state_change: 4112,
  unpublish: 4100,
} as const;
type SpcCommand = keyof typeof SPC_RESULT;

/** Answers one single-peer-connection command; a member without one (past the cap) gets the refusal it got before. */
const spcCommand =
  (cmd: SpcCommand): SignallingCommand =>
  async (channel, frame) => {
    const room = channel.spcRoom;
    const result = SPC_RESULT[cmd];
    if (!room || (cmd !== 'rebuild_pc' && !channel.spc.has(room, channel.userId))) {
      // trtc-sdk-v5 answers a refused rebuild by rejoining on a fresh socket.
      if (cmd === 'rebuild_pc') channel.markMoving();
      channel.log(
        `${quote(channel.userId)} (${channel.dialect.sdk}): ${quote(cmd)} refused: no single peer connection`,
      );
      channel.refuse(
        frame,
        result,
        channel.mediaRefusal ??
          `The trtc-room emulator does not serve "${cmd}" for this member: it has no single peer connection here (the media server was full at its join, or it never joined with join/v2).`,
      );
      return;
    }
    const { spc, userId } = channel;
    const { data } = frame;
    try {
      let answer: Record<string, unknown> = {};
      if (cmd === 'rebuild_pc') answer = { ability: await spc.rebuild(room, userId, tinyIdOf(userId), data.ability) };
      else if (cmd === 'publish/v2') spc.publish(room, userId, data);
      else if (cmd === 'subscribe/v3') spc.subscribe(room, userId, data);
      else if (cmd === 'subscribe_change') spc.subscribeChange(room, userId, data);
      else if (cmd === 'unsubscribe') spc.unsubscribe(room, userId, data);
      else if (cmd === 'unpublish') spc.unpublish(room, userId);
      else spc.update(room, userId, data); // mute_uplink, publish_state_change
      channel.send(serverFrame(result, answer, { seq: frame.seq }));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (cmd === 'rebuild_pc') channel.markMoving();
      channel.log(`${quote(userId)} (${channel.dialect.sdk}): ${quote(cmd)} refused: ${text}`);
      channel.refuse(frame, result, text);
    }
  };

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
  commands: {
    ...Object.fromEntries(Object.keys(SPC_RESULT).map((cmd) => [cmd, spcCommand(cmd as SpcCommand)])),
    // Each heartbeat is answered with the room's published-user list (the SDK also needs the traffic).
    quality_report: (channel) => {
      channel.send(channel.publishedList());
      channel.sendUplinkStats();
    },
  },
  // `useVp8` and `useH265` are read after the join resolves; join/v2's answer replaces this with the server's ability.
  joinResultData: () => ({ ability: { useVp8: false, useH265: false } }),
  heartbeatAnswer: () => ({ cmd: SERVER_CMD.UPDATE_REMOTE_MUTE_STAT, code: 0, message: '', data: { userList: [] } }),
  proxy: ({ webSocketBase, httpBase }) => ({
    websocketProxy: `${webSocketBase}/signal/v5`,
    loggerProxy: `${httpBase}${LOGGER_PATH}`,
  }),
};
