import { insideLms } from '../scorm/api.ts';

/**
 * Whether presenter mode may run here: not inside a learning-management system (a SCORM package), where the
 * lab is one learner's activity and extra windows would outlive the LMS's session.
 */
export function presenterAllowed(win: Window = window): boolean {
	return !insideLms(win);
}
