// The unmodified TRTC SDKs (trtc-js-sdk 4.15.22 and trtc-sdk-v5 5.17.1, as installed) against the networked
// emulator: <trtc-room> in Chromium pages with only `el.proxy` set from GET /proxy joins, sees peers, and gets
// each forced exit from the SDK's own `client-banned` / `KICKED_OUT`; Tencent's Node SDK drives the admin
// actions; a real-SDK page and a page on the emulated SDK share rooms and kick each other. Nothing leaves
// the machine (other host names do not resolve, other requests are aborted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { reportsOf, startRealSdkRig, waitForReport } from './support/real-sdk-page.mjs';

const SDK_APP_ID = 1400000001;

for (const sdk of ['v4', 'v5']) {
  const name = sdk === 'v4' ? 'trtc-js-sdk 4.15.22' : 'trtc-sdk-v5 5.17.1';
  test(`${name} against the emulator, through <trtc-room>'s proxy property alone`, async (t) => {
    const rig = await startRealSdkRig(t);
    const admin = new CommonClient('trtc.tencentcloudapi.com', '2019-07-22', {
      credential: rig.server.credentials,
      region: 'ap-guangzhou',
      profile: { httpProfile: { endpoint: rig.server.apiEndpoint, protocol: 'http://' } },
    });
    let nextRoom = 100;
    // Three tabs for the whole run, each holding the elements of the subtests (a fresh room each time).
    const tabs = [];
    for (let i = 0; i < 3; i++) tabs.push(await rig.open(`tab ${i}`));
    /** A <trtc-room> on `on` ('v4', 'v5' or the emulated 'double') in tab `tab`, resolved once joined: { page, el }. */
    async function enter(tab, userId, room, on = sdk) {
      const page = tabs[tab];
      const el = await page.evaluate((options) => window.enterRoom(options), { sdk: on, userId, ...room });
      await waitForReport(page, { el, type: 'joined' });
      return { page, el };
    }
    const reports = ({ page, el }) => reportsOf(page, el);
    const waitFor = ({ page, el }, match) => waitForReport(page, { el, ...match });
    const remove = (...entered) =>
      Promise.all(entered.map(({ page, el }) => page.evaluate((el) => window.removeElement(el), el)));
    const without = (list, ...types) => list.filter((r) => !types.includes(r.type));
    const bannedAs = async (entered, reason) => {
      await waitFor(entered, { type: 'banned' });
      const banned = (await reports(entered)).filter((r) => r.type === 'banned');
      assert.equal(banned.length, 1);
      assert.equal(banned[0].reason, reason);
      return banned[0];
    };
    const stateOf = ({ page, el }) => page.$eval(`trtc-room[data-number="${el}"]`, (element) => element.state);
    const membersOf = (roomId) => rig.server.rooms().find((room) => room.roomId === roomId)?.members ?? [];

    await t.test("GET /proxy names this SDK's signalling path", async () => {
      const proxy = await (await fetch(`${rig.server.url}/proxy`)).json();
      assert.deepEqual(proxy, rig.server.proxy);
      assert.equal(proxy[sdk].websocketProxy, `${rig.server.url.replace('http', 'ws')}/signal/${sdk}`);
    });

    await t.test('joins, and sees the peers present at its join and those who come and go later', async () => {
      const roomId = nextRoom++;
      const bob = await enter(0, 'bob', { roomId });
      const alice = await enter(1, 'alice', { roomId });
      await waitFor(alice, { type: 'peer-join', userId: 'bob' });
      await waitFor(bob, { type: 'peer-join', userId: 'alice' });
      const carol = await enter(2, 'carol', { roomId });
      await waitFor(alice, { type: 'peer-join', userId: 'carol' });
      await remove(carol);
      await waitFor(carol, { type: 'left' });
      await waitFor(alice, { type: 'peer-leave', userId: 'carol' });
      assert.deepEqual(await reports(alice), [
        { type: 'joined' },
        { type: 'peer-join', userId: 'bob' },
        { type: 'peer-join', userId: 'carol' },
        { type: 'peer-leave', userId: 'carol' },
      ]);
      assert.deepEqual(membersOf(roomId), ['bob', 'alice']);
      await remove(alice, bob);
    });

    await t.test(
      'the same userId joining from another page bans the first with duplicate-user-id (SDK reason "kick"); the second stays',
      async () => {
        const roomId = nextRoom++;
        const first = await enter(0, 'alice', { roomId });
        const second = await enter(1, 'alice', { roomId });
        const banned = await bannedAs(first, 'duplicate-user-id');
        assert.equal(banned.sdkReason, 'kick');
        if (sdk === 'v4')
          assert.match(banned.message, /^client was banned because of duplicated userId joining the room\./);
        assert.deepEqual(without(await reports(second), 'peer-join', 'peer-leave'), [{ type: 'joined' }]);
        assert.equal(await stateOf(second), 'joined');
        assert.deepEqual(membersOf(roomId), ['alice']);
        await remove(first, second);
      },
    );

    for (const [action, room] of [
      ['RemoveUser', () => ({ roomId: nextRoom++ })],
      ['RemoveUserByStrRoomId', () => ({ strRoomId: `room-${nextRoom++}` })],
    ]) {
      await t.test(
        `${action} through Tencent's Node SDK bans the user with removed-by-admin; the peer sees it leave`,
        async () => {
          const where = room();
          const alice = await enter(0, 'alice', where);
          const bob = await enter(1, 'bob', where);
          await admin.request(action, {
            SdkAppId: SDK_APP_ID,
            RoomId: where.roomId ?? where.strRoomId,
            UserIds: ['bob'],
          });
          const banned = await bannedAs(bob, 'removed-by-admin');
          assert.equal(banned.sdkReason, 'banned');
          await waitFor(alice, { type: 'peer-leave', userId: 'bob' });
          assert.equal(await stateOf(alice), 'joined');
          await remove(alice, bob);
        },
      );
    }

    for (const [action, room] of [
      ['DismissRoom', () => ({ roomId: nextRoom++ })],
      ['DismissRoomByStrRoomId', () => ({ strRoomId: `room-${nextRoom++}` })],
    ]) {
      await t.test(`${action} through Tencent's Node SDK bans everyone in the room with room-dismissed`, async () => {
        const where = room();
        const entered = [await enter(0, 'alice', where), await enter(1, 'bob', where)];
        await admin.request(action, { SdkAppId: SDK_APP_ID, RoomId: where.roomId ?? where.strRoomId });
        for (const one of entered) {
          const banned = await bannedAs(one, 'room-dismissed');
          // v4 rewrites the server's room_disband to room-disband; v5 passes it on as sent.
          assert.equal(banned.sdkReason, sdk === 'v4' ? 'room-disband' : 'room_disband');
        }
        assert.deepEqual(membersOf(where.roomId ?? where.strRoomId), []);
        await remove(...entered);
      });
    }

    await t.test(
      'a real-SDK page and an emulated-SDK page (/trtc) share the room: each kicks the other with the same userId',
      async () => {
        const roomId = nextRoom++;
        const onDouble = await enter(0, 'alice', { roomId }, 'double');
        const onReal = await enter(1, 'alice', { roomId });
        await bannedAs(onDouble, 'duplicate-user-id');
        const onDoubleAgain = await enter(2, 'alice', { roomId }, 'double');
        const banned = await bannedAs(onReal, 'duplicate-user-id');
        assert.equal(banned.sdkReason, 'kick');
        const peer = await enter(0, 'bob', { roomId }, 'double');
        await waitFor(peer, { type: 'peer-join', userId: 'alice' });
        assert.deepEqual(membersOf(roomId), ['alice', 'bob']);
        await remove(onDouble, onReal, onDoubleAgain, peer);
      },
    );

    assert.deepEqual(rig.problems, [], 'no uncaught error in any page');
    assert.deepEqual(rig.aborted, [], 'no request to another host');
  });
}

