import './support/guard.js';
import { expect } from '@open-wc/testing';
import {
  JOIN_REFUSAL,
  PEER_LEAVE_REASON,
  RoomService,
  RoomServiceError,
  type JoinRequest,
} from '../src/emulator/core/room-service.js';
import { createTrtcEmulator } from '../src/testing/index.js';
import { memberSink } from './support/member-sink.js';

// The room service's rules for SDKAppIDs, live mode and roles, peer-leave reasons and room retention.

const APP = 1400000001;
const MINUTE_S = 60;

/** A member's view of the service: what it was told, in order (peer-leave with its reason). */
const sink = () => memberSink({ leaveReasons: true });

/** A service on a clock the test moves (seconds). */
function serviceAt(options: ConstructorParameters<typeof RoomService>[0] = {}) {
  const clock = { now: 1_800_000_000 };
  const service = new RoomService({ now: () => clock.now, ...options });
  return { service, clock };
}

async function enter(
  service: RoomService,
  userId: string,
  extra: Partial<JoinRequest> = {},
  roomId: number | string = 1,
) {
  const member = sink();
  const membership = await service.join({ sdkAppId: APP, roomId, userId, userSig: 'sig', ...extra }, member);
  return { member, membership };
}

const anchor = { mode: 'live', role: 'anchor' } as const;
const audience = { mode: 'live', role: 'audience' } as const;

async function refusal(action: () => unknown): Promise<any> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('RoomService: SDKAppIDs', () => {
  it('knows SDKAppID 1400000001 by default and refuses a join for any other: 0x4004 with the service code -3317 as extraCode', async () => {
    const service = new RoomService();
    await enter(service, 'alice');
    const error = await refusal(() =>
      service.join({ sdkAppId: APP + 1, roomId: 1, userId: 'bob', userSig: 'sig' }, sink()),
    );
    expect(error.getCode()).to.equal(0x4004);
    expect(error.getExtraCode()).to.equal(JOIN_REFUSAL.SDK_APP_ID_INVALID);
    expect(error.message).to.match(/^Join refused: SDKAppID 1400000002 does not exist/);
    expect(service.snapshot().map((room) => room.sdkAppId)).to.deep.equal([APP]);
  });

  it('knows the SDKAppIDs it is given, and only those', async () => {
    const service = new RoomService({ sdkAppIds: [1400000007, 1400000008] });
    await service.join({ sdkAppId: 1400000008, roomId: 1, userId: 'a', userSig: 's' }, sink());
    expect(
      (await refusal(() => service.join({ sdkAppId: APP, roomId: 1, userId: 'a', userSig: 's' }, sink()))).getCode(),
    ).to.equal(0x4004);
    expect(service.knownSdkAppIds).to.deep.equal([1400000007, 1400000008]);
  });

  it('refuses RemoveUser and DismissRoom for an SDKAppID it does not know with UnauthorizedOperation.SdkAppId', async () => {
    const service = new RoomService();
    for (const request of [
      () => service.removeUsers({ sdkAppId: APP + 1, roomId: 1, userIds: ['a'] }),
      () => service.dismissRoom({ sdkAppId: APP + 1, strRoomId: 'x' }),
    ]) {
      const error = await refusal(request);
      expect(error).to.be.instanceOf(RoomServiceError);
      expect(error.code).to.equal('UnauthorizedOperation.SdkAppId');
    }
  });

  it('the in-memory admin refuses an SDKAppID the emulator does not know with UnauthorizedOperation.SdkAppId; createTrtcEmulator({ sdkAppIds }) adds more', async () => {
    expect(
      (await refusal(() => createTrtcEmulator().admin.dismissRoom({ sdkAppId: APP + 1, roomId: 1 }))).code,
    ).to.equal('UnauthorizedOperation.SdkAppId');
    expect(
      (
        await refusal(() =>
          createTrtcEmulator({ sdkAppIds: [APP + 1] }).admin.dismissRoom({ sdkAppId: APP + 1, roomId: 1 }),
        )
      ).code,
    ).to.equal('FailedOperation.RoomNotExist');
  });

  it('gives a refused userSig the service code -100018 (userSig verification failed) as extraCode', async () => {
    const service = new RoomService({ secretKey: 'key' });
    const error = await refusal(() =>
      service.join({ sdkAppId: APP, roomId: 1, userId: 'a', userSig: 'forged' }, sink()),
    );
    expect([error.getCode(), error.getExtraCode()]).to.deep.equal([0x4004, JOIN_REFUSAL.USER_SIG_CHECK_FAILED]);
  });
});

