import { expect } from '@open-wc/testing';
import { FakeTrtc } from './doubles/fake-trtc.js';
import { FakeTrtcV5 } from './doubles/fake-trtc-v5.js';
import { create, settle, states, types, VALID } from './support/room.js';

// `proxy`: TRTC's proxy setting, handed to the SDK unchanged (docs/real-sdks.md).
describe("<trtc-room> proxy: the SDK's own proxy setting, passed through", () => {
  const PROXY = { websocketProxy: 'ws://127.0.0.1:8090/signal/v4', loggerProxy: 'http://127.0.0.1:8090/sdk-log' };

  async function mountWithProxy<S extends FakeTrtc | FakeTrtcV5>(sdk: S, proxy: unknown) {
    const room = create(VALID, sdk);
    room.el.proxy = proxy as never;
    document.body.append(room.el);
    await settle(room.el);
    return room;
  }

  it('v4: the same object goes to client.setProxyServer() before join()', async () => {
    const { sdk, el } = await mountWithProxy(new FakeTrtc(), PROXY);
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.proxyCalls).to.have.length(1);
    expect(sdk.lastClient.proxyCalls[0]!.proxy).to.equal(PROXY);
    expect(sdk.lastClient.proxyCalls[0]!.joinsBefore).to.equal(0);
  });

  it('v4: a string is passed as given (the SDK itself insists on wss://)', async () => {
    const { sdk } = await mountWithProxy(new FakeTrtc(), 'wss://proxy.example.com/signal');
    expect(sdk.lastClient.proxyCalls.map((call) => call.proxy)).to.deep.equal(['wss://proxy.example.com/signal']);
  });

  it('v4: without a proxy, setProxyServer() is never called', async () => {
    const { sdk } = await mountWithProxy(new FakeTrtc(), undefined);
    expect(sdk.lastClient.proxyCalls).to.deep.equal([]);
  });

  it('v5: the same object goes to enterRoom({ proxy }); without one, enterRoom has no proxy key', async () => {
    const withProxy = await mountWithProxy(new FakeTrtcV5(), PROXY);
    expect(withProxy.sdk.lastClient.enterRoomCalls[0]!.proxy).to.equal(PROXY);
    const without = await mountWithProxy(new FakeTrtcV5(), undefined);
    expect(without.sdk.lastClient.enterRoomCalls[0]).not.to.have.property('proxy');
  });

  it('is a property only: a proxy attribute is ignored, and the property is never reflected', async () => {
    const { sdk, el } = await mountWithProxy(new FakeTrtc(), PROXY);
    expect(el.hasAttribute('proxy')).to.equal(false);
    el.setAttribute('proxy', 'wss://ignored.example.com');
    await settle(el);
    expect(el.proxy).to.equal(PROXY);
    expect(sdk.clients).to.have.length(1);
  });

  it('a different proxy while joined rejoins through the new route; an equal copy does not', async () => {
    const { sdk, el, events } = await mountWithProxy(new FakeTrtc(), PROXY);
    el.proxy = { ...PROXY };
    await settle(el);
    expect(sdk.clients).to.have.length(1, 'the same setting in a new object is the same route');
    const moved = { ...PROXY, websocketProxy: 'ws://127.0.0.1:9000/signal/v4' };
    el.proxy = moved;
    await settle(el);
    expect(sdk.clients).to.have.length(2);
    expect(sdk.clients[0]!.leaveCalls).to.equal(1);
    expect(sdk.lastClient.proxyCalls[0]!.proxy).to.equal(moved);
    expect(types(events)).to.deep.equal(['joined', 'left', 'joined']);
    expect(states(events).at(-1)).to.equal('joined');
  });
});
