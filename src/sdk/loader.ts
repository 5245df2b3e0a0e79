import type { SdkGeneration } from '../config.js';
import { messageOf, type SdkAdapter } from './adapter.js';
import { registeredImporter } from './importers.js';
import { isV4Namespace, V4Adapter, type TrtcV4Namespace } from './v4.js';
import { isV5Sdk, V5Adapter, type TrtcV5Sdk } from './v5.js';

/** What `el.sdk` accepts: trtc-js-sdk v4's namespace or trtc-sdk-v5's `TRTC` class (each package's default export). */
export type TrtcSdk = TrtcV4Namespace | TrtcV5Sdk;

// Keyed by every SdkGeneration (the compiler holds it to config.ts's list): the loader's own check reads it, so the
// first-join chunk shares nothing with the entry but its types.
const PACKAGE_OF: Record<SdkGeneration, string> = { v4: 'trtc-js-sdk', v5: 'trtc-sdk-v5' };

/** Wraps an SDK object in the adapter for its generation, told apart by what it offers. */
export function adapterFor(sdk: unknown): SdkAdapter | undefined {
  if (isV4Namespace(sdk)) return new V4Adapter(sdk);
  if (isV5Sdk(sdk)) return new V5Adapter(sdk);
  return undefined;
}

export { setDefaultSdkImporter } from './importers.js';

/** trtc-js-sdk is a dependency: its import is built in. trtc-sdk-v5's is registered by `trtc-room/sdk-v5`. */
const importV4 = async () => (await import('trtc-js-sdk/trtc.esm.js')).default;

/**
 * Finds the SDK to use: the element's `sdk` property, else a global `TRTC` (a page that already
 * includes the SDK's script), else the lazily imported package of the chosen generation. A failed
 * import is not cached, so a later join tries again.
 */
export async function loadAdapter(explicit: unknown, generation: SdkGeneration = 'v4'): Promise<SdkAdapter> {
  if (explicit !== undefined && explicit !== null) {
    const adapter = adapterFor(explicit);
    if (!adapter) {
      throw new TypeError(
        'The sdk property is set to something that is not a TRTC SDK: give trtc-js-sdk (v4, with createClient()) or trtc-sdk-v5 (the TRTC class, with create() and EVENT).',
      );
    }
    return adapter;
  }
  const globalSdk = adapterFor((globalThis as { TRTC?: unknown }).TRTC);
  if (globalSdk) return globalSdk;
  if (!Object.keys(PACKAGE_OF).includes(generation)) {
    throw new TypeError(`sdk must be "v4" or "v5"; got ${JSON.stringify(generation)}.`);
  }
  const packageName = PACKAGE_OF[generation];
  const importer = registeredImporter(generation) ?? (generation === 'v4' ? importV4 : undefined);
  if (!importer) {
    // Only v5 can be missing: its import is opt-in, so that v4 apps never reference the optional peer.
    throw new Error(
      `sdk="v5" needs trtc-sdk-v5, and this page has not opted in to importing it: add import 'trtc-room/sdk-v5' (with ${packageName} installed: npm install ${packageName}), or set the element's sdk property to trtc-sdk-v5's TRTC.`,
    );
  }
  let imported: unknown;
  try {
    imported = await importer();
  } catch (error) {
    const hint =
      generation === 'v5' ? ` Install it next to trtc-room (npm install ${packageName}) or set the sdk property.` : '';
    throw new Error(`${packageName} could not be imported (${messageOf(error, 'unknown error')}).${hint}`, {
      cause: error,
    });
  }
  const adapter = adapterFor(imported);
  if (!adapter || adapter.generation !== generation) {
    throw new TypeError(
      `The imported ${packageName} module is not the ${generation} SDK it should be (no ${generation === 'v4' ? 'createClient()' : 'create() and EVENT'}).`,
    );
  }
  return adapter;
}
