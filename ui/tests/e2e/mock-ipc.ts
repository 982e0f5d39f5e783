// A stand-in for the Rust shell, injected into the page before the UI loads: it installs
// `window.__TAURI_INTERNALS__` the way `@tauri-apps/api/mocks` does (invoke, transformCallback
// and the callbacks behind Channels) and answers every command of docs/app-ipc.md from an
// in-memory caseload. Tests steer it through `window.__DOORSTEP_MOCK__`.
import { mergeSpans } from '../../src/lib/spans';
import { charLength, sliceChars } from '../../src/lib/text-offsets';
import type { AppError } from '../../src/lib/errors';
import type {
  ChronologyEntry,
  DownloadEvent,
  Hit,
  NoteDetail,
  NoteSummary,
  PersonSummary,
  RecordEvent,
  Settings,
  Span,
  SyncEvent,
  Tie,
  TranscribeEvent,
} from '../../src/lib/types';
import {
  caseload,
  drawEcomap,
  evidence,
  initialModels,
  initialSettings,
  initialSync,
  THEMES,
  themeChip,
  transcript,
} from './fixtures';
import { DEFAULT_PASSPHRASE, type MockCall, type MockConfig, type MockControl } from './mock-config';

type Args = Record<string, unknown>;
type Callback = (data: unknown) => void;

declare global {
  interface Window {
    __DOORSTEP_MOCK_CONFIG__?: MockConfig;
    __DOORSTEP_MOCK__?: MockControl;
    __TAURI_INTERNALS__?: Record<string, unknown>;
  }
}

const config: MockConfig = window.__DOORSTEP_MOCK_CONFIG__ ?? {};
const delayMs = config.delayMs ?? 30;
const failures: Record<string, AppError> = { ...(config.fail ?? {}) };
const held = new Set(config.hold ?? []);
const releases = new Map<string, () => void>();
const calls: MockCall[] = [];

const store = {
  initialised: config.initialised ?? true,
  unlocked: config.unlocked ?? false,
  practitioner: (config.initialised ?? true) ? 'Sam Taylor' : (null as string | null),
  passphrase: config.passphrase ?? DEFAULT_PASSPHRASE,
  ...caseload(config.empty ?? false),
  sync: { ...initialSync(), ...(config.sync ?? {}) },
  settings: initialSettings(),
  models: initialModels(),
  recording: null as null | { id: string; elapsedMs: number; paused: boolean; timer: number; send: (m: RecordEvent) => void },
  recordings: new Map<string, { audioMs: number; subject: string | null }>(),
  nextId: 1,
};

const callbacks = new Map<number, Callback>();
let nextCallback = 1;

