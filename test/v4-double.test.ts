// The v4 double of `trtc-room/testing` follows trtc-js-sdk 4.15.22 (read in its trtc.esm.js; the conformance
// table in test/node/v4-conformance.test.mjs runs the element on both): one rule per test, on the in-memory
// emulator or, where a transport must misbehave, on a scripted RoomBackend.
import './support/guard.js';
import { expect } from '@open-wc/testing';
import { BAN_MESSAGES, EmulatedV4Client, PageJoinGuard, sdkReconnectDelayMs } from '../src/emulator/page/v4-client.js';
import { createTrtcEmulator } from '../src/testing/index.js';
import { FaultQueue, type BackendMembership, type RoomBackend } from '../src/emulator/page/backend.js';
import { PEER_LEAVE_REASON, type MemberSink } from '../src/emulator/core/room-service.js';

const APP = 1400000001;
const identity = (userId: string) => ({ sdkAppId: APP, userId, userSig: 'sig', mode: 'rtc' as const });

/** A client's events, in order, as `name payload`. */
function heard(client: { on(event: string, handler: (payload: any) => void): void }) {
  const events: string[] = [];
  for (const name of ['client-banned', 'peer-join', 'peer-leave', 'error', 'connection-state-changed']) {
    client.on(name, (payload) => {
      if (name === 'connection-state-changed') events.push(`${payload.prevState}->${payload.state}`);
      else if (name === 'error') events.push(`error 0x${payload.getCode().toString(16)}`);
      else if (name === 'client-banned') events.push(`banned ${payload.reason}`);
      else events.push(`${name} ${payload.userId}`);
    });
  }
  return events;
}

async function rejection(promise: Promise<unknown>): Promise<{ getCode(): number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { getCode(): number; message: string };
  }
  throw new Error('expected a rejection');
}

const tasks = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the v4 double: the page-wide join guard (per SDKAppID + room + userId, per page)', () => {
  it('refuses a second client of the page in the same room as the same user with 4097, and the first stays in', async () => {
    const emulator = createTrtcEmulator();
    const first = emulator.sdk.createClient(identity('alice'));
    await first.join({ roomId: 1 });
    const second = emulator.sdk.createClient(identity('alice'));
    const secondEvents = heard(second);
    const error = await rejection(second.join({ roomId: 1 }));
    expect(error.getCode()).to.equal(0x1001);
    expect(error.message).to.match(
      /^\[alice\] is calling client\.join api or has already joined room, please avoid repeated join\. \nRefer to: /,
    );
    expect(secondEvents, 'refused before any connection').to.deep.equal([]);
    expect(first.joined).to.equal(true);
    expect(emulator.admin.rooms.map((room) => room.members)).to.deep.equal([['alice']]);
  });

  it('is set when join() starts: a second client is refused while the first is still joining', async () => {
    const emulator = createTrtcEmulator();
    let release!: () => void;
    emulator.faults.nextJoin({ type: 'delay', until: new Promise<void>((resolve) => (release = resolve)) });
    const first = emulator.sdk.createClient(identity('alice'));
    const joining = first.join({ roomId: 1 });
    expect((await rejection(emulator.sdk.createClient(identity('alice')).join({ roomId: 1 }))).getCode()).to.equal(
      0x1001,
    );
    release();
    await joining;
  });

  it('is cleared when the join fails, and by leave(); not by a ban, until leave()', async () => {
    const emulator = createTrtcEmulator();
    emulator.faults.nextJoin({ type: 'reject' });
    const failed = emulator.sdk.createClient(identity('alice'));
    await rejection(failed.join({ roomId: 1 }));
    const left = emulator.sdk.createClient(identity('alice'));
    await left.join({ roomId: 1 });
    await left.leave();
    const banned = emulator.sdk.createClient(identity('alice'));
    await banned.join({ roomId: 1 });
    await emulator.admin.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['alice'] });
    await tasks();
    expect(banned.joined).to.equal(false);
    expect(
      (await rejection(emulator.sdk.createClient(identity('alice')).join({ roomId: 1 }))).getCode(),
      'the ban left the guard set',
    ).to.equal(0x1001);
    await banned.leave();
    await emulator.sdk.createClient(identity('alice')).join({ roomId: 1 });
  });

  it('is per room, per userId, and numeric room 1 is not string room "1"', async () => {
    const emulator = createTrtcEmulator();
    await emulator.sdk.createClient(identity('alice')).join({ roomId: 1 });
    await emulator.sdk.createClient(identity('alice')).join({ roomId: 2 });
    await emulator.sdk.createClient(identity('bob')).join({ roomId: 1 });
    await emulator.sdk.createClient({ ...identity('alice'), useStringRoomId: true }).join({ roomId: '1' });
    expect(emulator.admin.rooms.map((room) => [room.roomId, room.members])).to.deep.equal([
      [1, ['alice', 'bob']],
      [2, ['alice']],
      ['1', ['alice']],
    ]);
  });

  it('is per page: the same user from another page (emulator.newPage()) joins, and the earlier client is banned with kick', async () => {
    const emulator = createTrtcEmulator();
    const here = emulator.sdk.createClient(identity('alice'));
    const hereEvents = heard(here);
    await here.join({ roomId: 1 });
    await emulator.newPage().sdk.createClient(identity('alice')).join({ roomId: 1 });
    await tasks();
    expect(hereEvents).to.deep.equal([
      'DISCONNECTED->CONNECTING',
      'CONNECTING->CONNECTED',
      'CONNECTED->DISCONNECTED',
      'banned kick',
    ]);
  });

  it('is not applied to the v5 shape (trtc-sdk-v5 in rtc mode has no page-wide guard)', async () => {
    const emulator = createTrtcEmulator();
    await emulator.sdk.createClient(identity('alice')).join({ roomId: 1 });
    const v5 = emulator.sdkV5.create();
    await v5.enterRoom({ ...identity('alice'), roomId: 1 });
    expect(v5.joined).to.equal(true);
  });
});

