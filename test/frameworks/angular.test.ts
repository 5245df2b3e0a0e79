// <trtc-room> rendered by Angular 20: the component is docs/frameworks.md's Angular snippet
// (test/frameworks/snippets/call.component.ts), compiled just in time in the browser (hence
// @angular/compiler, imported first) and run without zone.js. `[prop]` sets a property, `(banned)`
// adds a listener. esbuild compiles the @Component decorator as a standard decorator (Angular apps
// usually set experimentalDecorators); a class decorator behaves the same either way.
import '@angular/compiler';
import { createComponent, provideZonelessChangeDetection, type ApplicationRef, type ComponentRef } from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import { expect } from '@open-wc/testing';
import { FakeTrtc } from '../doubles/fake-trtc.js';
import { settle } from '../support/room.js';
import { CallComponent } from './snippets/call.component.js';
import type { TrtcRoom } from '../../src/index.js';

let app: ApplicationRef | undefined;
// Angular reports template problems at run time with console.error (e.g. binding a property the element does not
// have, without CUSTOM_ELEMENTS_SCHEMA): none may occur.
const consoleErrors: unknown[][] = [];
const consoleError = console.error;

/** Creates the component the way a dynamically rendered Angular component is, with the SDK double in its `sdk` field. */
async function renderCall(sdk: FakeTrtc): Promise<{ ref: ComponentRef<CallComponent>; el: TrtcRoom }> {
  app = await createApplication({ providers: [provideZonelessChangeDetection()] });
  const host = document.createElement('app-call');
  document.body.append(host);
  const ref = createComponent(CallComponent, { environmentInjector: app.injector, hostElement: host });
  ref.instance.sdk = sdk;
  ref.instance.userSig = 'sig';
  app.attachView(ref.hostView);
  ref.changeDetectorRef.detectChanges();
  const el = host.querySelector('trtc-room')!;
  await settle(el);
  return { ref, el };
}

describe('<trtc-room> in Angular 20', () => {
  beforeEach(() => {
    console.error = (...args: unknown[]) => consoleErrors.push(args);
  });

  afterEach(() => {
    app?.destroy();
    app = undefined;
    for (const host of document.querySelectorAll('app-call')) host.remove();
    console.error = consoleError;
    expect(consoleErrors.splice(0).map(String), 'no Angular error on the console').to.deep.equal([]);
  });

  it('binds [sdk], [sdkAppId], [roomId] and [userSig] as properties, and the element joins with them', async () => {
    const sdk = new FakeTrtc();
    const { el } = await renderCall(sdk);
    expect(el.sdk, 'the object went in as a property').to.equal(sdk);
    expect(el.sdkAppId).to.equal(1400000001);
    expect(el.roomId).to.equal(1234);
    expect(el.hasAttribute('room-id'), 'a property, not an attribute').to.equal(false);
    expect(el.getAttribute('user-id'), 'the static attribute').to.equal('alice');
    expect(el.state).to.equal('joined');
    expect(sdk.lastClient.config).to.deep.equal({ sdkAppId: 1400000001, userId: 'alice', userSig: 'sig', mode: 'rtc' });
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }]);
  });

  it('delivers banned to the (banned) handler, with the reason', async () => {
    const sdk = new FakeTrtc();
    const { ref } = await renderCall(sdk);
    sdk.lastClient.fire('client-banned', { reason: 'kick', message: 'kicked' });
    expect(ref.instance.bannedFor).to.equal('duplicate-user-id');
  });

  it('a changed roomId moves the element to the new room; destroying the app leaves', async () => {
    const sdk = new FakeTrtc();
    const { ref, el } = await renderCall(sdk);
    ref.instance.roomId = 5678;
    ref.changeDetectorRef.detectChanges();
    await settle(el);
    expect(sdk.joins).to.deep.equal([{ roomId: 1234 }, { roomId: 5678 }]);
    expect(sdk.liveClients).to.have.length(1);
    app!.destroy();
    app = undefined;
    await settle(el);
    expect(el.isConnected, 'Angular removed the element').to.equal(false);
    expect(el.state).to.equal('left');
    expect(sdk.liveClients).to.have.length(0);
  });
});
