// Every command of docs/app-ipc.md has a wrapper in api.ts that invokes it by that name with
// exactly the argument names the contract lists; the test reads the contract itself, so it
// fails when either side changes alone.
import { readFileSync } from 'node:fs';

import { afterEach, beforeAll, describe, expect, test } from 'vitest';

import type * as Api from '../../src/lib/api';

Object.assign(globalThis, { window: globalThis });
const { clearMocks, mockIPC } = await import('@tauri-apps/api/mocks');
const api: typeof Api = await import('../../src/lib/api');

const contract = readFileSync(new URL('../../../docs/app-ipc.md', import.meta.url), 'utf8');

/** Command name → argument names, from the contract's tables. */
function contractCommands(): Map<string, string[]> {
  const commands = new Map<string, string[]>();
  for (const line of contract.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const names = [...(cells[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? '');
    if (names.length === 0 || !/^`[a-z_]+`/.test(cells[1] ?? '')) continue;
    const argsCell = /`([^`]*)`/.exec(cells[2] ?? '')?.[1] ?? '';
    const args = argsCell
      .split(',')
      .map((part) => part.split(':')[0]?.trim() ?? '')
      .filter((name) => /^[a-zA-Z]+$/.test(name));
    for (const name of names) commands.set(name, args);
  }
  return commands;
}

const noop = () => undefined;
const calls: Record<string, () => Promise<unknown>> = {
  app_state: () => api.appState(),
  create_store: () => api.createStore('Sam', 'passphrase'),
  unlock: () => api.unlock('passphrase'),
  lock: () => api.lock(),
  today: () => api.today(),
  people: () => api.people(),
  add_person: () => api.addPerson('Joan Platt', ['Mrs P'], null),
  start_recording: () => api.startRecording(null, noop),
  pause_recording: () => api.pauseRecording(),
  resume_recording: () => api.resumeRecording(),
  stop_recording: () => api.stopRecording(),
  transcribe_recording: () => api.transcribeRecording('rec-1', 'p-1', noop),
  ingest_file: () => api.ingestFile('/tmp/a.wav', 'p-1', noop),
  add_note: () => api.addNote('p-1', 'text', null),
  note: () => api.note('n-1'),
  edit_note: () => api.editNote('n-1', 'text'),
  set_own_words: () => api.setOwnWords('n-1', [{ start: 0, end: 1 }]),
  review_theme: () => api.reviewTheme('n-1', 'alcohol', 'confirm'),
  approve_note: () => api.approveNote('n-1', ['Karen']),
  segment_audio: () => api.segmentAudio('n-1', 0),
  person: () => api.person('p-1'),
  ecomap: () => api.ecomap('p-1'),
  confirm_ecomap: () => api.confirmEcomap('p-1', []),
  ecomap_diff: () => api.ecomapDiff('p-1', 1, 2),
  chronology: () => api.chronology('p-1', null),
  themes: () => api.themes(),
  search: () => api.search('drinking', 20),
  sync_status: () => api.syncStatus(),
  sync_now: () => api.syncNow(null, noop),
  settings: () => api.settings(),
  save_settings: () => api.saveSettings({ retention: 'keep', model: 'base.en', lockAfterMinutes: 5 }),
  models: () => api.models(),
  download_model: () => api.downloadModel('base.en', noop),
  import_model: () => api.importModel('/tmp/ggml-base.en.bin'),
};

afterEach(() => clearMocks());

describe('the IPC contract', () => {
  let commands: Map<string, string[]>;
  beforeAll(() => {
    commands = contractCommands();
  });

  test('the contract was read', () => {
    expect(commands.size).toBeGreaterThanOrEqual(33);
    expect(commands.get('transcribe_recording')).toEqual(['recordingId', 'subject', 'onEvent']);
    expect(commands.get('app_state')).toEqual([]);
  });

  test('every command has a wrapper, and no wrapper calls a command the contract lacks', () => {
    expect(Object.keys(calls).sort()).toEqual([...commands.keys()].sort());
  });

  test('each wrapper invokes its command with exactly the contract’s argument names', async () => {
    for (const [command, expected] of commands) {
      let seen: { cmd: string; args: Record<string, unknown> } | null = null;
      mockIPC((cmd, args) => {
        seen = { cmd, args: (args ?? {}) as Record<string, unknown> };
        return null;
      });
      await calls[command]?.();
      expect(seen, command).not.toBeNull();
      const { cmd, args } = seen as unknown as { cmd: string; args: Record<string, unknown> };
      expect(cmd).toBe(command);
      expect(Object.keys(args).sort(), command).toEqual([...expected].sort());
    }
  });
});

describe('wrappers', () => {
  test('a rejection that is not our shape becomes internal', async () => {
    mockIPC(() => Promise.reject('Command today not found'));
    await expect(api.today()).rejects.toEqual({ kind: 'internal', message: 'Command today not found' });
  });

  test('our errors pass through, and locked ones reach the listener', async () => {
    const heard: string[] = [];
    api.onLocked((error) => heard.push(error.message));
    mockIPC(() => Promise.reject({ kind: 'locked', message: 'Doorstep is locked.' }));
    await expect(api.people()).rejects.toEqual({ kind: 'locked', message: 'Doorstep is locked.' });
    expect(heard).toEqual(['Doorstep is locked.']);
    api.onLocked(null);
  });

  test('channel messages reach the callback, in order', async () => {
    const internals = (globalThis as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } }).__TAURI_INTERNALS__;
    mockIPC((_cmd, args) => {
      const { id } = (args as { onEvent: { id: number } }).onEvent;
      internals.runCallback(id, { index: 1, message: { event: 'resumed' } });
      internals.runCallback(id, { index: 0, message: { event: 'paused' } });
      return { recordingId: 'rec-9' };
    });
    const events: string[] = [];
    await expect(api.startRecording('p-1', (e) => events.push(e.event))).resolves.toEqual({ recordingId: 'rec-9' });
    expect(events).toEqual(['paused', 'resumed']);
  });
});
