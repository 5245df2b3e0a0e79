import './support/guard.js';
import { expect } from '@open-wc/testing';

// This page defines `trtc-room` before the package loads, as a page that already loaded another copy
// (a CDN bundle, or the npm build next to it) would.
class EarlierCopy extends HTMLElement {}
customElements.define('trtc-room', EarlierCopy);

describe('registration', () => {
  it('importing the entry when trtc-room is already defined does not throw and keeps the first definition', async () => {
    const module = await import('../src/index.js');
    expect(module.TrtcRoom).to.be.a('function');
    expect(customElements.get('trtc-room')).to.equal(EarlierCopy);
  });
});
