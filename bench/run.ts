/** `npm run bench`: prints the figures and writes them to BENCHMARKS.md. */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import {
	benchAuthorize,
	benchRandomOperations,
	benchScale,
	benchSnapshot,
	type Row
} from './core.ts';

interface Section {
	/** The name that selects the section: `npm run bench -- core token` runs only those. */
	name: string;
	title: string;
	run: () => Row[] | Promise<Row[]>;
}

const all: Section[] = [
	{
		name: 'core',
		title: 'Simulation core',
		run: () => [
			...benchScale(),
			...benchAuthorize(),
			...benchRandomOperations(),
			...benchSnapshot()
		]
	}
];

const optional: [string, string, string][] = [
	['token', 'Token path', './token.ts'],
	['federation', 'Workload identity federation', './federation.ts'],
	['emulator', 'Terminal and emulator', './emulator.ts'],
	['ui', 'Lab UI in Chromium', './ui.ts'],
	['diagrams', 'Diagrams in Chromium', './diagrams.ts'],
	['lighthouse', 'Lighthouse (built site, Chromium)', './lighthouse.ts']
];
for (const [name, title, path] of optional) {
	all.push({
		name,
		title,
		run: async () => {
			const mod = (await import(path)) as { run: () => Promise<Row[]> };
			return mod.run();
		}
	});
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
if (unknown.length > 0) {
	process.stderr.write(
		`Unknown section(s): ${unknown.join(', ')}. Sections: ${all.map((s) => s.name).join(', ')}.\n`
	);
	process.exit(2);
}
const sections = wanted.length === 0 ? all : all.filter((s) => wanted.includes(s.name));

const lines: string[] = [
	'# Benchmarks',
	'',
	'Written by `npm run bench`; every figure below comes from that run. This machine is shared and noisy: compare',
	'ratios measured in the same run rather than absolute times across runs.',
	'',
	`- Date: ${new Date().toISOString()}`,
	`- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the start ${loadavg()[0]?.toFixed(1) ?? '?'}`,
	...(wanted.length > 0 ? [`- Sections run: ${sections.map((s) => s.name).join(', ')}`] : []),
	''
];
let failed = false;
for (const section of sections) {
	process.stdout.write(`\n${section.title}\n`);
	lines.push(
		`## ${section.title}`,
		'',
		'| measure | figure | target | met |',
		'| --- | --- | --- | --- |'
	);
	let rows: Row[];
	try {
		rows = await section.run();
	} catch (cause) {
		failed = true;
		const message = cause instanceof Error ? cause.message : String(cause);
		process.stdout.write(`  could not run: ${message}\n`);
		lines.push(`| (could not run) | ${message.replace(/\|/g, '\\|')} | | |`, '');
		continue;
	}
	for (const row of rows) {
		const met = row.met === undefined ? '' : row.met ? 'yes' : 'NO';
		process.stdout.write(
			`  ${row.what}: ${row.figure}${row.target ? ` (target ${row.target}: ${met})` : ''}\n`
		);
		lines.push(`| ${row.what} | ${row.figure} | ${row.target ?? ''} | ${met} |`);
	}
	lines.push('');
}
writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), `${lines.join('\n')}\n`);
process.stdout.write('\nWrote BENCHMARKS.md\n');
if (failed) process.exitCode = 1;
