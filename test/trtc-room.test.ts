import { expect } from '@open-wc/testing';
import type { TrtcRoom } from '../src/index.js';
import { FakeTrtc, rtcError } from './doubles/fake-trtc.js';
import { create, mount, settle, states, types, VALID } from './support/room.js';

describe('<trtc-room> joining', () => {
  it('joins by itself when connected with complete, valid inputs', async () => {
    const { el, sdk, events } = await mount();
    expect(el.state).to.equal('joined');
    expect(el.getAttribute('state')).to.equal('joined');
    expect(sdk.clients).to.have.length(1);
    expect(sdk.lastClient.config).to.deep.equal({ sdkAppId: 1400000001, userId: 'alice', userSig: 'sig-secret-1', mode: 'rtc' });
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }]);
    expect(types(events)).to.deep.equal(['joined']);
    expect(events.find((e) => e.type === 'joined')!.detail).to.deep.equal({ roomId: 1234, userId: 'alice' });
    expect(states(events)).to.deep.equal(['joining', 'joined']);
  });

  it('joins a string room with useStringRoomId and the room id as a string', async () => {
    const { 'room-id': _, ...rest } = VALID;
    const { el, sdk, events } = await mount({ ...rest, 'str-room-id': '1234' });
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.config.useStringRoomId).to.equal(true);
    expect(sdk.joins).to.deep.equal([{ roomId: '1234' }]);
    expect(events.find((e) => e.type === 'joined')!.detail).to.deep.equal({ roomId: '1234', userId: 'alice' });
  });

  it('passes mode and, in live mode only, the role', async () => {
    const live = await mount({ ...VALID, mode: 'live', role: 'audience' });
    expect(live.sdk.lastClient.config.mode).to.equal('live');
    expect(live.sdk.joins).to.deep.equal([{ roomId: 1234, role: 'audience' }]);
    const liveDefault = await mount({ ...VALID, mode: 'live' });
    expect(liveDefault.sdk.joins).to.deep.equal([{ roomId: 1234, role: 'anchor' }]);
    const rtc = await mount({ ...VALID, role: 'audience' });
    expect(rtc.sdk.joins).to.deep.equal([{ roomId: 1234 }]);
  });

  it('waits in state idle, with no SDK call and no error, until the inputs are complete', async () => {
    const { 'user-sig': _, ...withoutSig } = VALID;
    const { el, sdk, events } = await mount(withoutSig);
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(sdk.clients).to.have.length(0);
    expect(events).to.deep.equal([]);
    el.userSig = 'sig-arrived';
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.config.userSig).to.equal('sig-arrived');
  });

  it('lets properties win over attributes', async () => {
    const { el, sdk } = create();
    el.roomId = 99;
    document.body.append(el);
    await settle(el);
    expect(sdk.joins).to.deep.equal([{ roomId: 99 }]);
    el.setAttribute('room-id', '100');
    await settle(el);
    expect(el.roomId).to.equal(100);
    expect(sdk.joins.at(-1)).to.deep.equal({ roomId: 100 });
  });

  it('reflects only state: no input property is written back to an attribute', async () => {
    const { el } = create({});
    Object.assign(el, { sdkAppId: 1400000001, roomId: 5, userId: 'bob', userSig: 'secret-sig-xyz', mode: 'rtc' });
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(el.getAttributeNames().sort()).to.deep.equal(['state']);
  });
});

