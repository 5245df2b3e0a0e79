import './support/guard.js';
import { expect } from '@open-wc/testing';
import '../src/sdk-v5.js'; // the opt-in: sdk="v5" imports trtc-sdk-v5 at the first join
import type { TrtcRoom } from '../src/index.js';

const requestsFor = (pattern: RegExp) =>
  performance.getEntriesByType('resource').filter((entry) => pattern.test(entry.name));

describe('<trtc-room sdk="v5"> with the real trtc-sdk-v5 (offline machine)', () => {
  it("fetches trtc-sdk-v5 only at the first join, never trtc-js-sdk, and reports join-failed with the SDK's OPERATION_FAILED code", async function () {
    // Offline, enterRoom() retries the schedule request once before it rejects.
    this.timeout(30000);
    expect((globalThis as { TRTC?: unknown }).TRTC).to.equal(undefined);
    const el = document.createElement('trtc-room') as TrtcRoom;
    el.setAttribute('sdk', 'v5');
    el.setAttribute('sdk-app-id', '1400000001');
    el.setAttribute('room-id', '1234');
    el.setAttribute('user-id', 'alice');
    expect(requestsFor(/trtc-sdk-v5/), 'nothing of the SDK before the element exists').to.have.length(0);
    document.body.append(el);
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect(requestsFor(/trtc-sdk-v5/), 'nothing of the SDK while inputs are incomplete').to.have.length(0);

    const error = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('error', resolve as EventListener, { once: true }),
    );
    el.userSig = 'not-a-real-signature';
    const event = await error;
    expect(requestsFor(/trtc-sdk-v5/).length, 'the v5 SDK was fetched for the join').to.be.greaterThan(0);
    expect(event.detail.code).to.equal('join-failed');
    expect(event.detail.sdkCode).to.be.a('number');
    expect(el.state).to.equal('error');

    // Already loaded, so this fetches nothing new: the SDK's own constant for the code it gave.
    const TRTC = (await import('trtc-sdk-v5/trtc.esm.js')).default as { ERROR_CODE: Record<string, number> };
    expect(event.detail.sdkCode).to.equal(TRTC.ERROR_CODE.OPERATION_FAILED);
    expect(event.detail.message).to.contain('enterRoom');
    expect(requestsFor(/trtc-js-sdk/), 'the v4 SDK is never fetched').to.have.length(0);
    el.remove();
  });
});
