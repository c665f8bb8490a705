import './zod-jitless.ts'; // first: before any schema parses
import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

mount(App, { target: document.getElementById('app')! });
