import './support/guard.js';
import { expect } from '@open-wc/testing';
import {
  convertToV5Error,
  EmulatedV5RtcError,
  V5_ERROR_CODE,
  V5_EVENT,
  type EmulatedV5Trtc,
} from '../src/emulator/page/v5-client.js';
import { createTrtcEmulator, type TrtcEmulator } from '../src/testing/index.js';
import type { TrtcV5EnterRoomParams } from '../src/sdk/v5.js';
import type { TrtcRoom } from '../src/index.js';
import { record, settle } from './support/room.js';

// The v5-shaped double (`emulator.sdkV5`): trtc-sdk-v5's errors, events and page-wide join guard.

const APP = 1400000001;

/** A TRTC instance of the emulator's v5 shape, with the events it fired, in order. */
function instance(emulator: TrtcEmulator) {
  const trtc: EmulatedV5Trtc = emulator.sdkV5.create();
  const events: Array<{ event: string; payload: any }> = [];
  for (const event of Object.values(V5_EVENT)) trtc.on(event, (payload: unknown) => events.push({ event, payload }));
  return { trtc, events, of: (event: string) => events.filter((e) => e.event === event).map((e) => e.payload) };
}

const params = (userId: string, extra: Partial<TrtcV5EnterRoomParams> = {}): TrtcV5EnterRoomParams => ({
  sdkAppId: APP,
  userId,
  userSig: 'sig',
  roomId: 1,
  ...extra,
});

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected enterRoom() to reject');
    },
    (error: any) => error,
  );

