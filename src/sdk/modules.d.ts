declare module 'trtc-js-sdk/trtc.esm.js' {
  const TRTC: unknown;
  export default TRTC;
}

// trtc-sdk-v5's browser ES module build; its package.json names only the UMD build (`main`), so the file is named here.
declare module 'trtc-sdk-v5/trtc.esm.js' {
  const TRTC: unknown;
  export default TRTC;
}
