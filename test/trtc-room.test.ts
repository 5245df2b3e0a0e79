import { expect } from '@open-wc/testing';
import type { TrtcRoom } from '../src/index.js';
import { FakeTrtc } from './doubles/fake-trtc.js';
import { GENERATIONS, type FakeClientControls } from './support/generations.js';
import { create, mount, mountJoining, settle, states, types, VALID, type Recorded } from './support/room.js';

// The element's contract, run once per SDK generation against that generation's double.
for (const gen of GENERATIONS) {
  describe(`<trtc-room> joining (${gen.name})`, () => {
    it('joins by itself when connected with complete, valid inputs', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      expect(el.state).to.equal('joined');
      expect(el.getAttribute('state')).to.equal('joined');
      expect(sdk.clients).to.have.length(1);
      expect(gen.sdkJoins(sdk)).to.deep.equal([gen.expectedJoin({ roomId: 1234 })]);
      expect(types(events)).to.deep.equal(['joined']);
      expect(events.find((e) => e.type === 'joined')!.detail).to.deep.equal({ roomId: 1234, userId: 'alice' });
      expect(states(events)).to.deep.equal(['joining', 'joined']);
    });

    it('joins a string room as a string room, with the room id as a string', async () => {
      const { 'room-id': _, ...rest } = VALID;
      const { el, sdk, events } = await mount({ ...rest, 'str-room-id': '1234' }, gen.sdk());
      expect(el.state).to.equal('joined');
      expect(gen.sdkJoins(sdk)).to.deep.equal([gen.expectedJoin({ roomId: '1234' })]);
      expect(events.find((e) => e.type === 'joined')!.detail).to.deep.equal({ roomId: '1234', userId: 'alice' });
    });

    it('passes mode and, in live mode only, the role', async () => {
      const live = await mount({ ...VALID, mode: 'live', role: 'audience' }, gen.sdk());
      expect(gen.joinedAs(live.sdk.lastClient).mode).to.equal('live');
      expect(gen.sdkJoins(live.sdk)).to.deep.equal([
        gen.expectedJoin({ roomId: 1234, mode: 'live', role: 'audience' }),
      ]);
      const liveDefault = await mount({ ...VALID, mode: 'live' }, gen.sdk());
      expect(gen.sdkJoins(liveDefault.sdk)).to.deep.equal([
        gen.expectedJoin({ roomId: 1234, mode: 'live', role: 'anchor' }),
      ]);
      const rtc = await mount({ ...VALID, role: 'audience' }, gen.sdk());
      expect(gen.sdkJoins(rtc.sdk)).to.deep.equal([gen.expectedJoin({ roomId: 1234 })]);
    });

    it('waits in state idle, with no SDK call and no error, until the inputs are complete', async () => {
      const { 'user-sig': _, ...withoutSig } = VALID;
      const { el, sdk, events } = await mount(withoutSig, gen.sdk());
      expect(el.state).to.equal('idle');
      expect(el.getAttribute('state')).to.equal('idle');
      expect(sdk.clients).to.have.length(0);
      expect(events).to.deep.equal([]);
      el.userSig = 'sig-arrived';
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(gen.joinedAs(sdk.lastClient).userSig).to.equal('sig-arrived');
    });

    it('lets properties win over attributes', async () => {
      const { el, sdk } = create(VALID, gen.sdk());
      el.roomId = 99;
      document.body.append(el);
      await settle(el);
      expect(gen.sdkJoins(sdk)).to.deep.equal([gen.expectedJoin({ roomId: 99 })]);
      el.setAttribute('room-id', '100');
      await settle(el);
      expect(el.roomId).to.equal(100);
      expect(gen.sdkJoins(sdk).at(-1)).to.deep.equal(gen.expectedJoin({ roomId: 100 }));
    });

    it('reflects only state: no input property is written back to an attribute', async () => {
      const { el } = create({}, gen.sdk());
      Object.assign(el, {
        sdkAppId: 1400000001,
        roomId: 5,
        userId: 'bob',
        userSig: 'secret-sig-xyz',
        mode: 'rtc',
        sdkGeneration: gen.name,
      });
      document.body.append(el);
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(el.getAttributeNames().sort()).to.deep.equal(['state']);
    });
  });

  describe(`<trtc-room> invalid inputs (${gen.name})`, () => {
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
      // Not `sdk="v6"`: these elements are given an SDK object, which makes the generation attribute moot.
      // test/sdk-loading.test.ts checks it where it matters, with no object given.
    ];
    for (const [field, attributes] of cases) {
      it(`reports ${JSON.stringify(attributes)} as invalid-config on ${field}, with no SDK call`, async () => {
        const { el, sdk, events } = await mount({ ...VALID, ...attributes }, gen.sdk());
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
      const numeric = await mount({ ...VALID, 'room-id': '4294967294', 'user-id': 'A-z_0'.padEnd(32, 'x') }, gen.sdk());
      expect(numeric.el.state).to.equal('joined');
      const symbols = ' !#$%&()+-:;<=.>?@[]^_{}|~,';
      const { 'room-id': _, ...rest } = VALID;
      const stringRoom = await mount({ ...rest, 'str-room-id': `${symbols}Az09`.padEnd(64, 'q') }, gen.sdk());
      expect(stringRoom.el.state).to.equal('joined');
    });

    it('treats wrongly typed properties like bad attributes: invalid-config and no SDK call', async () => {
      for (const value of ['12abc', NaN, -1, { room: 1 }, 1.5]) {
        const { el, sdk, events } = create(VALID, gen.sdk());
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
      const { el, sdk } = await mount({ ...VALID, 'user-id': 'bad id' }, gen.sdk());
      expect(el.state).to.equal('error');
      el.userId = 'good-id';
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(gen.joinedAs(sdk.lastClient).userId).to.equal('good-id');
    });

    it('leaves the room when a joined element is given an invalid input', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      el.setAttribute('room-id', 'not-a-number');
      await settle(el);
      expect(el.state).to.equal('error');
      expect(sdk.liveClients).to.have.length(0);
      expect(types(events)).to.deep.equal(['joined', 'error', 'left']);
    });
  });

  describe(`<trtc-room> disconnect and move (${gen.name})`, () => {
    it('leaves and destroys the client, removing its handlers, when disconnected', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      const client = sdk.lastClient;
      expect(client.handlerCount).to.be.greaterThan(0);
      el.remove();
      await settle(el);
      expect(gen.leaveCalls(client)).to.equal(1);
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
      const { el, sdk, events } = await mount(VALID, gen.sdk(), first);
      second.append(el);
      await settle(el);
      first.append(el);
      await settle(el);
      expect(sdk.clients).to.have.length(1);
      expect(gen.leaveCalls(sdk.lastClient)).to.equal(0);
      expect(el.state).to.equal('joined');
      expect(types(events)).to.deep.equal(['joined']);
      first.remove();
      second.remove();
    });

    it('rejoins on a real reconnect', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
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
      const { el, events, sdk } = await mountJoining(gen.sdk());
      expect(el.state).to.equal('joining');
      el.remove();
      await settle();
      const client = sdk.lastClient;
      expect(gen.leaveCalls(client)).to.equal(0);
      client.pendingJoin!.resolve();
      await settle(el);
      expect(gen.leaveCalls(client)).to.equal(1);
      expect(client.destroyed).to.equal(true);
      expect(types(events)).to.deep.equal(['joined', 'left']);
      expect(sdk.liveClients).to.have.length(0);
    });

    it('leaves no live client and no handler after 200 mount/unmount cycles', async () => {
      const sdk = gen.sdk();
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

  describe(`<trtc-room> input changes (${gen.name})`, () => {
    it('leaves the current room, then joins the new one, when the room changes', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      const first = sdk.lastClient;
      el.roomId = 5678;
      await settle(el);
      expect(gen.leaveCalls(first)).to.equal(1);
      expect(first.destroyed).to.equal(true);
      expect(gen.sdkJoins(sdk)).to.deep.equal([gen.expectedJoin({ roomId: 1234 }), gen.expectedJoin({ roomId: 5678 })]);
      expect(types(events)).to.deep.equal(['joined', 'left', 'joined']);
      expect(events.filter((e) => e.type === 'joined').map((e) => e.detail.roomId)).to.deep.equal([1234, 5678]);
    });

    for (const [property, value] of [
      ['sdkAppId', 1400000002],
      ['userId', 'bob'],
      ['mode', 'live'],
    ] as const) {
      it(`rejoins when ${property} changes`, async () => {
        const { el, sdk } = await mount(VALID, gen.sdk());
        (el as unknown as Record<string, unknown>)[property] = value;
        await settle(el);
        expect(sdk.clients).to.have.length(2);
        expect(sdk.liveClients).to.have.length(1);
        expect(el.state).to.equal('joined');
      });
    }

    it('rejoins when the role changes in live mode', async () => {
      const { el, sdk } = await mount({ ...VALID, mode: 'live' }, gen.sdk());
      el.role = 'audience';
      await settle(el);
      expect(gen.sdkJoins(sdk)).to.deep.equal([
        gen.expectedJoin({ roomId: 1234, mode: 'live', role: 'anchor' }),
        gen.expectedJoin({ roomId: 1234, mode: 'live', role: 'audience' }),
      ]);
    });

    it('does not rejoin when only user-sig changes, and uses the new one at the next join', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      el.userSig = 'sig-renewed';
      await settle(el);
      expect(sdk.clients).to.have.length(1);
      expect(types(events)).to.deep.equal(['joined']);
      el.roomId = 42;
      await settle(el);
      expect(gen.joinedAs(sdk.lastClient).userSig).to.equal('sig-renewed');
    });

    it('does not rejoin when only the sdk generation changes; it applies at the next join', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      el.setAttribute('sdk', gen.name === 'v4' ? 'v5' : 'v4');
      await settle(el);
      expect(sdk.clients).to.have.length(1);
      expect(types(events)).to.deep.equal(['joined']);
    });

    it('goes straight to the latest room after a burst of 20 changes during a pending join: exactly two joins', async () => {
      const { el, events, sdk } = await mountJoining(gen.sdk());
      for (let room = 1; room <= 20; room++) {
        el.roomId = 2000 + room;
        if (room % 4 === 0) await settle();
      }
      expect(gen.sdkJoins(sdk)).to.have.length(1);
      sdk.joinBehaviour = 'resolve';
      sdk.clients[0].pendingJoin!.resolve();
      await settle(el);
      expect(gen.sdkJoins(sdk)).to.deep.equal([gen.expectedJoin({ roomId: 1234 }), gen.expectedJoin({ roomId: 2020 })]);
      expect(sdk.liveClients).to.have.length(1);
      expect(el.state).to.equal('joined');
      expect(types(events)).to.deep.equal(['joined', 'left', 'joined']);
    });

    it('never joins a room superseded while the SDK was still loading', async () => {
      const sdk = gen.sdk();
      const { el } = create(VALID, sdk);
      document.body.append(el);
      el.roomId = 77; // before the first update: the SDK has not been resolved yet
      await settle(el);
      expect(gen.sdkJoins(sdk)).to.deep.equal([gen.expectedJoin({ roomId: 77 })]);
    });
  });

  describe(`<trtc-room> leave() and join() (${gen.name})`, () => {
    it('leave() leaves and holds the element out until join()', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
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
      const { el, sdk } = await mount(VALID, gen.sdk());
      await el.leave();
      el.roomId = 9;
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(gen.sdkJoins(sdk).at(-1)).to.deep.equal(gen.expectedJoin({ roomId: 9 }));
    });

    it('a real reconnect clears the left hold', async () => {
      const { el } = await mount(VALID, gen.sdk());
      await el.leave();
      el.remove();
      await settle(el);
      document.body.append(el);
      await settle(el);
      expect(el.state).to.equal('joined');
    });

    it('join() rejects with InvalidStateError and no event when not connected', async () => {
      const { el, sdk, events } = create(VALID, gen.sdk());
      let error: unknown;
      await el.join().catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(DOMException);
      expect((error as DOMException).name).to.equal('InvalidStateError');
      expect(events).to.deep.equal([]);
      expect(sdk.clients).to.have.length(0);
    });

    it('join() rejects with invalid-config, after the error event, when an input is invalid', async () => {
      const { el, events } = await mount({ ...VALID, 'room-id': 'x' }, gen.sdk());
      events.length = 0;
      let error: any;
      await el.join().catch((e: unknown) => (error = e));
      expect(error.code).to.equal('invalid-config');
      expect(error.field).to.equal('room-id');
      expect(types(events)).to.deep.equal(['error']);
    });
  });

  describe(`<trtc-room> failures (${gen.name})`, () => {
    it('a failed join: state error, join-failed with the sdkCode, client destroyed, no retry', async () => {
      const sdk = gen.sdk();
      sdk.joinBehaviour = { reject: gen.rtcError(0x404c, 'schedule failed') };
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
      const sdk = gen.sdk();
      sdk.joinBehaviour = { reject: gen.rtcError(0x4004) };
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

    if (gen.errors.fatal) {
      const fatal = gen.errors.fatal;
      it('a fatal SDK error event ends the session: sdk-error, then left, client destroyed', async () => {
        const { el, sdk, events } = await mount(VALID, gen.sdk());
        gen.fireError(sdk.lastClient, fatal());
        await settle(el);
        expect(el.state).to.equal('error');
        expect(types(events)).to.deep.equal(['joined', 'error', 'left']);
        expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'sdk-error', sdkCode: 5999 });
        expect(sdk.liveClients).to.have.length(0);
        await settle(el);
        expect(sdk.clients).to.have.length(1);
      });
    }

    it('an SDK error after which the SDK gave up reconnecting: connection-lost, then left, client destroyed, no retry', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      gen.fireError(sdk.lastClient, gen.errors.connectionLost());
      await settle(el);
      expect(el.state).to.equal('error');
      expect(types(events)).to.deep.equal(['joined', 'error', 'left']);
      const detail = events.find((e) => e.type === 'error')!.detail as { code: string; message: string };
      expect(detail.code).to.equal('connection-lost');
      expect(detail.message).to.match(/gave up reconnecting.*join\(\) again/);
      expect(sdk.liveClients).to.have.length(0);
      await settle(el);
      expect(sdk.clients).to.have.length(1);
      await el.join();
      expect(el.state).to.equal('joined');
    });

    it('an SDK error the SDK carries on after: sdk-warning, and the element stays joined with its client', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      gen.fireError(sdk.lastClient, gen.errors.recoverable());
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(types(events)).to.deep.equal(['joined', 'error']);
      expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'sdk-warning' });
      expect(sdk.liveClients).to.have.length(1);
      expect(sdk.lastClient.destroyed).to.equal(false);
    });

    it("network-quality: the SDK's levels and measures for the local user, every time the SDK reports them", async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      const payload = {
        uplinkNetworkQuality: 1,
        downlinkNetworkQuality: 4,
        uplinkRTT: 40,
        uplinkLoss: 0,
        downlinkRTT: 380,
        downlinkLoss: 31,
      };
      gen.fireNetworkQuality(sdk.lastClient, payload);
      gen.fireNetworkQuality(sdk.lastClient, { ...payload, downlinkNetworkQuality: 9 });
      const details = events.filter((e) => e.type === 'network-quality').map((e) => e.detail);
      expect(details).to.deep.equal([
        {
          userId: VALID['user-id'],
          uplink: 1,
          downlink: 4,
          uplinkRtt: 40,
          uplinkLoss: 0,
          downlinkRtt: 380,
          downlinkLoss: 31,
        },
        // A level off the SDK's 0–6 scale is unknown (0).
        {
          userId: VALID['user-id'],
          uplink: 1,
          downlink: 0,
          uplinkRtt: 40,
          uplinkLoss: 0,
          downlinkRtt: 380,
          downlinkLoss: 31,
        },
      ]);
      expect(el.state).to.equal('joined');
    });

    describe('surviving the network, with controls', () => {
      const shadow = (el: TrtcRoom, selector: string) => el.shadowRoot!.querySelector(selector);
      const status = (el: TrtcRoom) => shadow(el, '[part="status"]')?.textContent ?? '';
      const localTile = (el: TrtcRoom) => (shadow(el, '[part~="local"]')?.getAttribute('part') ?? '').split(' ');

      it('part="reconnecting" shows while the SDK reconnects, and the live region says so; both go once CONNECTED', async () => {
        const { el, sdk } = await mount({ ...VALID, controls: '' }, gen.sdk());
        expect(shadow(el, '[part="reconnecting"]')).to.equal(null);
        for (const { state, prevState } of gen.reconnecting) gen.fireConnectionState(sdk.lastClient, state, prevState);
        await settle(el);
        expect(shadow(el, '[part="reconnecting"]')?.textContent).to.equal('Connection lost. Reconnecting…');
        expect(status(el)).to.contain('Connection lost. Reconnecting…');
        expect(el.state).to.equal('joined');
        gen.fireConnectionState(sdk.lastClient, 'CONNECTED', gen.reconnecting.at(-1)!.state);
        await settle(el);
        expect(shadow(el, '[part="reconnecting"]')).to.equal(null);
        expect(status(el)).to.contain('Reconnected.');
      });

      it('no reconnecting notice without controls', async () => {
        const { el, sdk } = await mount(VALID, gen.sdk());
        for (const { state, prevState } of gen.reconnecting) gen.fireConnectionState(sdk.lastClient, state, prevState);
        await settle(el);
        expect(shadow(el, '[part="reconnecting"]')).to.equal(null);
      });

      it('connection-lost while reconnecting: the notice goes, the live region says the user is out', async () => {
        const { el, sdk } = await mount({ ...VALID, controls: '', lang: 'ko' }, gen.sdk());
        for (const { state, prevState } of gen.reconnecting) gen.fireConnectionState(sdk.lastClient, state, prevState);
        await settle(el);
        expect(shadow(el, '[part="reconnecting"]')?.textContent).to.equal('연결이 끊겼습니다. 다시 연결하는 중…');
        gen.fireError(sdk.lastClient, gen.errors.connectionLost());
        await settle(el);
        expect(el.state).to.equal('error');
        expect(shadow(el, '[part="reconnecting"]')).to.equal(null);
        expect(status(el)).to.contain('연결을 복구하지 못했습니다');
      });

      it('the local tile has part poor-network while the SDK rates its uplink or downlink 3 (poor) or worse', async () => {
        const { el, sdk } = await mount({ ...VALID, controls: '' }, gen.sdk());
        const rate = async (uplinkNetworkQuality: number, downlinkNetworkQuality: number) => {
          gen.fireNetworkQuality(sdk.lastClient, { uplinkNetworkQuality, downlinkNetworkQuality });
          await settle(el);
          return localTile(el).includes('poor-network');
        };
        expect(localTile(el)).to.include('local');
        expect(await rate(0, 0), 'unknown').to.equal(false);
        expect(await rate(2, 2), 'good').to.equal(false);
        expect(await rate(1, 3), 'poor downlink').to.equal(true);
        expect(shadow(el, '[part~="local"]')!.getAttribute('aria-label')).to.contain('poor network');
        expect(await rate(2, 1), 'good again').to.equal(false);
        expect(await rate(6, 0), 'disconnected uplink').to.equal(true);
      });

      it('no poor-network part without controls', async () => {
        const { el, sdk } = await mount(VALID, gen.sdk());
        gen.fireNetworkQuality(sdk.lastClient, { uplinkNetworkQuality: 5, downlinkNetworkQuality: 5 });
        await settle(el);
        expect(localTile(el)).to.include('local');
        expect(localTile(el)).not.to.include('poor-network');
      });
    });

    it('a leave that rejects still destroys the client: leave-failed, then left, and the next join works', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      sdk.leaveBehaviour = { reject: gen.rtcError(0x4005, 'leave broke') };
      await el.leave();
      expect(el.state).to.equal('left');
      expect(sdk.lastClient.destroyed).to.equal(true);
      expect(types(events)).to.deep.equal(['joined', 'error', 'left']);
      expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'leave-failed', sdkCode: 0x4005 });
      await el.join();
      expect(el.state).to.equal('joined');
      expect(sdk.liveClients).to.have.length(1);
    });
  });

  describe(`<trtc-room> events (${gen.name})`, () => {
    it('dispatches every event bubbling and composed, except error', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      gen.firePeerJoin(sdk.lastClient, 'bob');
      gen.fireNetworkQuality(sdk.lastClient, { uplinkNetworkQuality: 1, downlinkNetworkQuality: 1 });
      gen.fireError(sdk.lastClient, gen.errors.connectionLost());
      await settle(el);
      for (const event of events) {
        const expected = event.type !== 'error';
        expect(event.bubbles, event.type).to.equal(expected);
        expect(event.composed, event.type).to.equal(expected);
      }
      expect(types(events)).to.include.members(['peer-join', 'network-quality', 'error', 'left']);
    });

    it('forwards peer-join, peer-leave and connection-state-change', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      gen.firePeerJoin(sdk.lastClient, 'bob');
      gen.firePeerLeave(sdk.lastClient, 'bob');
      gen.fireConnectionState(sdk.lastClient, 'RECONNECTING', 'CONNECTED');
      expect(
        events.filter((e) => e.type !== 'state-change' && e.type !== 'joined').map((e) => [e.type, e.detail]),
      ).to.deep.equal([
        ['peer-join', { userId: 'bob' }],
        ['peer-leave', { userId: 'bob' }],
        ['connection-state-change', { state: 'RECONNECTING', prevState: 'CONNECTED' }],
      ]);
      expect(el.state).to.equal('joined');
    });

    it('reflects state before each state-change event and reports every transition', async () => {
      const { el, events } = await mount(VALID, gen.sdk());
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
      const { el, sdk, events } = create({ 'sdk-app-id': '1400000001', 'room-id': '1', 'user-id': 'alice' }, gen.sdk());
      el.userSig = secret;
      document.body.append(el);
      await settle(el);
      gen.firePeerJoin(sdk.lastClient, 'bob');
      gen.fireBan(sdk.lastClient, { reason: 'kick', message: 'kicked' });
      el.roomId = 99999999999 as number; // invalid
      await settle(el);
      await el.join().catch(() => undefined);
      expect(events.length).to.be.greaterThan(4);
      const serialise = (value: unknown) =>
        JSON.stringify(value, (_key, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v));
      for (const event of events) expect(serialise(event.detail)).not.to.contain(secret);
      expect(el.outerHTML).not.to.contain(secret);
      expect(document.documentElement.outerHTML).not.to.contain(secret);
    });

    it('follows every joined with exactly one left or banned', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      el.roomId = 2;
      await settle(el);
      gen.fireBan(sdk.lastClient, { reason: 'banned', message: 'removed' });
      await el.join();
      el.remove();
      await settle(el);
      expect(types(events).filter((t) => ['joined', 'left', 'banned'].includes(t))).to.deep.equal([
        'joined',
        'left',
        'joined',
        'banned',
        'joined',
        'left',
      ]);
    });
  });
  describe(`<trtc-room> peers (${gen.name})`, () => {
    const peerEvents = (events: Recorded[]) =>
      events
        .filter((e) => e.type === 'joined' || e.type.startsWith('peer-'))
        .map((e) => (e.type === 'joined' ? 'joined' : `${e.type} ${e.detail.userId}`));

    it('reports users the SDK announced while joining right after joined, in order, once per userId', async () => {
      const { el, sdk, events } = await mountJoining(gen.sdk());
      const client = sdk.lastClient;
      const peersAt: Record<string, string[]> = {};
      el.addEventListener('joined', () => (peersAt.joined = el.peers));
      el.addEventListener('peer-join', (event) => (peersAt[event.detail.userId] = el.peers));
      for (const userId of ['bob', 'carol', 'bob', 'dave']) gen.firePeerJoin(client, userId);
      gen.firePeerLeave(client, 'dave');
      expect(el.peers, 'nothing reported before joined').to.deep.equal([]);
      client.pendingJoin!.resolve();
      await settle(el);
      expect(peerEvents(events)).to.deep.equal(['joined', 'peer-join bob', 'peer-join carol']);
      expect(peersAt).to.deep.equal({ joined: [], bob: ['bob'], carol: ['bob', 'carol'] });
      expect(el.peers).to.deep.equal(['bob', 'carol']);
    });

    it('keeps peers in step with peer-join and peer-leave, dropping a repeat join and a leave of someone absent', async () => {
      const { el, sdk, events } = await mount(VALID, gen.sdk());
      const client = sdk.lastClient;
      gen.firePeerJoin(client, 'bob');
      gen.firePeerJoin(client, 'carol');
      gen.firePeerJoin(client, 'bob');
      gen.firePeerLeave(client, 'zoe');
      expect(el.peers).to.deep.equal(['bob', 'carol']);
      gen.firePeerLeave(client, 'bob');
      expect(el.peers).to.deep.equal(['carol']);
      expect(peerEvents(events)).to.deep.equal(['joined', 'peer-join bob', 'peer-join carol', 'peer-leave bob']);
    });

    it('is read only, and a copy: changing the array changes nothing', async () => {
      const { el, sdk } = await mount(VALID, gen.sdk());
      gen.firePeerJoin(sdk.lastClient, 'bob');
      el.peers.push('mallory');
      expect(el.peers).to.deep.equal(['bob']);
      expect(() => ((el as unknown as { peers: string[] }).peers = [])).to.throw(TypeError);
    });

    for (const [how, act] of [
      ['leave()', async (el: TrtcRoom, _client: FakeClientControls) => el.leave()],
      [
        'a ban',
        async (_el: TrtcRoom, client: FakeClientControls) => gen.fireBan(client, { reason: 'banned', message: 'x' }),
      ],
      [
        'an SDK error',
        async (_el: TrtcRoom, client: FakeClientControls) => gen.fireError(client, gen.rtcError(0x4006, 'lost')),
      ],
    ] as const) {
      it(`is empty after ${how}, already when its event is dispatched`, async () => {
        const { el, sdk } = await mount(VALID, gen.sdk());
        gen.firePeerJoin(sdk.lastClient, 'bob');
        let peersAtEvent: string[] | undefined;
        for (const type of ['left', 'banned', 'error']) el.addEventListener(type, () => (peersAtEvent ??= el.peers));
        await act(el, sdk.lastClient);
        await settle(el);
        expect(peersAtEvent).to.deep.equal([]);
        expect(el.peers).to.deep.equal([]);
        gen.firePeerJoin(sdk.lastClient, 'carol');
        expect(el.peers).to.deep.equal([]);
      });
    }
  });
}

