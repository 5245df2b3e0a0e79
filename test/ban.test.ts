import { expect } from '@open-wc/testing';
import { FakeTrtc } from './doubles/fake-trtc.js';
import { create, mount, settle, types, VALID } from './support/room.js';

const REASONS: Array<[unknown, string, string | undefined]> = [
  [{ reason: 'kick', message: 'kicked out by a newer client' }, 'duplicate-user-id', 'kick'],
  [{ reason: 'banned', message: 'removed by the server' }, 'removed-by-admin', 'banned'],
  [{ reason: 'room-disband', message: 'room closed' }, 'room-dismissed', 'room-disband'],
  [{ reason: 'room_disband', message: 'room closed' }, 'room-dismissed', 'room_disband'],
  [{ reason: 'something-new', message: 'a future reason' }, 'unknown', 'something-new'],
  [new Error('client was banned because of duplicated userId joining the room.'), 'duplicate-user-id', undefined],
  [new Error('client was banned because of you got banned by account admin'), 'removed-by-admin', undefined],
  [undefined, 'unknown', undefined],
];

describe('<trtc-room> banned', () => {
  for (const [payload, reason, sdkReason] of REASONS) {
    it(`maps client-banned ${payload instanceof Error ? `legacy "${payload.message}"` : JSON.stringify(payload)} to ${reason}`, async () => {
      const { el, sdk, events } = await mount();
      const client = sdk.lastClient;
      client.fire('client-banned', payload);
      expect(el.state).to.equal('banned');
      const banned = events.find((e) => e.type === 'banned')!;
      expect(banned.detail.reason).to.equal(reason);
      expect(banned.detail.sdkReason).to.equal(sdkReason);
      expect(banned.detail.roomId).to.equal(1234);
      expect(banned.detail.userId).to.equal('alice');
      expect(banned.detail.message).to.be.a('string').and.not.equal('');
      expect(banned.stateAttribute).to.equal('banned');
      expect(client.leaveCalls, 'the SDK already left: no leave()').to.equal(0);
      expect(client.destroyed).to.equal(true);
      expect(client.handlerCount).to.equal(0);
      await settle(el);
      expect(types(events)).to.deep.equal(['joined', 'banned']);
    });
  }

  it('dispatches banned in the same task as the SDK callback', async () => {
    const { el, sdk } = await mount();
    let dispatched = false;
    el.addEventListener('banned', () => (dispatched = true));
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'x' });
    expect(dispatched).to.equal(true);
  });

  it('never rejoins by itself after a duplicate-userId kick, even through updates', async () => {
    const { el, sdk } = await mount();
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'x' });
    el.userSig = 'refreshed';
    el.requestUpdate();
    await settle(el);
    await settle(el);
    expect(sdk.clients).to.have.length(1);
    expect(el.state).to.equal('banned');
  });

  it('a move in the document does not clear the ban', async () => {
    const { el, sdk } = await mount();
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'x' });
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
    ['a real reconnect', async (el: any) => { el.remove(); await settle(el); document.body.append(el); }],
  ] as const) {
    it(`rejoins after a ban on ${how}`, async () => {
      const { el, sdk } = await mount();
      sdk.lastClient.fire('client-banned', { reason: 'banned', message: 'x' });
      await act(el);
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(sdk.clients).to.have.length(2);
      expect(sdk.liveClients).to.have.length(1);
    });
  }

  it('a ban that arrives while the join is pending is reported once the join settles', async () => {
    const sdk = new FakeTrtc();
    sdk.joinBehaviour = 'pending';
    const { el, events } = create(VALID, sdk);
    document.body.append(el);
    await settle();
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'x' });
    sdk.lastClient.pendingJoin!.reject(new Error('kicked during join'));
    await settle(el);
    expect(el.state).to.equal('banned');
    expect(types(events)).to.deep.equal(['banned']);
    expect(sdk.liveClients).to.have.length(0);
  });
});