/**
 * A <trtc-room camera microphone> on the real `sdk` in room `roomId` of `page`, whose publish the emulator
 * refuses: resolves with its first `error` (the cause as { name, code, sameMessage: the element's message ends
 * with the cause's }) and its state a moment later.
 */
async function refusedThroughElement(page, sdk, roomId) {
  const number = await page.evaluate(({ sdk, roomId }) => window.enterRoom({ sdk, userId: `el-${sdk}`, roomId }), {
    sdk,
    roomId,
  });
  await waitForReport(page, { el: number, type: 'joined' });
  return page.evaluate(
    (number) =>
      new Promise((resolve, reject) => {
        const el = document.querySelector(`trtc-room[data-number="${number}"]`);
        setTimeout(() => reject(new Error('no error event within 25 s')), 25_000);
        el.addEventListener('error', ({ detail }) => {
          const { cause } = detail;
          const code = typeof cause?.getCode === 'function' ? cause.getCode() : cause?.code;
          const causeMessage = String(cause?.message ?? '');
          // A moment for anything that would still take the element out of the room.
          setTimeout(() => {
            resolve({
              code: detail.code,
              field: detail.field,
              message: detail.message,
              cause: {
                name: cause?.name,
                code,
                sameMessage: causeMessage.length > 0 && detail.message.includes(causeMessage.trim().split('\n')[0]),
              },
              state: el.state,
            });
            el.remove();
          }, 500);
        });
        Object.assign(el, { camera: true, microphone: true });
      }),
    number,
  );
}

