/**
 * `npm run build:scorm`: the lab as a SCORM 1.2 package, one SCO holding the whole lab. It builds the site in
 * the `scorm` mode (no service worker, no web manifest, no source maps) into dist-scorm/package/, adds
 * `scorm-course.json` (the lessons the course needs, their quiz keys and the pass mark) and `imsmanifest.xml`,
 * and zips the folder with the manifest at the zip's root: dist-scorm/managed-identity-lab-scorm12.zip.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import { parseLessons } from '../src/curriculum/loader.ts';
import { readLessonFiles } from '../src/curriculum/files.ts';
import type { Lesson } from '../src/curriculum/schema.ts';
import type { CourseFile } from '../src/ui/scorm/course.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** The pass mark for the average quiz score when the LMS sets none (`adlcp:masteryscore`). */
export const MASTERY_SCORE = 80;
/** The identifier of the package and its organization. */
export const PACKAGE_ID = 'com.managed-identity-lab.scorm12';

/** The course file from the parsed lessons, in catalogue order. */
export function courseFile(lessons: readonly Lesson[]): CourseFile {
	return {
		format: 'managed-identity-lab-scorm-course',
		version: 1,
		masteryScore: MASTERY_SCORE,
		lessons: [...lessons]
			.sort((a, b) => a.number - b.number)
			.map((lesson) => ({
				id: lesson.id,
				title: lesson.title,
				quiz: Object.fromEntries(
					lesson.scenario.quiz.map((q) => [
						q.id,
						q.options.flatMap((option, index) => (option.correct ? [index] : []))
					])
				)
			}))
	};
}

function xml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** imsmanifest.xml for one SCO (launched at index.html) that lists every file of the package. */
export function manifestXml(files: readonly string[], title = 'Managed Identity Lab'): string {
	const list = [...files]
		.sort()
		.map((file) => `\t\t\t<file href="${xml(file)}"/>`)
		.join('\n');
	return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${PACKAGE_ID}" version="1"
	xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
	xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
	xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
	<metadata>
		<schema>ADL SCORM</schema>
		<schemaversion>1.2</schemaversion>
	</metadata>
	<organizations default="org">
		<organization identifier="org">
			<title>${xml(title)}</title>
			<item identifier="item_lab" identifierref="res_lab" isvisible="true">
				<title>${xml(title)}</title>
				<adlcp:masteryscore>${MASTERY_SCORE}</adlcp:masteryscore>
			</item>
		</organization>
	</organizations>
	<resources>
		<resource identifier="res_lab" type="webcontent" adlcp:scormtype="sco" href="index.html">
${list}
		</resource>
	</resources>
</manifest>
`;
}

/** Every file under `dir`, as paths relative to it with forward slashes. */
function filesUnder(dir: string): string[] {
	const out: string[] = [];
	const walk = (at: string) => {
		for (const entry of readdirSync(at, { withFileTypes: true })) {
			const path = join(at, entry.name);
			if (entry.isDirectory()) walk(path);
			else out.push(relative(dir, path).split(sep).join('/'));
		}
	};
	walk(dir);
	return out;
}

/** Builds the package; returns the zip's path and the files it holds. */
export async function buildScormPackage(
	outDir = join(ROOT, 'dist-scorm')
): Promise<{ zip: string; site: string; files: string[] }> {
	const parsed = parseLessons(readLessonFiles(join(ROOT, 'lessons')));
	if (!parsed.ok) throw new Error(`Invalid lessons:\n${parsed.error.join('\n')}`);

	const site = join(outDir, 'package');
	const { build } = await import('vite');
	// A production build even when called from the test runner (which sets NODE_ENV=test).
	const nodeEnv = process.env.NODE_ENV;
	process.env.NODE_ENV = 'production';
	try {
		await build({
			root: ROOT,
			mode: 'scorm',
			logLevel: 'warn',
			build: { outDir: site, emptyOutDir: true, sourcemap: false }
		});
	} finally {
		if (nodeEnv === undefined) delete process.env.NODE_ENV;
		else process.env.NODE_ENV = nodeEnv;
	}

	writeFileSync(
		join(site, 'scorm-course.json'),
		`${JSON.stringify(courseFile(parsed.value), null, '\t')}\n`
	);
	const content = filesUnder(site);
	if (content.some((f) => f === 'sw.js' || f.endsWith('.webmanifest')))
		throw new Error(
			'The SCORM build contains a service worker: it must be built with --mode scorm.'
		);
	const manifest = manifestXml(content);
	writeFileSync(join(site, 'imsmanifest.xml'), manifest);

	const entries: Record<string, Uint8Array> = {};
	for (const file of [...content, 'imsmanifest.xml'].sort())
		entries[file] = new Uint8Array(readFileSync(join(site, file)));
	mkdirSync(outDir, { recursive: true });
	const zip = join(outDir, 'managed-identity-lab-scorm12.zip');
	writeFileSync(zip, zipSync(entries, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }));
	return { zip, site, files: Object.keys(entries) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	buildScormPackage().then(
		({ zip, files }) => {
			console.log(`SCORM 1.2 package: ${relative(process.cwd(), zip)} (${files.length} files)`);
			console.log('Upload it to your LMS as a SCORM package; see README.md, "SCORM".');
		},
		(error: unknown) => {
			console.error(error instanceof Error ? error.message : String(error));
			process.exit(1);
		}
	);
}
