import { expect } from '@open-wc/testing';
import { createTrtcEmulator, generateTestUserSig, type EmulatedSdks, type TrtcEmulator } from '../src/testing/index.js';
import type { TrtcRoom } from '../src/index.js';
import { record, settle, types, type Recorded } from './support/room.js';

/** Which of the emulator's SDK shapes the elements use: the same room flows run against both generations. */
let generation: 'v4' | 'v5' = 'v4';

/** Mounts an element on the emulator (or on another page's SDKs of it), the way an app developer would in a test. */
async function enter(emulator: TrtcEmulator | EmulatedSdks, attributes: Record<string, string>) {
  const el = document.createElement('trtc-room') as TrtcRoom;
  el.sdk = generation === 'v4' ? emulator.sdk : emulator.sdkV5;
  for (const [name, value] of Object.entries({ 'sdk-app-id': '1400000001', 'user-sig': 'sig', ...attributes }))
    el.setAttribute(name, value);
  const events = record(el);
  document.body.append(el);
  await settle(el);
  return { el, events };
}

const bans = (events: Recorded[]) => events.filter((e) => e.type === 'banned').map((e) => e.detail.reason);
const members = (emulator: TrtcEmulator) => emulator.admin.rooms.map((room) => [room.roomId, [...room.members]]);

