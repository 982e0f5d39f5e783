// Writes N visit notes (JSON lines) recombined from a labelled corpus's sentences, the same way
// for the same seed: the app benchmark's caseload. Usage: node generate.mjs CORPUS N > out.jsonl
import { readFileSync } from 'node:fs';

const [corpus, countText] = process.argv.slice(2);
const count = Number(countText);
if (!corpus || !Number.isInteger(count) || count < 1) {
  console.error('usage: node generate.mjs CORPUS N');
  process.exit(2);
}
const lines = readFileSync(corpus, 'utf8').split('\n').filter((l) => l.trim());
const notes = lines.map((l) => JSON.parse(l));
const subjects = notes.map((n) => n.subject);
const sentences = notes.flatMap((n) => n.text.split(/(?<=\. )/).map((s) => s.trim()));

let seed = 0x0d005735;
const next = (n) => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed % n;
};
const pad = (n) => String(n).padStart(2, '0');
const out = [];
for (let i = 0; i < count; i++) {
  const text = Array.from({ length: 5 + next(8) }, () => sentences[next(sentences.length)]);
  out.push(JSON.stringify({
    id: `app-bench-${String(i).padStart(6, '0')}`,
    subject: `${subjects[next(subjects.length)]} ${next(40)}`,
    date: `20${18 + next(9)}-${pad(1 + next(12))}-${pad(1 + next(28))}`,
    text: text.join(' '),
  }));
}
process.stdout.write(out.join('\n') + '\n');
