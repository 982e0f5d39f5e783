// The small caseload the mocked shell starts with: three people, notes with transcript
// segments (some unsure), themes with their evidence, ecomap ties over two versions. Offsets
// are worked out from the text, in characters as the shell counts them.
import { charLength, indexToChar } from '../../src/lib/text-offsets';
import type {
  Evidence,
  ModelInfo,
  NoteDetail,
  PersonView,
  Segment,
  Settings,
  SyncSummary,
  ThemeChip,
  ThemeInfo,
  Tie,
} from '../../src/lib/types';

export interface EcomapState {
  versions: { version: number; confirmedAt: string; ties: Tie[] }[];
  proposed: Tie[];
}

export interface Caseload {
  people: PersonView[];
  notes: NoteDetail[];
  ecomaps: Record<string, EcomapState>;
}

/** The character span of `phrase` in `text` (it must be there). */
export function find(text: string, phrase: string): { start: number; end: number } {
  const index = text.indexOf(phrase);
  if (index < 0) throw new Error(`fixture phrase not in text: ${phrase}`);
  const start = indexToChar(text, index);
  return { start, end: start + charLength(phrase) };
}

export function evidence(text: string, phrase: string): Evidence {
  return { ...find(text, phrase), text: phrase };
}

/** Segments laid end to end, joined by single spaces, as a transcript is. */
export function transcript(parts: { ms: [number, number]; text: string; confidence?: number }[]): {
  text: string;
  segments: Segment[];
} {
  let text = '';
  const segments: Segment[] = [];
  parts.forEach((part, index) => {
    if (text) text += ' ';
    const start = charLength(text);
    text += part.text;
    const confidence = part.confidence ?? 0.93;
    segments.push({
      index,
      startMs: part.ms[0],
      endMs: part.ms[1],
      text: part.text,
      span: { start, end: start + charLength(part.text) },
      confidence,
      lowConfidence: confidence < 0.6,
    });
  });
  return { text, segments };
}

export const THEMES: ThemeInfo[] = [
  { id: 'domestic_abuse', label: 'Domestic abuse', kind: 'risk', parent: null },
  { id: 'substance_misuse', label: 'Substance misuse', kind: 'risk', parent: null },
  { id: 'alcohol', label: 'Alcohol misuse', kind: 'risk', parent: 'substance_misuse' },
  { id: 'drugs', label: 'Drug misuse', kind: 'risk', parent: 'substance_misuse' },
  { id: 'mental_health', label: 'Mental health', kind: 'need', parent: null },
  { id: 'neglect', label: 'Neglect', kind: 'risk', parent: null },
  { id: 'loneliness', label: 'Loneliness and social isolation', kind: 'need', parent: null },
  { id: 'falls_mobility', label: 'Falls and mobility', kind: 'need', parent: null },
  { id: 'dementia_memory', label: 'Dementia and memory', kind: 'need', parent: null },
  { id: 'self_neglect', label: 'Self-neglect and hoarding', kind: 'risk', parent: null },
  { id: 'looked_after', label: 'Children in care and care leavers', kind: 'need', parent: null },
  { id: 'poverty_finances', label: 'Poverty and money', kind: 'need', parent: null },
  { id: 'strength_family_support', label: 'Strength: family support', kind: 'strength', parent: null },
  { id: 'strength_community', label: 'Strength: community and friends', kind: 'strength', parent: null },
  { id: 'strength_engagement', label: 'Strength: engagement with services', kind: 'strength', parent: null },
];

export function themeChip(id: string, confidence: number, review: ThemeChip['review'], found: Evidence[]): ThemeChip {
  const info = THEMES.find((t) => t.id === id);
  if (!info) throw new Error(`fixture theme unknown: ${id}`);
  return { id, label: info.label, kind: info.kind, confidence, review, evidence: found };
}

function tie(who: string, role: string | null, category: Tie['category'], quality: Tie['quality'], support: Tie['support'], found: Evidence | null = null): Tie {
  return { id: null, who, role, category, quality, support, note: null, evidence: found };
}

