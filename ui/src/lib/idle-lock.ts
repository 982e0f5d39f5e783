// Locks the store after the practitioner's chosen minutes without a touch or a key press
// (not while `allowed` says no: mid-recording, say). Returns the function that stops it.
import { lock } from './api';
import { plural } from './format';
import { applyAppState } from './session.svelte';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export function startIdleLock(minutes: number, allowed: () => boolean): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(fire, minutes * 60_000);
  };
  const fire = () => {
    if (!allowed()) {
      arm();
      return;
    }
    lock()
      .then((state) => applyAppState(state, `Doorstep locked itself after ${plural(minutes, 'minute')} without use.`))
      .catch(arm);
  };
  for (const name of ACTIVITY) window.addEventListener(name, arm, { passive: true });
  arm();
  return () => {
    clearTimeout(timer);
    for (const name of ACTIVITY) window.removeEventListener(name, arm);
  };
}
