import { mount } from 'svelte';
import './ui/styles.css';
import App from './ui/App.svelte';

const target = document.getElementById('app');
if (!target) {
	throw new Error('index.html has no element with id "app" to mount the lab into.');
}
mount(App, { target });