describe('<trtc-room> invalid inputs', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['sdk-app-id', { 'sdk-app-id': '0' }],
    ['sdk-app-id', { 'sdk-app-id': '-5' }],
    ['sdk-app-id', { 'sdk-app-id': '12abc' }],
    ['sdk-app-id', { 'sdk-app-id': '1.5' }],
    ['room-id', { 'room-id': '0' }],
    ['room-id', { 'room-id': '4294967295' }],
    ['room-id', { 'room-id': 'abc' }],
    ['str-room-id', { 'room-id': '', 'str-room-id': 'a'.repeat(65) }],
    ['str-room-id', { 'room-id': '', 'str-room-id': 'room/with/slash' }],
    ['str-room-id', { 'room-id': '', 'str-room-id': 'café' }],
    ['user-id', { 'user-id': 'a'.repeat(33) }],
    ['user-id', { 'user-id': 'has space' }],
    ['user-id', { 'user-id': 'émile' }],
    ['mode', { mode: 'video' }],
    ['role', { mode: 'live', role: 'host' }],
    ['room-id', { 'str-room-id': 'also-a-string-room' }],
  ];
  for (const [field, attributes] of cases) {
    it(`reports ${JSON.stringify(attributes)} as invalid-config on ${field}, with no SDK call`, async () => {
      const { el, sdk, events } = await mount({ ...VALID, ...attributes });
      expect(el.state).to.equal('error');
      expect(sdk.clients).to.have.length(0);
      const errors = events.filter((e) => e.type === 'error');
      expect(errors).to.have.length(1);
      expect(errors[0].detail.code).to.equal('invalid-config');
      expect(errors[0].detail.field).to.equal(field);
      expect(errors[0].detail.message).to.be.a('string').and.not.equal('');
    });
  }

  it('accepts the limits: room 4294967294, a 64-character string room of every allowed symbol, a 32-character userId', async () => {
    const numeric = await mount({ ...VALID, 'room-id': '4294967294', 'user-id': 'A-z_0'.padEnd(32, 'x') });
    expect(numeric.el.state).to.equal('joined');
    const symbols = ' !#$%&()+-:;<=.>?@[]^_{}|~,';
    const { 'room-id': _, ...rest } = VALID;
    const stringRoom = await mount({ ...rest, 'str-room-id': `${symbols}Az09`.padEnd(64, 'q') });
    expect(stringRoom.el.state).to.equal('joined');
  });

  it('treats wrongly typed properties like bad attributes: invalid-config and no SDK call', async () => {
    for (const value of ['12abc', NaN, -1, { room: 1 }, 1.5]) {
      const { el, sdk, events } = create();
      (el as unknown as { roomId: unknown }).roomId = value;
      document.body.append(el);
      await settle(el);
      expect(el.state, String(value)).to.equal('error');
      expect(sdk.clients).to.have.length(0);
      expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'invalid-config', field: 'room-id' });
      el.remove();
    }
  });

  it('clears the error and joins once the input is fixed', async () => {
    const { el, sdk } = await mount({ ...VALID, 'user-id': 'bad id' });
    expect(el.state).to.equal('error');
    el.userId = 'good-id';
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.config.userId).to.equal('good-id');
  });

  it('leaves the room when a joined element is given an invalid input', async () => {
    const { el, sdk, events } = await mount();
    el.setAttribute('room-id', 'not-a-number');
    await settle(el);
    expect(el.state).to.equal('error');
    expect(sdk.liveClients).to.have.length(0);
    expect(types(events)).to.deep.equal(['joined', 'error', 'left']);
  });
});

describe('<trtc-room> disconnect and move', () => {
  it('leaves and destroys the client, removing its handlers, when disconnected', async () => {
    const { el, sdk, events } = await mount();
    const client = sdk.lastClient;
    expect(client.handlerCount).to.be.greaterThan(0);
    el.remove();
    await settle(el);
    expect(client.leaveCalls).to.equal(1);
    expect(client.destroyed).to.equal(true);
    expect(client.handlerCount).to.equal(0);
    expect(types(events)).to.deep.equal(['joined', 'left']);
    expect(events.find((e) => e.type === 'left')!.detail).to.deep.equal({ roomId: 1234, userId: 'alice' });
    expect(el.state).to.equal('left');
  });

  it('neither leaves nor rejoins when moved within the document', async () => {
    const first = document.createElement('div');
    const second = document.createElement('div');
    document.body.append(first, second);
    const { el, sdk, events } = await mount(VALID, new FakeTrtc(), first);
    second.append(el);
    await settle(el);
    first.append(el);
    await settle(el);
    expect(sdk.clients).to.have.length(1);
    expect(sdk.lastClient.leaveCalls).to.equal(0);
    expect(el.state).to.equal('joined');
    expect(types(events)).to.deep.equal(['joined']);
    first.remove();
    second.remove();
  });

  it('rejoins on a real reconnect', async () => {
    const { el, sdk, events } = await mount();
    el.remove();
    await settle(el);
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(sdk.clients).to.have.length(2);
    expect(sdk.liveClients).to.have.length(1);
    expect(types(events)).to.deep.equal(['joined', 'left', 'joined']);
  });

  it('leaves as soon as a pending join settles when disconnected during it', async () => {
    const sdk = new FakeTrtc();
    sdk.joinBehaviour = 'pending';
    const { el, events } = create(VALID, sdk);
    document.body.append(el);
    await settle();
    expect(el.state).to.equal('joining');
    el.remove();
    await settle();
    const client = sdk.lastClient;
    expect(client.leaveCalls).to.equal(0);
    client.pendingJoin!.resolve();
    await settle(el);
    expect(client.leaveCalls).to.equal(1);
    expect(client.destroyed).to.equal(true);
    expect(types(events)).to.deep.equal(['joined', 'left']);
    expect(sdk.liveClients).to.have.length(0);
  });

  it('leaves no live client and no handler after 200 mount/unmount cycles', async () => {
    const sdk = new FakeTrtc();
    for (let i = 0; i < 200; i++) {
      const el = document.createElement('trtc-room');
      el.sdk = sdk;
      Object.assign(el, { sdkAppId: 1400000001, roomId: (i % 7) + 1, userId: `u${i}`, userSig: 's' });
      document.body.append(el);
      if (i % 2) await settle();
      el.remove();
      if (i % 3) await settle();
    }
    await settle();
    await settle();
    expect(sdk.clients.length).to.be.greaterThan(0);
    expect(sdk.liveClients).to.have.length(0);
    expect(sdk.clients.every((client) => client.handlerCount === 0)).to.equal(true);
  });
});

