/** The curriculum's public face: lesson format and loader, goal checks, runner, engine, progress, share links. */
export * from './schema.ts';
export {
	parseLesson,
	parseLessons,
	splitFrontMatter,
	PORTAL_ACTION_FIELDS,
	type LessonFiles
} from './loader.ts';
export {
	evaluateCheck,
	evaluateTasks,
	isAnsweredCorrectly,
	renderParts,
	secretsIn,
	CHECK_KINDS,
	type CheckContext,
	type CheckPart,
	type CheckResult
} from './checks.ts';
export { portalOperations } from './portal.ts';
export { resolvePrincipal, resolveScope, resourceNamed, shortScope } from './references.ts';
export {
	buildStart,
	linesToPlace,
	placeName,
	runStep,
	runSteps,
	worldText,
	type LabState,
	type RunOptions,
	type StartOptions,
	type StepOutcome
} from './runner.ts';
export {
	lessonMachine,
	outlineOf,
	type LessonContext,
	type LessonEmitted,
	type LessonEvent,
	type LessonOutline
} from './lesson.machine.ts';
export {
	createProgressStore,
	memoryStore,
	migrateRecord,
	EXPORT_FORMAT,
	PROGRESS_VERSION,
	type KeyValueStore,
	type LessonRecord,
	type LessonStatus,
	type LoadedProgress,
	type ProgressProblem,
	type ProgressStore,
	type SaveResult
} from './progress.ts';
export { indexedDbStore } from './progress-idb.ts';
export {
	createShareFragment,
	readShareFragment,
	shareableWorld,
	checksum,
	type SharedState
} from './share.ts';
export { scenarioJsonSchema } from './json-schema.ts';
