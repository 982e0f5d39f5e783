// Prints the size of the built UI as a phone would download it (gzipped), and fails the build
// when it passes the budget.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;

/** @param {string} dir @returns {string[]} */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

let raw = 0;
let gzipped = 0;
for (const path of files(dist)) {
  const bytes = readFileSync(path);
  const size = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzipped += size;
  console.log(`  ${relative(dist, path).padEnd(36)} ${(bytes.length / 1024).toFixed(1).padStart(7)} kB  gzip ${(size / 1024).toFixed(1).padStart(6)} kB`);
}
console.log(`UI bundle: ${(raw / 1024).toFixed(1)} kB, ${(gzipped / 1024).toFixed(1)} kB gzipped (budget ${BUDGET / 1024} kB)`);
if (gzipped > BUDGET) {
  console.error('The UI bundle is over its gzipped budget.');
  process.exit(1);
}
