// The call UI (`controls`, docs/ui.md) on both SDK doubles, in Chromium with fake devices: the control bar and its
// `control` event, speaking from the SDKs' volume evaluation (the fake microphone's beep), the unblock button,
// axe-core over the call, and the strings table.
import { expect, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import type { TrtcRoom } from '../../src/index.js';
import { createTrtcEmulator, type TrtcEmulator } from '../../src/testing/index.js';
import { playedDuring, refuseAudibleAutoplay } from './media-support.js';

type Generation = { name: 'v4' | 'v5'; sdk: (emulator: TrtcEmulator) => unknown };
const GENERATIONS: Generation[] = [
  { name: 'v4', sdk: (emulator) => emulator.sdk },
  { name: 'v5', sdk: (emulator) => emulator.sdkV5 },
];
const TIMEOUT = { timeout: 8000 };

/** A `<trtc-room controls camera microphone>` (unless told) for `userId` in room 42, joined. */
async function join(
  emulator: TrtcEmulator,
  gen: Generation,
  userId: string,
  attributes: Record<string, string> = { controls: '', camera: '', microphone: '' },
  sdk: unknown = gen.sdk(emulator),
) {
  const el = document.createElement('trtc-room');
  el.sdk = sdk as TrtcRoom['sdk'];
  const all = { 'sdk-app-id': '1400000001', 'room-id': '42', 'user-id': userId, 'user-sig': 'sig', ...attributes };
  for (const [name, value] of Object.entries(all)) el.setAttribute(name, value);
  const events: Array<{ type: string; detail: any }> = [];
  for (const type of ['control', 'speaking-change', 'error'])
    el.addEventListener(type, (event) => events.push({ type, detail: (event as CustomEvent).detail }));
  document.body.append(el);
  await waitUntil(() => el.state === 'joined', `${userId} joined`, TIMEOUT);
  return { el, events };
}

const $ = <T extends Element = HTMLElement>(el: TrtcRoom, selector: string) =>
  el.shadowRoot!.querySelector<T & Element>(selector) as T | null;
const tilePart = (el: TrtcRoom, userId: string) =>
  ($(el, `[data-user-id="${userId}"]`)?.getAttribute('part') ?? '').split(' ');
const button = (el: TrtcRoom, control: string) => $<HTMLButtonElement>(el, `[part~="control"][part~="${control}"]`)!;

/** alice (`controls`) in a call with bob's microphone, in a browser that refused to play bob's audio: the unblock button shows. */
async function blockedListener(gen: Generation) {
  const emulator = createTrtcEmulator();
  const restore = refuseAudibleAutoplay();
  try {
    const alice = await join(emulator, gen, 'alice', { controls: '' });
    await join(emulator, gen, 'bob', { microphone: '' });
    await waitUntil(() => $(alice.el, '[part="unblock"]'), 'the unblock button', TIMEOUT);
    return alice;
  } finally {
    restore();
  }
}

afterEach(() => {
  for (const el of document.querySelectorAll('trtc-room')) el.remove();
});

for (const gen of GENERATIONS) {
  describe(`<trtc-room controls> (${gen.name} double, real WebRTC)`, () => {
    it('shows the bar; the microphone button turns microphone off, and the other’s tile of that user says audio-muted', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice');
      const bob = await join(emulator, gen, 'bob');
      for (const { el } of [alice, bob]) {
        await waitUntil(() => $(el, '[part="controls"]'), 'the control bar', TIMEOUT);
        expect(button(el, 'microphone').getAttribute('aria-pressed')).to.equal('true');
        expect(button(el, 'camera').getAttribute('aria-pressed')).to.equal('true');
        expect(button(el, 'leave').textContent!.trim()).to.equal('Leave');
      }
      await waitUntil(
        () => $(bob.el, '[data-user-id="alice"]') && !tilePart(bob.el, 'alice').includes('audio-muted'),
        'alice’s live audio at bob',
        TIMEOUT,
      );

      button(alice.el, 'microphone').click();
      expect(alice.el.microphone).to.equal(false);
      expect(alice.el.hasAttribute('microphone'), 'the attribute follows').to.equal(false);
      expect(alice.events.filter((e) => e.type === 'control').map((e) => e.detail)).to.deep.equal([
        { control: 'microphone', pressed: false },
      ]);
      await waitUntil(
        () => button(alice.el, 'microphone').getAttribute('aria-pressed') === 'false',
        'aria-pressed false',
        TIMEOUT,
      );
      await waitUntil(
        () => tilePart(bob.el, 'alice').includes('audio-muted'),
        'bob’s tile of alice: audio-muted',
        TIMEOUT,
      );
      expect($(bob.el, '[data-user-id="alice"]')!.getAttribute('aria-label')).to.equal('alice, microphone off');
      await waitUntil(
        () => tilePart(alice.el, 'alice').includes('audio-muted'),
        'alice’s own tile: audio-muted',
        TIMEOUT,
      );
      expect($(alice.el, '[data-user-id="alice"]')!.getAttribute('aria-label')).to.equal('alice (you), microphone off');
      expect(tilePart(bob.el, 'alice')).not.to.include('video-muted');
      await waitUntil(
        () =>
          [...$(bob.el, '[part="status"]')!.querySelectorAll('p')].some(
            (p) => p.textContent === 'alice turned the microphone off.',
          ),
        'bob hears it announced',
        TIMEOUT,
      );

      // A cancelled leave keeps alice in; the next one leaves.
      alice.el.addEventListener('control', (event) => event.preventDefault(), { once: true });
      button(alice.el, 'leave').click();
      await alice.el.updateComplete;
      expect(alice.el.state).to.equal('joined');
      button(alice.el, 'leave').click();
      await waitUntil(() => alice.el.state === 'left', 'alice left', TIMEOUT);
      await alice.el.updateComplete;
      expect($(alice.el, '[part="controls"]'), 'the bar goes with the room').to.equal(null);
      expect(alice.events.filter((e) => e.type === 'error')).to.deep.equal([]);
    });

    it('the fake microphone makes a tile speak: speaking on the tile, speaking-change for remote and local users', async () => {
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice', { controls: '', microphone: '' });
      const bob = await join(emulator, gen, 'bob', { controls: '' });
      await waitUntil(() => tilePart(bob.el, 'alice').includes('speaking'), 'bob’s tile of alice speaks', TIMEOUT);
      expect(
        bob.events.some((e) => e.type === 'speaking-change' && e.detail.userId === 'alice' && e.detail.speaking),
      ).to.equal(true);
      await waitUntil(
        () =>
          alice.events.some((e) => e.type === 'speaking-change' && e.detail.userId === 'alice' && e.detail.speaking),
        'alice hears herself speak',
        TIMEOUT,
      );
      // Microphone off: alice stops speaking everywhere.
      alice.el.microphone = false;
      await waitUntil(
        () => bob.events.some((e) => e.type === 'speaking-change' && e.detail.userId === 'alice' && !e.detail.speaking),
        'alice stops speaking at bob',
        TIMEOUT,
      );
      await bob.el.updateComplete;
      expect(tilePart(bob.el, 'alice')).not.to.include('speaking');
    });

    it('without controls: no bar, no state parts, no volume evaluation; with controls the SDK’s autoplay dialog is off', async () => {
      const emulator = createTrtcEmulator();
      const made: unknown[] = [];
      const sdk = gen.sdk(emulator) as Record<string, any>;
      // Records what the adapter gives the SDK: v4's createClient config, v5's enterRoom params.
      const spy =
        gen.name === 'v4'
          ? { ...sdk, createClient: (config: unknown) => (made.push(config), sdk.createClient(config)) }
          : Object.assign(Object.create(sdk), {
              create: () => {
                const trtc = sdk.create();
                const enterRoom = trtc.enterRoom.bind(trtc);
                trtc.enterRoom = (params: unknown) => (made.push(params), enterRoom(params));
                return trtc;
              },
              EVENT: sdk.EVENT,
            });
      const plain = await join(emulator, gen, 'alice', { microphone: '' }, spy);
      const withControls = await join(emulator, gen, 'bob', { controls: '', microphone: '' }, spy);
      await waitUntil(() => $(plain.el, '[data-user-id="bob"]'), 'bob’s tile at alice', TIMEOUT);
      expect($(plain.el, '[part="controls"]')).to.equal(null);
      expect($(plain.el, '[part="status"]')).to.equal(null);
      expect(tilePart(plain.el, 'bob')).to.deep.equal(['tile', 'remote']);
      await waitUntil(() => tilePart(withControls.el, 'alice').includes('speaking'), 'bob sees alice speak', TIMEOUT);
      expect(plain.events.filter((e) => e.type === 'speaking-change')).to.deep.equal([]);
      expect((made[0] as { enableAutoPlayDialog?: boolean }).enableAutoPlayDialog, 'no controls: as before').to.equal(
        undefined,
      );
      expect(
        (made[1] as { enableAutoPlayDialog?: boolean }).enableAutoPlayDialog,
        'controls: the element prompts',
      ).to.equal(false);
    });

    it('while the browser blocks remote audio, part="unblock" shows; its click plays the audio and it goes', async () => {
      const alice = await blockedListener(gen);
      expect($(alice.el, '[part="unblock"]')!.textContent!.trim()).to.equal('Play audio');
      $<HTMLButtonElement>(alice.el, '[part="unblock"]')!.click();
      await waitUntil(() => !$(alice.el, '[part="unblock"]'), 'the button goes once audio plays', TIMEOUT);
    });

    // trtc-sdk-v5 resumes a refused player by itself on the next click anywhere (trtc.esm.js, handleAutoPlayFailed's
    // capture-phase document listener), and says so with AUDIO_PLAY_STATE_CHANGED PLAYING; trtc-js-sdk does not
    // (only its dialog or resume()), so this rule is v5's. The same on the real SDK: test/node/media-pages.test.mjs.
    if (gen.name === 'v5')
      it('v5: a click elsewhere in the page plays the blocked audio (the SDK resumes it itself) and part="unblock" goes', async () => {
        const alice = await blockedListener(gen);
        const played = await playedDuring(async () => {
          document.body.click();
          await waitUntil(() => !$(alice.el, '[part="unblock"]'), 'the button goes once the SDK plays it', TIMEOUT);
        });
        const audible = played.filter((element) => !element.muted);
        expect(audible.length, 'the SDK played the refused audio').to.equal(1);
        expect(audible[0].paused).to.equal(false);
      });

    it('the screen toggle (shown where getDisplayMedia exists) fires control screen, shares the screen (aria-pressed, the peer’s tile screen) and announces it', async function () {
      this.timeout(60000);
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice', { controls: '', microphone: '' });
      const bob = await join(emulator, gen, 'bob', { controls: '' });
      await waitUntil(() => $(alice.el, '[part="controls"]'), 'the control bar', TIMEOUT);
      expect('getDisplayMedia' in navigator.mediaDevices).to.equal(true);
      const toggle = button(alice.el, 'screen');
      expect(toggle.getAttribute('part')).to.equal('control screen');
      expect([toggle.getAttribute('aria-pressed'), toggle.textContent!.trim()]).to.deep.equal([
        'false',
        'Share screen',
      ]);
      toggle.click();
      expect(alice.events.filter((e) => e.type === 'control').map((e) => e.detail)).to.deep.equal([
        { control: 'screen', pressed: true },
      ]);
      expect(alice.el.screen).to.equal(true);
      await waitUntil(() => button(alice.el, 'screen').getAttribute('aria-pressed') === 'true', 'pressed', TIMEOUT);
      await waitUntil(() => $(bob.el, '[part="tile screen"][data-user-id="alice"]'), 'bob’s screen tile', {
        timeout: 20000,
      });
      expect($(bob.el, '[part="tile screen"]')!.getAttribute('aria-label')).to.equal("alice's screen");
      await waitUntil(
        () => $(bob.el, '[part="status"]')!.textContent!.includes('alice started sharing their screen.'),
        'bob hears of the share',
        TIMEOUT,
      );
      await waitUntil(
        () => $(alice.el, '[part="status"]')!.textContent!.includes('You are sharing your screen.'),
        'alice hears of her share',
        { timeout: 20000 },
      );
      button(alice.el, 'screen').click();
      await waitUntil(() => !$(bob.el, '[part="tile screen"]'), 'the screen tile goes', { timeout: 20000 });
      expect(button(alice.el, 'screen').getAttribute('aria-pressed')).to.equal('false');
    });

    it('axe-core finds no violations in the element during a call with controls', async function () {
      // A camera, two microphones and a screen over real WebRTC: more than the default 10 s on a loaded machine.
      this.timeout(60000);
      const emulator = createTrtcEmulator();
      const alice = await join(emulator, gen, 'alice');
      // bob shares a screen: alice's call has a screen tile, and her bar a screen toggle.
      await join(emulator, gen, 'bob', { controls: '', microphone: '', screen: '' });
      await waitUntil(
        () =>
          $(alice.el, '[data-user-id="bob"]') &&
          $(alice.el, '[part="controls"]') &&
          $(alice.el, '[part~="screen"][data-user-id="bob"] video'),
        'the call',
        { timeout: 20000 },
      );
      expect(button(alice.el, 'screen').getAttribute('aria-pressed')).to.equal('false');
      const axe = await loadAxe();
      const results = await axe.run(alice.el, { resultTypes: ['violations'] });
      const violations = results.violations.map(
        (v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join('; ')}`,
      );
      expect(violations).to.deep.equal([]);
      expect(results.passes.length + results.incomplete.length, 'axe looked at the element').to.be.greaterThan(0);
    });
  });
}

describe('<trtc-room controls> screen toggle (v4 double)', () => {
  it('the screen toggle follows capabilities.screenShare, the one detector: none where getDisplayMedia is not a function; the bar is microphone, camera, screen, devices, leave', async () => {
    const emulator = createTrtcEmulator();
    const media = navigator.mediaDevices;
    // An own property over the prototype's method: `'getDisplayMedia' in` stays true, the detector says false.
    Object.defineProperty(media, 'getDisplayMedia', { value: undefined, configurable: true });
    try {
      const bare = await join(emulator, GENERATIONS[0]!, 'alice', { controls: '' });
      await waitUntil(() => $(bare.el, '[part="controls"]'), 'the control bar', TIMEOUT);
      expect(bare.el.capabilities?.screenShare).to.equal(false);
      // A boolean: a failing assertion on the button itself would have chai render the element.
      expect(!!$(bare.el, '[part~="control"][part~="screen"]'), 'a screen toggle').to.equal(false);
    } finally {
      delete (media as { getDisplayMedia?: unknown }).getDisplayMedia;
    }
    const able = await join(emulator, GENERATIONS[0]!, 'bob', { controls: '' });
    await waitUntil(() => $(able.el, '[part="controls"]'), 'the control bar', TIMEOUT);
    expect(able.el.capabilities?.screenShare).to.equal(true);
    const parts = [...able.el.shadowRoot!.querySelectorAll('[part="controls"] [part~="control"]')].map((b) =>
      b.getAttribute('part'),
    );
    expect(parts).to.deep.equal([
      'control microphone',
      'control camera',
      'control screen',
      'control devices',
      'control leave',
    ]);
  });
});

describe('<trtc-room controls> device menu (v4 double)', () => {
  it('a menu button (part="control devices") lists cameras, microphones and speakers with the one in use checked, works from the keyboard, chooses a device (the cancelable control event first, as every control), and stays axe-clean open', async () => {
    const emulator = createTrtcEmulator();
    const alice = await join(emulator, GENERATIONS[0]!, 'alice');
    await waitUntil(
      () => alice.el.devices.cameras.length > 0 && $(alice.el, '[role="menu"] [role="group"]'),
      'the devices are listed',
      TIMEOUT,
    );
    const devices = button(alice.el, 'devices');
    expect(devices.getAttribute('aria-haspopup')).to.equal('menu');
    expect(devices.getAttribute('aria-expanded')).to.equal('false');
    const menu = $(alice.el, '[role="menu"]')!;
    expect(menu.hidden).to.equal(true);
    expect(devices.getAttribute('aria-controls')).to.equal(menu.id);
    const groups = [...menu.querySelectorAll('[role="group"]')].map((g) => g.getAttribute('aria-label'));
    expect(groups).to.deep.equal(['Cameras', 'Microphones', 'Speakers']);
    const items = () => [...menu.querySelectorAll<HTMLElement>('[role="menuitemradio"]')];
    const { cameras, microphones, speakers } = alice.el.devices;
    expect(items().map((i) => i.textContent!.trim())).to.deep.equal(
      [...cameras, ...microphones, ...speakers].map((d) => d.label),
    );
    const checked = () =>
      items()
        .filter((i) => i.getAttribute('aria-checked') === 'true')
        .map((i) => i.textContent!.trim());
    expect(checked(), 'one device of each kind is in use').to.have.length(3);
    expect(checked()[1]).to.equal(microphones.find((d) => d.deviceId === 'default')!.label);

    // The keyboard: ArrowDown on the button opens the menu on the first item; arrows move; Escape closes it.
    const key = (target: Element, keyName: string) =>
      target.dispatchEvent(
        new KeyboardEvent('keydown', { key: keyName, bubbles: true, composed: true, cancelable: true }),
      );
    devices.focus();
    key(devices, 'ArrowDown');
    await waitUntil(() => alice.el.shadowRoot!.activeElement === items()[0], 'the first item has the focus', TIMEOUT);
    expect(devices.getAttribute('aria-expanded')).to.equal('true');
    expect(menu.hidden).to.equal(false);
    key(items()[0]!, 'ArrowUp');
    expect(alice.el.shadowRoot!.activeElement, 'ArrowUp wraps to the last item').to.equal(items().at(-1));
    key(items().at(-1)!, 'Home');
    expect(alice.el.shadowRoot!.activeElement).to.equal(items()[0]);

    const axe = await loadAxe();
    const results = await axe.run(alice.el, { resultTypes: ['violations'] });
    expect(results.violations.map((v: any) => v.id)).to.deep.equal([]);

    key(items()[0]!, 'Escape');
    await waitUntil(() => menu.hidden, 'Escape closes the menu', TIMEOUT);
    expect(alice.el.shadowRoot!.activeElement, 'the focus is back on the button').to.equal(devices);

    // Choosing the second microphone from the keyboard: the attribute (and property) follow, the item is checked.
    key(devices, 'Enter');
    await waitUntil(() => !menu.hidden, 'Enter opens the menu', TIMEOUT);
    const second = microphones.find((d) => d.deviceId !== 'default')!;
    const item = items().find((i) => i.textContent!.trim() === second.label)!;
    item.focus();
    key(item, 'Enter');
    await waitUntil(() => alice.el.microphoneId === second.deviceId, 'the microphone is chosen', TIMEOUT);
    expect(alice.el.getAttribute('microphone-id')).to.equal(second.deviceId);
    await waitUntil(() => checked()[1] === second.label, 'the chosen microphone is checked', TIMEOUT);
    expect(menu.hidden).to.equal(true);
    const controls = () => alice.events.filter((e) => e.type === 'control').map((e) => e.detail);
    expect(controls()).to.deep.equal([{ control: 'microphone-device', pressed: true, deviceId: second.deviceId }]);

    // preventDefault() on the control event keeps the choice from acting: the microphone stays, the menu closes.
    alice.el.addEventListener('control', (event) => event.preventDefault(), { once: true });
    key(devices, 'Enter');
    await waitUntil(() => !menu.hidden, 'Enter opens the menu again', TIMEOUT);
    items()
      .find((i) => i.textContent!.trim() === microphones.find((d) => d.deviceId === 'default')!.label)!
      .click();
    await waitUntil(() => menu.hidden, 'the refused choice closes the menu', TIMEOUT);
    expect(controls().at(-1)).to.deep.equal({ control: 'microphone-device', pressed: true, deviceId: 'default' });
    expect(alice.el.microphoneId).to.equal(second.deviceId);
    expect(alice.el.getAttribute('microphone-id')).to.equal(second.deviceId);
    expect(checked()[1]).to.equal(second.label);
    expect(alice.events.filter((e) => e.type === 'error')).to.deep.equal([]);
  });
});

describe('<trtc-room controls> strings', () => {
  it('lang="zh" gives the Chinese labels, lang="ko" the Korean ones, and strings = { leave } relabels leave', async () => {
    const emulator = createTrtcEmulator();
    const { el } = await join(emulator, GENERATIONS[0], 'alice', { controls: '', lang: 'zh' });
    await waitUntil(() => $(el, '[part="controls"]'), 'the bar', TIMEOUT);
    expect(button(el, 'leave').textContent!.trim()).to.equal('离开');
    expect(button(el, 'microphone').textContent!.trim()).to.equal('麦克风');
    expect(button(el, 'screen').textContent!.trim()).to.equal('共享屏幕');
    expect($(el, '[data-user-id="alice"]')!.getAttribute('aria-label')).to.equal(
      'alice（你），麦克风已关闭，摄像头已关闭',
    );
    el.setAttribute('lang', 'ko');
    await waitUntil(() => button(el, 'leave').textContent!.trim() === '나가기', 'relabelled for ko', TIMEOUT);
    expect(button(el, 'leave').textContent!.trim()).to.equal('나가기');
    expect(button(el, 'screen').textContent!.trim()).to.equal('화면 공유');
    el.setAttribute('lang', 'fr');
    await waitUntil(() => button(el, 'leave').textContent!.trim() === 'Leave', 'relabelled for fr', TIMEOUT);
    expect(button(el, 'leave').textContent!.trim(), 'unknown: English').to.equal('Leave');
    el.strings = { leave: 'Hang up' };
    await el.updateComplete;
    expect(button(el, 'leave').textContent!.trim()).to.equal('Hang up');
    expect(button(el, 'camera').textContent!.trim()).to.equal('Camera');
  });

  it('an element without lang takes its closest ancestor’s', async () => {
    const emulator = createTrtcEmulator();
    const holder = document.createElement('div');
    holder.lang = 'zh-CN';
    document.body.append(holder);
    try {
      const el = document.createElement('trtc-room');
      el.sdk = emulator.sdk as TrtcRoom['sdk'];
      for (const [name, value] of Object.entries({
        controls: '',
        'sdk-app-id': '1400000001',
        'room-id': '43',
        'user-id': 'carol',
        'user-sig': 'sig',
      }))
        el.setAttribute(name, value);
      holder.append(el);
      await waitUntil(() => $(el, '[part="controls"]'), 'the bar', TIMEOUT);
      expect(button(el, 'leave').textContent!.trim()).to.equal('离开');
    } finally {
      holder.remove();
    }
  });
});

/** axe-core's browser build, loaded once as a script (it is not an ES module). */
async function loadAxe(): Promise<any> {
  const global = window as unknown as { axe?: unknown };
  if (!global.axe) {
    const script = Object.assign(document.createElement('script'), { src: '/node_modules/axe-core/axe.min.js' });
    await new Promise((resolve, reject) => {
      script.onload = resolve;
      script.onerror = () => reject(new Error('axe-core could not be loaded'));
      document.head.append(script);
    });
  }
  return global.axe;
}
