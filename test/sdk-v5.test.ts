import { expect } from '@open-wc/testing';
import { EVENT, FakeTrtcV5, MEDIA_EVENT, rtcErrorV5 } from './doubles/fake-trtc-v5.js';
import { V5 } from './support/generations.js';
import { mount, mountJoining, settle, types, VALID } from './support/room.js';

// What the element asks of trtc-sdk-v5 exactly; the shared contract runs for v5 in trtc-room.test.ts and ban.test.ts.
describe('<trtc-room> on trtc-sdk-v5: the exact SDK calls', () => {
  const IDENTITY = { sdkAppId: 1400000001, userId: 'alice', userSig: 'sig-secret-1' };

  it('creates one TRTC instance per join and enters a numeric room with roomId and scene rtc', async () => {
    const { sdk } = await mount(VALID, new FakeTrtcV5());
    expect(sdk.instances).to.have.length(1);
    expect(sdk.joins).to.deep.equal([{ ...IDENTITY, roomId: 1234, scene: 'rtc' }]);
    expect(sdk.lastClient.enterRoomCalls[0]).not.to.have.property('strRoomId');
  });

  it('enters a string room with strRoomId, never roomId', async () => {
    const { 'room-id': _, ...rest } = VALID;
    const { sdk } = await mount({ ...rest, 'str-room-id': '1234' }, new FakeTrtcV5());
    expect(sdk.joins).to.deep.equal([{ ...IDENTITY, strRoomId: '1234', scene: 'rtc' }]);
    expect(sdk.lastClient.enterRoomCalls[0]).not.to.have.property('roomId');
  });

  it('passes scene live and the role in live mode, and no role in rtc mode', async () => {
    const audience = await mount({ ...VALID, mode: 'live', role: 'audience' }, new FakeTrtcV5());
    expect(audience.sdk.joins).to.deep.equal([{ ...IDENTITY, roomId: 1234, scene: 'live', role: 'audience' }]);
    const anchor = await mount({ ...VALID, mode: 'live' }, new FakeTrtcV5());
    expect(anchor.sdk.joins).to.deep.equal([{ ...IDENTITY, roomId: 1234, scene: 'live', role: 'anchor' }]);
    const rtc = await mount({ ...VALID, role: 'audience' }, new FakeTrtcV5());
    expect(rtc.sdk.joins).to.deep.equal([{ ...IDENTITY, roomId: 1234, scene: 'rtc' }]);
  });

  it('listens on the TRTC.EVENT names, the room’s and the media’s, before entering the room, one handler each', async () => {
    const { el, sdk } = await mountJoining(new FakeTrtcV5());
    const instance = sdk.lastClient;
    expect(instance.calls).to.deep.equal(['enterRoom']);
    expect([...instance.handlers.keys()].sort()).to.deep.equal(
      [
        EVENT.ERROR,
        EVENT.KICKED_OUT,
        EVENT.REMOTE_USER_ENTER,
        EVENT.REMOTE_USER_EXIT,
        EVENT.CONNECTION_STATE_CHANGED,
        // TRTC.EVENT.NETWORK_QUALITY (the fake's EVENT leaves it out: the adapter's default name, the SDK's own).
        'network-quality',
        ...Object.values(MEDIA_EVENT),
      ].sort(),
    );
    expect(instance.handlerCount).to.equal(6 + Object.keys(MEDIA_EVENT).length);
    instance.pendingJoin!.resolve();
    await settle(el);
  });

  it('leaves with exitRoom() and then destroy(), after removing every handler with off()', async () => {
    const { el, sdk } = await mount(VALID, new FakeTrtcV5());
    const instance = sdk.lastClient;
    el.remove();
    await settle(el);
    expect(instance.calls).to.deep.equal(['enterRoom', 'exitRoom', 'destroy']);
    expect(instance.handlerCount, 'the double keeps handlers on destroy(): only off() removes them').to.equal(0);
  });

  it('after KICKED_OUT destroys the instance without exitRoom(): the SDK has already left', async () => {
    const { el, sdk, events } = await mount(VALID, new FakeTrtcV5());
    const instance = sdk.lastClient;
    instance.fire(EVENT.KICKED_OUT, { reason: 'kick' });
    await settle(el);
    el.remove();
    await settle(el);
    expect(instance.calls).to.deep.equal(['enterRoom', 'destroy']);
    expect(instance.handlerCount).to.equal(0);
    expect(events.find((e) => e.type === 'banned')!.detail).to.deep.equal({
      roomId: 1234,
      userId: 'alice',
      reason: 'duplicate-user-id',
      sdkReason: 'kick',
      message: 'Another client joined this room with the same userId.',
    });
  });

  it('a failed enterRoom() destroys the instance without exitRoom(), and reports the RtcError code', async () => {
    const sdk = new FakeTrtcV5();
    sdk.joinBehaviour = { reject: rtcErrorV5(5500, "'enterRoom' failed, reason: schedule failed") };
    const { el, events } = await mount(VALID, sdk);
    expect(el.state).to.equal('error');
    expect(sdk.lastClient.calls).to.deep.equal(['enterRoom', 'destroy']);
    expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'join-failed', sdkCode: 5500 });
  });

  it('maps REMOTE_USER_EXIT to peer-leave with the userId only', async () => {
    const { sdk, events } = await mount(VALID, new FakeTrtcV5());
    sdk.lastClient.fire(EVENT.REMOTE_USER_ENTER, { userId: 'bob' });
    sdk.lastClient.fire(EVENT.REMOTE_USER_EXIT, { userId: 'bob', reason: 2 });
    expect(events.filter((e) => e.type === 'peer-leave').map((e) => e.detail)).to.deep.equal([{ userId: 'bob' }]);
    expect(types(events)).to.deep.equal(['joined', 'peer-join', 'peer-leave']);
  });

  it('describes the same joins through the shared generation descriptor', async () => {
    const { sdk } = await mount(VALID, new FakeTrtcV5());
    expect(V5.sdkJoins(sdk)).to.deep.equal([{ enterRoom: { ...IDENTITY, roomId: 1234, scene: 'rtc' } }]);
  });
});