function joanDraft(): NoteDetail {
  const { text, segments } = transcript([
    { ms: [0, 9500], text: 'Visited Joan at home this morning. She was in good spirits.' },
    { ms: [9500, 21000], text: "She said I don't see anyone from one week to the next, it gets very lonely." },
    { ms: [21000, 33000], text: 'Her daughter Karen comes on Sundays and does the big shop.' },
    { ms: [33000, 45000], text: "Joan had a fall in the kitchen last month but didn't go to the GP.", confidence: 0.41 },
    { ms: [45000, 62000], text: "Neighbour Pat pops in most days. Joan would like to go back to the lunch club at St Mark's." },
  ]);
  return {
    id: 'n-joan-1130',
    externalId: null,
    subjectId: 'p-joan',
    subject: 'Joan Platt',
    date: '2026-11-30',
    source: 'voice',
    status: 'draft',
    preview: text.slice(0, 90),
    hasAudio: true,
    audioMs: 62000,
    text,
    ownWords: [],
    segments,
    themes: [
      themeChip('loneliness', 0.86, 'proposed', [evidence(text, "I don't see anyone from one week to the next, it gets very lonely")]),
      themeChip('falls_mobility', 0.74, 'proposed', [evidence(text, 'Joan had a fall in the kitchen last month')]),
      themeChip('strength_family_support', 0.81, 'proposed', [evidence(text, 'Her daughter Karen comes on Sundays and does the big shop')]),
      themeChip('self_neglect', 0.32, 'proposed', [evidence(text, "didn't go to the GP")]),
    ],
    ecomap: [
      tie('Karen', 'daughter', 'family', 'strong', 'to_subject', evidence(text, 'Her daughter Karen comes on Sundays')),
      tie('Pat', 'neighbour', 'neighbour', 'moderate', 'to_subject', evidence(text, 'Neighbour Pat pops in most days')),
      tie("St Mark's lunch club", null, 'community', 'tenuous', 'none', evidence(text, "the lunch club at St Mark's")),
    ],
  };
}

function joanOld(): NoteDetail {
  const text =
    "Joan's memory clinic appointment went well. Karen drove her there and stayed. Joan said she misses the lunch club and feels lonely since it closed for the summer.";
  return {
    id: 'n-joan-1002',
    externalId: 'LL-2041',
    subjectId: 'p-joan',
    subject: 'Joan Platt',
    date: '2026-10-02',
    source: 'typed',
    status: 'approved',
    preview: text.slice(0, 90),
    hasAudio: false,
    audioMs: null,
    text,
    ownWords: [find(text, 'misses the lunch club')],
    segments: [],
    themes: [
      themeChip('dementia_memory', 0.77, 'confirmed', [evidence(text, 'memory clinic appointment')]),
      themeChip('strength_family_support', 0.9, 'confirmed', [evidence(text, 'Karen drove her there and stayed')]),
      themeChip('loneliness', 0.8, 'confirmed', [evidence(text, 'feels lonely since it closed for the summer')]),
    ],
    ecomap: [],
  };
}

function garethDraft(): NoteDetail {
  const text =
    'Gareth said he has cut his drinking down to weekends. He is going to the recovery group on Tuesdays. Some rent arrears remain and a letter came from the council.';
  return {
    id: 'n-gareth-1128',
    externalId: null,
    subjectId: 'p-gareth',
    subject: 'Gareth Evans',
    date: '2026-11-28',
    source: 'typed',
    status: 'draft',
    preview: text.slice(0, 90),
    hasAudio: false,
    audioMs: null,
    text,
    ownWords: [],
    segments: [],
    themes: [
      themeChip('alcohol', 0.88, 'proposed', [evidence(text, 'cut his drinking down to weekends')]),
      themeChip('strength_engagement', 0.7, 'proposed', [evidence(text, 'going to the recovery group on Tuesdays')]),
      themeChip('poverty_finances', 0.66, 'proposed', [evidence(text, 'Some rent arrears remain')]),
    ],
    ecomap: [tie('the recovery group', 'peer support', 'community', 'moderate', 'to_subject', evidence(text, 'the recovery group on Tuesdays'))],
  };
}

function amiraNote(): NoteDetail {
  const { text, segments } = transcript([
    { ms: [0, 8000], text: 'Amira drew a 🌈 for me and said she feels lonely at school.' },
    { ms: [8000, 16000], text: 'Her foster carer Sue is very supportive and <b>patient</b> with her.', confidence: 0.55 },
  ]);
  return {
    id: 'n-amira-1120',
    externalId: null,
    subjectId: 'p-amira',
    subject: 'Amira Khan',
    date: '2026-11-20',
    source: 'imported',
    status: 'approved',
    preview: text.slice(0, 90),
    hasAudio: true,
    audioMs: 16000,
    text,
    ownWords: [],
    segments,
    themes: [
      themeChip('loneliness', 0.71, 'confirmed', [evidence(text, 'she feels lonely at school')]),
      themeChip('looked_after', 0.83, 'confirmed', [evidence(text, 'Her foster carer Sue')]),
    ],
    ecomap: [],
  };
}

