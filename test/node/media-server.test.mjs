// The emulator's media server core (src/emulator/node/media/): plain WebRTC pages in Chromium negotiate with it
// as the TRTC SDKs do (an offer without candidates, max-bundle, no trickle), one publishes the fake camera and
// microphone, another receives them through the server: frames advance, audio is live, only 127.0.0.1 is
// offered, and ending the publisher's media ends the forwarding and closes the transports. Also trtc-sdk-v5's
// downlink numbering (media/downlink-numbering.ts), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { FAKE_DEVICES, launchChromium } from '../../scripts/chromium.mjs';
import { loadTs } from '../../scripts/load-ts.mjs';

const { createMediaServer, MediaRefusal } = await loadTs('src/emulator/node/media/media-server.ts');

const pageHelpers = `
window.offerOf = async (pc) => {
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  return pc.localDescription.sdp;
};
window.publish = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
  pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream] });
  window.pc = pc;
  return offerOf(pc);
};
window.subscribe = async () => {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  pc.addTransceiver('audio', { direction: 'recvonly' });
  pc.addTransceiver('video', { direction: 'recvonly' });
  window.tracks = [];
  pc.ontrack = (event) => window.tracks.push({ track: event.track, stream: event.streams[0]?.id });
  window.pc = pc;
  return offerOf(pc);
};
window.accept = (sdp) => window.pc.setRemoteDescription({ type: 'answer', sdp });
window.frames = () => new Promise((resolve, reject) => {
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = new MediaStream([window.tracks.find((t) => t.track.kind === 'video').track]);
  document.body.append(video);
  video.play().catch(reject);
  video.requestVideoFrameCallback(() => video.requestVideoFrameCallback((now, meta) => resolve({ width: video.videoWidth, frames: meta.presentedFrames })));
});
`;