describe('the v4 double: joining, leaving, destroying', () => {
  it('announces users already in the room with peer-join before join() resolves, and no one twice', async () => {
    const emulator = createTrtcEmulator();
    await emulator.sdk.createClient(identity('bob')).join({ roomId: 1 });
    await emulator.sdk.createClient(identity('carol')).join({ roomId: 1 });
    const alice = emulator.sdk.createClient(identity('alice'));
    const events = heard(alice);
    await alice.join({ roomId: 1 });
    expect(events).to.deep.equal([
      'DISCONNECTED->CONNECTING',
      'CONNECTING->CONNECTED',
      'peer-join bob',
      'peer-join carol',
    ]);
    await tasks();
    expect(events).to.have.length(4);
  });

  it('destroy() while joined throws 4097 ("please call leave() before destroy()") and changes nothing; after leave() it destroys', async () => {
    const emulator = createTrtcEmulator();
    const client = emulator.sdk.createClient(identity('alice'));
    await client.join({ roomId: 1 });
    expect(() => client.destroy())
      .to.throw()
      .that.satisfies(
        (error: { getCode(): number; message: string }) =>
          error.getCode() === 0x1001 && error.message.startsWith('please call leave() before destroy().'),
      );
    expect(client.joined).to.equal(true);
    expect(emulator.liveClients).to.have.length(1);
    await client.leave();
    client.destroy();
    expect(emulator.liveClients).to.have.length(0);
    expect(emulator.admin.rooms).to.deep.equal([]);
  });

  it('destroy() during a join rejects that join with 4097 and gives back a membership that arrives later', async () => {
    const emulator = createTrtcEmulator();
    let release!: () => void;
    emulator.faults.nextJoin({ type: 'delay', until: new Promise<void>((resolve) => (release = resolve)) });
    const client = emulator.sdk.createClient(identity('alice'));
    const joining = client.join({ roomId: 1 });
    client.destroy();
    const error = await rejection(joining);
    expect(error.getCode()).to.equal(0x1001);
    expect(error.message).to.match(/^failed to call join\(\) because client was destroyed\./);
    release();
    await tasks();
    expect(emulator.admin.rooms).to.deep.equal([]);
  });

  it('leave() when not joined resolves (never joined, already left, or banned), and takes no injected fault', async () => {
    const emulator = createTrtcEmulator();
    const client = emulator.sdk.createClient(identity('alice'));
    await client.leave();
    emulator.faults.nextLeave({ type: 'reject' });
    await client.leave();
    await client.join({ roomId: 1 });
    expect((await rejection(client.leave())).getCode(), 'UNKNOWN').to.equal(0xffff);
    expect(client.joined, 'an injected leave fault still leaves, as the SDK resets the client').to.equal(false);
    await client.leave();
  });

  it('the second join() of one client: 4097 "duplicate join() called."', async () => {
    const emulator = createTrtcEmulator();
    const client = emulator.sdk.createClient(identity('alice'));
    await client.join({ roomId: 1 });
    const error = await rejection(client.join({ roomId: 1 }));
    expect([error.getCode(), error.message.split(' \n')[0]]).to.deep.equal([0x1001, 'duplicate join() called.']);
  });
});

