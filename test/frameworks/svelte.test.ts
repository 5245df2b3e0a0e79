// <trtc-room> rendered by Svelte 5: the component is docs/frameworks.md's Svelte snippet
// (test/frameworks/snippets/Call.svelte), compiled by svelte/compiler when the page loads it
// (scripts/svelte-components.mjs) and mounted with Svelte's `mount`. Svelte 5 sets an attribute
// as a property when the element has that property, and turns `onbanned` into a listener.
import { expect } from '@open-wc/testing';
import { flushSync, mount, unmount } from 'svelte';
import { FakeTrtc } from '../doubles/fake-trtc.js';
import { settle } from '../support/room.js';
import Call from './snippets/Call.svelte';
import type { BanReason, TrtcRoom } from '../../src/index.js';

let component: Record<string, unknown> | undefined;

async function mountCall(sdk: FakeTrtc, onBanned: (reason: BanReason) => void = () => {}) {
  const target = document.createElement('div');
  document.body.append(target);
  component = mount(Call, { target, props: { userSig: 'sig', sdk, onBanned } });
  flushSync();
  const el = target.querySelector('trtc-room') as TrtcRoom;
  await settle(el);
  return el;
}

describe('<trtc-room> in Svelte 5', () => {
  afterEach(async () => {
    if (component) await unmount(component);
    component = undefined;
  });

  it('sets the snippet’s values as properties, and the element joins with them', async () => {
    const sdk = new FakeTrtc();
    const el = await mountCall(sdk);
    expect(el.sdk, 'the object went in as a property').to.equal(sdk);
    expect(el.sdkAppId).to.equal(1400000001);
    expect(el.roomId).to.equal(1234);
    expect(el.userId).to.equal('alice');
    expect(el.hasAttribute('room-id'), 'a property, not an attribute').to.equal(false);
    expect(el.hasAttribute('sdk')).to.equal(false);
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.config).to.deep.equal({ sdkAppId: 1400000001, userId: 'alice', userSig: 'sig', mode: 'rtc' });
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }]);
  });

  it('delivers banned to the onbanned listener, with the reason', async () => {
    const sdk = new FakeTrtc();
    const reasons: BanReason[] = [];
    await mountCall(sdk, (reason) => reasons.push(reason));
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'kicked' });
    expect(reasons).to.deep.equal(['duplicate-user-id']);
  });

  it('unmounting removes the element, which leaves and destroys its client', async () => {
    const sdk = new FakeTrtc();
    const el = await mountCall(sdk);
    expect(sdk.liveClients).to.have.length(1);
    await unmount(component!);
    component = undefined;
    await settle(el);
    expect(el.isConnected).to.equal(false);
    expect(el.state).to.equal('left');
    expect(sdk.liveClients).to.have.length(0);
    expect(sdk.lastClient.leaveCalls).to.equal(1);
  });
});
