import type { SdkAdapter } from './adapter.js';
import { isV4Namespace, V4Adapter, type TrtcV4Namespace } from './v4.js';

/** What `el.sdk` accepts: an SDK namespace such as trtc-js-sdk v4's default export. */
export type TrtcSdk = TrtcV4Namespace;

/** Wraps an SDK object in the adapter for its generation, told apart by what it offers. */
export function adapterFor(sdk: unknown): SdkAdapter | undefined {
  if (isV4Namespace(sdk)) return new V4Adapter(sdk);
  return undefined;
}

/** Imports the bundled SDK. Replaceable so tests can make the import fail. */
export let importDefaultSdk = async (): Promise<unknown> => (await import('trtc-js-sdk/trtc.esm.js')).default;

export function setDefaultSdkImporter(importer: () => Promise<unknown>): () => void {
  const previous = importDefaultSdk;
  importDefaultSdk = importer;
  return () => {
    importDefaultSdk = previous;
  };
}

/**
 * Finds the SDK to use: the element's `sdk` property, else a global `TRTC` (a page that already
 * includes the SDK's script), else the lazily imported trtc-js-sdk. A failed import is not cached,
 * so a later join tries again.
 */
export async function loadAdapter(explicit: unknown): Promise<SdkAdapter> {
  if (explicit !== undefined && explicit !== null) {
    const adapter = adapterFor(explicit);
    if (!adapter) throw new TypeError('The sdk property is set to something that is not a TRTC SDK (it has no createClient()).');
    return adapter;
  }
  const globalSdk = adapterFor((globalThis as { TRTC?: unknown }).TRTC);
  if (globalSdk) return globalSdk;
  const imported = adapterFor(await importDefaultSdk());
  if (!imported) throw new TypeError('The imported trtc-js-sdk module has no createClient().');
  return imported;
}
