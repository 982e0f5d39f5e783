// Whether the store exists and is open, and who is using it: the gate in front of every
// screen. Any command failing with `locked` sends the practitioner back to Unlock.
import { appState, onLocked, type AppError, type AppStateReply } from './api';

export type Phase = 'starting' | 'failed' | 'first-run' | 'locked' | 'unlocked';

export const session = $state<{
  phase: Phase;
  practitioner: string | null;
  error: AppError | null;
  /** Why Unlock is showing again, when it was not the practitioner's choice. */
  lockedReason: string | null;
  lockAfterMinutes: number | null;
}>({ phase: 'starting', practitioner: null, error: null, lockedReason: null, lockAfterMinutes: null });

export function applyAppState(state: AppStateReply, lockedReason: string | null = null): void {
  session.practitioner = state.practitioner;
  session.error = null;
  session.lockedReason = state.unlocked ? null : lockedReason;
  session.phase = !state.initialised ? 'first-run' : state.unlocked ? 'unlocked' : 'locked';
}

export async function loadAppState(): Promise<void> {
  session.phase = 'starting';
  try {
    applyAppState(await appState());
  } catch (error) {
    session.error = error as AppError;
    session.phase = 'failed';
  }
}

onLocked((error) => {
  if (session.phase === 'unlocked') {
    session.lockedReason = error.message;
    session.phase = 'locked';
  }
});
