// The emulator's side of the real TRTC SDKs' signalling (/signal/v4, /signal/v5), driven frame by frame with
// `ws` as the SDKs send them (see src/emulator/node/signalling*.ts); the SDKs themselves run in real-sdk-emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { loadTs } from '../../scripts/load-ts.mjs';

const { startEmulatorServer } = await loadTs('src/emulator/node/server.ts');
const SDK_APP_ID = 1400000001;

/** A socket opened as the SDK opens it, keeping every frame the emulator sent. */
async function connect(server, sdk, userId, extraQuery = '', userSig = 'sig') {
  const base = server.proxy[sdk].websocketProxy;
  const socket = new WebSocket(`${base}?sdkAppId=${SDK_APP_ID}&userId=${userId}&userSig=${userSig}${extraQuery}`);
  const frames = [];
  let seq = 0;
  socket.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const client = {
    socket,
    frames,
    send(cmd, data = {}) {
      socket.send(JSON.stringify({ cmd, data, userId, tinyId: 'x', seq: ++seq }));
      return seq;
    },
    /** The first frame with `cmd` (and `seq`, if given), once it arrives. */
    async next(cmd, sent) {
      for (let i = 0; i < 200; i++) {
        const frame = frames.find((f) => f.cmd === cmd && (sent === undefined || f.seq === sent));
        if (frame) return frame;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no frame ${cmd} in ${JSON.stringify(frames)}`);
    },
    async join(roomId = 1234) {
      const sent = client.send(sdk === 'v4' ? 'join' : 'join/v2', {
        roomId: String(roomId),
        useStringRoomId: typeof roomId === 'string',
      });
      return client.next(20, sent);
    },
    close: () =>
      new Promise((resolve) => {
        socket.once('close', resolve);
        socket.close(1000);
      }),
  };
  return client;
}

async function start(t, options = {}) {
  const lines = [];
  const server = await startEmulatorServer({ log: (line) => lines.push(line), ...options });
  t.after(() => server.close());
  return { server, lines };
}

test('the SDK versions the emulator states it serves are the versions installed and tested here (a bump needs its signalling checked again)', async () => {
  const { TRTC_JS_SDK_VERSION } = await loadTs('src/emulator/node/signalling-v4.ts');
  const { TRTC_SDK_V5_VERSION } = await loadTs('src/emulator/node/signalling-v5.ts');
  const installed = (name) =>
    JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
  assert.equal(installed('trtc-js-sdk'), TRTC_JS_SDK_VERSION);
  assert.equal(installed('trtc-sdk-v5'), TRTC_SDK_V5_VERSION);
});

test("GET /proxy answers the value for trtc-js-sdk's setProxyServer and for trtc-sdk-v5's enterRoom proxy, on the emulator's own paths", async (t) => {
  const { server } = await start(t);
  const proxy = await (await fetch(`${server.url}/proxy`)).json();
  const ws = server.url.replace('http://', 'ws://');
  assert.deepEqual(proxy, {
    v4: { websocketProxy: `${ws}/signal/v4`, loggerProxy: `${server.url}/sdk-log` },
    v5: { websocketProxy: `${ws}/signal/v5`, loggerProxy: `${server.url}/sdk-log` },
  });
  assert.equal(
    (await fetch(`${server.url}/sdk-log/v5/AVQualityReportSvc/C2S?sdkappid=1`, { method: 'POST', body: '{}' })).status,
    204,
  );
});

for (const sdk of ['v4', 'v5']) {
  test(`${sdk}: the welcome comes first, the join is answered by cmd 20, and peers hear 4134 / 4135`, async (t) => {
    const { server } = await start(t);
    const alice = await connect(server, sdk, 'alice');
    assert.equal((await alice.next(19)).code, 0);
    const joined = await alice.join();
    assert.equal(joined.code, 0);
    assert.deepEqual(joined.data.publishers, []);
    if (sdk === 'v5') assert.equal(typeof joined.data.ability, 'object', 'v5 reads ability after its join resolves');
    const bob = await connect(server, sdk, 'bob');
    await bob.join();
    assert.deepEqual((await bob.next(4134)).data, { srcTinyId: 'emu-alice', userId: 'alice', role: 20 });
    assert.equal((await alice.next(4134)).data.userId, 'bob');
    const list = await alice.next(4137, alice.send('get_user_list'));
    assert.deepEqual(
      list.data.userList.map((user) => user.userId),
      ['alice', 'bob'],
    );
    bob.send('leave');
    assert.deepEqual((await alice.next(4135)).data, { srcTinyId: 'emu-bob', userId: 'bob', reason: 0 });
    assert.deepEqual(
      server.rooms().map((room) => room.members),
      [['alice']],
    );
  });

  test(`${sdk}: an unknown command is answered in the SDK's result shape with a non-zero code, and logged once with its name`, async (t) => {
    const { server, lines } = await start(t);
    const alice = await connect(server, sdk, 'alice');
    await alice.join();
    const first = await alice.next('frobnicate', alice.send('frobnicate'));
    const second = await alice.next('frobnicate', alice.send('frobnicate'));
    for (const answer of [first, second]) {
      assert.equal(answer.code, -1);
      assert.match(answer.message, /does not know the command "frobnicate"/);
    }
    assert.equal(lines.filter((line) => line.includes('"frobnicate"')).length, 1);
  });

  test(`${sdk}: a publish that cannot be served is refused on the result command the SDK waits for, with a non-zero code and a sentence`, async (t) => {
    const { server } = await start(t);
    const alice = await connect(server, sdk, 'alice');
    await alice.join();
    const [command, result] = sdk === 'v4' ? ['publish', 4098] : ['publish/v2', 4146];
    const answer = await alice.next(result, alice.send(command, { type: 'offer', sdp: 'v=0' }));
    assert.equal(answer.code, -1);
    // v4's publish goes to the media server, which says why it cannot take this offer; v5's publish/v2 is served
    // for a member with a single peer connection, and this join sent no ability.
    assert.match(answer.message, sdk === 'v4' ? /media server could not publish/ : /no single peer connection/);
  });

  test(`${sdk}: a join the room service refuses (a userSig that does not verify) is answered by cmd 20 with a non-zero code and the reason`, async (t) => {
    const { server } = await start(t, { appSecretKey: 'app-secret' });
    const alice = await connect(server, sdk, 'alice');
    const answer = await alice.join();
    assert.equal(answer.code, -1);
    assert.match(answer.message, /^Join refused/);
    assert.deepEqual(server.rooms(), []);
  });

  test(`${sdk}: a reconnection to a dropped member resumes it (cmd 514, code 0) and its peers see no leave; with none to resume, 514 fails so the SDK joins again`, async (t) => {
    const { server } = await start(t);
    const alice = await connect(server, sdk, 'alice');
    await alice.join();
    const bob = await connect(server, sdk, 'bob');
    await bob.join();
    alice.socket.terminate();
    await new Promise((resolve) => alice.socket.once('close', resolve));
    for (let i = 0; i < 100 && server.rooms()[0].disconnected.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(server.rooms()[0].disconnected, ['alice']);
    let again;
    if (sdk === 'v4') again = await connect(server, sdk, 'alice', '&rc=1&roomId=1234&useStringRoomId=false');
    else {
      again = await connect(server, sdk, 'alice');
      again.send('reconnect', { roomId: '1234', useStringRoomId: false });
    }
    assert.equal((await again.next(514)).code, 0);
    assert.deepEqual(server.rooms(), [
      { sdkAppId: SDK_APP_ID, roomId: 1234, members: ['alice', 'bob'], disconnected: [] },
    ]);
    assert.equal(bob.frames.filter((f) => f.cmd === 4135).length, 0);
    // The resumed member is reached on its new socket.
    server.service.removeUsers({ sdkAppId: SDK_APP_ID, roomId: 1234, userIds: ['alice'] });
    assert.deepEqual((await again.next(9)).data, { reason: 'banned' });

    const stranger =
      sdk === 'v4'
        ? await connect(server, sdk, 'carol', '&rc=1&roomId=1234&useStringRoomId=false')
        : await connect(server, sdk, 'carol');
    if (sdk === 'v5') stranger.send('reconnect', { roomId: '1234', useStringRoomId: false });
    assert.notEqual((await stranger.next(514)).code, 0);
  });
}

test('every heartbeat is answered with the published-user list (v5 reconnects after 12 s without a frame; v4 takes mute states from it)', async (t) => {
  const { server } = await start(t);
  const v5 = await connect(server, 'v5', 'alice');
  await v5.join();
  v5.send('quality_report', {});
  assert.deepEqual((await v5.next(23)).data, { userList: [] });
  const v4 = await connect(server, 'v4', 'bob');
  await v4.join();
  v4.send('quality_report', {});
  assert.deepEqual((await v4.next(23)).data, { userList: [] });
});

test('v5: a ban that finds the client between sockets (its peer connection rebuild refused, its rejoin not in yet) is delivered after the rejoin', async (t) => {
  const { server } = await start(t);
  const alice = await connect(server, 'v5', 'alice');
  await alice.join();
  await alice.next(4150, alice.send('rebuild_pc', {}));
  alice.socket.terminate();
  server.service.removeUsers({ sdkAppId: SDK_APP_ID, roomId: 1234, userIds: ['alice'] });
  const again = await connect(server, 'v5', 'alice');
  const sent = again.send('join', { roomId: '1234', useStringRoomId: false });
  assert.equal((await again.next(20, sent)).code, 0);
  assert.deepEqual((await again.next(9)).data, { reason: 'banned' });
  assert.deepEqual(server.rooms(), []);
});

test('v4: a reconnection (&rc=1) while the server still holds the old socket takes the member over and closes the old socket; peers see no leave', async (t) => {
  const { server } = await start(t);
  const alice = await connect(server, 'v4', 'alice');
  await alice.join();
  const bob = await connect(server, 'v4', 'bob');
  await bob.join();
  const closed = new Promise((resolve) => alice.socket.once('close', resolve));
  const again = await connect(server, 'v4', 'alice', '&rc=1&roomId=1234&useStringRoomId=false');
  assert.equal((await again.next(514)).code, 0);
  await closed;
  assert.deepEqual(server.rooms(), [
    { sdkAppId: SDK_APP_ID, roomId: 1234, members: ['alice', 'bob'], disconnected: [] },
  ]);
  assert.equal(bob.frames.filter((f) => f.cmd === 4135).length, 0);
  // A join from another page with the same userId still kicks: it is not a reconnection.
  const other = await connect(server, 'v4', 'alice');
  await other.join();
  assert.deepEqual((await again.next(9)).data, { reason: 'kick' });
});

/** A socket of the emulated SDK's media plane (media-hub.ts): resolves to its `media-entered` answer. */
async function enterMediaPlane(server, room, userId) {
  const socket = new WebSocket(`${server.url.replace('http://', 'ws://')}/trtc`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const entered = new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
  socket.send(JSON.stringify({ type: 'media-enter', room, userId }));
  return { socket, entered: await entered };
}

test("mixed pages: a room's media is its first carrier's; a member of another (emulated SDK, trtc-js-sdk, trtc-sdk-v5) is refused media with a sentence naming the carrier and who has media, and the log says it", async (t) => {
  const { server, lines } = await start(t);
  // trtc-js-sdk has media in room 55 from alice's publish (the offer is not one the media server can answer, but she
  // is its member from then on).
  const alice = await connect(server, 'v4', 'alice');
  await alice.join(55);
  await alice.next(4098, alice.send('publish', { type: 'offer', sdp: 'v=0' }));
  const carriedBy =
    /^Room 55 already carries media on trtc-js-sdk \(alice\), and the emulator does not pass media between trtc-js-sdk and (trtc-sdk-v5|the emulated SDK): (bob|carol) gets no camera or microphone there\. Put pages of one SDK in a room \(or use another room\)\.$/;

  // trtc-sdk-v5: no single peer connection at its join (the default ability, no server's), and its fallback's publish
  // is refused with the sentence, which the SDK reports as the publish's error.
  const bob = await connect(server, 'v5', 'bob');
  const joined = await bob.join(55);
  assert.equal(joined.code, 0);
  assert.deepEqual(joined.data.ability, { useVp8: false, useH265: false });
  const refused = await bob.next(4098, bob.send('publish', { type: 'offer', sdp: 'v=0' }));
  assert.equal(refused.code, -1);
  assert.match(refused.message, carriedBy);

  // The emulated SDK: its media-enter is answered with the refusal, which its publish rejects with.
  const carol = await enterMediaPlane(server, `${SDK_APP_ID}/n:55`, 'carol');
  assert.equal(carol.entered.type, 'media-entered');
  assert.match(carol.entered.refusal, carriedBy);
  carol.socket.close();
  assert.ok(lines.some((line) => line.startsWith('"bob" (trtc-sdk-v5): media refused: Room 55')));
  assert.ok(lines.some((line) => line.startsWith('"carol" (the emulated SDK): media refused: Room 55')));

  // Room 56's media is the emulated SDK's from dave's entry: trtc-js-sdk's publish there is refused.
  const dave = await enterMediaPlane(server, `${SDK_APP_ID}/n:56`, 'dave');
  assert.deepEqual(dave.entered, { type: 'media-entered' });
  const erin = await connect(server, 'v4', 'erin');
  await erin.join(56);
  const erinRefused = await erin.next(4098, erin.send('publish', { type: 'offer', sdp: 'v=0' }));
  assert.equal(erinRefused.code, -1);
  assert.match(erinRefused.message, /^Room 56 already carries media on the emulated SDK \(dave\)/);
  dave.socket.close();

  // A room of one carrier is not refused: a second trtc-js-sdk member of room 55 reaches the media server.
  const frank = await connect(server, 'v4', 'frank');
  await frank.join(55);
  const frankAnswer = await frank.next(4098, frank.send('publish', { type: 'offer', sdp: 'v=0' }));
  assert.match(frankAnswer.message, /media server could not publish/);
});

test('held bans are kept per client: of two clients with one userId between sockets at once, each reconnection (named by the relayPort its join result gave) gets its own ban or none', async (t) => {
  for (const sdk of ['v4', 'v5']) {
    const { server } = await start(t);
    const cut = async (client) => {
      const closed = new Promise((resolve) => client.socket.once('close', resolve));
      client.socket.terminate();
      await closed;
      for (let i = 0; i < 100 && !server.rooms()[0]?.disconnected.length; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
    };
    // Two tabs with one userId, each with its own userSig: the second join kicks the first, which is between sockets.
    const first = await connect(server, sdk, 'alice', '', 'sig-first');
    const firstPort = (await first.join()).data.relayPort;
    await cut(first);
    const second = await connect(server, sdk, 'alice', '', 'sig-second');
    const secondPort = (await second.join()).data.relayPort;
    assert.notEqual(firstPort, secondPort, `${sdk}: each client has its own relayPort`);
    await cut(second);
    // The second reconnects first: it resumes, with no ban; the first then gets its kick.
    const reconnect = async (userSig, relayPort) => {
      const query = `&rc=1&roomId=1234&useStringRoomId=false&relayPort=${relayPort}`;
      const again = await connect(server, sdk, 'alice', sdk === 'v4' ? query : '', userSig);
      if (sdk === 'v5') again.send('reconnect', { roomId: '1234', useStringRoomId: false, relayPort });
      return again;
    };
    const secondAgain = await reconnect('sig-second', secondPort);
    assert.equal((await secondAgain.next(514)).code, 0, `${sdk}: the second client resumes`);
    const firstAgain = await reconnect('sig-first', firstPort);
    assert.deepEqual((await firstAgain.next(9)).data, { reason: 'kick' }, `${sdk}: the first client gets its kick`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      secondAgain.frames.filter((f) => f.cmd === 9),
      [],
      `${sdk}: the second client is not banned`,
    );
    assert.deepEqual(server.rooms(), [{ sdkAppId: SDK_APP_ID, roomId: 1234, members: ['alice'], disconnected: [] }]);
    await server.close();
  }
});

test("faults on the SDKs' signalling: refuseJoins refuses a join with code -1 and a sentence until restored; restart cuts every socket and forgets the rooms, or keeps them (keepRooms) for the reconnection to resume", async (t) => {
  const { server } = await start(t);
  const refused = server.faults.refuseJoins({ roomId: 1234 });
  const alice = await connect(server, 'v4', 'alice');
  const answer = await alice.join();
  assert.equal(answer.code, -1);
  assert.match(answer.message, /refuses joins \(fault refuse-joins-1, until restored\)/);
  assert.deepEqual(server.rooms(), []);
  refused.restore();
  const again = await connect(server, 'v4', 'alice');
  const port = (await again.join()).data.relayPort;
  assert.equal(port > 0, true);

  // Restart keeping the rooms: the socket is cut, the member waits for its client, which resumes.
  const cut = new Promise((resolve) => again.socket.once('close', resolve));
  await server.faults.restart({ keepRooms: true });
  await cut;
  for (let i = 0; i < 100 && !server.rooms()[0]?.disconnected.length; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(server.rooms(), [
    { sdkAppId: SDK_APP_ID, roomId: 1234, members: ['alice'], disconnected: ['alice'] },
  ]);
  const resumed = await connect(server, 'v4', 'alice', `&rc=1&roomId=1234&useStringRoomId=false&relayPort=${port}`);
  assert.equal((await resumed.next(514)).code, 0);
  // Restart forgetting them: the reconnection finds no session (the SDK then joins again).
  const cutAgain = new Promise((resolve) => resumed.socket.once('close', resolve));
  await server.faults.restart();
  await cutAgain;
  assert.deepEqual(server.rooms(), []);
  const lost = await connect(server, 'v4', 'alice', `&rc=1&roomId=1234&useStringRoomId=false&relayPort=${port}`);
  assert.notEqual((await lost.next(514)).code, 0);
  assert.deepEqual(server.faults.active, []);
});

test('after each heartbeat the SDKs get cmd 22, their uplink as the server sees it: clean without a fault, with the loss and twice the delay of a degradeMedia fault (both SDKs grade their uplink network quality from it)', async (t) => {
  const { server } = await start(t);
  for (const sdk of ['v4', 'v5']) {
    const client = await connect(server, sdk, `${sdk}-user`);
    await client.join();
    client.send('quality_report', {});
    assert.deepEqual((await client.next(22)).data, {
      expectAudPkg: 100,
      expectVidPkg: 0,
      recvAudPkg: 100,
      recvVidPkg: 0,
      rtt: 1,
    });
    client.frames.length = 0;
    const fault = server.faults.degradeMedia({ userId: `${sdk}-user`, lossPercent: 30, delayMs: 100 });
    client.send('quality_report', {});
    const { data } = await client.next(22);
    assert.deepEqual([data.recvAudPkg, data.rtt], [70, 201]);
    fault.restore();
  }
});

test("a drop aimed at a trtc-sdk-v5 member's room refuses that user's new sockets (its URL names no room) until it ends, as a network that is down; another user's socket opens", async (t) => {
  const { server } = await start(t);
  const alice = await connect(server, 'v5', 'alice');
  assert.equal((await alice.join(4321)).code, 0);
  const drop = server.faults.drop({ userId: 'alice', roomId: 4321 });
  const refusal = (userId) =>
    connect(server, 'v5', userId).then(
      (client) => (client.socket.close(), 'opened'),
      (error) => error.message,
    );
  assert.match(await refusal('alice'), /503/);
  assert.equal(await refusal('bob'), 'opened');
  drop.restore();
  assert.equal(await refusal('alice'), 'opened');
});