describe('<trtc-room> input changes', () => {
  it('leaves the current room, then joins the new one, when the room changes', async () => {
    const { el, sdk, events } = await mount();
    const first = sdk.lastClient;
    el.roomId = 5678;
    await settle(el);
    expect(first.leaveCalls).to.equal(1);
    expect(first.destroyed).to.equal(true);
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }, { roomId: 5678 }]);
    expect(types(events)).to.deep.equal(['joined', 'left', 'joined']);
    expect(events.filter((e) => e.type === 'joined').map((e) => e.detail.roomId)).to.deep.equal([1234, 5678]);
  });

  for (const [property, value] of [
    ['sdkAppId', 1400000002],
    ['userId', 'bob'],
    ['mode', 'live'],
  ] as const) {
    it(`rejoins when ${property} changes`, async () => {
      const { el, sdk } = await mount();
      (el as unknown as Record<string, unknown>)[property] = value;
      await settle(el);
      expect(sdk.clients).to.have.length(2);
      expect(sdk.liveClients).to.have.length(1);
      expect(el.state).to.equal('joined');
    });
  }

  it('rejoins when the role changes in live mode', async () => {
    const { el, sdk } = await mount({ ...VALID, mode: 'live' });
    el.role = 'audience';
    await settle(el);
    expect(sdk.joins).to.deep.equal([{ roomId: 1234, role: 'anchor' }, { roomId: 1234, role: 'audience' }]);
  });

  it('does not rejoin when only user-sig changes, and uses the new one at the next join', async () => {
    const { el, sdk, events } = await mount();
    el.userSig = 'sig-renewed';
    await settle(el);
    expect(sdk.clients).to.have.length(1);
    expect(types(events)).to.deep.equal(['joined']);
    el.roomId = 42;
    await settle(el);
    expect(sdk.lastClient.config.userSig).to.equal('sig-renewed');
  });

  it('goes straight to the latest room after a burst of 20 changes during a pending join: exactly two joins', async () => {
    const sdk = new FakeTrtc();
    sdk.joinBehaviour = 'pending';
    const { el, events } = create(VALID, sdk);
    document.body.append(el);
    await settle();
    for (let room = 1; room <= 20; room++) {
      el.roomId = 2000 + room;
      if (room % 4 === 0) await settle();
    }
    expect(sdk.joins).to.have.length(1);
    sdk.joinBehaviour = 'resolve';
    sdk.clients[0].pendingJoin!.resolve();
    await settle(el);
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }, { roomId: 2020 }]);
    expect(sdk.liveClients).to.have.length(1);
    expect(el.state).to.equal('joined');
    expect(types(events)).to.deep.equal(['joined', 'left', 'joined']);
  });

  it('never joins a room superseded while the SDK was still loading', async () => {
    const sdk = new FakeTrtc();
    const { el } = create(VALID, sdk);
    document.body.append(el);
    el.roomId = 77; // before the first update: the SDK has not been resolved yet
    await settle(el);
    expect(sdk.joins).to.deep.equal([{ roomId: 77 }]);
  });
});

