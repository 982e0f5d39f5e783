// Once per e2e run: check the UI was built, bundle the mocked shell into one script for the
// page, and serve dist/ on loopback. Tests get both through `inject`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { build } from 'vite';
import type { TestProject } from 'vitest/node';

import { serve } from './static-server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    mockScript: string;
  }
}

const ui = fileURLToPath(new URL('../../', import.meta.url));

async function bundleMock(): Promise<string> {
  const output = await build({
    configFile: false,
    root: ui,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      target: 'es2021',
      lib: { entry: fileURLToPath(new URL('./mock-ipc.ts', import.meta.url)), formats: ['iife'], name: 'DoorstepMock' },
    },
  });
  const results = Array.isArray(output) ? output : [output];
  for (const result of results) {
    if ('output' in result) {
      const chunk = result.output.find((o) => o.type === 'chunk');
      if (chunk && 'code' in chunk) return chunk.code;
    }
  }
  throw new Error('the mocked shell did not bundle');
}

export default async function setup(project: TestProject) {
  if (!existsSync(`${ui}dist/index.html`)) throw new Error('Build the UI first: npm run build');
  const [mockScript, server] = await Promise.all([bundleMock(), serve(`${ui}dist`)]);
  project.provide('baseUrl', server.url);
  project.provide('mockScript', mockScript);
  return server.close;
}
