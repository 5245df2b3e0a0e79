// <trtc-room> on a plain page, with no framework: addEventListener, the inline handlers the platform
// supports (and the ones it does not), and properties set before the tag is defined (a page script
// that runs before a deferred module script, or a framework rendering before the import).
import { expect } from '@open-wc/testing';
import { TrtcRoom, type BannedDetail } from '../../src/index.js';
import { FakeTrtc } from '../doubles/fake-trtc.js';
import { create, settle, VALID } from '../support/room.js';

declare global {
  interface Window {
    inlineHandled?: unknown[];
  }
}

describe('<trtc-room> on a plain page', () => {
  afterEach(() => {
    delete window.inlineHandled;
  });

  it('addEventListener("banned") gets the reason in event.detail', async () => {
    const { el, sdk } = create();
    const reasons: BannedDetail['reason'][] = [];
    el.addEventListener('banned', (event) => reasons.push(event.detail.reason));
    document.body.append(el);
    await settle(el);
    sdk.lastClient.fire('client-banned', { reason: 'room-disband', message: 'dismissed' });
    expect(reasons).to.deep.equal(['room-dismissed']);
  });

  it('the platform’s own onerror attribute and property receive the element’s error event', async () => {
    window.inlineHandled = [];
    const el = document.createElement('trtc-room');
    el.setAttribute(
      'onerror',
      'window.inlineHandled.push("attribute " + event.detail.code + " " + event.detail.field)',
    );
    for (const [name, value] of Object.entries({ ...VALID, 'room-id': '12abc' })) el.setAttribute(name, value);
    document.body.append(el);
    await settle(el);
    expect(window.inlineHandled).to.deep.equal(['attribute invalid-config room-id']);

    // The property replaces the attribute's handler, as on <img>.
    const viaProperty: string[] = [];
    el.onerror = (event) => {
      viaProperty.push((event as CustomEvent).detail.field);
    };
    el.setAttribute('room-id', '34x');
    await settle(el);
    expect(viaProperty).to.deep.equal(['room-id']);
    expect(window.inlineHandled, 'the attribute handler was replaced').to.have.length(1);
  });

  it('inline onbanned / onjoined attributes and properties are not called: the platform runs on-handlers only for events it knows', async () => {
    window.inlineHandled = [];
    const { el, sdk } = create();
    el.setAttribute('onbanned', 'window.inlineHandled.push("onbanned attribute")');
    el.setAttribute('onjoined', 'window.inlineHandled.push("onjoined attribute")');
    (el as unknown as Record<string, unknown>).onbanned = () => window.inlineHandled!.push('onbanned property');
    const listened: string[] = [];
    el.addEventListener('joined', () => listened.push('joined'));
    el.addEventListener('banned', () => listened.push('banned'));
    document.body.append(el);
    await settle(el);
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'kicked' });
    expect(listened, 'the events were dispatched').to.deep.equal(['joined', 'banned']);
    expect(window.inlineHandled, 'use addEventListener (or a framework’s listener syntax) instead').to.deep.equal([]);
  });

  it('properties set before the tag is defined are used from the first join, sdk included', async () => {
    // A tag of its own, so this element exists before its definition does, as on a page whose module loads after the markup.
    const el = document.createElement('trtc-room-defined-late') as TrtcRoom;
    const sdk = new FakeTrtc();
    for (const [name, value] of Object.entries(VALID)) el.setAttribute(name, value); // complete without the properties
    el.sdk = sdk;
    el.roomId = 5678; // properties win over attributes, before the upgrade too
    const joined: unknown[] = [];
    el.addEventListener('joined', (event) => joined.push(event.detail));
    document.body.append(el);
    customElements.define('trtc-room-defined-late', class extends TrtcRoom {});
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(sdk.clients, 'the sdk set before the upgrade, not the default SDK').to.have.length(1);
    expect(sdk.joins).to.deep.equal([{ roomId: 5678 }]);
    expect(joined).to.deep.equal([{ roomId: 5678, userId: 'alice' }]);
    el.remove();
  });
  it('join() called right after the upgrade uses the properties set before it', async () => {
    const el = document.createElement('trtc-room-joined-early') as TrtcRoom;
    const sdk = new FakeTrtc();
    for (const [name, value] of Object.entries(VALID)) el.setAttribute(name, value);
    el.sdk = sdk;
    el.roomId = 4321;
    document.body.append(el);
    customElements.define('trtc-room-joined-early', class extends TrtcRoom {});
    await el.join(); // before the first update has run
    expect(sdk.joins).to.deep.equal([{ roomId: 4321 }]);
    el.remove();
  });
});
