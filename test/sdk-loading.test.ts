import { expect } from '@open-wc/testing';
import { setDefaultSdkImporter } from '../src/sdk/loader.js';
import { FakeTrtc } from './doubles/fake-trtc.js';
import { record, settle, types, VALID } from './support/room.js';
import type { TrtcRoom } from '../src/index.js';

function bare(): TrtcRoom {
  const el = document.createElement('trtc-room');
  for (const [name, value] of Object.entries(VALID)) el.setAttribute(name, value);
  return el;
}

describe('which SDK the element uses', () => {
  afterEach(() => {
    delete (globalThis as { TRTC?: unknown }).TRTC;
  });

  it('uses a global TRTC with createClient when no sdk property is set', async () => {
    const global = new FakeTrtc();
    (globalThis as { TRTC?: unknown }).TRTC = global;
    const restore = setDefaultSdkImporter(() => Promise.reject(new Error('must not import')));
    try {
      const el = bare();
      document.body.append(el);
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(global.clients).to.have.length(1);
    } finally {
      restore();
    }
  });

  it('prefers the sdk property over a global TRTC', async () => {
    const global = new FakeTrtc();
    (globalThis as { TRTC?: unknown }).TRTC = global;
    const own = new FakeTrtc();
    const el = bare();
    el.sdk = own;
    document.body.append(el);
    await settle(el);
    expect(own.clients).to.have.length(1);
    expect(global.clients).to.have.length(0);
  });

  it('a failing SDK import gives sdk-load-failed, and a later join() tries again', async () => {
    const sdk = new FakeTrtc();
    let attempts = 0;
    const restore = setDefaultSdkImporter(async () => {
      attempts += 1;
      if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return sdk;
    });
    try {
      const el = bare();
      const events = record(el);
      document.body.append(el);
      await settle(el);
      expect(el.state).to.equal('error');
      expect(events.find((e) => e.type === 'error')!.detail.code).to.equal('sdk-load-failed');
      expect(events.find((e) => e.type === 'error')!.detail.message).to.contain('Failed to fetch');
      await el.join();
      expect(attempts).to.equal(2);
      expect(el.state).to.equal('joined');
      expect(types(events)).to.deep.equal(['error', 'joined']);
    } finally {
      restore();
    }
  });
});