export function caseload(empty = false): Caseload {
  if (empty) return { people: [], notes: [], ecomaps: {} };
  const notes = [joanDraft(), garethDraft(), joanOld(), amiraNote()];
  const people: PersonView[] = [
    { id: 'p-joan', name: 'Joan Platt', aliases: ['Mrs P'], household: 'Platt household', dob: '1941-03-03' },
    { id: 'p-gareth', name: 'Gareth Evans', aliases: [], household: 'Evans family', dob: '1987-07-19' },
    { id: 'p-amira', name: 'Amira Khan', aliases: ['Mira'], household: null, dob: null },
  ];
  const ecomaps: Record<string, EcomapState> = {
    'p-joan': {
      versions: [
        {
          version: 1,
          confirmedAt: '2026-09-01T10:00:00Z',
          ties: [tie('Karen', 'daughter', 'family', 'strong', 'to_subject'), tie('GP', null, 'health', 'moderate', 'to_subject')],
        },
        {
          version: 2,
          confirmedAt: '2026-10-05T15:30:00Z',
          ties: [
            tie('Karen', 'daughter', 'family', 'strong', 'both'),
            tie('GP', null, 'health', 'moderate', 'to_subject'),
            tie('The memory clinic', null, 'health', 'moderate', 'to_subject'),
            tie('Pat', 'neighbour', 'neighbour', 'tenuous', 'to_subject'),
          ],
        },
      ],
      proposed: [
        tie('Smudge', 'her cat', 'pet', 'strong', 'both'),
        tie('Hollins Day Centre', null, 'social_care', 'broken', 'none'),
      ],
    },
    'p-gareth': { versions: [], proposed: [] },
    'p-amira': { versions: [], proposed: [] },
  };
  return { people, notes, ecomaps };
}

export function initialSync(): SyncSummary {
  return {
    configured: true,
    server: 'https://sync.example.org',
    queued: 3,
    queuedAudio: 2,
    unqueued: 1,
    incomingRecordings: 1,
    setAside: 2,
    lastSuccess: '2026-12-01T08:15:00Z',
    lastError: null,
    safeToClose: false,
  };
}

export function initialSettings(): Settings {
  return { retention: 'delete_on_approve', model: 'base.en', lockAfterMinutes: 5 };
}

export function initialModels(): ModelInfo[] {
  return [
    { name: 'tiny.en', description: 'English only. Fastest, least accurate.', sizeBytes: 77_691_713, installed: true, active: false },
    { name: 'base.en', description: 'English only. A good balance for most phones.', sizeBytes: 147_951_465, installed: true, active: true },
    { name: 'small.en', description: 'English only. Most accurate; needs a recent phone.', sizeBytes: 487_601_967, installed: false, active: false },
    { name: 'base', description: 'Many languages, including Welsh.', sizeBytes: 147_951_465, installed: false, active: false },
  ];
}

/** An ecomap picture in the spirit of the real renderer: the person in the middle, ties around. */
export function drawEcomap(person: string, ties: Tie[]): string {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const dash: Record<Tie['quality'], string> = { strong: '', moderate: '', tenuous: '8 6', stressful: '2 4', broken: '14 4 2 4' };
  const width: Record<Tie['quality'], number> = { strong: 6, moderate: 3, tenuous: 3, stressful: 3, broken: 3 };
  const items = ties
    .map((t, i) => {
      const angle = (2 * Math.PI * i) / Math.max(ties.length, 1) - Math.PI / 2;
      const x = 300 + 200 * Math.cos(angle);
      const y = 220 + 160 * Math.sin(angle);
      return `<line x1="300" y1="220" x2="${x.toFixed(0)}" y2="${y.toFixed(0)}" stroke="#1b1b1b" stroke-width="${width[t.quality]}" stroke-dasharray="${dash[t.quality]}"/>
<circle cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" r="46" fill="#e3eef9" stroke="#1f5c99" stroke-width="2"/>
<text x="${x.toFixed(0)}" y="${(y + 5).toFixed(0)}" text-anchor="middle" font-size="15" font-weight="700">${escape(t.who)}</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 440" font-family="DejaVu Sans, sans-serif" fill="#1b1b1b">
<title>Ecomap of ${escape(person)}</title>
${items}
<circle cx="300" cy="220" r="58" fill="#ffffff" stroke="#1b1b1b" stroke-width="4"/>
<text x="300" y="226" text-anchor="middle" font-size="18" font-weight="800">${escape(person)}</text>
</svg>`;
}
