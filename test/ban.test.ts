import { expect } from '@open-wc/testing';
import { GENERATIONS } from './support/generations.js';
import { mount, mountJoining, settle, types, VALID } from './support/room.js';

// [payload of the SDK's ban event, expected reason, expected sdkReason, generations that send it]
const REASONS: Array<[unknown, string, string | undefined, Array<'v4' | 'v5'>]> = [
  [{ reason: 'kick', message: 'kicked out by a newer client' }, 'duplicate-user-id', 'kick', ['v4', 'v5']],
  [{ reason: 'banned', message: 'removed by the server' }, 'removed-by-admin', 'banned', ['v4', 'v5']],
  [{ reason: 'room-disband', message: 'room closed' }, 'room-dismissed', 'room-disband', ['v4', 'v5']],
  [{ reason: 'room_disband', message: 'room closed' }, 'room-dismissed', 'room_disband', ['v4', 'v5']],
  [{ reason: 'something-new', message: 'a future reason' }, 'unknown', 'something-new', ['v4', 'v5']],
  // v5's KICKED_OUT payload as its index.d.ts types it: `{ reason }` and nothing else.
  [{ reason: 'kick' }, 'duplicate-user-id', 'kick', ['v5']],
  [{ reason: 'banned' }, 'removed-by-admin', 'banned', ['v5']],
  [{ reason: 'room_disband' }, 'room-dismissed', 'room_disband', ['v5']],
  // Older v4 releases: an error whose message names the cause.
  [
    new Error('client was banned because of duplicated userId joining the room.'),
    'duplicate-user-id',
    undefined,
    ['v4'],
  ],
  [new Error('client was banned because of you got banned by account admin'), 'removed-by-admin', undefined, ['v4']],
  [undefined, 'unknown', undefined, ['v4', 'v5']],
];

