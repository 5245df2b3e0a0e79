/**
 * The doubles' volume evaluation, measured from the real audio they carry, as the SDKs measure it: trtc-js-sdk
 * 4.15.22 meters a track in its AudioWorklet "volume-meter" (a ScriptProcessor where worklets fail) on one shared
 * AudioContext and reports `Math.floor(100 * volume)`; trtc-sdk-v5 5.17.1 reports its tracks' audio level
 * the same way, `Math.floor(level * 100)`, 0 to 100. Here trtc-js-sdk's own AudioWorklet meter (a decaying
 * peak of the RMS) runs on one shared AudioContext, for both doubles (v5 reads the sender's stats for its local
 * level: a different source, the same scale). Like the SDKs' own context, it stays silent (0) while the browser
 * keeps audio suspended before a user gesture.
 */

let context: AudioContext | undefined;
let worklet: Promise<void> | undefined;
let meters = 0;

/**
 * trtc-js-sdk 4.15.22's AudioWorklet "volume-meter" (trtc.esm.js), as it ships: per render quantum, the RMS of the
 * first channel, held as a peak that decays by 0.95 a quantum, posted every `intervalTime` ms (200).
 */
const VOLUME_METER = `class VolumeMeter extends AudioWorkletProcessor{constructor(){super();this.volume=0;this.intervalTime=200;this.tick=this.intervalTime;this.isStop=false;this.port.onmessage=event=>{const{data}=event;switch(data.name){case'setIntervalTime':this.intervalTime=data.intervalTime;break;case'stop':this.isStop=true;break}}}process(inputs){const input=inputs[0];if(this.isStop){return false}if(input.length>0){const firstChannel=input[0];let sum=0;let rms;for(let i=0;i<firstChannel.length;++i){sum+=firstChannel[i]*firstChannel[i]}rms=Math.sqrt(sum/firstChannel.length);this.volume=Math.max(rms,this.volume*0.95);this.tick-=firstChannel.length;if(this.tick<0){this.tick+=(this.intervalTime/1000)*sampleRate;this.port.postMessage({volume:this.volume})}}return true}}registerProcessor('volume-meter',VolumeMeter);`;

/** A meter on one track: `level()` is its latest measured volume, 0 to 1 (0 until the meter runs). */
export interface VolumeMeter {
  level(): number;
  destroy(): void;
}

export function meterOf(track: MediaStreamTrack): VolumeMeter {
  const audio = (context ??= new AudioContext());
  // As the SDKs' meters: resumed when possible (refused before a user gesture, then silent).
  void audio.resume().catch(() => undefined);
  if (!worklet) {
    const url = URL.createObjectURL(new Blob([VOLUME_METER], { type: 'application/javascript' }));
    worklet = audio.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
  }
  const loaded = worklet;
  const source = audio.createMediaStreamSource(new MediaStream([track]));
  meters++;
  let volume = 0;
  let node: AudioWorkletNode | undefined;
  let destroyed = false;
  loaded.then(
    () => {
      if (destroyed) return;
      node = new AudioWorkletNode(audio, 'volume-meter');
      node.port.onmessage = (event: MessageEvent<{ volume?: number }>) => (volume = event.data.volume || 0);
      source.connect(node).connect(audio.destination);
    },
    // The page cannot run the worklet: the meter stays at 0, and says why (not when its context closed meanwhile).
    (error: unknown) => {
      if (!destroyed && audio.state !== 'closed')
        console.warn('The SDK double cannot measure audio volume (AudioWorklet failed):', error);
    },
  );
  return {
    level() {
      return destroyed || track.readyState === 'ended' ? 0 : Math.min(1, volume);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      node?.port.postMessage({ name: 'stop' });
      source.disconnect();
      node?.disconnect();
      // The last meter closes the shared context, as trtc-js-sdk's does.
      if (--meters === 0 && context) {
        void context.close().catch(() => undefined);
        context = undefined;
        worklet = undefined;
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
