import './support/guard.js';
import { expect } from '@open-wc/testing';
import { RoomService, RoomServiceError } from '../src/emulator/core/room-service.js';
import { memberSink } from './support/member-sink.js';
import { generateTestUserSig } from '../src/emulator/core/user-sig.js';

const sink = () => memberSink();

const APP = 1400000001;
const join = (service: RoomService, roomId: number | string, userId: string, member = sink()) =>
  service.join({ sdkAppId: APP, roomId, userId, userSig: 'sig' }, member).then(() => member);

async function refused(action: () => unknown): Promise<RoomServiceError> {
  try {
    await action();
  } catch (error) {
    expect(error).to.be.instanceOf(RoomServiceError);
    return error as RoomServiceError;
  }
  throw new Error('expected the request to be refused');
}

describe('RoomService', () => {
  it('keys rooms by SDKAppID and room id, with numeric and string ids apart, and lets one userId be in several rooms', async () => {
    const service = new RoomService({ sdkAppIds: [APP, APP + 1] });
    await join(service, 123, 'alice');
    await join(service, '123', 'alice');
    await service.join({ sdkAppId: APP + 1, roomId: 123, userId: 'alice', userSig: 's' }, sink());
    expect(service.snapshot().map((r) => [r.sdkAppId, r.roomId, r.members])).to.deep.equal([
      [APP, 123, ['alice']],
      [APP, '123', ['alice']],
      [APP + 1, 123, ['alice']],
    ]);
  });

  it('a join with a userId already in the room removes the earlier client with reason kick; the later stays', async () => {
    const service = new RoomService();
    const bob = await join(service, 1, 'bob');
    const earlier = await join(service, 1, 'alice');
    const later = await join(service, 1, 'alice');
    expect(earlier.heard).to.deep.equal(['peer-join:bob', 'removed:kick']);
    expect(later.heard).to.deep.equal(['peer-join:bob']);
    expect(bob.heard).to.deep.equal(['peer-join:alice', 'peer-leave:alice', 'peer-join:alice']);
    expect(service.snapshot()[0].members).to.deep.equal(['bob', 'alice']);
  });

  it('members hear peer-join and peer-leave for the others; an empty room disappears', async () => {
    const service = new RoomService();
    const a = sink();
    const membership = await service.join({ sdkAppId: APP, roomId: 3, userId: 'a', userSig: 's' }, a);
    const b = await join(service, 3, 'b');
    service.leave(membership);
    expect(a.heard).to.deep.equal(['peer-join:b']);
    expect(b.heard).to.deep.equal(['peer-join:a', 'peer-leave:a']);
    service.leave(membership); // twice: nothing happens
    expect(service.snapshot()[0].members).to.deep.equal(['b']);
  });

  it('removeUsers removes the listed users with reason banned', async () => {
    const service = new RoomService();
    const a = await join(service, 4, 'a');
    const b = await join(service, 4, 'b');
    const c = await join(service, 4, 'c');
    service.removeUsers({ sdkAppId: APP, roomId: 4, userIds: ['a', 'c', 'not-here'] });
    expect(a.heard.at(-1)).to.equal('removed:banned');
    expect(c.heard.at(-1)).to.equal('removed:banned');
    expect(b.heard.filter((h) => h.startsWith('removed'))).to.deep.equal([]);
    expect(service.snapshot()[0].members).to.deep.equal(['b']);
  });

  it('dismissRoom removes everyone with reason room-disband, and the room is gone', async () => {
    const service = new RoomService();
    const a = await join(service, 'team', 'a');
    const b = await join(service, 'team', 'b');
    service.dismissRoom({ sdkAppId: APP, strRoomId: 'team' });
    expect([a.heard.at(-1), b.heard.at(-1)]).to.deep.equal(['removed:room-disband', 'removed:room-disband']);
    expect(service.snapshot()).to.deep.equal([]);
  });

  const badRequests: Array<[string, string, (service: RoomService) => unknown]> = [
    [
      'an unknown room',
      'FailedOperation.RoomNotExist',
      (s) => s.removeUsers({ sdkAppId: APP, roomId: 999, userIds: ['a'] }),
    ],
    [
      'a numeric id that names a string room',
      'FailedOperation.RoomNotExist',
      (s) => s.dismissRoom({ sdkAppId: APP, roomId: 5 }),
    ],
    ['0 user ids', 'InvalidParameter.UserIds', (s) => s.removeUsers({ sdkAppId: APP, roomId: 1, userIds: [] })],
    [
      '11 user ids',
      'InvalidParameter.UserIds',
      (s) => s.removeUsers({ sdkAppId: APP, roomId: 1, userIds: Array.from({ length: 11 }, (_, i) => `u${i}`) }),
    ],
    [
      'a malformed user id',
      'InvalidParameter.UserIds',
      (s) => s.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['a', 'no spaces'] }),
    ],
    ['no user ids', 'MissingParameter.UserIds', (s) => s.removeUsers({ sdkAppId: APP, roomId: 1 } as never)],
    ['a malformed room id', 'InvalidParameter.RoomId', (s) => s.dismissRoom({ sdkAppId: APP, roomId: 0 })],
    [
      'a malformed string room id',
      'InvalidParameter.RoomId',
      (s) => s.dismissRoom({ sdkAppId: APP, strRoomId: 'a/b' }),
    ],
    [
      'both room ids',
      'InvalidParameter.RoomId',
      (s) => s.dismissRoom({ sdkAppId: APP, roomId: 1, strRoomId: '1' } as never),
    ],
    ['no room id', 'MissingParameter.RoomId', (s) => s.dismissRoom({ sdkAppId: APP } as never)],
    ['a malformed SDKAppID', 'InvalidParameter.SdkAppId', (s) => s.dismissRoom({ sdkAppId: -1, roomId: 1 })],
  ];
  for (const [what, code, request] of badRequests) {
    it(`refuses ${what} with ${code} and changes nothing`, async () => {
      const service = new RoomService();
      const a = await join(service, 1, 'a');
      await join(service, '5', 'b');
      const before = JSON.stringify(service.snapshot());
      const error = await refused(() => request(service));
      expect(error.code).to.equal(code);
      expect(error.message).to.be.a('string').and.not.equal('');
      expect(JSON.stringify(service.snapshot())).to.equal(before);
      expect(a.heard).to.deep.equal([]);
    });
  }

  it('refuses malformed joins with an RtcError-shaped 0x4004', async () => {
    const service = new RoomService();
    for (const request of [
      { sdkAppId: 0, roomId: 1, userId: 'a', userSig: 's' },
      { sdkAppId: APP, roomId: 0, userId: 'a', userSig: 's' },
      { sdkAppId: APP, roomId: 1, userId: 'bad id', userSig: 's' },
      { sdkAppId: APP, roomId: 1, userId: 'a', userSig: '' },
    ]) {
      const error: any = await service.join(request, sink()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error?.getCode?.(), JSON.stringify(request)).to.equal(0x4004);
    }
    expect(service.snapshot()).to.deep.equal([]);
  });

  describe('with the app secret key: user signatures', () => {
    const secretKey = 'app-secret-key';
    const now = 1_800_000_000;
    const attempt = async (userSig: string, userId = 'alice', sdkAppId = APP) => {
      const service = new RoomService({ secretKey, now: () => now });
      return service.join({ sdkAppId, roomId: 1, userId, userSig }, sink()).then(
        () => 'joined',
        (error: any) => `${error.getCode()}: ${error.message}`,
      );
    };

    it('accepts a valid, unexpired signature', async () => {
      expect(
        await attempt(await generateTestUserSig({ secretKey, sdkAppId: APP, userId: 'alice', now: now - 10 })),
      ).to.equal('joined');
    });

    for (const [what, make, words] of [
      [
        'an expired signature',
        () => generateTestUserSig({ secretKey, sdkAppId: APP, userId: 'alice', now: now - 200, expireSeconds: 100 }),
        'expired',
      ],
      [
        "another userId's signature",
        () => generateTestUserSig({ secretKey, sdkAppId: APP, userId: 'bob', now }),
        'another userId',
      ],
      [
        "another app's signature",
        () => generateTestUserSig({ secretKey, sdkAppId: APP + 1, userId: 'alice', now }),
        'SDKAppID',
      ],
      [
        'a signature made with another key',
        () => generateTestUserSig({ secretKey: 'other-key', sdkAppId: APP, userId: 'alice', now }),
        'secret key',
      ],
      ['something that is no signature', async () => 'not-a-signature', 'does not decode'],
    ] as const) {
      it(`refuses ${what} with 0x4004 and a message naming the reason`, async () => {
        const result = await attempt(await make());
        expect(result).to.match(/^16388: Join refused: /);
        expect(result).to.contain(words);
      });
    }
  });
});