for (const sdkGeneration of ['v4', 'v5'] as const)
  describe(`<trtc-room> on the in-memory emulator, ${sdkGeneration}-shaped SDK`, () => {
    beforeEach(() => {
      generation = sdkGeneration;
    });

    it('the same userId joining from another page bans the first with duplicate-user-id; the second stays and the first never comes back', async () => {
      const emulator = createTrtcEmulator();
      const first = await enter(emulator, { 'room-id': '1', 'user-id': 'alice' });
      expect(first.el.state).to.equal('joined');
      const second = await enter(emulator.newPage(), { 'room-id': '1', 'user-id': 'alice' });
      await settle(first.el);
      expect(first.el.state).to.equal('banned');
      expect(bans(first.events)).to.deep.equal(['duplicate-user-id']);
      expect(second.el.state).to.equal('joined');
      for (let i = 0; i < 5; i++) await settle(first.el);
      expect(first.el.state).to.equal('banned');
      expect(second.el.state).to.equal('joined');
      expect(types(second.events).filter((t) => t !== 'connection-state-change')).to.deep.equal(['joined']);
      expect(members(emulator)).to.deep.equal([[1, ['alice']]]);
      expect(emulator.liveClients).to.have.length(0);
    });

    if (sdkGeneration === 'v4') {
      it('a second element in the same page with the same userId and room is refused (join-failed, 4097, saying why); the first stays in', async () => {
        const emulator = createTrtcEmulator();
        const first = await enter(emulator, { 'room-id': '1', 'user-id': 'alice' });
        const second = await enter(emulator, { 'room-id': '1', 'user-id': 'alice' });
        await settle(first.el);
        expect([first.el.state, second.el.state]).to.deep.equal(['joined', 'error']);
        const error = second.events.find((e) => e.type === 'error')!.detail;
        expect(error).to.include({ code: 'join-failed', sdkCode: 0x1001 });
        expect(error.message).to.contain('another client in this page is already in room 1 as user "alice"');
        expect(types(first.events).filter((t) => t !== 'connection-state-change')).to.deep.equal(['joined']);
        expect(members(emulator)).to.deep.equal([[1, ['alice']]]);
        // Once the first has left, the second may join.
        first.el.remove();
        await settle(first.el);
        await second.el.join();
        expect(second.el.state).to.equal('joined');
      });
    } else {
      it('a second element in the same page with the same userId bans the first (trtc-sdk-v5 in rtc mode has no page-wide guard)', async () => {
        const emulator = createTrtcEmulator();
        const first = await enter(emulator, { 'room-id': '1', 'user-id': 'alice' });
        const second = await enter(emulator, { 'room-id': '1', 'user-id': 'alice' });
        await settle(first.el);
        expect([first.el.state, second.el.state]).to.deep.equal(['banned', 'joined']);
        expect(bans(first.events)).to.deep.equal(['duplicate-user-id']);
      });
    }

    it('removeUsers (RemoveUser) bans that user with removed-by-admin, and the other member sees the peer leave', async () => {
      const emulator = createTrtcEmulator();
      const alice = await enter(emulator, { 'room-id': '7', 'user-id': 'alice' });
      const bob = await enter(emulator, { 'room-id': '7', 'user-id': 'bob' });
      await settle(alice.el);
      expect(alice.events.filter((e) => e.type === 'peer-join').map((e) => e.detail.userId)).to.deep.equal(['bob']);
      expect(bob.events.filter((e) => e.type === 'peer-join').map((e) => e.detail.userId)).to.deep.equal(['alice']);
      await emulator.admin.removeUsers({ sdkAppId: 1400000001, roomId: 7, userIds: ['bob'] });
      await settle(bob.el);
      expect(bob.el.state).to.equal('banned');
      expect(bans(bob.events)).to.deep.equal(['removed-by-admin']);
      expect(alice.events.filter((e) => e.type === 'peer-leave').map((e) => e.detail.userId)).to.deep.equal(['bob']);
      expect(alice.el.state).to.equal('joined');
      expect(members(emulator)).to.deep.equal([[7, ['alice']]]);
    });

    it('dismissRoom (DismissRoomByStrRoomId) bans everyone in a string room with room-dismissed, and no one else', async () => {
      const emulator = createTrtcEmulator();
      const a = await enter(emulator, { 'str-room-id': 'standup', 'user-id': 'a' });
      const b = await enter(emulator, { 'str-room-id': 'standup', 'user-id': 'b' });
      const other = await enter(emulator, { 'room-id': '99', 'user-id': 'a' });
      await emulator.admin.dismissRoom({ sdkAppId: 1400000001, strRoomId: 'standup' });
      await settle(a.el);
      expect(bans(a.events)).to.deep.equal(['room-dismissed']);
      expect(bans(b.events)).to.deep.equal(['room-dismissed']);
      expect([a.el.state, b.el.state, other.el.state]).to.deep.equal(['banned', 'banned', 'joined']);
      expect(members(emulator)).to.deep.equal([[99, ['a']]]);
    });

    it('keeps numeric room 123 and string room "123" apart', async () => {
      const emulator = createTrtcEmulator();
      const numeric = await enter(emulator, { 'room-id': '123', 'user-id': 'alice' });
      const string = await enter(emulator, { 'str-room-id': '123', 'user-id': 'alice' });
      await settle(numeric.el);
      expect([numeric.el.state, string.el.state]).to.deep.equal(['joined', 'joined']);
      expect(members(emulator)).to.deep.equal([
        [123, ['alice']],
        ['123', ['alice']],
      ]);
    });

    it('a banned element joins again on join(), and then the other same-userId element is the one banned', async () => {
      const emulator = createTrtcEmulator();
      const first = await enter(emulator, { 'room-id': '1', 'user-id': 'alice' });
      const elsewhere = emulator.newPage();
      const second = await enter(elsewhere, { 'room-id': '1', 'user-id': 'alice' });
      await settle(first.el);
      await first.el.join();
      await settle(second.el);
      expect(first.el.state).to.equal('joined');
      expect(second.el.state).to.equal('banned');
      expect(emulator.liveClients).to.have.length(1);
      expect(elsewhere.liveClients).to.have.length(0);
    });

    it('removing every element leaves no member and no live client', async () => {
      const emulator = createTrtcEmulator();
      const els = [];
      for (const userId of ['a', 'b', 'c']) els.push((await enter(emulator, { 'room-id': '5', 'user-id': userId })).el);
      for (const el of els) el.remove();
      await settle(els[2]);
      expect(emulator.admin.rooms).to.deep.equal([]);
      expect(emulator.liveClients).to.deep.equal([]);
    });

    it('refuses a join whose userSig is not valid for the app when given the secret key: join-failed (0x4004 in v4)', async () => {
      const secretKey = 'emulator-app-secret';
      const emulator = createTrtcEmulator({ secretKey });
      const forged = await enter(emulator, { 'room-id': '1', 'user-id': 'alice', 'user-sig': 'forged' });
      await settle(forged.el);
      expect(forged.el.state).to.equal('error');
      const error = forged.events.find((e) => e.type === 'error')!.detail;
      // v4 reports JOIN_ROOM_FAILED; v5 reports SERVER_ERROR (its extraCode is the service's -100018).
      expect(error).to.include({ code: 'join-failed', sdkCode: generation === 'v4' ? 0x4004 : 5400 });
      const otherUser = await generateTestUserSig({ secretKey, sdkAppId: 1400000001, userId: 'bob' });
      const mismatched = await enter(emulator, { 'room-id': '1', 'user-id': 'alice', 'user-sig': otherUser });
      await settle(mismatched.el);
      expect(mismatched.events.find((e) => e.type === 'error')!.detail.message).to.contain('another userId');
      const good = await generateTestUserSig({ secretKey, sdkAppId: 1400000001, userId: 'alice' });
      const valid = await enter(emulator, { 'room-id': '1', 'user-id': 'alice', 'user-sig': good });
      await settle(valid.el);
      expect(valid.el.state).to.equal('joined');
    });
  });
