import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessonsPlugin } from '../../scripts/vite-lessons.ts';

describe('the lessons Vite plugin', () => {
	it('fails the build on an invalid lesson, naming the file and field', () => {
		const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
		mkdirSync(join(dir, '01-demo'));
		writeFileSync(join(dir, '01-demo', 'index.md'), '---\nid: demo\n---\n# Demo\n');
		writeFileSync(join(dir, '01-demo', 'scenario.yaml'), 'start: { from: default }\n');
		const plugin = lessonsPlugin(dir);
		const errors: string[] = [];
		const saved = process.env['VITEST'];
		delete process.env['VITEST'];
		try {
			(plugin.buildStart as (this: { error(m: string): void }) => void).call({
				error: (m: string) => {
					errors.push(m);
				}
			});
		} finally {
			process.env['VITEST'] = saved;
		}
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/lessons\/01-demo\/index\.md: title: /);
		expect(errors[0]).toMatch(/lessons\/01-demo\/scenario\.yaml: tasks: /);
	});
});