for (const gen of GENERATIONS) {
  const banEvent = gen.name === 'v4' ? 'client-banned' : 'KICKED_OUT';

  describe(`<trtc-room> banned (${gen.name})`, () => {
    for (const [payload, reason, sdkReason, generations] of REASONS) {
      if (!generations.includes(gen.name)) continue;
      it(`maps ${banEvent} ${payload instanceof Error ? `legacy "${payload.message}"` : JSON.stringify(payload)} to ${reason}`, async () => {
        const { el, sdk, events } = await mount(VALID, gen.sdk());
        const client = sdk.lastClient;
        gen.fireBan(client, payload);
        expect(el.state).to.equal('banned');
        const banned = events.find((e) => e.type === 'banned')!;
        expect(banned.detail.reason).to.equal(reason);
        expect(banned.detail.sdkReason).to.equal(sdkReason);
        expect(banned.detail.roomId).to.equal(1234);
        expect(banned.detail.userId).to.equal('alice');
        expect(banned.detail.message).to.be.a('string').and.not.equal('');
        expect(banned.stateAttribute).to.equal('banned');
        const leaves = gen.leavesAfterBan ? 1 : 0;
        expect(
          gen.leaveCalls(client),
          gen.leavesAfterBan
            ? "v4: leave() after the ban, for the SDK's page-wide join guard"
            : 'v5 already left: no exitRoom()',
        ).to.equal(leaves);
        await settle(el);
        expect(client.destroyed).to.equal(true);
        expect(client.handlerCount).to.equal(0);
        expect(types(events)).to.deep.equal(['joined', 'banned']);
        expect(gen.leaveCalls(client), 'nor later').to.equal(leaves);
      });
    }

    it('dispatches banned in the same task as the SDK callback', async () => {
      const { el, sdk } = await mount(VALID, gen.sdk());
      let dispatched = false;
      el.addEventListener('banned', () => (dispatched = true));
      gen.fireBan(sdk.lastClient, { reason: 'kick', message: 'x' });
      expect(dispatched).to.equal(true);
    });

    it('never rejoins by itself after a duplicate-userId kick, even through updates', async () => {
      const { el, sdk } = await mount(VALID, gen.sdk());
      gen.fireBan(sdk.lastClient, { reason: 'kick', message: 'x' });
      el.userSig = 'refreshed';
      el.requestUpdate();
      await settle(el);
      await settle(el);
      expect(sdk.clients).to.have.length(1);
      expect(el.state).to.equal('banned');
    });

    it('a move in the document does not clear the ban', async () => {
      const { el, sdk } = await mount(VALID, gen.sdk());
      gen.fireBan(sdk.lastClient, { reason: 'kick', message: 'x' });
      const div = document.createElement('div');
      document.body.append(div);
      div.append(el);
      await settle(el);
      expect(el.state).to.equal('banned');
      expect(sdk.clients).to.have.length(1);
      div.remove();
    });

    for (const [how, act] of [
      ['join()', async (el: any) => el.join()],
      ['a new room', async (el: any) => (el.roomId = 4321)],
      ['a new userId', async (el: any) => (el.userId = 'alice-2')],
      [
        'a real reconnect',
        async (el: any) => {
          el.remove();
          await settle(el);
          document.body.append(el);
        },
      ],
    ] as const) {
      it(`rejoins after a ban on ${how}`, async () => {
        const { el, sdk } = await mount(VALID, gen.sdk());
        gen.fireBan(sdk.lastClient, { reason: 'banned', message: 'x' });
        await act(el);
        await settle(el);
        expect(el.state).to.equal('joined');
        expect(sdk.clients).to.have.length(2);
        expect(sdk.liveClients).to.have.length(1);
      });
    }

    it('a ban that arrives while the join is pending is reported once the join settles', async () => {
      const { el, events, sdk } = await mountJoining(gen.sdk());
      gen.fireBan(sdk.lastClient, { reason: 'kick', message: 'x' });
      sdk.lastClient.pendingJoin!.reject(new Error('kicked during join'));
      await settle(el);
      expect(el.state).to.equal('banned');
      expect(types(events)).to.deep.equal(['banned']);
      expect(sdk.liveClients).to.have.length(0);
      expect(gen.leaveCalls(sdk.lastClient)).to.equal(gen.leavesAfterBan ? 1 : 0);
    });

    it('a ban that arrives while the join is pending and the join then resolves: banned, with leave() only where the SDK needs it', async () => {
      const { el, events, sdk } = await mountJoining(gen.sdk());
      gen.fireBan(sdk.lastClient, { reason: 'kick' });
      sdk.lastClient.pendingJoin!.resolve();
      await settle(el);
      expect(el.state).to.equal('banned');
      expect(types(events)).to.deep.equal(['joined', 'banned']);
      expect(gen.leaveCalls(sdk.lastClient)).to.equal(gen.leavesAfterBan ? 1 : 0);
      expect(sdk.liveClients).to.have.length(0);
    });

    if (gen.leavesAfterBan) {
      it('after a ban, a join in the page waits until the banned client has left and is destroyed, and banned is not delayed', async () => {
        const { el, sdk, events } = await mount(VALID, gen.sdk());
        const banned = sdk.lastClient;
        sdk.leaveBehaviour = 'pending';
        let stateAtBanned: string | undefined;
        el.addEventListener('banned', () => (stateAtBanned = el.state));
        gen.fireBan(banned, { reason: 'kick', message: 'x' });
        expect(types(events), 'banned at once, before leave() settles').to.deep.equal(['joined', 'banned']);
        expect(stateAtBanned).to.equal('banned');
        expect(gen.leaveCalls(banned)).to.equal(1);
        sdk.leaveBehaviour = 'resolve';
        const rejoined = el.join();
        await settle();
        expect(sdk.clients, 'no new client while the banned one is leaving').to.have.length(1);
        banned.pendingLeave!.resolve();
        await rejoined;
        expect(banned.destroyed).to.equal(true);
        expect(sdk.clients).to.have.length(2);
        expect(el.state).to.equal('joined');
      });

      it('a failing leave() after a ban is not reported: the ban stands, and the client is destroyed', async () => {
        const { el, sdk, events } = await mount(VALID, gen.sdk());
        sdk.leaveBehaviour = { reject: gen.rtcError(0x1001, 'previous leave() is ongoing') };
        gen.fireBan(sdk.lastClient, { reason: 'banned', message: 'x' });
        await settle(el);
        expect(types(events)).to.deep.equal(['joined', 'banned']);
        expect(sdk.lastClient.destroyed).to.equal(true);
      });
    }
  });
}