describe('RoomService: live mode and roles', () => {
  it("knows each member's mode and role (rtc members are anchors; a live member is an anchor unless audience)", async () => {
    const { service } = serviceAt();
    await enter(service, 'a');
    await enter(service, 'b', { mode: 'rtc', role: 'audience' });
    await enter(service, 'c', { mode: 'live' });
    await enter(service, 'd', audience);
    expect(service.snapshot()[0].memberships).to.deep.equal([
      { userId: 'a', mode: 'rtc', role: 'anchor' },
      { userId: 'b', mode: 'rtc', role: 'anchor' },
      { userId: 'c', mode: 'live', role: 'anchor' },
      { userId: 'd', mode: 'live', role: 'audience' },
    ]);
  });

  it('announces only anchors: an audience member is never announced to the others, and hears the anchors', async () => {
    const { service } = serviceAt();
    const host = await enter(service, 'host', anchor);
    const viewer = await enter(service, 'viewer', audience);
    const other = await enter(service, 'other', audience);
    const guest = await enter(service, 'guest', anchor);
    service.leave(viewer.membership);
    service.leave(guest.membership);
    expect(host.member.heard).to.deep.equal(['peer-join:guest', `peer-leave:guest:${PEER_LEAVE_REASON.NORMAL_LEAVE}`]);
    expect(viewer.member.heard).to.deep.equal(['peer-join:host', 'peer-join:guest']);
    expect(other.member.heard).to.deep.equal(['peer-join:host', 'peer-join:guest', 'peer-leave:guest:0']);
    expect(guest.member.heard).to.deep.equal(['peer-join:host']);
  });

  it("gives peer-leave the SDK's reason: 0 for a leave, 1 for a dropped member removed after its timeout, 2 for RemoveUser and a same-userId kick", async () => {
    const { service } = serviceAt();
    const watcher = await enter(service, 'watcher');
    const leaver = await enter(service, 'leaver');
    const dropped = await enter(service, 'dropped');
    await enter(service, 'removed');
    await enter(service, 'twin');
    service.leave(leaver.membership);
    service.leave(dropped.membership, PEER_LEAVE_REASON.TIMEOUT_LEAVE);
    service.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['removed'] });
    await enter(service, 'twin');
    expect(watcher.member.heard.filter((h) => h.startsWith('peer-leave'))).to.deep.equal([
      'peer-leave:leaver:0',
      'peer-leave:dropped:1',
      'peer-leave:removed:2',
      'peer-leave:twin:2',
    ]);
  });
});

describe('RoomService: when a room closes', () => {
  it('closes an rtc room when its last member leaves: RemoveUser on it is then FailedOperation.RoomNotExist', async () => {
    const { service } = serviceAt();
    const a = await enter(service, 'a');
    service.leave(a.membership);
    expect(service.snapshot()).to.deep.equal([]);
    expect((await refusal(() => service.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['a'] }))).code).to.equal(
      'FailedOperation.RoomNotExist',
    );
  });

  it('closes a live room at once when its last member to leave was an anchor', async () => {
    const { service } = serviceAt();
    const viewer = await enter(service, 'viewer', audience);
    const host = await enter(service, 'host', anchor);
    service.leave(viewer.membership);
    service.leave(host.membership);
    expect(service.snapshot()).to.deep.equal([]);
  });

  it('keeps a live room 10 minutes after its last member left as audience; RemoveUser and DismissRoom on it succeed meanwhile; then it closes', async () => {
    const { service, clock } = serviceAt();
    const viewer = await enter(service, 'viewer', audience);
    const leftAt = clock.now;
    service.leave(viewer.membership);
    expect(service.snapshot()).to.deep.equal([
      { sdkAppId: APP, roomId: 1, members: [], memberships: [], closesAt: (leftAt + 10 * MINUTE_S) * 1000 },
    ]);

    clock.now = leftAt + 10 * MINUTE_S - 1;
    service.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['viewer'] });
    expect(service.snapshot()).to.have.length(1);
    clock.now = leftAt + 10 * MINUTE_S;
    expect(service.snapshot()).to.deep.equal([]);
    expect((await refusal(() => service.dismissRoom({ sdkAppId: APP, roomId: 1 }))).code).to.equal(
      'FailedOperation.RoomNotExist',
    );

    const again = await enter(service, 'viewer', audience);
    service.leave(again.membership);
    service.dismissRoom({ sdkAppId: APP, roomId: 1 });
    expect(service.snapshot(), 'DismissRoom closes a kept room').to.deep.equal([]);
  });

  it('closes a live room at once when its last member, an audience member, is removed after its connection dropped (90 s after the drop, as TRTC)', async () => {
    const { service } = serviceAt();
    const viewer = await enter(service, 'viewer', audience);
    service.leave(viewer.membership, PEER_LEAVE_REASON.TIMEOUT_LEAVE);
    expect(service.snapshot()).to.deep.equal([]);
  });

  it('a join into a kept live room opens it again, no longer closing', async () => {
    const { service, clock } = serviceAt();
    service.leave((await enter(service, 'viewer', audience)).membership);
    await enter(service, 'host', anchor);
    clock.now += 60 * MINUTE_S;
    expect(service.snapshot().map(({ members, closesAt }) => ({ members, closesAt }))).to.deep.equal([
      { members: ['host'], closesAt: undefined },
    ]);
  });

  it('takes the retention of a live room from liveRoomRetentionMs (0: it closes at once)', async () => {
    const short = serviceAt({ liveRoomRetentionMs: 5000 });
    short.service.leave((await enter(short.service, 'viewer', audience)).membership);
    short.clock.now += 4;
    expect(short.service.snapshot()).to.have.length(1);
    short.clock.now += 1;
    expect(short.service.snapshot()).to.deep.equal([]);

    const none = serviceAt({ liveRoomRetentionMs: 0 });
    none.service.leave((await enter(none.service, 'viewer', audience)).membership);
    expect(none.service.snapshot()).to.deep.equal([]);
  });
});