describe('<trtc-room> on trtc-js-sdk v4: the exact SDK calls', () => {
  it('creates a client with the identity and mode, then joins the numeric room', async () => {
    const { sdk } = await mount(VALID, new FakeTrtc());
    expect(sdk.clients).to.have.length(1);
    expect(sdk.lastClient.config).to.deep.equal({
      sdkAppId: 1400000001,
      userId: 'alice',
      userSig: 'sig-secret-1',
      mode: 'rtc',
    });
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }]);
  });

  it('joins a string room with useStringRoomId and the room id as a string', async () => {
    const { 'room-id': _, ...rest } = VALID;
    const { sdk } = await mount({ ...rest, 'str-room-id': '1234' }, new FakeTrtc());
    expect(sdk.lastClient.config.useStringRoomId).to.equal(true);
    expect(sdk.joins).to.deep.equal([{ roomId: '1234' }]);
  });

  it('passes the role to join() in live mode only', async () => {
    const live = await mount({ ...VALID, mode: 'live', role: 'audience' }, new FakeTrtc());
    expect(live.sdk.lastClient.config.mode).to.equal('live');
    expect(live.sdk.joins).to.deep.equal([{ roomId: 1234, role: 'audience' }]);
    const rtc = await mount({ ...VALID, role: 'audience' }, new FakeTrtc());
    expect(rtc.sdk.joins).to.deep.equal([{ roomId: 1234 }]);
  });
});

describe('<trtc-room> with an sdk property that is not an SDK', () => {
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

describe('<trtc-room> registration', () => {
  it('is defined as trtc-room and is the exported TrtcRoom class', async () => {
    const { TrtcRoom } = await import('../src/index.js');
    expect(customElements.get('trtc-room')).to.equal(TrtcRoom);
    expect(document.createElement('trtc-room')).to.be.instanceOf(TrtcRoom);
  });
});

export type { TrtcRoom };