describe('the v4 double: bans and peers', () => {
  for (const [reason, act] of [
    [
      'kick',
      (emulator: ReturnType<typeof createTrtcEmulator>) =>
        emulator.newPage().sdk.createClient(identity('alice')).join({ roomId: 1 }),
    ],
    [
      'banned',
      (emulator: ReturnType<typeof createTrtcEmulator>) =>
        emulator.admin.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['alice'] }),
    ],
    [
      'room-disband',
      (emulator: ReturnType<typeof createTrtcEmulator>) => emulator.admin.dismissRoom({ sdkAppId: APP, roomId: 1 }),
    ],
  ] as const) {
    it(`client-banned ${reason} carries the SDK's own message`, async () => {
      const emulator = createTrtcEmulator();
      const client = emulator.sdk.createClient(identity('alice'));
      const payloads: unknown[] = [];
      client.on('client-banned', (payload) => payloads.push(payload));
      await client.join({ roomId: 1 });
      await act(emulator);
      await tasks();
      expect(payloads).to.deep.equal([{ reason, message: BAN_MESSAGES[reason] }]);
    });
  }

  it("the ban messages are the SDK's sentences with its documentation trailer", () => {
    expect(BAN_MESSAGES).to.deep.equal({
      kick: 'client was banned because of duplicated userId joining the room. \nRefer to: https://web.sdk.qcloud.com/trtc/webrtc/doc/en/index.html\n',
      banned:
        'client was banned because of you got banned by the admin. \nRefer to: https://web.sdk.qcloud.com/trtc/webrtc/doc/en/index.html\n',
      'room-disband':
        'client was banned because of the room has been disbanded by the admin. \nRefer to: https://web.sdk.qcloud.com/trtc/webrtc/doc/en/index.html\n',
    });
  });
});

/** A backend the test scripts: it holds every sink and can drop the connection or refuse joins. */
function scriptedBackend() {
  const sinks: MemberSink[] = [];
  const lost: Array<(error: Error) => void> = [];
  const script = { refuse: false, joins: 0 };
  const backend: RoomBackend = {
    async join(_request, sink, onLost) {
      script.joins += 1;
      if (script.refuse) throw new Error('unreachable');
      sinks.push(sink);
      lost.push(onLost);
      const membership: BackendMembership = { leave: async () => undefined };
      return membership;
    },
  };
  return { backend, sinks, lost, script };
}

