/** The SCORM package's manifest and course file, from the real lessons. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseFile, manifestXml, MASTERY_SCORE } from '../../scripts/scorm-package.ts';
import { parseLessons } from '../../src/curriculum/loader.ts';
import { readLessonFiles } from '../../src/curriculum/files.ts';
import { parseCourseFile } from '../../src/ui/scorm/course.ts';

describe('imsmanifest.xml', () => {
	const xml = manifestXml(['index.html', 'assets/a&b.js', 'favicon.svg']);

	it('is a SCORM 1.2 manifest with one SCO launched at index.html', () => {
		expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<manifest /);
		expect(xml).toContain('<schemaversion>1.2</schemaversion>');
		expect(xml.match(/adlcp:scormtype="sco"/g)).toHaveLength(1);
		expect(xml).toContain('type="webcontent" adlcp:scormtype="sco" href="index.html"');
		expect(xml).toContain(`<adlcp:masteryscore>${MASTERY_SCORE}</adlcp:masteryscore>`);
	});

	it('lists every file, escaped for XML', () => {
		expect(xml).toContain('<file href="index.html"/>');
		expect(xml).toContain('<file href="favicon.svg"/>');
		expect(xml).toContain('<file href="assets/a&amp;b.js"/>');
	});
});

describe('scorm-course.json', () => {
	it('lists every lesson in catalogue order with its quiz key, and reads back', () => {
		const parsed = parseLessons(readLessonFiles(join(import.meta.dirname, '../../lessons')));
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		const course = courseFile(parsed.value);
		expect(course.lessons.map((l) => l.id)).toEqual(
			[...parsed.value].sort((a, b) => a.number - b.number).map((l) => l.id)
		);
		for (const lesson of course.lessons)
			for (const answer of Object.values(lesson.quiz)) expect(answer.length).toBeGreaterThan(0);
		expect(parseCourseFile(JSON.parse(JSON.stringify(course)))).toEqual({ ok: true, course });
	});
});
