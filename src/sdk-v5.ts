/**
 * `import 'trtc-room/sdk-v5'`: the element, plus the lazy import of trtc-sdk-v5 that `sdk="v5"` uses at the
 * first join. Opt in only with trtc-sdk-v5 installed: this is the one module of the package that names it.
 * (`el.sdk = TRTC` from trtc-sdk-v5 needs no such import.) The CDN bundle is built from this entry.
 */
import { setDefaultSdkImporter } from './sdk/importers.js';

import './index.js'; // defines <trtc-room>

export * from './index.js';

setDefaultSdkImporter(async () => (await import('trtc-sdk-v5/trtc.esm.js')).default, 'v5');