test('the media server forwards a publisher page to a subscriber page, loopback only, and ends cleanly', async (t) => {
  const http = createServer((request, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><body></body>'),
  );
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => http.close());
  const browser = await launchChromium(FAKE_DEVICES);
  t.after(() => browser.close());
  const lines = [];
  const media = createMediaServer({ maxMembers: 2, log: (line) => lines.push(line) });
  t.after(() => media.close());
  const open = async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${http.address().port}/`);
    await page.addScriptTag({ content: pageHelpers });
    return page;
  };
  const [publisherPage, subscriberPage] = await Promise.all([open(), open()]);

  const alice = media.member('room', 'alice');
  const uplink = alice.transport('uplink');
  const answer = await uplink.answer(await publisherPage.evaluate(() => window.publish()));
  const candidates = answer.split('\r\n').filter((line) => line.startsWith('a=candidate'));
  assert.ok(candidates.length > 0, 'the answer carries the server candidate');
  for (const line of candidates) assert.match(line, / 127\.0\.0\.1 \d+ typ host/, line);
  assert.match(answer, /a=ice-lite/);
  const [audioIn, videoIn] = uplink.pc.getTransceivers();
  alice.setSource('audio', audioIn.receiver.track, audioIn.receiver);
  alice.setSource('video', videoIn.receiver.track, videoIn.receiver);
  alice.publish({ audio: true, video: true, audioMuted: false, videoMuted: false });
  await publisherPage.evaluate((sdp) => window.accept(sdp), answer);

  const bob = media.member('room', 'bob');
  assert.throws(() => media.member('room', 'carol'), MediaRefusal, 'a third member is refused past maxMembers 2');
  const downlink = bob.transport('from-alice', { from: 'alice' });
  const offer = await subscriberPage.evaluate(() => window.subscribe());
  const audioOut = downlink.addSender('audio', { ssrc: 0x11000001, streamId: 'main' });
  const videoOut = downlink.addSender('video', { ssrc: 0x11020001, streamId: 'main' });
  const subscriberAnswer = await downlink.answer(offer);
  assert.match(subscriberAnswer, /a=ssrc:285343745 /, 'the answer names the SSRC chosen for the video');
  bob.forward('alice', 'audio', audioOut.sender, downlink);
  bob.forward('alice', 'video', videoOut.sender, downlink);
  await subscriberPage.evaluate((sdp) => window.accept(sdp), subscriberAnswer);

  const seen = await Promise.race([
    subscriberPage.evaluate(() => window.frames()),
    new Promise((_, reject) => setTimeout(() => reject(new Error('no frames in 20 s')), 20_000)),
  ]);
  assert.equal(seen.width, 640);
  assert.ok(seen.frames >= 2, `frames advance (${seen.frames})`);
  // werift routes the subscriber's RTCP by the SSRC it is about: its reports on the video reach the sender of that
  // SSRC (not of the one werift drew), as its keyframe requests (PLI) and NACKs must.
  const reported = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    const { unSubscribe } = videoOut.sender.onRtcp.subscribe((packet) => {
      if (!packet.reports?.some((report) => report.ssrc === 0x11020001)) return;
      clearTimeout(timer);
      unSubscribe();
      resolve(true);
    });
  });
  assert.ok(reported, "the subscriber's receiver report on the video reaches the video's sender");
  const streams = await subscriberPage.evaluate(() =>
    window.tracks.map((t) => `${t.track.kind}:${t.stream}:${t.track.readyState}`),
  );
  assert.deepEqual(streams.sort(), ['audio:main:live', 'video:main:live']);
  assert.deepEqual(media.stats(), { members: 2, transports: 2, forwards: 2 });
  assert.deepEqual(media.publications('room'), [
    { userId: 'alice', publication: { audio: true, video: true, audioMuted: false, videoMuted: false } },
  ]);

  const heard = [];
  media.onPublications('room', (users) => heard.push(users));
  media.end('room', 'alice', 'left');
  assert.deepEqual(heard, [[]], 'the room hears that nobody publishes any more');
  assert.ok(uplink.closed && downlink.closed, "the publisher's transports and the downlinks tied to it close");
  media.end('room', 'bob', 'left');
  assert.deepEqual(media.stats(), { members: 0, transports: 0, forwards: 0 });
});

test("trtc-sdk-v5's downlinks: a publisher stream replaced under a subscription (a rejoin: new SSRCs, sequence numbers and timestamps anywhere) continues the subscriber's numbering, and its NACKs and retransmissions follow", async () => {
  const { DownlinkNumbering } = await loadTs('src/emulator/node/media/downlink-numbering.ts');
  let now = 0;
  const numbering = new DownlinkNumbering(() => now);
  const [DOWN, DOWN_RTX, FIRST, FIRST_RTX, NEXT, NEXT_RTX] = [7, 8, 111, 222, 333, 444];
  // The first stream passes as it comes.
  for (const [seq, ts] of [
    [65534, 1000],
    [65535, 4000],
    [0, 7000],
  ])
    assert.deepEqual(numbering.media(DOWN, FIRST, seq, ts, 90000), {
      sequenceNumber: seq,
      timestamp: ts,
      changed: false,
    });
  assert.deepEqual(numbering.toSource(DOWN, FIRST, [65535]), [65535]);
  assert.deepEqual(numbering.rtx(DOWN_RTX, FIRST_RTX, 5, 4000, DOWN, FIRST, 65535), {
    sequenceNumber: 5,
    timestamp: 4000,
    originalSeq: 65535,
  });
  // A second later the publisher sends from a new encoder, its numbers behind the first stream's.
  now += 1000;
  assert.deepEqual(numbering.media(DOWN, NEXT, 30000, 5, 90000), {
    sequenceNumber: 1,
    timestamp: 97000,
    changed: true,
  });
  assert.deepEqual(numbering.media(DOWN, NEXT, 30001, 3005, 90000), {
    sequenceNumber: 2,
    timestamp: 100000,
    changed: false,
  });
  assert.deepEqual(numbering.toSource(DOWN, NEXT, [1, 2]), [30000, 30001]);
  assert.deepEqual(numbering.toSource(DOWN, FIRST, [2]), [], 'a NACK of the replaced stream asks nobody');
  assert.equal(numbering.rtx(DOWN_RTX, FIRST_RTX, 6, 7000, DOWN, FIRST, 0), null, 'no repair of the replaced stream');
  assert.deepEqual(numbering.rtx(DOWN_RTX, NEXT_RTX, 900, 3005, DOWN, NEXT, 30001), {
    sequenceNumber: 6,
    timestamp: 100000,
    originalSeq: 2,
  });
});
