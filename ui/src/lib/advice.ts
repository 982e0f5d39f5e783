// What a practitioner can do next about each kind of error: the shell's message says what
// happened, this says what to try. Kept apart so every screen gives the same advice.
import type { ErrorKind } from './errors';

const ADVICE: Partial<Record<ErrorKind, string>> = {
  wrong_passphrase: 'Check the passphrase and try again. Capital letters matter.',
  locked: 'Doorstep has locked itself. Unlock it with your passphrase to carry on.',
  not_found: 'It may have been removed on another device. Go back and try again.',
  model_missing:
    'Transcription needs a speech model on this device. Download or import one in Settings, then try again. Your recording is kept safely.',
  no_server:
    "Enter your organisation's sync server address, then choose Sync now. Your IT team can tell you what it is.",
  server_refused:
    'The server would not accept this device. Ask your IT team to check the device is registered.',
  disk_full: 'Free some space on the device (old downloads, photos or apps you no longer use), then try again.',
  busy: 'Doorstep is still finishing something else. Wait a moment, then try again.',
  audio_device:
    'Check that a microphone is connected and that Doorstep is allowed to use it (on a phone: Settings, Apps, Doorstep, Permissions), then try again.',
  internal: 'Try again. If it keeps happening, tell your IT team what you were doing.',
};

export function adviceFor(kind: ErrorKind): string | null {
  return ADVICE[kind] ?? null;
}
