// The real SDKs' signalling command table (src/emulator/node/signalling-commands.ts), one entry at a time: each
// entry is called with a recording channel, no socket or server. The whole exchange is in sdk-signalling.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTs } from '../../scripts/load-ts.mjs';

const { signallingCommands } = await loadTs('src/emulator/node/signalling-commands.ts');
const { SIGNALLING_DIALECTS } = await loadTs('src/emulator/node/signalling.ts');
const [v4, v5] = SIGNALLING_DIALECTS;

/** A channel that records what an entry did to it. */
function recordingChannel(dialect, { membership = null, users = [], media = null, published = [] } = {}) {
  const did = [];
  return {
    did,
    channel: {
      dialect,
      userId: 'alice',
      membership,
      media,
      publishedUsers: () => published,
      send: (frame) => did.push(['send', frame]),
      refuse: (frame, resultCmd, text) => did.push(['refuse', frame.seq, resultCmd, text]),
      log: (line) => did.push(['log', line]),
      join: async (frame) => did.push(['join', frame.cmd]),
      leave: () => did.push(['leave']),
      reconnect: (seq, roomId) => did.push(['reconnect', seq, roomId]),
      usersInRoom: () => users,
      markMoving: () => did.push(['moving']),
      sendUplinkStats: () => did.push(['uplink-stats']),
      // trtc-sdk-v5's single peer connection: none here (the channel has not joined with join/v2).
      spc: null,
      spcRoom: null,
      publishedList: () => ({ cmd: 23, code: 0, message: '', data: { userList: [] } }),
    },
  };
}
const run = async (dialect, cmd, data = {}, options) => {
  const { channel, did } = recordingChannel(dialect, options);
  const command = signallingCommands(dialect).get(cmd);
  assert.ok(command, `${dialect.key} has an entry for ${cmd}`);
  await command(channel, { cmd, seq: 7, data });
  return did;
};

test('get_user_list is answered with 4137 and the room’s users, under the request’s seq', async () => {
  const users = [{ userId: 'alice', srcTinyId: 'emu-alice', role: 20 }];
  assert.deepEqual(await run(v4, 'get_user_list', {}, { users }), [
    ['send', { cmd: 4137, code: 0, message: '', data: { userList: users }, seq: 7 }],
  ]);
});

test('the join commands join (v4 join; v5 join/v2 and its fallback join), leave leaves', async () => {
  assert.deepEqual(await run(v4, 'join'), [['join', 'join']]);
  assert.deepEqual(await run(v5, 'join/v2'), [['join', 'join/v2']]);
  assert.deepEqual(await run(v5, 'join'), [['join', 'join']]);
  // `leave` is also among the commands that take no answer: the leave entry wins.
  assert.deepEqual(await run(v5, 'leave'), [['leave']]);
});

test('v5’s reconnect command names its room: a numeric or a string room', async () => {
  assert.deepEqual(await run(v5, 'reconnect', { roomId: '1234' }), [['reconnect', 7, 1234]]);
  assert.deepEqual(await run(v5, 'reconnect', { roomId: 'abc', useStringRoomId: true }), [['reconnect', 7, 'abc']]);
});

test('a heartbeat is answered with cmd 23 (the published-user list with media, empty before the join), then the uplink quality (cmd 22)', async () => {
  const published = [{ userId: 'bob', srcTinyId: 'emu-bob', flag: 9 }];
  assert.deepEqual(await run(v4, 'quality_report', {}, { media: {}, published }), [
    ['send', { cmd: 23, code: 0, message: '', data: { userList: published } }],
    ['uplink-stats'],
  ]);
  assert.deepEqual(await run(v4, 'quality_report'), [
    ['send', { cmd: 23, code: 0, message: '', data: { userList: [] } }],
    ['uplink-stats'],
  ]);
  assert.deepEqual(await run(v5, 'quality_report'), [
    ['send', { cmd: 23, code: 0, message: '', data: { userList: [] } }],
    ['uplink-stats'],
  ]);
});

test('a command the emulator does not serve is refused with its own result command, logged, and a refused rebuild_pc marks the move', async () => {
  const publish = await run(v4, 'start_mcu_mix');
  assert.deepEqual(
    publish.map(([kind, ...rest]) => (kind === 'refuse' ? [kind, rest[0], rest[1]] : [kind])),
    [['log'], ['refuse', 7, 781]],
  );
  assert.match(publish[1][3], /does not serve "start_mcu_mix"/);
  assert.deepEqual((await run(v5, 'rebuild_pc'))[0], ['moving']);
});

test('v4’s publish before a join (no media yet) fails on its result command with a sentence', async () => {
  const did = await run(v4, 'publish', { type: 'offer', sdp: 'v=0' });
  const sent = did.find(([kind]) => kind === 'send')[1];
  assert.deepEqual([sent.cmd, sent.seq, sent.code], [4098, 7, -1]);
  assert.match(sent.message, /could not publish: this connection has not joined a room/);
});

test('v5’s ability_status_report is acknowledged with 4158 and no data; v4 has no such entry', async () => {
  assert.deepEqual(await run(v5, 'ability_status_report'), [
    ['send', { cmd: 4158, code: 0, message: '', data: {}, seq: 7 }],
  ]);
  assert.equal(signallingCommands(v4).has('ability_status_report'), false);
});

test('a dialect’s own command takes precedence over the refusal of the same name (where the media server’s go)', async () => {
  const publish = (channel, frame) => channel.send({ cmd: 4098, code: 0, message: '', data: {}, seq: frame.seq });
  const withMedia = { ...v4, commands: { publish } };
  assert.equal(signallingCommands(withMedia).get('publish'), publish);
  assert.notEqual(signallingCommands(v4).get('publish'), publish);
});
