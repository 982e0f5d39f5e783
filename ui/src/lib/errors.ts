// Every failure the UI meets, from the shell or from the UI itself, as one `{ kind, message }`
// shape, so screens decide what to offer by kind and show the message as it is.

import type { AppError, ErrorKind } from './bindings';

export type { AppError, ErrorKind };

// Every kind the shell sends, once: a Record over the generated ErrorKind fails the type check
// when Rust adds or drops one.
const KINDS: Record<ErrorKind, true> = {
  wrong_passphrase: true,
  not_initialised: true,
  already_initialised: true,
  locked: true,
  not_found: true,
  invalid_input: true,
  model_missing: true,
  no_server: true,
  server_refused: true,
  disk_full: true,
  busy: true,
  audio_device: true,
  internal: true,
};

export const ERROR_KINDS: readonly ErrorKind[] = Object.keys(KINDS) as ErrorKind[];

const FALLBACK_MESSAGE = 'Something went wrong inside Doorstep. Please try again.';

function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

function readable(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' ? FALLBACK_MESSAGE : trimmed;
}

/** True for a value that already has our shape. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return isErrorKind(record.kind) && typeof record.message === 'string';
}

/**
 * Turns anything a promise rejected with into an AppError. Our own shape passes through; any
 * other (a string from Tauri itself, an Error, an unknown kind) becomes `internal` with the most
 * readable message it carries.
 */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) return { kind: reason.kind, message: readable(reason.message) };
  if (typeof reason === 'string') return { kind: 'internal', message: readable(reason) };
  if (reason instanceof Error) return { kind: 'internal', message: readable(reason.message) };
  if (typeof reason === 'object' && reason !== null) {
    const message = (reason as Record<string, unknown>).message;
    if (typeof message === 'string') return { kind: 'internal', message: readable(message) };
  }
  return { kind: 'internal', message: FALLBACK_MESSAGE };
}

/** An error the UI raises itself, in the same shape as the shell's. */
export function appError(kind: ErrorKind, message: string): AppError {
  return { kind, message };
}
