import './support/guard.js';
import { expect } from '@open-wc/testing';
import { EmulatedV5Trtc, FaultQueue, V5JoinGuard, type RoomBackend } from '../src/testing/index.js';
import type { TrtcV5EnterRoomParams } from '../src/sdk/v5.js';

// trtc-sdk-v5's page-wide join guard, run against the real SDK and against the double: two TRTC instances
// of one page enter with the same SDKAppID, room and userId. The guard decides before anything goes on the
// network, so the real SDK can be asked offline: the first join stays pending (its schedule request
// fails only later), and the second either is refused at once by the guard (INVALID_OPERATION, 5100) or
// goes on to fail as the first does, offline (OPERATION_FAILED, 5500).

type Join = Pick<TrtcV5EnterRoomParams, 'scene' | 'role' | 'roomId' | 'strRoomId'>;
interface Instance {
  enterRoom(params: TrtcV5EnterRoomParams): Promise<void>;
  destroy(): void;
}

const rtc: Join = { scene: 'rtc' };
const anchor: Join = { scene: 'live', role: 'anchor' };
const audience: Join = { scene: 'live', role: 'audience' };

const SCENARIOS: Array<{ rule: string; first: Join; second: Join; refused: boolean }> = [
  { rule: 'rtc, then rtc: not refused (the server kicks the first)', first: rtc, second: rtc, refused: false },
  { rule: 'live audience, then live audience: refused', first: audience, second: audience, refused: true },
  { rule: 'live anchor, then live audience: refused', first: anchor, second: audience, refused: true },
  { rule: 'live audience, then live anchor: not refused', first: audience, second: anchor, refused: false },
  { rule: 'rtc, then live audience: not refused (an rtc join sets no entry)', first: rtc, second: audience, refused: false },
  { rule: 'live audience in room 7, then in string room "7": not refused', first: { ...audience, roomId: 7 }, second: { ...audience, strRoomId: '7' }, refused: false },
];

/** Runs every scenario at once (each in rooms of its own); resolves with the second join's code in each. */
async function secondJoinCodes(create: () => Instance): Promise<number[]> {
  return Promise.all(
    SCENARIOS.map(async ({ first, second }, index) => {
      const room = { roomId: 100 + index };
      const enter = (join: Join) => {
        const trtc = create();
        const params = { sdkAppId: 1400000001, userId: `guard${index}`, userSig: 'sig', ...room, ...join } as TrtcV5EnterRoomParams;
        if (join.strRoomId !== undefined) delete params.roomId;
        return trtc.enterRoom(params).then(
          () => 0,
          (error: { code: number }) => error.code,
        ).finally(() => trtc.destroy());
      };
      const firstOutcome = enter(first);
      const secondCode = await enter(second);
      expect(await firstOutcome, `scenario ${index}: the first join fails offline`).to.equal(5500);
      return secondCode;
    }),
  );
}

describe('trtc-sdk-v5\'s page-wide join guard: the double against the real SDK', () => {
  const expected = SCENARIOS.map((scenario) => (scenario.refused ? 5100 : 5500));

  it(`the real SDK refuses exactly these second joins: ${SCENARIOS.map((s) => s.rule).join('; ')}`, async function () {
    this.timeout(60000);
    const TRTC = (await import('trtc-sdk-v5/trtc.esm.js')).default as unknown as { create(): Instance; setLogLevel?(level: number): void };
    TRTC.setLogLevel?.(5);
    expect(await secondJoinCodes(() => TRTC.create())).to.deep.equal(expected);
  });

  it('the double refuses the same ones', async () => {
    // Offline, as the real SDK is here: every join waits, then fails as SCHEDULE_FAILED (0x404c).
    let goOffline!: () => void;
    const offline = new Promise<void>((resolve) => (goOffline = resolve));
    const backend: RoomBackend = {
      join: () => offline.then(() => Promise.reject(Object.assign(new Error('schedule failed'), { getCode: () => 0x404c }))),
    };
    const guard = new V5JoinGuard();
    const codes = secondJoinCodes(() => new EmulatedV5Trtc(backend, new FaultQueue(), guard));
    setTimeout(goOffline);
    expect(await codes).to.deep.equal(expected);
  });
});
