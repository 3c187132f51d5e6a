// The test LMS: ?cmi=<JSON> is what the LMS knows at launch (loadFromJSON), ?progress=<JSON array> are lesson
// records put into this origin's IndexedDB first (progress from an earlier visit), ?hash= the route to open.
// Every LMS call the course makes is counted in window.lmsCalls; every value it sets in window.lmsSets.
/* global Scorm12API */
(async () => {
	const params = new URLSearchParams(location.search);
	const api = new Scorm12API({ logLevel: 5, autocommit: false });
	api.loadFromJSON(JSON.parse(params.get('cmi') || '{}'));
	window.lmsCalls = [];
	window.lmsSets = [];
	for (const name of ['LMSInitialize', 'LMSCommit', 'LMSFinish'])
		api.on(name, () => window.lmsCalls.push(name));
	api.on('LMSSetValue.cmi.*', (element, value) => window.lmsSets.push([element, String(value)]));
	window.API = api;

	const records = JSON.parse(params.get('progress') || '[]');
	if (records.length > 0) {
		// The database and store idb-keyval's createStore('managed-identity-lab', 'progress') makes.
		const db = await new Promise((done, fail) => {
			const open = indexedDB.open('managed-identity-lab');
			open.onupgradeneeded = () => open.result.createObjectStore('progress');
			open.onsuccess = () => done(open.result);
			open.onerror = () => fail(open.error);
		});
		await new Promise((done, fail) => {
			const tx = db.transaction('progress', 'readwrite');
			for (const record of records)
				tx.objectStore('progress').put(record, `lesson:${record.lessonId}`);
			tx.oncomplete = done;
			tx.onerror = () => fail(tx.error);
		});
		db.close();
	}
	document.getElementById('moduleFrame').src = `course/index.html${params.get('hash') || ''}`;
})();
