import './support/guard.js';
import { expect } from '@open-wc/testing';
import { V5_EVENT, type EmulatedV5Trtc } from '../src/emulator/page/v5-client.js';
import type { EmulatedV4Client } from '../src/emulator/page/v4-client.js';
import { createTrtcEmulator, type TrtcEmulator } from '../src/testing/index.js';

// The doubles' reconnection after a dropped connection (emulator.admin.faults.drop), as the real SDKs reconnect:
// trtc-js-sdk 4.15.22's SignalChannel.reconnect (v4) and trtc-sdk-v5 5.17.1's retried connect (v5); the citations
// are in src/emulator/page/v4-client.ts and v5-client.ts. The v4 and v5 cases of each test run at once, in rooms
// of their own, so that the SDKs' own waits (2 s) are paid once.

const APP = 1400000001;

type Event = { event: string; payload: any };

function v5(emulator: TrtcEmulator) {
  const trtc: EmulatedV5Trtc = emulator.sdkV5.create();
  const events: Event[] = [];
  for (const event of Object.values(V5_EVENT)) trtc.on(event, (payload: unknown) => events.push({ event, payload }));
  return { trtc, events };
}

function v4(emulator: TrtcEmulator, userId: string) {
  const client: EmulatedV4Client = emulator.sdk.createClient({ sdkAppId: APP, userId, userSig: 'sig', mode: 'rtc' });
  const events: Event[] = [];
  for (const event of ['connection-state-changed', 'peer-join', 'peer-leave', 'error', 'client-banned'])
    client.on(event, (payload: unknown) => events.push({ event, payload }));
  return { client, events };
}

const of = (events: Event[], event: string) => events.filter((e) => e.event === event).map((e) => e.payload);
const states = (events: Event[]) =>
  of(events, 'connection-state-changed').map((change: { state: string }) => change.state);

/** Resolves once `condition()` holds; rejects after `timeout` ms (bounded, as every wait). */
async function until(condition: () => boolean, timeout = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error(`timed out after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the doubles reconnect after a dropped connection, as the real SDKs do', () => {
  it('a drop shorter than the retry window: v4 DISCONNECTED → RECONNECTING → CONNECTED; v5 DISCONNECTED → CONNECTING, back to DISCONNECTED at each failed try, → CONNECTED, with its firewall ERROR (5500, extraCode 5501) after 3 failed connections; both stay in the room, peers see no leave and no repeated join', async () => {
    const emulator = createTrtcEmulator();
    const a4 = v4(emulator, 'alice');
    const b4 = v4(emulator, 'bob');
    await a4.client.join({ roomId: 4 });
    await b4.client.join({ roomId: 4 });
    const a5 = v5(emulator);
    const b5 = v5(emulator);
    await a5.trtc.enterRoom({ sdkAppId: APP, userId: 'alice', userSig: 'sig', roomId: 5 });
    await b5.trtc.enterRoom({ sdkAppId: APP, userId: 'bob', userSig: 'sig', roomId: 5 });
    await until(
      () => of(a4.events, 'peer-join').length === 1 && of(a5.events, V5_EVENT.REMOTE_USER_ENTER).length === 1,
    );
    const marks = [a4, b4, a5, b5].map(({ events }) => events.length);

    const drop = emulator.admin.faults.drop({ userId: 'alice' });
    // v5 tries at once and every 2 s: its third failure fires the firewall error; the drop then ends.
    await until(() => of(a5.events, V5_EVENT.ERROR).length === 1);
    expect(a5.trtc.joined, 'v5 still in the room while it retries').to.equal(true);
    drop.restore();
    await until(() => states(a4.events).at(-1) === 'CONNECTED' && states(a5.events).at(-1) === 'CONNECTED');

    expect(states(a4.events.slice(marks[0]))).to.deep.equal(['DISCONNECTED', 'RECONNECTING', 'CONNECTED']);
    // Three failed tries (each try's socket error: SignalChannel.onerror, DISCONNECTED), then the fourth gets through.
    expect(states(a5.events.slice(marks[2]))).to.deep.equal([
      ...['DISCONNECTED', 'CONNECTING', 'DISCONNECTED', 'CONNECTING', 'DISCONNECTED', 'CONNECTING', 'DISCONNECTED'],
      ...['CONNECTING', 'CONNECTED'],
    ]);
    const [firewall] = of(a5.events, V5_EVENT.ERROR);
    expect([firewall.name, firewall.code, firewall.extraCode]).to.deep.equal(['OPERATION_FAILED', 5500, 5501]);
    expect(of(a4.events, 'error')).to.deep.equal([]);
    expect(a4.client.joined).to.equal(true);
    expect(a5.trtc.joined).to.equal(true);
    for (const { events } of [b4, b5]) expect(events.slice(marks[1]), "the peer's events").to.deep.equal([]);
    expect(of(a4.events, 'peer-join')).to.deep.equal([{ userId: 'bob' }]);
    expect(of(a5.events, V5_EVENT.REMOTE_USER_ENTER)).to.deep.equal([{ userId: 'bob' }]);
    expect(emulator.admin.rooms.map((room) => room.members)).to.deep.equal([
      ['alice', 'bob'],
      ['alice', 'bob'],
    ]);
    // The resumed members are the ones reached: a peer's leave now reaches both.
    await b4.client.leave();
    await b5.trtc.exitRoom();
    await until(
      () => of(a4.events, 'peer-leave').length === 1 && of(a5.events, V5_EVENT.REMOTE_USER_EXIT).length === 1,
    );
    await a4.client.leave();
    await a5.trtc.exitRoom();
    expect(emulator.admin.rooms).to.deep.equal([]);
  });

  it('a member the service removed after its drop timeout, whose rejoin is refused: v4 fires error 0x4004, v5 ERROR SERVER_ERROR (5400); both are out of the room', async () => {
    const emulator = createTrtcEmulator({ dropTimeoutMs: 50 });
    const a4 = v4(emulator, 'alice');
    await a4.client.join({ roomId: 4 });
    const a5 = v5(emulator);
    await a5.trtc.enterRoom({ sdkAppId: APP, userId: 'alice', userSig: 'sig', roomId: 5 });
    emulator.admin.faults.refuseJoins();
    await emulator.admin.faults.drop({ durationMs: 200 }).restored;
    await until(() => of(a4.events, 'error').length === 1 && of(a5.events, V5_EVENT.ERROR).length === 1);
    const [v4Error] = of(a4.events, 'error');
    expect(v4Error.getCode()).to.equal(0x4004);
    const [v5Error] = of(a5.events, V5_EVENT.ERROR);
    expect([v5Error.name, v5Error.code]).to.deep.equal(['SERVER_ERROR', 5400]);
    expect([a4.client.joined, a5.trtc.joined]).to.deep.equal([false, false]);
    expect(states(a4.events).at(-1)).to.equal('DISCONNECTED');
    expect(states(a5.events).at(-1)).to.equal('DISCONNECTED');
    expect(emulator.admin.rooms).to.deep.equal([]);
    emulator.admin.faults.clear();
  });
});
