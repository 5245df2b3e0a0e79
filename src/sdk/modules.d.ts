declare module 'trtc-js-sdk/trtc.esm.js' {
  const TRTC: unknown;
  export default TRTC;
}