test("publishing the emulator refuses reaches each SDK in its own shape: v4 publish() rejects with UNKNOWN 0xFFFF and the emulator's sentence (its media server full); v5, with no single peer connection for it, reports publish-state-changed stopped with the error; through <trtc-room> on either, error media-failed with the SDK's error as cause, and the element stays joined", async (t) => {
  const rig = await startRealSdkRig(t);
  const page = await rig.open('publisher');
  // The media server's cap, taken by members of another room: the v4 publish is refused with the cap's sentence.
  const fillers = Array.from({ length: rig.server.media.maxMembers }, (_, i) => `filler${i}`);
  for (const userId of fillers) rig.server.media.member('elsewhere', userId);
  const v4 = await page.evaluate(async () => {
    const client = TRTCv4.createClient({ mode: 'rtc', sdkAppId: 1400000001, userId: 'pub4', userSig: 'sig' });
    client.setProxyServer((await (await fetch('/proxy')).json()).v4);
    await client.join({ roomId: 77 });
    const stream = TRTCv4.createStream({ userId: 'pub4', audio: true, video: false });
    await stream.initialize();
    try {
      await client.publish(stream);
      return 'published';
    } catch (error) {
      return { code: error.getCode(), message: error.message };
    } finally {
      stream.close();
      await client.leave();
    }
  });
  assert.equal(v4.code, 0xffff);
  assert.match(v4.message, /The emulator's media server serves at most 8 members at once/);
  // Through the element: the same refusal is `error` media-failed, its cause the SDK's RtcError; it stays joined.
  const v4Element = await refusedThroughElement(page, 'v4', 76);
  assert.equal(v4Element.code, 'media-failed');
  assert.match(v4Element.message, /^Publishing failed: .*The emulator's media server serves at most 8 members at once/);
  assert.deepEqual(v4Element.cause, { name: 'RtcError', code: 0xffff, sameMessage: true });
  assert.equal(v4Element.state, 'joined');
  for (const userId of fillers) rig.server.media.end('elsewhere', userId, 'test over');

  // With no room on the media server, a trtc-sdk-v5 member gets no single peer connection at its join: the SDK
  // moves to separate peer connections, whose publish the emulator refuses.
  const full = await startRealSdkRig(t, { serverOptions: { maxMediaMembers: 1 } });
  const v5Page = await full.open('publisher');
  await v5Page.evaluate(async () => {
    // The one single peer connection the server allows goes to the first member.
    window.holder = TRTCv5.create();
    window.holdSlot = async () =>
      window.holder.enterRoom({
        sdkAppId: 1400000001,
        userId: 'holder5',
        userSig: 'sig',
        roomId: 79,
        proxy: (await (await fetch('/proxy')).json()).v5,
      });
    await window.holdSlot();
    window.trtc = TRTCv5.create();
    await window.trtc.enterRoom({
      sdkAppId: 1400000001,
      userId: 'pub5',
      userSig: 'sig',
      roomId: 78,
      proxy: (await (await fetch('/proxy')).json()).v5,
    });
  });
  // Published once the SDK has moved to separate peer connections (right after its join), the attempt is refused.
  for (let i = 0; i < 200 && !full.lines.some((line) => line.startsWith('pub5 (trtc-sdk-v5 5.17.1) reconnected')); i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const v5 = await v5Page.evaluate(async () => {
    const { trtc } = window;
    const states = [];
    const stopped = new Promise((resolve) => {
      trtc.on(TRTCv5.EVENT.PUBLISH_STATE_CHANGED, (event) => {
        states.push(`${event.state}:${event.reason ?? ''}`);
        if (event.state === 'stopped') resolve({ reason: event.reason, message: event.error?.message, states });
      });
    });
    await trtc.startLocalAudio();
    const result = await Promise.race([
      stopped,
      new Promise((resolve) => setTimeout(() => resolve({ states }), 20_000)),
    ]);
    await trtc.exitRoom();
    await window.holder.exitRoom();
    return result;
  });
  assert.equal(v5.reason, 'error');
  assert.match(v5.message, /The trtc-room emulator does not serve \\?"publish\\?"/);
  // Through the element, the slot held again: `error` media-failed for a device, its cause the SDK's error.
  await v5Page.evaluate(() => window.holdSlot());
  const v5Element = await refusedThroughElement(v5Page, 'v5', 80);
  assert.equal(v5Element.code, 'media-failed', JSON.stringify(v5Element));
  // Both devices' publishes are refused; whichever the SDK reports first is the element's first error.
  assert.ok(['camera', 'microphone'].includes(v5Element.field), JSON.stringify(v5Element));
  assert.match(v5Element.message, /^Publishing failed: .*The trtc-room emulator does not serve \\?"publish\\?"/);
  assert.deepEqual(
    v5Element.cause,
    { name: 'UNKNOWN_ERROR', code: 5999, sameMessage: true },
    JSON.stringify(v5Element),
  );
  assert.equal(v5Element.state, 'joined');
  await v5Page.evaluate(() => window.holder.exitRoom());
  assert.deepEqual(rig.problems, []);
  assert.deepEqual(rig.aborted, []);
  assert.deepEqual(full.problems, []);
  assert.deepEqual(full.aborted, []);
});