describe('the v4 double: peers and a dropped connection (scripted backend)', () => {
  it('drops a repeat peer-join for a userId already present; peer-leave is fired for any userId, as the SDK does', async () => {
    const { backend, sinks } = scriptedBackend();
    const client = new EmulatedV4Client(identity('alice'), backend, new FaultQueue(), () => undefined, {
      joinGuard: new PageJoinGuard(),
    });
    const events = heard(client);
    await client.join({ roomId: 1 });
    sinks[0].peerJoin('bob');
    sinks[0].peerJoin('bob');
    sinks[0].peerLeave('zoe', PEER_LEAVE_REASON.NORMAL_LEAVE);
    await tasks();
    expect(events.slice(2)).to.deep.equal(['peer-join bob', 'peer-leave zoe']);
  });

  it('a dropped connection goes to RECONNECTING and back to CONNECTED when a retry succeeds; who left meanwhile leaves', async () => {
    const { backend, sinks, lost } = scriptedBackend();
    const client = new EmulatedV4Client(identity('alice'), backend, new FaultQueue(), () => undefined, {
      reconnectDelayMs: () => 0,
    });
    const events = heard(client);
    await client.join({ roomId: 1 });
    sinks[0].peerJoin('bob');
    await tasks();
    lost[0](new Error('gone'));
    expect(client.joined, 'still joined while reconnecting, as the SDK').to.equal(true);
    await tasks();
    expect(events.slice(2)).to.deep.equal([
      'peer-join bob',
      'CONNECTED->DISCONNECTED',
      'DISCONNECTED->RECONNECTING',
      'RECONNECTING->CONNECTED',
      'peer-leave bob',
    ]);
    expect(client.joined).to.equal(true);
  });

  it('error 0x4006 (SIGNAL_CHANNEL_RECONNECTION_FAILED) comes only after every reconnection attempt failed; 30 by default', async () => {
    const { backend, lost, script } = scriptedBackend();
    const client = new EmulatedV4Client(identity('alice'), backend, new FaultQueue(), () => undefined, {
      reconnectDelayMs: () => 0,
    });
    const events = heard(client);
    await client.join({ roomId: 1 });
    script.refuse = true;
    lost[0](new Error('gone'));
    for (let i = 0; i < 40 && !events.some((event) => event.startsWith('error')); i++) await tasks();
    expect(script.joins).to.equal(1 + 30);
    expect(events.slice(2)).to.deep.equal([
      'CONNECTED->DISCONNECTED',
      'DISCONNECTED->RECONNECTING',
      'RECONNECTING->DISCONNECTED',
      'error 0x4006',
    ]);
    expect(client.joined).to.equal(false);
  });

  it('reconnectAttempts (an emulator option) shortens the attempts; 0 fails at once', async () => {
    const emulator = createTrtcEmulator({ reconnectAttempts: 0 });
    const client = emulator.sdk.createClient(identity('alice'));
    const events = heard(client);
    await client.join({ roomId: 1 });
    // The in-memory emulator never drops a connection by itself; its backend's onLost is what a drop calls.
    (client as unknown as { lost(error: Error): void }).lost(new Error('gone'));
    await tasks();
    expect(events.slice(2)).to.deep.equal([
      'CONNECTED->DISCONNECTED',
      'DISCONNECTED->RECONNECTING',
      'RECONNECTING->DISCONNECTED',
      'error 0x4006',
    ]);
  });

  it('waits as the SDK does between attempts: 2, 2, 3, 3, 5, 5, 8, 8, then 13 s (about 5½ minutes over 30)', () => {
    const delays = Array.from({ length: 30 }, (_, i) => sdkReconnectDelayMs(i + 1));
    expect(delays.slice(0, 11)).to.deep.equal([2000, 2000, 3000, 3000, 5000, 5000, 8000, 8000, 13000, 13000, 13000]);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).to.equal(322000);
  });

  it('leave() while reconnecting stops the attempts and resolves', async () => {
    const { backend, lost, script } = scriptedBackend();
    const client = new EmulatedV4Client(identity('alice'), backend, new FaultQueue(), () => undefined, {
      reconnectDelayMs: () => 0,
    });
    await client.join({ roomId: 1 });
    script.refuse = true;
    lost[0](new Error('gone'));
    await client.leave();
    await tasks();
    // The join, and the first try, made at once as the SDK's (SignalChannel.onclose → reconnect()): no more after leave().
    expect(script.joins).to.equal(2);
    expect(client.joined).to.equal(false);
  });
});