describe('<trtc-room> leave() and join()', () => {
  it('leave() leaves and holds the element out until join()', async () => {
    const { el, sdk, events } = await mount();
    await el.leave();
    expect(el.state).to.equal('left');
    expect(sdk.liveClients).to.have.length(0);
    el.userSig = 'another-sig'; // not a new room or identity: stays out
    await settle(el);
    expect(el.state).to.equal('left');
    expect(sdk.clients).to.have.length(1);
    await el.join();
    expect(el.state).to.equal('joined');
    expect(sdk.clients).to.have.length(2);
    expect(types(events)).to.deep.equal(['joined', 'left', 'joined']);
  });

  it('a new room clears the left hold', async () => {
    const { el, sdk } = await mount();
    await el.leave();
    el.roomId = 9;
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(sdk.joins.at(-1)).to.deep.equal({ roomId: 9 });
  });

  it('a real reconnect clears the left hold', async () => {
    const { el } = await mount();
    await el.leave();
    el.remove();
    await settle(el);
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('joined');
  });

  it('join() rejects with InvalidStateError and no event when not connected', async () => {
    const { el, sdk, events } = create();
    let error: unknown;
    await el.join().catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(DOMException);
    expect((error as DOMException).name).to.equal('InvalidStateError');
    expect(events).to.deep.equal([]);
    expect(sdk.clients).to.have.length(0);
  });

  it('join() rejects with invalid-config, after the error event, when an input is invalid', async () => {
    const { el, events } = await mount({ ...VALID, 'room-id': 'x' });
    events.length = 0;
    let error: any;
    await el.join().catch((e: unknown) => (error = e));
    expect(error.code).to.equal('invalid-config');
    expect(error.field).to.equal('room-id');
    expect(types(events)).to.deep.equal(['error']);
  });
});

describe('<trtc-room> failures', () => {
  it('a failed join: state error, join-failed with the sdkCode, client destroyed, no retry', async () => {
    const sdk = new FakeTrtc();
    sdk.joinBehaviour = { reject: rtcError(0x404c, 'schedule failed') };
    const { el, events } = await mount(VALID, sdk);
    await settle(el);
    expect(el.state).to.equal('error');
    const error = events.find((e) => e.type === 'error')!;
    expect(error.detail).to.include({ code: 'join-failed', sdkCode: 0x404c });
    expect(error.detail.message).to.contain('schedule failed');
    expect(sdk.clients).to.have.length(1);
    expect(sdk.lastClient.destroyed).to.equal(true);
    expect(sdk.lastClient.handlerCount).to.equal(0);
    await settle(el);
    expect(sdk.clients).to.have.length(1);
  });

  it('join() rejects after the error event when the join fails, and joins once it can', async () => {
    const sdk = new FakeTrtc();
    sdk.joinBehaviour = { reject: rtcError(0x4004) };
    const { el, events } = await mount(VALID, sdk);
    const order: string[] = [];
    el.addEventListener('error', () => order.push('event'));
    await el.join().then(
      () => order.push('resolved'),
      (error: any) => order.push(`rejected ${error.code} ${error.sdkCode}`),
    );
    expect(order).to.deep.equal(['event', `rejected join-failed ${0x4004}`]);
    sdk.joinBehaviour = 'resolve';
    await el.join();
    expect(el.state).to.equal('joined');
    expect(types(events).filter((t) => t === 'joined')).to.have.length(1);
  });

  it('an SDK error event ends the session: sdk-error, then left, client destroyed', async () => {
    const { el, sdk, events } = await mount();
    sdk.lastClient.fire('error', rtcError(0x5001, 'network gone'));
    await settle(el);
    expect(el.state).to.equal('error');
    expect(types(events)).to.deep.equal(['joined', 'error', 'left']);
    expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'sdk-error', sdkCode: 0x5001 });
    expect(sdk.liveClients).to.have.length(0);
    await settle(el);
    expect(sdk.clients).to.have.length(1);
  });

  it('a leave that rejects still destroys the client: leave-failed, then left, and the next join works', async () => {
    const { el, sdk, events } = await mount();
    sdk.leaveBehaviour = { reject: rtcError(0x4005, 'leave broke') };
    await el.leave();
    expect(el.state).to.equal('left');
    expect(sdk.lastClient.destroyed).to.equal(true);
    expect(types(events)).to.deep.equal(['joined', 'error', 'left']);
    expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'leave-failed', sdkCode: 0x4005 });
    await el.join();
    expect(el.state).to.equal('joined');
    expect(sdk.liveClients).to.have.length(1);
  });

  it('an sdk property that is not an SDK gives sdk-load-failed', async () => {
    const { el } = create();
    (el as unknown as { sdk: unknown }).sdk = { notAnSdk: true };
    const events: any[] = [];
    el.addEventListener('error', (e) => events.push(e.detail));
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('error');
    expect(events[0].code).to.equal('sdk-load-failed');
  });
});

