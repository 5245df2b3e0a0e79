import './support/guard.js';
import { expect } from '@open-wc/testing';
import { EmulatedV5Trtc, V5JoinGuard } from '../src/emulator/page/v5-client.js';
import { FaultQueue, type RoomBackend } from '../src/emulator/page/backend.js';
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
  {
    rule: 'rtc, then live audience: not refused (an rtc join sets no entry)',
    first: rtc,
    second: audience,
    refused: false,
  },
  {
    rule: 'live audience in room 7, then in string room "7": not refused',
    first: { ...audience, roomId: 7 },
    second: { ...audience, strRoomId: '7' },
    refused: false,
  },
];

/** What a rejection looks like, in the parts the double copies. */
const shape = (error: any) => ({
  name: error.name,
  code: error.code,
  extraCode: error.extraCode,
  functionName: error.functionName,
  hasGetCode: typeof error.getCode === 'function',
  message: String(error.message).startsWith("'enterRoom' failed, reason: ")
    ? "'enterRoom' failed, reason: …"
    : error.message,
});

/**
 * Runs every scenario at once (each in rooms of its own); resolves with the second join's code in each,
 * and the shape of the first offline failure.
 */
async function secondJoinCodes(
  create: () => Instance,
): Promise<{ codes: number[]; offline: ReturnType<typeof shape> }> {
  let offline!: ReturnType<typeof shape>;
  const codes = await Promise.all(
    SCENARIOS.map(async ({ first, second }, index) => {
      const room = { roomId: 100 + index };
      const enter = (join: Join) => {
        const trtc = create();
        const params = {
          sdkAppId: 1400000001,
          userId: `guard${index}`,
          userSig: 'sig',
          ...room,
          ...join,
        } as TrtcV5EnterRoomParams;
        if (join.strRoomId !== undefined) delete params.roomId;
        return trtc
          .enterRoom(params)
          .then(
            () => ({ code: 0 }),
            (error: any) => error,
          )
          .finally(() => trtc.destroy());
      };
      const firstOutcome = enter(first);
      const secondCode = (await enter(second)).code;
      const firstError = await firstOutcome;
      expect(firstError.code, `scenario ${index}: the first join fails offline`).to.equal(5500);
      offline = shape(firstError);
      return secondCode;
    }),
  );
  return { codes, offline };
}

/** The offline failure both must show: OPERATION_FAILED, no extraCode, no getCode(). */
const OFFLINE = {
  name: 'OPERATION_FAILED',
  code: 5500,
  extraCode: undefined,
  functionName: 'enterRoom',
  hasGetCode: false,
  message: "'enterRoom' failed, reason: …",
};

describe("trtc-sdk-v5's page-wide join guard: the double against the real SDK", () => {
  const expected = SCENARIOS.map((scenario) => (scenario.refused ? 5100 : 5500));

  it(`the real SDK refuses exactly these second joins: ${SCENARIOS.map((s) => s.rule).join('; ')}; offline, a join fails with OPERATION_FAILED (5500), no extraCode`, async function () {
    this.timeout(60000);
    const TRTC = (await import('trtc-sdk-v5/trtc.esm.js')).default as unknown as {
      create(): Instance;
      setLogLevel?(level: number): void;
    };
    TRTC.setLogLevel?.(5);
    expect(await secondJoinCodes(() => TRTC.create())).to.deep.equal({ codes: expected, offline: OFFLINE });
  });

  it('the double refuses the same ones, and fails an unreachable join the same way', async () => {
    // Offline, as the real SDK is here: every join waits, then fails as SCHEDULE_FAILED (0x404c).
    let goOffline!: () => void;
    const offline = new Promise<void>((resolve) => (goOffline = resolve));
    const backend: RoomBackend = {
      join: () =>
        offline.then(() => Promise.reject(Object.assign(new Error('schedule failed'), { getCode: () => 0x404c }))),
    };
    const guard = new V5JoinGuard();
    const codes = secondJoinCodes(() => new EmulatedV5Trtc(backend, new FaultQueue(), guard));
    setTimeout(goOffline);
    expect(await codes).to.deep.equal({ codes: expected, offline: OFFLINE });
  });
});
