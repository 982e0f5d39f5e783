// Builds the UI for the Tauri shell (relative asset paths, fixed dev port) and runs the unit tests.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_'],
  server: { port: 1420, strictPort: true },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2021' },
  test: { include: ['tests/unit/**/*.test.ts'], environment: 'node' },
});
