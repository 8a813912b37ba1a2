// Renderer entry: mounts the Svelte app into index.html.
import { mount } from 'svelte';
import './lib/i18n.js';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element.');

/** The mounted app. */
export default mount(App, { target });
