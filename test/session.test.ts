// The room session on its own, with no DOM and no element: an adapter double stands in for the SDK.
import './support/guard.js';
import { expect } from '@open-wc/testing';
import type { RoomConfig } from '../src/config.js';
import type { TrtcRoomEventName } from '../src/events.js';
import type { ConnectionHandlers, ConnectionMedia, RoomConnection, SdkAdapter } from '../src/sdk/adapter.js';
import { RoomSession } from '../src/session.js';
import { visitsThrough } from '../src/visit.js';

interface Pending {
  resolve(): void;
  reject(error: unknown): void;
}

/** A connection's media with no devices: the session's rules do not depend on it. */
const NO_MEDIA: ConnectionMedia = {
  startLocal: async () => undefined,
  stopLocal: async () => undefined,
  publish: async () => undefined,
  resume: async () => undefined,
  release: () => undefined,
};

/** An adapter whose joins wait for the test, and which records every SDK call. */
function adapterDouble() {
  const calls: string[] = [];
  const joins: Pending[] = [];
  const handlers: ConnectionHandlers[] = [];
  let live = 0;
  const adapter: SdkAdapter = {
    generation: 'double',
    connect(config: RoomConfig, on: ConnectionHandlers): RoomConnection {
      handlers.push(on);
      live += 1;
      let destroyed = false;
      return {
        client: null,
        media: NO_MEDIA,
        join: () => {
          calls.push(`join ${String(config.roomId)}`);
          return new Promise<void>((resolve, reject) => joins.push({ resolve, reject }));
        },
        leave: async () => {
          calls.push(`leave ${String(config.roomId)}`);
        },
        destroy: () => {
          if (!destroyed) live -= 1;
          destroyed = true;
        },
      };
    },
  };
  return { adapter, calls, joins, handlers, live: () => live };
}

function sessionWith(double: ReturnType<typeof adapterDouble>) {
  const events: Array<[TrtcRoomEventName, unknown]> = [];
  const session = new RoomSession(
    async () => visitsThrough(double.adapter),
    (name, detail) => events.push([name, detail]),
    () => undefined,
  );
  return { session, events, named: (name: TrtcRoomEventName) => events.filter(([n]) => n === name).map(([, d]) => d) };
}

/** A session that has joined room 1 through a fresh adapter double. */
async function joinedInRoom1() {
  const double = adapterDouble();
  const made = sessionWith(double);
  made.session.setDesired(room(1));
  await tick();
  double.joins[0].resolve();
  await made.session.settled();
  return { double, ...made };
}

const room = (roomId: number | string, userId = 'alice'): RoomConfig => ({
  sdkAppId: 1400000001,
  roomId,
  userId,
  userSig: 'sig',
  mode: 'rtc',
});
const tick = () => new Promise((resolve) => setTimeout(resolve));

describe('RoomSession (no DOM)', () => {
  it('joins the desired room and rests in joined', async () => {
    const { session, named } = await joinedInRoom1();
    expect(session.state).to.equal('joined');
    expect(named('joined')).to.deep.equal([{ roomId: 1, userId: 'alice' }]);
  });

  it('goes straight to the latest room once a pending join settles: the rooms in between are never joined', async () => {
    const double = adapterDouble();
    const { session } = sessionWith(double);
    session.setDesired(room(1));
    await tick();
    for (let id = 2; id <= 9; id++) session.setDesired(room(id));
    double.joins[0].resolve();
    await tick();
    double.joins[1].resolve();
    await session.settled();
    expect(double.calls).to.deep.equal(['join 1', 'leave 1', 'join 9']);
    expect(double.live()).to.equal(1);
  });

  it('a ban holds the session out: the same desired room is not joined again until the hold is cleared', async () => {
    const { double, session, named } = await joinedInRoom1();
    double.handlers[0].onBanned({ reason: 'kick', message: 'kicked' });
    expect(session.state).to.equal('banned');
    expect(double.live()).to.equal(0);
    session.setDesired(room(1)); // same room and identity: stays out
    await session.settled();
    expect(double.calls).to.deep.equal(['join 1']);
    session.setDesired(room(1), { clearHold: true });
    await tick();
    expect(double.calls).to.deep.equal(['join 1', 'join 1']);
    expect(named('banned')).to.have.length(1);
  });

  it('a new identity clears the hold a ban set', async () => {
    const { double, session } = await joinedInRoom1();
    double.handlers[0].onBanned({ reason: 'banned', message: 'removed' });
    session.setDesired(room(1, 'bob'));
    await tick();
    expect(double.calls).to.deep.equal(['join 1', 'join 1']);
  });

  it('a failed join holds it out in error, with no retry, and reports the SDK code', async () => {
    const double = adapterDouble();
    const { session, named } = sessionWith(double);
    session.setDesired(room(1));
    await tick();
    double.joins[0].reject(Object.assign(new Error('no route'), { getCode: () => 0x404c }));
    await session.settled();
    expect(session.state).to.equal('error');
    expect(named('error')[0] as { code: string; sdkCode: number }).to.include({ code: 'join-failed', sdkCode: 0x404c });
    await tick();
    expect(double.calls).to.deep.equal(['join 1']);
    expect(double.live()).to.equal(0);
  });

  it('a visit code that fails to load holds it out in error (sdk-load-failed); the next join loads it again', async () => {
    const double = adapterDouble();
    const events: Array<[TrtcRoomEventName, unknown]> = [];
    let loads = 0;
    const session = new RoomSession(
      async () => {
        loads += 1;
        if (loads === 1) throw new TypeError('Failed to fetch dynamically imported module: trtc-room-visit.js');
        return visitsThrough(double.adapter);
      },
      (name, detail) => events.push([name, detail]),
      () => undefined,
    );
    session.setDesired(room(1));
    await session.settled();
    expect(session.state).to.equal('error');
    const error = events.find(([name]) => name === 'error')?.[1] as { code: string; message: string };
    expect(error.code).to.equal('sdk-load-failed');
    expect(error.message).to.contain('Failed to fetch dynamically imported module');
    expect(double.calls).to.deep.equal([]);

    session.setDesired(room(1), { clearHold: true });
    await tick();
    double.joins[0].resolve();
    await session.settled();
    expect(session.state).to.equal('joined');
    expect(loads).to.equal(2);
  });

  it('holdOut while a join is pending leaves as soon as the join settles', async () => {
    const double = adapterDouble();
    const { session, named } = sessionWith(double);
    session.setDesired(room(1));
    await tick();
    session.holdOut('left');
    double.joins[0].resolve();
    await session.settled();
    expect(double.calls).to.deep.equal(['join 1', 'leave 1']);
    expect(session.state).to.equal('left');
    expect(named('joined')).to.have.length(1);
    expect(named('left')).to.have.length(1);
    expect(double.live()).to.equal(0);
  });

  it('events of a client that is no longer the current one are ignored', async () => {
    const { double, session, named } = await joinedInRoom1();
    session.setDesired(room(2));
    await tick();
    double.joins[1].resolve();
    await session.settled();
    double.handlers[0].onBanned({ reason: 'kick', message: 'late' });
    double.handlers[0].onPeerJoin('ghost');
    expect(session.state).to.equal('joined');
    expect(named('banned')).to.deep.equal([]);
    expect(named('peer-join')).to.deep.equal([]);
  });
});