/** Lets pushed server messages (each in a task of its own) arrive. */
const pushes = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the v5 double (emulator.sdkV5)', () => {
  it('names an error after its ERROR_CODE key and gives it code and extraCode, not getCode()', async () => {
    const { trtc } = instance(createTrtcEmulator());
    const error = await rejection(trtc.enterRoom(params('alice', { roomId: undefined })));
    expect(error).to.be.instanceOf(EmulatedV5RtcError);
    expect(error).to.be.instanceOf(Error);
    expect([error.name, error.code, error.extraCode, error.functionName]).to.deep.equal([
      'INVALID_PARAMETER',
      5000,
      5015,
      'enterRoom',
    ]);
    expect(error).not.to.have.property('getCode');
  });

  it("converts the SDK's internal errors as its RtcError.convertFrom does: a refused join (0x4004) to SERVER_ERROR with its extraCode, SCHEDULE_FAILED and the rest to OPERATION_FAILED, a non-SDK error to UNKNOWN_ERROR", () => {
    const internal = (code: number, extraCode?: number) =>
      Object.assign(new Error(`failed <X 0x${code.toString(16)}>`), {
        getCode: () => code,
        getExtraCode: () => extraCode,
      });
    const table: Array<[unknown, string, number | undefined]> = [
      [internal(0x1000), 'INVALID_PARAMETER', undefined],
      [internal(0x1001), 'INVALID_OPERATION', undefined],
      [internal(0x1002), 'ENV_NOT_SUPPORTED', undefined],
      [internal(0x1003), 'DEVICE_ERROR', undefined],
      [internal(0x4004, -100018), 'SERVER_ERROR', -100018],
      [internal(0x4041, 7), 'SERVER_ERROR', 7],
      [internal(0x404d), 'OPERATION_ABORT', undefined],
      [internal(0x404c, 3), 'OPERATION_FAILED', undefined],
      [internal(0x4006), 'OPERATION_FAILED', undefined],
      [internal(0xffff), 'UNKNOWN_ERROR', undefined],
      [new TypeError("not the SDK's"), 'UNKNOWN_ERROR', undefined],
    ];
    for (const [error, name, extraCode] of table) {
      const converted = convertToV5Error(error, 'enterRoom');
      expect([converted.name, converted.code, converted.extraCode], String(error)).to.deep.equal([
        name,
        V5_ERROR_CODE[name as keyof typeof V5_ERROR_CODE],
        extraCode,
      ]);
      expect(converted.functionName).to.equal('enterRoom');
    }
    expect(convertToV5Error(internal(0x4004, -1), 'enterRoom').message).to.equal(
      "'enterRoom' got server error: failed, please check the SDK documentation.",
    );
    expect(convertToV5Error(internal(0x404c), 'enterRoom').message).to.equal("'enterRoom' failed, reason: failed");
  });

  it("a join the room service refuses rejects with SERVER_ERROR (5400) and the service's code as extraCode", async () => {
    const emulator = createTrtcEmulator();
    const unknownApp = await rejection(instance(emulator).trtc.enterRoom(params('alice', { sdkAppId: APP + 1 })));
    expect([unknownApp.name, unknownApp.code, unknownApp.extraCode]).to.deep.equal([
      'SERVER_ERROR',
      V5_ERROR_CODE.SERVER_ERROR,
      -3317,
    ]);
    expect(unknownApp.message).to.match(
      /^'enterRoom' got server error: Join refused: SDKAppID 1400000002 does not exist/,
    );

    const checked = createTrtcEmulator({ secretKey: 'app-key' });
    const forged = await rejection(instance(checked).trtc.enterRoom(params('alice', { userSig: 'forged' })));
    expect([forged.name, forged.code, forged.extraCode]).to.deep.equal(['SERVER_ERROR', 5400, -100018]);
  });

  it('checks EnterRoomConfig before joining, as the SDK does: INVALID_PARAMETER with extraCode 5015, 5016, 5013, 5012, 5001', async () => {
    const emulator = createTrtcEmulator();
    const cases: Array<[Partial<TrtcV5EnterRoomParams>, number]> = [
      [{ roomId: undefined }, 5015],
      [{ roomId: '12' as unknown as number }, 5016],
      [{ roomId: 4294967295 }, 5013],
      [{ roomId: undefined, strRoomId: 'a/b' }, 5012],
      [{ userSig: '' }, 5001],
    ];
    for (const [extra, extraCode] of cases) {
      const error = await rejection(instance(emulator).trtc.enterRoom(params('alice', extra)));
      expect([error.code, error.extraCode], JSON.stringify(extra)).to.deep.equal([5000, extraCode]);
    }
    expect(emulator.admin.rooms).to.deep.equal([]);
  });

  it('a second enterRoom() on a joined instance rejects with INVALID_OPERATION (5100), extraCode 5104', async () => {
    const { trtc } = instance(createTrtcEmulator());
    await trtc.enterRoom(params('alice'));
    const error = await rejection(trtc.enterRoom(params('alice')));
    expect([error.name, error.code, error.extraCode]).to.deep.equal(['INVALID_OPERATION', 5100, 5104]);
  });

  it('REMOTE_USER_EXIT carries the reason: 0 when the peer left, 2 when it was removed (RemoveUser)', async () => {
    const emulator = createTrtcEmulator();
    const alice = instance(emulator);
    await alice.trtc.enterRoom(params('alice'));
    const bob = instance(emulator);
    await bob.trtc.enterRoom(params('bob'));
    const carol = instance(emulator);
    await carol.trtc.enterRoom(params('carol'));
    await bob.trtc.exitRoom();
    await emulator.admin.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['carol'] });
    await pushes();
    expect(alice.of(V5_EVENT.REMOTE_USER_ENTER)).to.deep.equal([{ userId: 'bob' }, { userId: 'carol' }]);
    expect(alice.of(V5_EVENT.REMOTE_USER_EXIT)).to.deep.equal([
      { userId: 'bob', reason: 0 },
      { userId: 'carol', reason: 2 },
    ]);
    expect(carol.of(V5_EVENT.KICKED_OUT)).to.deep.equal([{ reason: 'banned' }]);
  });

  it("KICKED_OUT gives the SDK's reasons: kick, banned, room_disband; the instance is out of the room first", async () => {
    const emulator = createTrtcEmulator();
    const first = instance(emulator);
    await first.trtc.enterRoom(params('alice'));
    const second = instance(emulator);
    await second.trtc.enterRoom(params('alice'));
    await emulator.admin.dismissRoom({ sdkAppId: APP, roomId: 1 });
    await pushes();
    expect(first.of(V5_EVENT.KICKED_OUT)).to.deep.equal([{ reason: 'kick' }]);
    expect(second.of(V5_EVENT.KICKED_OUT)).to.deep.equal([{ reason: 'room_disband' }]);
    expect([first.trtc.joined, second.trtc.joined]).to.deep.equal([false, false]);
    expect(second.events.map((e) => e.event).slice(-2)).to.deep.equal([
      V5_EVENT.CONNECTION_STATE_CHANGED,
      V5_EVENT.KICKED_OUT,
    ]);
  });

  it('an audience member is not announced to the others; the anchors are announced to it', async () => {
    const emulator = createTrtcEmulator();
    const host = instance(emulator);
    await host.trtc.enterRoom(params('host', { scene: 'live', role: 'anchor' }));
    const viewer = instance(emulator);
    await viewer.trtc.enterRoom(params('viewer', { scene: 'live', role: 'audience' }));
    await viewer.trtc.exitRoom();
    await pushes();
    expect(host.of(V5_EVENT.REMOTE_USER_ENTER)).to.deep.equal([]);
    expect(host.of(V5_EVENT.REMOTE_USER_EXIT)).to.deep.equal([]);
    expect(viewer.of(V5_EVENT.REMOTE_USER_ENTER)).to.deep.equal([{ userId: 'host' }]);
  });

  describe('the same userId twice in one page', () => {
    it('in rtc mode the SDK does not stop the second join: the service kicks the first (KICKED_OUT kick)', async () => {
      const emulator = createTrtcEmulator();
      const first = instance(emulator);
      await first.trtc.enterRoom(params('alice'));
      const second = instance(emulator);
      await second.trtc.enterRoom(params('alice'));
      await pushes();
      expect(first.of(V5_EVENT.KICKED_OUT)).to.deep.equal([{ reason: 'kick' }]);
      expect(second.trtc.joined).to.equal(true);
    });

    it('a live audience join is refused with INVALID_OPERATION (5100) "please avoid repeated join" while another live join of that userId and room is in; the first stays', async () => {
      const emulator = createTrtcEmulator();
      const first = instance(emulator);
      await first.trtc.enterRoom(params('alice', { scene: 'live', role: 'audience' }));
      const error = await rejection(
        instance(emulator).trtc.enterRoom(params('alice', { scene: 'live', role: 'audience' })),
      );
      expect([error.name, error.code, error.extraCode]).to.deep.equal(['INVALID_OPERATION', 5100, undefined]);
      expect(error.message).to.contain('please avoid repeated join');
      await pushes();
      expect(first.of(V5_EVENT.KICKED_OUT)).to.deep.equal([]);
      expect(emulator.admin.rooms.map((room) => room.members)).to.deep.equal([['alice']]);
    });

    it('a live anchor join sets the guard too, but is not refused by it: an anchor after an audience member kicks it at the service', async () => {
      const emulator = createTrtcEmulator();
      const anchor = instance(emulator);
      await anchor.trtc.enterRoom(params('alice', { scene: 'live' }));
      expect(
        (await rejection(instance(emulator).trtc.enterRoom(params('alice', { scene: 'live', role: 'audience' })))).code,
      ).to.equal(5100);

      const other = createTrtcEmulator();
      const viewer = instance(other);
      await viewer.trtc.enterRoom(params('bob', { scene: 'live', role: 'audience' }));
      await instance(other).trtc.enterRoom(params('bob', { scene: 'live', role: 'anchor' }));
      await pushes();
      expect(viewer.of(V5_EVENT.KICKED_OUT)).to.deep.equal([{ reason: 'kick' }]);
    });

    it('the guard is keyed by SDKAppID, room, userId and room kind: another room, user or string room "1" is not refused', async () => {
      const emulator = createTrtcEmulator({ sdkAppIds: [APP, APP + 1] });
      const live = { scene: 'live', role: 'audience' } as const;
      await instance(emulator).trtc.enterRoom(params('alice', live));
      for (const extra of [
        { roomId: 2 },
        { userId: 'bob' },
        { roomId: undefined, strRoomId: '1' },
        { sdkAppId: APP + 1 },
      ]) {
        await instance(emulator).trtc.enterRoom({ ...params('alice', live), ...extra });
      }
      expect(emulator.admin.rooms.flatMap((room) => room.members)).to.have.length(5);
    });

    it('the guard entry goes when the instance leaves, is kicked out, or its join fails', async () => {
      const emulator = createTrtcEmulator();
      const live = params('alice', { scene: 'live', role: 'audience' });
      const left = instance(emulator);
      await left.trtc.enterRoom(live);
      await left.trtc.exitRoom();
      const kicked = instance(emulator);
      await kicked.trtc.enterRoom(live);
      await emulator.admin.removeUsers({ sdkAppId: APP, roomId: 1, userIds: ['alice'] });
      await pushes();
      emulator.faults.nextJoin({ type: 'reject' });
      expect((await rejection(instance(emulator).trtc.enterRoom(live))).code).to.equal(5400);
      const last = instance(emulator);
      await last.trtc.enterRoom(live);
      expect(last.trtc.joined).to.equal(true);
    });

    it("the guard belongs to one SDK object: two emulators' sdkV5 are two pages", async () => {
      const live = params('alice', { scene: 'live', role: 'audience' });
      const service = createTrtcEmulator();
      await instance(service).trtc.enterRoom(live);
      await instance(createTrtcEmulator()).trtc.enterRoom(live);
    });
  });

  it('destroy() releases the instance: it leaves liveClients, and a joined one leaves the room', async () => {
    const emulator = createTrtcEmulator();
    const { trtc } = instance(emulator);
    expect(emulator.liveClients).to.deep.equal([trtc]);
    await trtc.enterRoom(params('alice'));
    trtc.destroy();
    await pushes();
    expect(emulator.liveClients).to.deep.equal([]);
    expect(emulator.admin.rooms).to.deep.equal([]);
    expect(trtc.handlerCount).to.equal(0);
  });

  it('failWith() leaves the room and then fires ERROR with OPERATION_FAILED, as the SDK does on an unrecoverable error', async () => {
    const emulator = createTrtcEmulator();
    const { trtc, events } = instance(emulator);
    await trtc.enterRoom(params('alice'));
    trtc.failWith();
    await pushes();
    expect(emulator.admin.rooms).to.deep.equal([]);
    const error = events.at(-1)!;
    expect(error.event).to.equal(V5_EVENT.ERROR);
    expect([error.payload.name, error.payload.code]).to.deep.equal(['OPERATION_FAILED', 5500]);
  });
});

