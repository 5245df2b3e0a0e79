/**
 * The doubles' wait between reconnection attempts. In Node (the networked doubles under `node --test`, a script),
 * the timer is unref'd: a client retrying against an emulator that has gone for good must not keep the process
 * alive, as an open socket would not either once it failed. In a page it is a plain timer.
 */
export function retryPause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer: unknown = setTimeout(resolve, ms);
    (timer as { unref?: () => void }).unref?.();
  });
}
