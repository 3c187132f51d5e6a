/**
 * Whether presenter mode may run here. Inside a learning-management system (a SCORM package) presenter
 * windows stay off; the SCORM work will make this return false when it finds the LMS's API. Until then it is
 * always true.
 */
export function presenterAllowed(): boolean {
	return true;
}
