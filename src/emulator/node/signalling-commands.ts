/**
 * The command table of one SDK generation's signalling: client command → what answers it. Each entry is a
 * function of the channel it came on and its frame, so it can be tested alone (test/node/signalling-commands.test.mjs).
 * A dialect's own `commands` (the media server's, say) override every entry made here.
 */
import { quote } from './log-text.js';
import type { RoomId } from '../core/room-service.js';
import { SERVER_CMD, serverFrame, type SignallingCommand, type SignallingDialect } from './signalling-frames.js';

/** The room a reconnecting or joining frame names (`useStringRoomId` says which kind). */
export const roomIdOf = (data: Record<string, unknown>): RoomId =>
  data.useStringRoomId === true ? String(data.roomId ?? '') : Number(data.roomId);

const join: SignallingCommand = (channel, frame) => channel.join(frame);
const leave: SignallingCommand = (channel) => channel.leave();
const getUserList: SignallingCommand = (channel, { seq }) =>
  channel.send(serverFrame(SERVER_CMD.USER_LIST_RES, { userList: channel.usersInRoom() }, { seq }));
const qualityReport: SignallingCommand = (channel) => {
  const answer = channel.dialect.heartbeatAnswer?.();
  // With media, the published-user list (cmd 23) goes with each heartbeat, a full snapshot: the SDKs take the
  // first one after a remote stream is added as that user's mute state.
  if (answer?.cmd === SERVER_CMD.UPDATE_REMOTE_MUTE_STAT && channel.media)
    channel.send({ ...answer, data: { ...answer.data, userList: channel.publishedUsers() } });
  else if (answer) channel.send({ ...answer });
};
// trtc-sdk-v5 reconnects with a command on the fresh socket; its frame names the room it was in.
const reconnect: SignallingCommand = (channel, { seq, data }) =>
  channel.reconnect(seq, roomIdOf(data), Number(data.relayPort));
const unanswered: SignallingCommand = () => undefined;
const acknowledge =
  (resultCmd: number): SignallingCommand =>
  (channel, { seq }) =>
    channel.send(serverFrame(resultCmd, {}, { seq }));
const refuse =
  (resultCmd: number): SignallingCommand =>
  (channel, frame) => {
    const { cmd } = frame;
    // trtc-sdk-v5 answers a refused rebuild by rejoining on a fresh socket.
    if (cmd === 'rebuild_pc') channel.markMoving();
    channel.log(
      `${quote(channel.userId)} (${channel.dialect.sdk}): ${quote(cmd)} refused: the emulator serves rooms, users and forced exits, not media`,
    );
    channel.refuse(
      frame,
      resultCmd,
      `The trtc-room emulator does not serve "${cmd}": it serves joining, user lists and forced exits, not media (no media server to publish to or subscribe from).`,
    );
  };

/**
 * The table for `dialect`. Where a command is named twice, the later kind wins: refused, acknowledged,
 * unanswered, then the commands both generations answer alike, then the join commands, then the dialect's own.
 */
export function signallingCommands(dialect: SignallingDialect): ReadonlyMap<string, SignallingCommand> {
  const table = new Map<string, SignallingCommand>();
  for (const [cmd, resultCmd] of Object.entries(dialect.refused)) table.set(cmd, refuse(resultCmd));
  for (const [cmd, resultCmd] of Object.entries(dialect.acknowledged)) table.set(cmd, acknowledge(resultCmd));
  for (const cmd of dialect.unanswered) table.set(cmd, unanswered);
  table.set('reconnect', reconnect);
  table.set('quality_report', qualityReport);
  table.set('get_user_list', getUserList);
  table.set('leave', leave);
  for (const cmd of dialect.joinCommands) table.set(cmd, join);
  for (const [cmd, command] of Object.entries(dialect.commands ?? {})) table.set(cmd, command);
  return table;
}
