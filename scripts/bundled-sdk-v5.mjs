// A dev-server plugin that serves trtc-sdk-v5's ES module build bundled, as an app's bundler would.
// The build imports webrtc-adapter, whose `module` entry imports the CommonJS `sdp`: a browser cannot load
// that graph unbundled, so the test runner (which serves node_modules as-is) hands it out through esbuild.
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const SDK_FILE = 'trtc-sdk-v5/trtc.esm.js';

export function bundledTrtcSdkV5() {
  const entry = createRequire(import.meta.url).resolve(SDK_FILE);
  let bundle;
  return {
    name: 'bundled-trtc-sdk-v5',
    async serve(context) {
      if (!context.path.endsWith(`/node_modules/${SDK_FILE}`)) return undefined;
      bundle ??= build({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        target: 'es2021',
        write: false,
        logLevel: 'silent',
      }).then((result) => result.outputFiles[0].text);
      return { body: await bundle, type: 'js' };
    },
  };
}
