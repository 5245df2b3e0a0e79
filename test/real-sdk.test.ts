import './support/guard.js';
import { expect } from '@open-wc/testing';
import '../src/index.js';
import type { TrtcRoom } from '../src/index.js';

const sdkRequests = () => performance.getEntriesByType('resource').filter((entry) => /trtc-js-sdk/.test(entry.name));

describe('<trtc-room> with the real trtc-js-sdk (offline machine)', () => {
  it('fetches the SDK only at the first join, and reports join-failed with SCHEDULE_FAILED (0x404c)', async () => {
    expect((globalThis as { TRTC?: unknown }).TRTC).to.equal(undefined);
    const el = document.createElement('trtc-room') as TrtcRoom;
    el.setAttribute('sdk-app-id', '1400000001');
    el.setAttribute('room-id', '1234');
    el.setAttribute('user-id', 'alice');
    expect(sdkRequests(), 'nothing of the SDK before the element exists').to.have.length(0);
    document.body.append(el);
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect(sdkRequests(), 'nothing of the SDK while inputs are incomplete').to.have.length(0);

    const error = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('error', resolve as EventListener, { once: true }),
    );
    el.userSig = 'not-a-real-signature';
    const event = await error;
    expect(sdkRequests().length, 'the SDK was fetched for the join').to.be.greaterThan(0);
    expect(event.detail.code).to.equal('join-failed');
    expect(event.detail.sdkCode).to.equal(0x404c);
    expect(el.state).to.equal('error');
    el.remove();
  });
});