function error(kind: AppError['kind'], message: string): AppError {
  return { kind, message };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Stops a stream half-way when the test asked to hold this command, until it releases it. */
function gate(command: string): Promise<void> {
  if (!held.has(command)) return Promise.resolve();
  return new Promise((resolve) => releases.set(command, resolve));
}

/** A function that sends messages down the Channel passed as `onEvent`, in order, each of the
 * generated event type the shell's channel carries. */
function channel<E>(value: unknown): (message: E) => void {
  let id: number | null = null;
  if (typeof value === 'object' && value !== null && 'id' in value) id = Number((value as { id: number }).id);
  else if (typeof value === 'string' && value.startsWith('__CHANNEL__:')) id = Number(value.slice(12));
  if (id === null) throw error('internal', 'onEvent is not a channel');
  const channelId = id;
  let index = 0;
  return (message) => callbacks.get(channelId)?.({ index: index++, message });
}

function summary(note: NoteDetail): NoteSummary {
  return {
    id: note.id,
    externalId: note.externalId,
    subjectId: note.subjectId,
    subject: note.subject,
    date: note.date,
    source: note.source,
    status: note.status,
    preview: note.text.length > 90 ? `${note.text.slice(0, 90)}…` : note.text,
    themes: note.themes.filter((t) => t.review !== 'rejected').map((t) => t.id),
    hasAudio: note.hasAudio,
  };
}

function byDateDesc(a: { date: string | null }, b: { date: string | null }): number {
  return (b.date ?? '').localeCompare(a.date ?? '');
}

function personSummary(id: string): PersonSummary {
  const person = store.people.find((p) => p.id === id);
  if (!person) throw error('not_found', 'That person is not on this device.');
  const notes = store.notes.filter((n) => n.subjectId === id).sort(byDateDesc);
  const { dob: _dob, ...rest } = person;
  return { ...rest, notes: notes.length, lastNote: notes[0]?.date ?? null };
}

function findNote(id: unknown): NoteDetail {
  const note = store.notes.find((n) => n.id === id);
  if (!note) throw error('not_found', 'That note is not on this device.');
  return note;
}

function draft(id: unknown): NoteDetail {
  const note = findNote(id);
  if (note.status !== 'draft') throw error('invalid_input', 'This note is approved and can no longer be changed.');
  return note;
}

function resolvePerson(subject: unknown): { id: string; name: string } {
  if (typeof subject !== 'string' || subject.trim() === '') throw error('invalid_input', 'Choose who the note is about.');
  const found = store.people.find(
    (p) => p.id === subject || p.name.toLowerCase() === subject.toLowerCase() || p.aliases.includes(subject),
  );
  if (!found) throw error('not_found', `There is nobody called ${subject} on this device.`);
  return found;
}

function appState() {
  return { initialised: store.initialised, unlocked: store.unlocked, practitioner: store.practitioner };
}

function requireUnlocked() {
  if (!store.initialised) throw error('not_initialised', 'Doorstep is not set up on this device yet.');
  if (!store.unlocked) throw error('locked', 'Doorstep is locked.');
}

/** A short WAV of silence, as `segment_audio` would send for a segment. */
function silentWav(ms: number): string {
  const rate = 8000;
  const samples = Math.round((rate * ms) / 1000);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples * 2, true);
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return `data:audio/wav;base64,${btoa(binary)}`;
}

function ecomapView(personId: string) {
  const person = personSummary(personId);
  const state = store.ecomaps[personId] ?? { versions: [], proposed: [] };
  const latest = state.versions[state.versions.length - 1];
  const ties = latest?.ties ?? [];
  const describe = (t: Tie) => `${t.who}${t.role ? ` (${t.role})` : ''}: ${t.quality} tie, ${t.support === 'to_subject' ? `supports ${person.name}` : t.support === 'both' ? 'support both ways' : t.support === 'from_subject' ? `${person.name} supports them` : 'no support noted'}.`;
  return {
    personId,
    person: person.name,
    svg: config.svg ?? drawEcomap(person.name, ties),
    description: ties.length ? `${person.name} has ${ties.length} ties.\n${ties.map(describe).join('\n')}` : `No ties confirmed for ${person.name} yet.`,
    ties,
    proposed: state.proposed,
    strengths: personId === 'p-joan' ? ['Close to her daughter Karen', 'Enjoys company and conversation'] : [],
    matters: personId === 'p-joan' ? ['Staying in her own home', 'Getting back to the lunch club'] : [],
    versions: state.versions.map((v) => ({ version: v.version, confirmedAt: v.confirmedAt, ties: v.ties.length })),
  };
}

function diffTies(before: Tie[], after: Tie[]) {
  const added = after.filter((t) => !before.some((b) => b.who === t.who));
  const removed = before.filter((b) => !after.some((t) => t.who === b.who));
  const changed = after.flatMap((t) => {
    const old = before.find((b) => b.who === t.who);
    if (!old) return [];
    const changes: string[] = [];
    if (old.quality !== t.quality) changes.push(`tie ${old.quality} → ${t.quality}`);
    if (old.support !== t.support) changes.push(`support ${old.support.replace('_', ' ')} → ${t.support.replace('_', ' ')}`);
    return changes.length ? [{ who: t.who, changes }] : [];
  });
  return { added, changed, removed };
}

