import { mount } from 'svelte';
import './ui/styles.css';
import App from './ui/App.svelte';
import { insideLms } from './ui/scorm/api.ts';

const target = document.getElementById('app');
if (!target) {
	throw new Error('index.html has no element with id "app" to mount the lab into.');
}
mount(App, { target });

// Inside a learning-management system: one SCORM 1.2 session for the page (this code loads only there).
if (insideLms(window)) {
	import('./ui/scorm/session.ts')
		.then(({ startScormSession }) => startScormSession(window))
		.catch((problem: unknown) => {
			console.error(
				`The lab could not report to the learning-management system: ${problem instanceof Error ? problem.message : String(problem)}. Progress is still saved in this browser.`
			);
		});
}