describe('<trtc-room> events', () => {
  it('dispatches every event bubbling and composed, except error', async () => {
    const { el, sdk, events } = await mount();
    sdk.lastClient.fire('peer-join', { userId: 'bob' });
    sdk.lastClient.fire('error', rtcError(1));
    await settle(el);
    for (const event of events) {
      const expected = event.type !== 'error';
      expect(event.bubbles, event.type).to.equal(expected);
      expect(event.composed, event.type).to.equal(expected);
    }
    expect(types(events)).to.include.members(['peer-join', 'error', 'left']);
  });

  it('forwards peer-join, peer-leave and connection-state-change', async () => {
    const { el, sdk, events } = await mount();
    sdk.lastClient.fire('peer-join', { userId: 'bob' });
    sdk.lastClient.fire('peer-leave', { userId: 'bob' });
    sdk.lastClient.fire('connection-state-changed', { prevState: 'CONNECTED', state: 'RECONNECTING' });
    expect(events.filter((e) => e.type !== 'state-change' && e.type !== 'joined').map((e) => [e.type, e.detail])).to.deep.equal([
      ['peer-join', { userId: 'bob' }],
      ['peer-leave', { userId: 'bob' }],
      ['connection-state-change', { state: 'RECONNECTING', prevState: 'CONNECTED' }],
    ]);
    expect(el.state).to.equal('joined');
  });

  it('reflects state before each state-change event and reports every transition', async () => {
    const { el, events } = await mount();
    await el.leave();
    const changes = events.filter((e) => e.type === 'state-change');
    expect(changes.map((e) => e.detail)).to.deep.equal([
      { state: 'joining', prevState: 'idle' },
      { state: 'joined', prevState: 'joining' },
      { state: 'leaving', prevState: 'joined' },
      { state: 'left', prevState: 'leaving' },
    ]);
    for (const change of changes) expect(change.stateAttribute).to.equal(change.detail.state);
  });

  it('never puts the user signature in an event detail or in the markup', async () => {
    const secret = 'eJw1jV0LgjAYhf9K7LpibupS6EIqKvqgkIKgm9HeVS9UbW7ZF-3tCVKvTuc5cDgfkmTpRNNMZtRMEqFJgg0ZQ9Dh';
    const { el, sdk, events } = create({ 'sdk-app-id': '1400000001', 'room-id': '1', 'user-id': 'alice' });
    el.userSig = secret;
    document.body.append(el);
    await settle(el);
    sdk.lastClient.fire('peer-join', { userId: 'bob' });
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'kicked' });
    el.roomId = 99999999999 as number; // invalid
    await settle(el);
    await el.join().catch(() => undefined);
    expect(events.length).to.be.greaterThan(4);
    const serialise = (value: unknown) => JSON.stringify(value, (_key, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v));
    for (const event of events) expect(serialise(event.detail)).not.to.contain(secret);
    expect(el.outerHTML).not.to.contain(secret);
    expect(document.documentElement.outerHTML).not.to.contain(secret);
  });

  it('follows every joined with exactly one left or banned', async () => {
    const { el, sdk, events } = await mount();
    el.roomId = 2;
    await settle(el);
    sdk.lastClient.fire('client-banned', { reason: 'banned', message: 'removed' });
    await el.join();
    el.remove();
    await settle(el);
    expect(types(events).filter((t) => ['joined', 'left', 'banned'].includes(t))).to.deep.equal([
      'joined', 'left', 'joined', 'banned', 'joined', 'left',
    ]);
  });
});

describe('<trtc-room> registration', () => {
  it('is defined as trtc-room and is the exported TrtcRoom class', async () => {
    const { TrtcRoom } = await import('../src/index.js');
    expect(customElements.get('trtc-room')).to.equal(TrtcRoom);
    expect(document.createElement('trtc-room')).to.be.instanceOf(TrtcRoom);
  });

});

export type { TrtcRoom };
