/**
 * The doubles' volume evaluation, measured from the real audio they carry, as the SDKs measure it: trtc-js-sdk
 * 4.15.22 reads the RMS of the latest 2048 samples of a track (a ScriptProcessor or AudioWorklet "volume-meter" on
 * one shared AudioContext) and reports `Math.floor(100 * rms)`; trtc-sdk-v5 5.17.1 reports its tracks' audio level
 * the same way, `Math.floor(level * 100)`, 0 to 100. Here an AnalyserNode of 2048 samples on one shared
 * AudioContext reads the same RMS when asked. Like the SDKs' own context, it stays silent (0) while the browser
 * keeps audio suspended before a user gesture.
 */

let context: AudioContext | undefined;
let meters = 0;

/** A meter on one track: `level()` is the RMS (0 to 1) of its latest 2048 samples. */
export interface VolumeMeter {
  level(): number;
  destroy(): void;
}

export function meterOf(track: MediaStreamTrack): VolumeMeter {
  context ??= new AudioContext();
  // As the SDKs' meters: resumed when possible (refused before a user gesture, then silent).
  void context.resume().catch(() => undefined);
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  meters++;
  let destroyed = false;
  return {
    level() {
      if (destroyed || track.readyState === 'ended') return 0;
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      return Math.min(1, Math.sqrt(sum / samples.length));
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      source.disconnect();
      // The last meter closes the shared context, as trtc-js-sdk's does.
      if (--meters === 0) {
        void context?.close().catch(() => undefined);
        context = undefined;
      }
    },
  };
}

/**
 * The SDKs' timer for `audio-volume`: trtc-js-sdk runs it on requestAnimationFrame at `1000 / interval` fps and
 * trtc-sdk-v5 in a worker interval; here a plain interval (so, unlike the SDKs, it also runs in a background tab).
 */
export function everyInterval(intervalMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