describe('<trtc-room> on the v5 double: the same userId twice in one page', () => {
  async function mount(emulator: TrtcEmulator, attributes: Record<string, string>) {
    const el = document.createElement('trtc-room') as TrtcRoom;
    el.sdk = emulator.sdkV5;
    for (const [name, value] of Object.entries({
      'sdk-app-id': String(APP),
      'room-id': '1',
      'user-id': 'alice',
      'user-sig': 'sig',
      ...attributes,
    }))
      el.setAttribute(name, value);
    const events = record(el);
    document.body.append(el);
    await settle(el);
    return { el, events };
  }

  it("live audience: the second element fails to join with the SDK's INVALID_OPERATION (sdkCode 5100); the first stays joined", async () => {
    const emulator = createTrtcEmulator();
    const live = { mode: 'live', role: 'audience' };
    const first = await mount(emulator, live);
    const second = await mount(emulator, live);
    expect([first.el.state, second.el.state]).to.deep.equal(['joined', 'error']);
    expect(second.events.find((e) => e.type === 'error')!.detail).to.include({ code: 'join-failed', sdkCode: 5100 });
    expect(first.events.filter((e) => e.type === 'banned')).to.deep.equal([]);
    first.el.remove();
    second.el.remove();
  });

  it('rtc: the second element joins and the service bans the first with duplicate-user-id', async () => {
    const emulator = createTrtcEmulator();
    const first = await mount(emulator, {});
    const second = await mount(emulator, {});
    await settle(first.el);
    expect([first.el.state, second.el.state]).to.deep.equal(['banned', 'joined']);
    first.el.remove();
    second.el.remove();
  });
});
