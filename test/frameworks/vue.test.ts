// <trtc-room> rendered by Vue 3 from a template (the full build, with the runtime compiler): `@event`
// listeners, properties bound with `.prop`, and `isCustomElement` so Vue does not look for a component.
// The template is docs/frameworks.md's Vue snippet.
import { expect } from '@open-wc/testing';
import { createApp, nextTick, ref, shallowRef, type App } from 'vue/dist/vue.esm-browser.js';
import { FakeTrtc } from '../doubles/fake-trtc.js';
import { settle } from '../support/room.js';
import type { BannedDetail, JoinedDetail, TrtcRoom } from '../../src/index.js';

const TEMPLATE = `
  <trtc-room
    sdk-app-id="1400000001"
    :room-id="roomId"
    user-id="alice"
    :user-sig="userSig"
    :sdk.prop="sdk"
    @joined="onJoined"
    @banned="onBanned"
    @peer-join="onPeerJoin"
  ></trtc-room>`;

let app: App | undefined;
const warnings: string[] = [];

function mountCall(sdk: FakeTrtc) {
  const roomId = ref(1234);
  const userSig = ref('sig');
  const joined: JoinedDetail[] = [];
  const bans: BannedDetail[] = [];
  const peers: string[] = [];
  const container = document.createElement('div');
  document.body.append(container);
  app = createApp({
    template: TEMPLATE,
    setup: () => ({
      roomId,
      userSig,
      sdk: shallowRef(sdk),
      onJoined: (event: CustomEvent<JoinedDetail>) => joined.push(event.detail),
      onBanned: (event: CustomEvent<BannedDetail>) => bans.push(event.detail),
      onPeerJoin: (event: CustomEvent<{ userId: string }>) => peers.push(event.detail.userId),
    }),
  });
  app.config.compilerOptions.isCustomElement = (tag: string) => tag === 'trtc-room';
  app.config.warnHandler = (message: string) => warnings.push(message);
  app.mount(container);
  const el = container.querySelector('trtc-room') as TrtcRoom;
  return { el, roomId, userSig, joined, bans, peers };
}

describe('<trtc-room> in Vue 3', () => {
  afterEach(() => {
    app?.unmount();
    app = undefined;
    expect(warnings.splice(0), 'no Vue warning (e.g. "Failed to resolve component")').to.deep.equal([]);
  });

  it('binds the SDK with .prop and attributes with :attr, and the element joins', async () => {
    const sdk = new FakeTrtc();
    const { el, joined } = mountCall(sdk);
    await settle(el);
    expect(el.sdk, 'the object went in as a property').to.equal(sdk);
    expect(el.hasAttribute('sdk')).to.equal(false);
    expect(el.getAttribute('room-id')).to.equal('1234');
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.config).to.deep.equal({ sdkAppId: 1400000001, userId: 'alice', userSig: 'sig', mode: 'rtc' });
    expect(joined).to.deep.equal([{ roomId: 1234, userId: 'alice' }]);
  });

  it('delivers banned and hyphenated events such as peer-join to @ listeners', async () => {
    const sdk = new FakeTrtc();
    const { el, bans, peers } = mountCall(sdk);
    await settle(el);
    sdk.lastClient.fire('peer-join', { userId: 'bob' });
    sdk.lastClient.fire('client-banned', { reason: 'banned', message: 'removed' });
    expect(peers).to.deep.equal(['bob']);
    expect(bans).to.have.length(1);
    expect(bans[0]).to.include({ reason: 'removed-by-admin', roomId: 1234, userId: 'alice' });
  });

  it('a reactive room change moves the element to the new room; unmounting leaves', async () => {
    const sdk = new FakeTrtc();
    const { el, roomId } = mountCall(sdk);
    await settle(el);
    roomId.value = 5678;
    await nextTick();
    await settle(el);
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }, { roomId: 5678 }]);
    expect(sdk.liveClients).to.have.length(1);
    app!.unmount();
    app = undefined;
    await settle(el);
    expect(el.state).to.equal('left');
    expect(sdk.liveClients).to.have.length(0);
  });
});