function sentenceAround(text: string, at: number): Span {
  const chars = [...text];
  let start = at;
  while (start > 0 && !/[.!?]/.test(chars[start - 1] ?? '')) start -= 1;
  while (start < chars.length && chars[start] === ' ') start += 1;
  let end = at;
  while (end < chars.length && !/[.!?]/.test(chars[end] ?? '')) end += 1;
  return { start, end: Math.min(end + 1, chars.length) };
}

function search(query: string, limit: number): Hit[] {
  const tokens = query.match(/"[^"]*"?|[^\s"]+/g) ?? [];
  const words: string[] = [];
  const themes: string[] = [];
  for (const token of tokens) {
    const filter = /^(theme|from|to|person):(.*)$/i.exec(token);
    if (!filter) {
      words.push(token.replace(/"/g, '').toLowerCase());
      continue;
    }
    const [, key = '', value = ''] = filter;
    if (key.toLowerCase() === 'theme') {
      if (!THEMES.some((t) => t.id === value)) throw error('invalid_input', `There is no theme called “${value}”.`);
      themes.push(value);
    } else if (key.toLowerCase() === 'from' || key.toLowerCase() === 'to') {
      const date = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
      if (!date || Number(date[2] ?? 1) > 12 || Number(date[3] ?? 1) > 31) {
        throw error('invalid_input', `“${value}” is not a date. Write dates like 2026-03 or 2026-03-14.`);
      }
    }
  }
  const hits: Hit[] = [];
  for (const note of store.notes) {
    const lower = note.text.toLowerCase();
    const noteThemes = note.themes.filter((t) => t.review !== 'rejected');
    if (!words.every((w) => lower.includes(w))) continue;
    if (!themes.every((id) => noteThemes.some((t) => t.id === id || THEMES.find((x) => x.id === t.id)?.parent === id))) continue;
    let around: number;
    const firstWord = words[0];
    if (firstWord) around = charLength(note.text.slice(0, lower.indexOf(firstWord)));
    else around = noteThemes.find((t) => themes.includes(t.id))?.evidence[0]?.start ?? 0;
    const sentence = sentenceAround(note.text, around);
    const snippet = sliceChars(note.text, sentence.start, sentence.end);
    const highlights: [number, number][] = [];
    const snippetLower = snippet.toLowerCase();
    for (const word of words) {
      let from = 0;
      for (;;) {
        const index = snippetLower.indexOf(word, from);
        if (index < 0) break;
        const start = charLength(snippet.slice(0, index));
        highlights.push([start, start + charLength(word)]);
        from = index + word.length;
      }
    }
    if (words.length === 0) {
      const ev = noteThemes.find((t) => themes.includes(t.id))?.evidence[0];
      if (ev) highlights.push([ev.start - sentence.start, ev.end - sentence.start]);
    }
    const segment = note.segments.find((s) => s.span.start <= sentence.start && sentence.start < s.span.end) ?? null;
    hits.push({
      noteId: note.id,
      externalId: note.externalId,
      subject: note.subject,
      subjectId: note.subjectId,
      date: note.date,
      score: highlights.length,
      snippet,
      highlights,
      themes: noteThemes.map((t) => t.id),
      segment: segment ? { index: segment.index, startMs: segment.startMs, endMs: segment.endMs } : null,
    });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

async function transcribeInto(subject: unknown, send: (m: TranscribeEvent) => void, command: string, source: NoteDetail['source'], audioMs: number): Promise<NoteDetail> {
  const who = resolvePerson(subject);
  const { text, segments } = transcript([
    { ms: [0, 6000], text: `Quick visit to ${who.name} after school.` },
    { ms: [6000, 14000], text: 'Things are calmer at home and the new routine is helping.', confidence: 0.45 },
    { ms: [14000, audioMs], text: 'Her aunt Rosa is coming to stay for the weekend.' },
  ]);
  send({ event: 'progress', data: { doneMs: 0, totalMs: audioMs } });
  await wait(60);
  send({ event: 'progress', data: { doneMs: 6000, totalMs: audioMs } });
  await wait(60);
  send({ event: 'progress', data: { doneMs: Math.round(audioMs / 2), totalMs: audioMs } });
  await gate(command);
  send({ event: 'progress', data: { doneMs: audioMs, totalMs: audioMs } });
  const note: NoteDetail = {
    id: `n-new-${store.nextId++}`,
    externalId: null,
    subjectId: who.id,
    subject: who.name,
    date: '2026-12-02',
    source,
    status: 'draft',
    preview: text.slice(0, 90),
    hasAudio: true,
    audioMs,
    text,
    ownWords: [],
    segments,
    themes: [themeChip('strength_family_support', 0.78, 'proposed', [evidence(text, 'Her aunt Rosa is coming to stay')])],
    ecomap: [{ id: null, who: 'Rosa', role: 'aunt', category: 'family', quality: 'strong', support: 'to_subject', note: null, evidence: evidence(text, 'Her aunt Rosa') }],
  };
  store.notes.push(note);
  return note;
}

const commands: Record<string, (args: Args) => unknown> = {
  app_state: () => appState(),
  create_store: ({ practitioner, passphrase }) => {
    if (store.initialised) throw error('already_initialised', 'Doorstep is already set up on this device.');
    if (typeof passphrase !== 'string' || [...passphrase].length < 8) throw error('invalid_input', 'The passphrase must be at least 8 characters.');
    store.initialised = true;
    store.unlocked = true;
    store.practitioner = String(practitioner);
    store.passphrase = passphrase;
    return appState();
  },
  unlock: ({ passphrase }) => {
    if (!store.initialised) throw error('not_initialised', 'Doorstep is not set up on this device yet.');
    if (passphrase !== store.passphrase) throw error('wrong_passphrase', "That passphrase does not open this device's records.");
    store.unlocked = true;
    return appState();
  },
  lock: () => {
    store.unlocked = false;
    return appState();
  },
  today: () => {
    requireUnlocked();
    const notes = store.notes.map(summary);
    return {
      practitioner: store.practitioner,
      drafts: notes.filter((n) => n.status === 'draft').sort(byDateDesc),
      recent: notes.filter((n) => n.status === 'approved').sort(byDateDesc),
      people: store.people.map((p) => personSummary(p.id)),
      sync: store.sync,
    };
  },
  people: () => {
    requireUnlocked();
    return store.people.map((p) => personSummary(p.id));
  },
  add_person: ({ name, aliases, household }) => {
    requireUnlocked();
    const trimmed = String(name).trim();
    if (trimmed === '') throw error('invalid_input', 'A person needs a name.');
    if (store.people.some((p) => p.name.toLowerCase() === trimmed.toLowerCase())) {
      throw error('invalid_input', `${trimmed} is already on this device.`);
    }
    const id = `p-new-${store.nextId++}`;
    store.people.push({ id, name: trimmed, aliases: aliases as string[], household: (household as string | null) ?? null, dob: null });
    store.ecomaps[id] = { versions: [], proposed: [] };
    return personSummary(id);
  },
  start_recording: ({ subject, onEvent }) => {
    requireUnlocked();
    if (store.recording) throw error('busy', 'A recording is already under way.');
    const send = channel<RecordEvent>(onEvent);
    const id = `rec-${store.nextId++}`;
    const recording = { id, elapsedMs: 0, paused: false, timer: 0, send };
    let phase = 0;
    recording.timer = window.setInterval(() => {
      if (recording.paused) return;
      recording.elapsedMs += 250;
      phase += 1;
      const rms = 0.05 + 0.2 * Math.abs(Math.sin(phase / 3));
      send({ event: 'level', data: { rms, peak: Math.min(1, rms * 2.2), elapsedMs: recording.elapsedMs } });
    }, 80);
    store.recording = recording;
    store.recordings.set(id, { audioMs: 0, subject: typeof subject === 'string' ? subject : null });
    return { recordingId: id };
  },
  pause_recording: () => {
    if (!store.recording) throw error('invalid_input', 'Nothing is being recorded.');
    store.recording.paused = true;
    store.recording.send({ event: 'paused' });
    return null;
  },
  resume_recording: () => {
    if (!store.recording) throw error('invalid_input', 'Nothing is being recorded.');
    store.recording.paused = false;
    store.recording.send({ event: 'resumed' });
    return null;
  },
  stop_recording: () => {
    const recording = store.recording;
    if (!recording) throw error('invalid_input', 'Nothing is being recorded.');
    window.clearInterval(recording.timer);
    store.recording = null;
    const result = { recordingId: recording.id, audioMs: Math.max(recording.elapsedMs, 20000) };
    store.recordings.set(recording.id, { audioMs: result.audioMs, subject: null });
    recording.send({ event: 'stopped', data: result });
    return result;
  },
  transcribe_recording: async ({ recordingId, subject, onEvent }) => {
    requireUnlocked();
    const recording = store.recordings.get(String(recordingId));
    if (!recording) throw error('not_found', 'That recording is not on this device.');
    return transcribeInto(subject, channel(onEvent), 'transcribe_recording', 'voice', recording.audioMs);
  },
  ingest_file: async ({ path, subject, onEvent }) => {
    requireUnlocked();
    const file = String(path);
    if (!/\.(wav|mp3|m4a|ogg|flac)$/i.test(file)) throw error('invalid_input', `“${file}” is not an audio file Doorstep can read.`);
    if (file.includes('missing')) throw error('not_found', `There is no file at ${file}.`);
    return transcribeInto(subject, channel(onEvent), 'ingest_file', 'imported', 30000);
  },
  add_note: ({ subject, text, date }) => {
    requireUnlocked();
    const who = resolvePerson(subject);
    const body = String(text);
    const themes = /lonely|alone/i.test(body)
      ? [themeChip('loneliness', 0.7, 'proposed', [evidence(body, (/lonely|alone/i.exec(body) ?? [''])[0])])]
      : [];
    const note: NoteDetail = {
      id: `n-new-${store.nextId++}`,
      externalId: null,
      subjectId: who.id,
      subject: who.name,
      date: typeof date === 'string' ? date : null,
      source: 'typed',
      status: 'draft',
      preview: body.slice(0, 90),
      hasAudio: false,
      audioMs: null,
      text: body,
      ownWords: [],
      segments: [],
      themes,
      ecomap: [],
    };
    store.notes.push(note);
    return note;
  },
  note: ({ id }) => {
    requireUnlocked();
    return findNote(id);
  },
  edit_note: ({ id, text }) => {
    const note = draft(id);
    const body = String(text);
    if (body.trim() === '') throw error('invalid_input', 'A note cannot be empty.');
    note.text = body;
    note.segments = note.segments.flatMap((s) => {
      const at = body.indexOf(s.text);
      if (at < 0) return [];
      const start = charLength(body.slice(0, at));
      return [{ ...s, span: { start, end: start + charLength(s.text) } }];
    });
    note.ownWords = note.ownWords.filter((s) => s.end <= charLength(body));
    return note;
  },
  set_own_words: ({ id, spans }) => {
    const note = draft(id);
    const list = spans as Span[];
    const length = charLength(note.text);
    if (!Array.isArray(list) || list.some((s) => s.start < 0 || s.end > length || s.end <= s.start)) {
      throw error('invalid_input', 'Those words are not in the note.');
    }
    note.ownWords = mergeSpans(list);
    return note;
  },
  review_theme: ({ noteId, theme, decision }) => {
    const note = draft(noteId);
    const chip = note.themes.find((t) => t.id === theme);
    if (!chip) throw error('not_found', 'That theme is not on this note.');
    chip.review = decision === 'confirm' ? 'confirmed' : 'rejected';
    return note;
  },
  approve_note: ({ id, ties }) => {
    const note = draft(id);
    const accepted = note.ecomap.filter((t) => (ties as string[]).includes(t.who));
    const map = (store.ecomaps[note.subjectId] ??= { versions: [], proposed: [] });
    map.proposed.push(...accepted);
    note.status = 'approved';
    if (store.settings.retention === 'delete_on_approve') note.hasAudio = false;
    store.sync = { ...store.sync, queued: store.sync.queued + 1, safeToClose: false };
    return note;
  },
  segment_audio: ({ noteId, index }) => {
    const note = findNote(noteId);
    const segment = note.segments.find((s) => s.index === index);
    if (!note.hasAudio || !segment) throw error('not_found', 'The audio for this note has been deleted.');
    return silentWav(Math.min(segment.endMs - segment.startMs, 500));
  },
  person: ({ id }) => {
    requireUnlocked();
    const person = store.people.find((p) => p.id === id);
    if (!person) throw error('not_found', 'That person is not on this device.');
    const notes = store.notes.filter((n) => n.subjectId === id);
    const counts = new Map<string, { id: string; label: string; count: number }>();
    for (const note of notes) {
      for (const theme of note.themes.filter((t) => t.review !== 'rejected')) {
        const entry = counts.get(theme.id) ?? { id: theme.id, label: theme.label, count: 0 };
        entry.count += 1;
        counts.set(theme.id, entry);
      }
    }
    return {
      person: { ...person },
      notes: notes.map(summary).sort(byDateDesc),
      themes: [...counts.values()].sort((a, b) => b.count - a.count),
    };
  },
  ecomap: ({ personId }) => {
    requireUnlocked();
    return ecomapView(String(personId));
  },
  confirm_ecomap: ({ personId, reject }) => {
    const id = String(personId);
    const state = store.ecomaps[id];
    if (!state) throw error('not_found', 'That person is not on this device.');
    const kept = state.proposed.filter((t) => !(reject as string[]).includes(t.who));
    const latest = state.versions[state.versions.length - 1]?.ties ?? [];
    state.versions.push({
      version: state.versions.length + 1,
      confirmedAt: '2026-12-02T09:00:00Z',
      ties: [...latest.filter((t) => !kept.some((k) => k.who === t.who)), ...kept],
    });
    state.proposed = [];
    return ecomapView(id);
  },
  ecomap_diff: ({ personId, from, to }) => {
    const state = store.ecomaps[String(personId)];
    const a = state?.versions.find((v) => v.version === from);
    const b = state?.versions.find((v) => v.version === to);
    if (!a || !b) throw error('not_found', 'That version of the ecomap does not exist.');
    const diff = diffTies(a.ties, b.ties);
    return {
      ...diff,
      text: `From version ${a.version} to version ${b.version}: ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed.`,
    };
  },
  chronology: ({ personId, theme }) => {
    requireUnlocked();
    const entries: ChronologyEntry[] = [];
    for (const note of store.notes.filter((n) => n.subjectId === personId)) {
      for (const chip of note.themes.filter((t) => t.review !== 'rejected')) {
        const parent = THEMES.find((t) => t.id === chip.id)?.parent;
        if (theme !== null && chip.id !== theme && parent !== theme) continue;
        for (const ev of chip.evidence) {
          const segment = note.segments.find((s) => s.span.start <= ev.start && ev.start < s.span.end);
          entries.push({ noteId: note.id, date: note.date, theme: chip.id, label: chip.label, text: ev.text, start: ev.start, end: ev.end, startMs: segment?.startMs ?? null, confirmed: chip.review === 'confirmed' });
        }
      }
    }
    // Newest first on purpose: the UI must put a chronology in date order itself.
    return entries.sort(byDateDesc);
  },
  themes: () => THEMES,
  search: ({ query, limit }) => {
    requireUnlocked();
    const started = performance.now();
    const hits = search(String(query), Number(limit));
    return { hits, tookMs: Math.max(1, Math.round(performance.now() - started)) };
  },
  sync_status: () => store.sync,
  sync_now: async ({ server, onEvent }) => {
    requireUnlocked();
    const url = typeof server === 'string' && server !== '' ? server : store.sync.server;
    if (!url) throw error('no_server', 'No sync server is set for this device.');
    const send = channel<SyncEvent>(onEvent);
    const total = store.sync.queued + store.sync.unqueued;
    const first = Math.ceil(total / 2);
    send({ event: 'pushed', data: { count: first, remaining: total - first } });
    await wait(60);
    await gate('sync_now');
    send({ event: 'pushed', data: { count: total - first, remaining: 0 } });
    send({ event: 'pulled', data: { count: 5 } });
    store.sync = { ...store.sync, configured: true, server: url, queued: 0, queuedAudio: 0, unqueued: 0, incomingRecordings: 0, setAside: 0, lastSuccess: '2026-12-02T09:30:00Z', lastError: null, safeToClose: true };
    return store.sync;
  },
  settings: () => store.settings,
  save_settings: ({ settings }) => {
    const next = settings as Settings;
    if (!(next.lockAfterMinutes > 0)) throw error('invalid_input', 'Choose how many minutes before Doorstep locks.');
    if (!store.models.some((m) => m.name === next.model && m.installed)) throw error('model_missing', `The model ${next.model} is not on this device.`);
    store.settings = { ...next };
    store.models = store.models.map((m) => ({ ...m, active: m.name === next.model }));
    return store.settings;
  },
  models: () => store.models,
  download_model: async ({ name, onEvent }) => {
    const model = store.models.find((m) => m.name === name);
    if (!model) throw error('not_found', `There is no model called ${String(name)}.`);
    const send = channel<DownloadEvent>(onEvent);
    const total = model.sizeBytes;
    for (const fraction of [0, 0.25, 0.5]) {
      send({ event: 'progress', data: { done: Math.round(total * fraction), total } });
      await wait(40);
    }
    await gate('download_model');
    send({ event: 'progress', data: { done: total, total } });
    send({ event: 'verifying' });
    await wait(40);
    model.installed = true;
    return store.models;
  },
  import_model: ({ path }) => {
    const file = String(path);
    if (!file.endsWith('.bin')) throw error('invalid_input', 'That file is not a Whisper model (a ggml .bin file).');
    if (file.includes('missing')) throw error('not_found', `There is no file at ${file}.`);
    const model = store.models.find((m) => file.endsWith(`ggml-${m.name}.bin`));
    if (!model) throw error('invalid_input', 'That model is not one Doorstep knows; its checksum does not match any in the list.');
    model.installed = true;
    return store.models;
  },
};

async function invoke(cmd: string, args: Args = {}): Promise<unknown> {
  calls.push({ cmd, args: JSON.parse(JSON.stringify(args)) as Args });
  await wait(delayMs);
  const failure = failures[cmd];
  if (failure) throw failure;
  const handler = commands[cmd];
  if (!handler) throw `Command ${cmd} not found`;
  return handler(args);
}

window.__TAURI_INTERNALS__ = {
  ...(window.__TAURI_INTERNALS__ ?? {}),
  invoke,
  transformCallback(callback: Callback | undefined, once = false) {
    const id = nextCallback++;
    callbacks.set(id, (data) => {
      if (once) callbacks.delete(id);
      callback?.(data);
    });
    return id;
  },
  unregisterCallback(id: number) {
    callbacks.delete(id);
  },
  runCallback(id: number, data: unknown) {
    callbacks.get(id)?.(data);
  },
  callbacks,
  metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
};

window.__DOORSTEP_MOCK__ = {
  calls,
  fail(command, failure) {
    if (failure) failures[command] = failure;
    else delete failures[command];
  },
  release(command) {
    held.delete(command);
    releases.get(command)?.();
    releases.delete(command);
  },
};
