/** `npm run bench`: prints the figures and writes them to BENCHMARKS.md. */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchAuthorize, benchRandomOperations, benchSnapshot, type Row } from './core.ts';

interface Section {
	title: string;
	run: () => Row[] | Promise<Row[]>;
}

const sections: Section[] = [
	{
		title: 'Simulation core',
		run: () => [...benchAuthorize(), ...benchRandomOperations(), ...benchSnapshot()]
	}
];

const optional: [string, string][] = [
	['Token path', './token.ts'],
	['Workload identity federation', './federation.ts'],
	['Terminal and emulator', './emulator.ts']
];
for (const [title, path] of optional) {
	sections.push({
		title,
		run: async () => {
			const mod = (await import(path)) as { run: () => Promise<Row[]> };
			return mod.run();
		}
	});
}

const lines: string[] = [
	'# Benchmarks',
	'',
	'Written by `npm run bench`; every figure below comes from that run. This machine is shared and noisy: compare',
	'ratios measured in the same run rather than absolute times across runs.',
	'',
	`- Date: ${new Date().toISOString()}`,
	`- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
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
