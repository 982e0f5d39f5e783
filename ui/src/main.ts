// Starts the UI: colours first (no flash of the wrong scheme), then the router and the app.
import { mount } from 'svelte';

import './app.css';
import App from './App.svelte';
import { startAppearance } from './lib/appearance.svelte';
import { startRouter } from './lib/router.svelte';

startAppearance();
startRouter();

const target = document.getElementById('app');
if (!target) throw new Error('The page has no #app element');
export default mount(App, { target });
