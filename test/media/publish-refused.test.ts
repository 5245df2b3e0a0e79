// A publish the SDK refuses is `media-failed` on both generations, through each SDK's own failure path:
// trtc-js-sdk's `client.publish()` rejects; trtc-sdk-v5's startLocalVideo() resolves with the preview and the
// publish ends in PUBLISH_STATE_CHANGED { state: 'stopped', reason: 'error', error } (trtc.esm.js LocalTrack
// publish's fail()). The doubles refuse the next publish with `emulator.faults.nextPublish()`.
import { expect, waitUntil } from '@open-wc/testing';
import '../support/guard.js';
import '../../src/index.js';
import type { ErrorDetail, TrtcRoom } from '../../src/index.js';
import { createTrtcEmulator } from '../../src/testing/index.js';

const TIMEOUT = { timeout: 8000 };

afterEach(() => {
  for (const el of document.querySelectorAll('trtc-room')) el.remove();
});

for (const generation of ['v4', 'v5'] as const) {
  it(`${generation}: a refused publish of the camera is an error media-failed naming the SDK's error, and the element stays joined`, async () => {
    const emulator = createTrtcEmulator();
    emulator.faults.nextPublish();
    const el = document.createElement('trtc-room');
    el.sdk = (generation === 'v4' ? emulator.sdk : emulator.sdkV5) as TrtcRoom['sdk'];
    Object.assign(el, { sdkAppId: 1400000001, roomId: 42, userId: 'alice', userSig: 'sig', camera: true });
    const errors: ErrorDetail[] = [];
    el.addEventListener('error', (event) => errors.push((event as CustomEvent<ErrorDetail>).detail));
    document.body.append(el);
    await waitUntil(() => errors.length > 0, 'an error event', TIMEOUT);
    expect(errors.map(({ code }) => code)).to.deep.equal(['media-failed']);
    expect(errors[0]!.message).to.match(/^Publishing failed: .*Injected publish failure/);
    // v4's rejection carries the SDK's UNKNOWN; v5's event carries RtcError.convertFrom of it: UNKNOWN_ERROR.
    const cause = errors[0]!.cause as { getCode?(): number; code?: number };
    expect(generation === 'v4' ? cause.getCode!() : cause.code).to.equal(generation === 'v4' ? 0xffff : 5999);
    if (generation === 'v5') expect(errors[0]!.field).to.equal('camera');
    expect(el.state).to.equal('joined');
  });
}
