// TypeScript in <script lang="ts"> blocks, for the compiler and svelte-check alike.
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default { preprocess: vitePreprocess() };
