import type { SdkGeneration } from '../config.js';

/**
 * SDK imports registered from outside the loader. trtc-sdk-v5 is an optional peer, so the default entry never
 * names it (a bundler or dev server would try to resolve it in every v4 app): `trtc-room/sdk-v5` registers
 * its importer here, and the CDN bundle is built from that entry. Tests replace imports here too. Kept apart
 * from the loader, which is imported at the first join, so that registering costs the entry a few bytes only.
 */
const registered: Partial<Record<SdkGeneration, () => Promise<unknown>>> = {};

/** The importer registered for `generation`, if any. */
export const registeredImporter = (generation: SdkGeneration) => registered[generation];

/**
 * Sets the lazy import of one generation (v4 unless told); `undefined` falls back to the built-in one (v4's;
 * v5 has none). Returns a function that restores the previous one.
 */
export function setDefaultSdkImporter(
  importer: (() => Promise<unknown>) | undefined,
  generation: SdkGeneration = 'v4',
): () => void {
  const previous = registered[generation];
  registered[generation] = importer;
  return () => {
    registered[generation] = previous;
  };
}
