// Any rejection becomes a readable { kind, message }, and each kind a practitioner can act on
// comes with advice.
import { describe, expect, test } from 'vitest';

import { adviceFor } from '../../src/lib/advice';
import { ERROR_KINDS, isAppError, toAppError } from '../../src/lib/errors';

describe('toAppError', () => {
  test('our own shape passes through', () => {
    const error = { kind: 'wrong_passphrase', message: 'That passphrase does not open this device.' };
    expect(toAppError(error)).toEqual(error);
    expect(isAppError(error)).toBe(true);
  });

  test('a plain string from Tauri becomes internal with that text', () => {
    expect(toAppError('Command foo not found')).toEqual({ kind: 'internal', message: 'Command foo not found' });
  });

  test('an Error keeps its message', () => {
    expect(toAppError(new TypeError('x is undefined'))).toEqual({ kind: 'internal', message: 'x is undefined' });
  });

  test('an unknown kind is internal but keeps a readable message', () => {
    expect(toAppError({ kind: 'exploded', message: 'The disk is on fire.' })).toEqual({
      kind: 'internal',
      message: 'The disk is on fire.',
    });
    expect(isAppError({ kind: 'exploded', message: 'x' })).toBe(false);
  });

  test('anything else gets a calm sentence, never "undefined" or "[object Object]"', () => {
    for (const reason of [undefined, null, 42, {}, { kind: 'busy' }, '   ', { message: '' }]) {
      const error = toAppError(reason);
      expect(error.kind).toBe('internal');
      expect(error.message).toMatch(/^Something went wrong inside Doorstep/);
    }
  });

  test('a known kind with an empty message still reads', () => {
    expect(toAppError({ kind: 'busy', message: '' })).toEqual({
      kind: 'busy',
      message: 'Something went wrong inside Doorstep. Please try again.',
    });
  });
});

describe('adviceFor', () => {
  test('the kinds a practitioner can act on say what to do', () => {
    expect(adviceFor('model_missing')).toMatch(/Settings/);
    expect(adviceFor('audio_device')).toMatch(/microphone/);
    expect(adviceFor('no_server')).toMatch(/server/);
  });

  test('every kind is a known one', () => {
    expect(ERROR_KINDS).toHaveLength(13);
    expect(adviceFor('invalid_input')).toBeNull();
  });
});
