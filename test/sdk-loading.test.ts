import { expect } from '@open-wc/testing';
import { setDefaultSdkImporter } from '../src/sdk/loader.js';
import { FakeTrtc } from './doubles/fake-trtc.js';
import { FakeTrtcV5 } from './doubles/fake-trtc-v5.js';
import { GENERATIONS, V4, V5 } from './support/generations.js';
import { record, settle, types, VALID } from './support/room.js';
import type { TrtcRoom } from '../src/index.js';

function bare(attributes: Record<string, string> = VALID): TrtcRoom {
  const el = document.createElement('trtc-room');
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

/** Restores the lazy imports a test replaced; run after each test. */
const restoreImporters: Array<() => void> = [];
afterEach(() =>
  restoreImporters
    .splice(0)
    .reverse()
    .forEach((restore) => restore()),
);

/** Replaces one generation's lazy import for the current test. */
function stubImport(importer: (() => Promise<unknown>) | undefined, generation: 'v4' | 'v5'): void {
  restoreImporters.push(setDefaultSdkImporter(importer, generation));
}

/** Replaces both lazy imports for the current test, counting each; a generation given no SDK must not be imported. */
function stubImports(sdks: { v4?: unknown; v5?: unknown }) {
  const imported = { v4: 0, v5: 0 };
  for (const generation of ['v4', 'v5'] as const) {
    stubImport(async () => {
      imported[generation] += 1;
      if (sdks[generation] === undefined) throw new Error(`must not import ${generation}`);
      return sdks[generation];
    }, generation);
  }
  return { imported };
}

describe('which SDK the element uses', () => {
  afterEach(() => {
    delete (globalThis as { TRTC?: unknown }).TRTC;
  });

  for (const gen of GENERATIONS) {
    it(`uses a global TRTC of ${gen.name} when no sdk property is set, importing nothing`, async () => {
      const global = gen.sdk();
      (globalThis as { TRTC?: unknown }).TRTC = global;
      const { imported } = stubImports({});
      const el = bare();
      document.body.append(el);
      await settle(el);
      expect(el.state).to.equal('joined');
      expect(global.clients).to.have.length(1);
      expect(gen.sdkJoins(global)).to.deep.equal([gen.expectedJoin({ roomId: 1234 })]);
      expect(imported).to.deep.equal({ v4: 0, v5: 0 });
    });

    for (const other of GENERATIONS) {
      it(`prefers the sdk property (${gen.name}) over a global TRTC (${other.name})`, async () => {
        const global = other.sdk();
        (globalThis as { TRTC?: unknown }).TRTC = global;
        const own = gen.sdk();
        const el = bare();
        el.sdk = own;
        document.body.append(el);
        await settle(el);
        expect(own.clients).to.have.length(1);
        expect(global.clients).to.have.length(0);
      });
    }

    it(`a failing import of ${gen.name} gives sdk-load-failed, and a later join() tries again`, async () => {
      const sdk = gen.sdk();
      let attempts = 0;
      stubImport(async () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
        return sdk;
      }, gen.name);
      const el = bare({ ...VALID, sdk: gen.name });
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
      expect(sdk.clients).to.have.length(1);
    });
  }

  it('imports trtc-js-sdk (v4) by default, and never trtc-sdk-v5', async () => {
    const v4 = new FakeTrtc();
    const { imported } = stubImports({ v4 });
    const el = bare();
    expect(el.sdkGeneration).to.equal('v4');
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(imported).to.deep.equal({ v4: 1, v5: 0 });
    expect(v4.clients).to.have.length(1);
  });

  it('sdk="v5" imports trtc-sdk-v5 at the first join, and never trtc-js-sdk', async () => {
    const v5 = new FakeTrtcV5();
    const { imported } = stubImports({ v5 });
    const { 'user-sig': _, ...incomplete } = VALID;
    const el = bare({ ...incomplete, sdk: 'v5' });
    expect(el.sdkGeneration).to.equal('v5');
    document.body.append(el);
    await settle(el);
    expect(imported, 'nothing is imported before the first join').to.deep.equal({ v4: 0, v5: 0 });
    el.setAttribute('user-sig', VALID['user-sig']);
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(imported).to.deep.equal({ v4: 0, v5: 1 });
    expect(V5.sdkJoins(v5)).to.deep.equal([V5.expectedJoin({ roomId: 1234 })]);
  });

  it('the sdkGeneration property selects the generation too, and wins over the attribute', async () => {
    const v5 = new FakeTrtcV5();
    const { imported } = stubImports({ v5 });
    const el = bare({ ...VALID, sdk: 'v4' });
    el.sdkGeneration = 'v5';
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(imported).to.deep.equal({ v4: 0, v5: 1 });
  });

  it('an sdk property is used whatever generation the attribute names: the object is told apart by what it offers', async () => {
    const { imported } = stubImports({});
    for (const [gen, attribute] of [
      [V5, 'v4'],
      [V4, 'v5'],
    ] as const) {
      const own = gen.sdk();
      const el = bare({ ...VALID, sdk: attribute });
      el.sdk = own;
      document.body.append(el);
      await settle(el);
      expect(el.state, gen.name).to.equal('joined');
      expect(gen.sdkJoins(own)).to.deep.equal([gen.expectedJoin({ roomId: 1234 })]);
      el.remove();
    }
    expect(imported).to.deep.equal({ v4: 0, v5: 0 });
  });

  it('an invalid sdk attribute is invalid-config on field sdk, imports nothing, and fixing it joins', async () => {
    const v5 = new FakeTrtcV5();
    const { imported } = stubImports({ v5 });
    const el = bare({ ...VALID, sdk: 'v6' });
    const events = record(el);
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('error');
    const error = events.find((e) => e.type === 'error')!;
    expect(error.detail).to.include({ code: 'invalid-config', field: 'sdk' });
    expect(error.detail.message).to.contain('"v4" or "v5"');
    expect(imported).to.deep.equal({ v4: 0, v5: 0 });
    el.setAttribute('sdk', 'v5');
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(imported).to.deep.equal({ v4: 0, v5: 1 });
  });

  it('with an sdk property the sdk attribute chooses nothing: a stale "[object Object]" (React 19 before the tag is defined) does not block the join', async () => {
    const { imported } = stubImports({});
    // React 19 writes an object prop as an attribute while the tag is undefined, then sets the property once it is.
    const el = bare({ ...VALID, sdk: '[object Object]' });
    const events = record(el);
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('error');
    expect(events.find((e) => e.type === 'error')!.detail).to.include({ code: 'invalid-config', field: 'sdk' });
    const sdk = new FakeTrtc();
    el.sdk = sdk;
    await settle(el);
    expect(el.state).to.equal('joined');
    expect(sdk.clients).to.have.length(1);
    expect(imported).to.deep.equal({ v4: 0, v5: 0 });
  });

  it('without import \'trtc-room/sdk-v5\', sdk="v5" and no sdk object is sdk-load-failed naming both fixes, and imports nothing', async () => {
    // This file does not import src/sdk-v5.ts: v5 has no importer here, as in an app that did not opt in.
    const { imported } = stubImports({});
    stubImport(undefined, 'v5');
    const el = bare({ ...VALID, sdk: 'v5' });
    const events = record(el);
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('error');
    const error = events.find((e) => e.type === 'error')!;
    expect(error.detail.code).to.equal('sdk-load-failed');
    expect(error.detail.message)
      .to.contain("import 'trtc-room/sdk-v5'")
      .and.contain("sdk property to trtc-sdk-v5's TRTC");
    expect(imported).to.deep.equal({ v4: 0, v5: 0 });
    // The second fix: the SDK object itself, with no import.
    const v5 = V5.sdk();
    el.sdk = v5;
    await el.join();
    expect(el.state).to.equal('joined');
    expect(V5.sdkJoins(v5)).to.deep.equal([V5.expectedJoin({ roomId: 1234 })]);
  });

  it('a failing import of trtc-sdk-v5 says how to fix it: install the optional peer dependency', async () => {
    stubImport(
      () => Promise.reject(new TypeError('Failed to resolve module specifier "trtc-sdk-v5/trtc.esm.js"')),
      'v5',
    );
    const el = bare({ ...VALID, sdk: 'v5' });
    const events = record(el);
    document.body.append(el);
    await settle(el);
    const error = events.find((e) => e.type === 'error')!;
    expect(error.detail.code).to.equal('sdk-load-failed');
    expect(error.detail.message).to.contain('trtc-sdk-v5').and.contain('npm install trtc-sdk-v5');
  });

  it('an imported module that is not the selected generation gives sdk-load-failed', async () => {
    stubImports({ v5: new FakeTrtc() });
    const el = bare({ ...VALID, sdk: 'v5' });
    const events = record(el);
    document.body.append(el);
    await settle(el);
    expect(el.state).to.equal('error');
    expect(events.find((e) => e.type === 'error')!.detail.code).to.equal('sdk-load-failed');
  });
});
