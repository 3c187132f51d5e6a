/**
 * Every visible portal string of the blades, in one place, with where it comes from (the sources are listed in
 * shared/reference/ui-anchors.md section A). Texts the portal shows but no source gives verbatim were written
 * for the simulator: they carry `simulatorWording: true` and the blades show a small "simulator wording" note
 * beside them. Texts of the lab itself (the What happened strip) are marked `lab: true`: the portal has none.
 */

/** One label: its text and its source. */
export interface Label {
	readonly text: string;
	readonly source: string;
	/** We wrote it: no public source gives the portal's exact words. */
	readonly simulatorWording?: true;
	/** Part of the lab, not of the portal (the portal never shows it). */
	readonly lab?: true;
	/**
	 * Everyday portal vocabulary (a column header, Refresh, Essentials) that no cited source quotes for these
	 * screens. Not shown with a note: it states nothing about Azure.
	 */
	readonly unverified?: true;
}

const VM_DOC =
	'MicrosoftDocs/entra-docs: docs/identity/managed-identities-azure-resources/includes/qs-configure-portal-windows-vm.md (ui-anchors A.1.1)';
const APP_SERVICE_DOC =
	'azure-docs App Service / Container Apps managed-identity pages (ui-anchors A.1.1)';
const COSMOS_MESSAGES =
	'Azure/cosmos-explorer: src/Explorer/ContainerCopy/ContainerCopyMessages.ts, older version (ui-anchors A.1.1)';
const USER_TAB_NOTE = 'user note quoting the portal; Managed DevOps Pools docs (ui-anchors A.1.1)';
const REDIS_DOC = 'azure-docs: cache-managed-identity.md (ui-anchors A.1.1)';
const AUTOMATION_DOC =
	'MicrosoftDocs/azure-docs: articles/automation/disable-managed-identity-for-automation.md (ui-anchors A.1.1)';
const ROLE_MI_DOC =
	'MicrosoftDocs/azure-docs: articles/role-based-access-control/role-assignments-portal-managed-identity.yml (ui-anchors A.1.1, A.1.3)';
const IAM_LIST_DOC =
	'MicrosoftDocs/azure-docs: articles/role-based-access-control/role-assignments-list-portal.yml (ui-anchors A.1.2)';
const IAM_DOC =
	'MicrosoftDocs/azure-docs: articles/role-based-access-control/role-assignments-portal.yml (ui-anchors A.1.2, A.1.3)';
const CHECK_ACCESS_DOC = 'azure-docs: role-based-access-control/check-access.md (ui-anchors A.1.2)';
const NOT_FOUND_DOC =
	'azure-docs Azure Local deployment troubleshooting; managed-identities.md §4.4 (ui-anchors A.1.2)';
const UAMI_DOC =
	'MicrosoftDocs/entra-docs: manage-user-assigned-managed-identities-azure-portal.md (ui-anchors A.1.4)';
const ASSOCIATED_DOC =
	'entra-docs: how-to-view-associated-resources-for-an-identity.md (ui-anchors A.1.4)';
const ENTRA_DOC =
	'entra-docs: includes/how-to-view-managed-identity-service-principal-portal.md (ui-anchors A.1.5)';
const AUDIT_DOC = 'entra-docs: how-to-view-managed-identity-activity.md (ui-anchors A.1.5)';

function portal(text: string, source: string): Label {
	return { text, source };
}
function ours(text: string, why: string): Label {
	return { text, source: `simulator wording: ${why}`, simulatorWording: true };
}
function generic(text: string): Label {
	return {
		text,
		source: 'everyday portal vocabulary, not checked against a cited source',
		unverified: true
	};
}
function lab(text: string): Label {
	return { text, source: 'the lab (not a portal string)', lab: true };
}

/** The portal's labels, grouped by blade. */
export const LABELS = {
	// Resource menu
	overview: generic('Overview'),
	jsonView: generic('JSON View'),
	activityLog: generic('Activity log'),
	accessControl: portal('Access control (IAM)', IAM_DOC),
	identity: portal('Identity', VM_DOC),
	security: portal('Security', VM_DOC),
	settings: portal('Settings', APP_SERVICE_DOC),
	delete: portal('Delete', UAMI_DOC),
	refresh: generic('Refresh'),
	essentials: generic('Essentials'),
	resourceGroup: portal('Resource group', UAMI_DOC),
	subscription: portal('Subscription', UAMI_DOC),
	subscriptionId: generic('Subscription ID'),
	location: generic('Location'),
	region: portal('Region', UAMI_DOC),
	name: portal('Name', UAMI_DOC),
	type: generic('Type'),
	resources: generic('Resources'),
	resourceId: generic('Resource ID'),
	copyToClipboard: generic('Copy to clipboard'),

	// Identity blade (A.1.1)
	systemAssigned: portal('System assigned', VM_DOC),
	userAssigned: portal('User assigned', VM_DOC),
	status: portal('Status', VM_DOC),
	off: portal('Off', VM_DOC),
	on: portal('On', VM_DOC),
	save: portal('Save', VM_DOC),
	discard: ours('Discard', 'the portal shows a Discard button next to Save; no source quoted it'),
	systemAssignedHelp: portal(
		"A system assigned managed identity is restricted to one per resource and is tied to the lifecycle of this resource. You can grant permissions to the managed identity by using Azure role-based access control (Azure RBAC). The managed identity is authenticated with Microsoft Entra ID, so you don't have to store any credentials in code.",
		COSMOS_MESSAGES
	),
	userAssignedHelp: portal(
		'User assigned managed identities enable Azure resources to authenticate to cloud services (e.g. Azure Key Vault) without storing credentials in code. This type of managed identities are created as standalone Azure resources, and have their own lifecycle. A single resource (e.g. Virtual Machine) can utilize multiple user assigned managed identities. Similarly, a single user assigned managed identity can be shared across multiple resources (e.g. Virtual Machine).',
		USER_TAB_NOTE
	),
	enableTitle: portal('Enable system assigned managed identity', COSMOS_MESSAGES),
	yes: portal('Yes', AUTOMATION_DOC),
	no: portal('No', `${COSMOS_MESSAGES} — the label "No" is inferred`),
	disableTitle: ours(
		'Disable system assigned managed identity',
		'the docs only say a popup asks to confirm (ui-anchors A.1.1, "Confirmation dialog when disabling")'
	),
	objectPrincipalId: portal('Object (principal) ID', REDIS_DOC),
	permissions: portal('Permissions', ROLE_MI_DOC),
	azureRoleAssignments: portal('Azure role assignments', ROLE_MI_DOC),
	addRoleAssignmentPreview: portal('Add role assignment (Preview)', ROLE_MI_DOC),
	scope: portal('Scope', ROLE_MI_DOC),
	role: portal('Role', ROLE_MI_DOC),
	add: portal('+ Add', VM_DOC),
	addButton: portal('Add', VM_DOC),
	remove: portal('Remove', VM_DOC),
	removeUserTitle: ours(
		'Remove user assigned managed identity',
		'the VM doc says "select Yes in the confirmation pane" without quoting it'
	),
	addUserTitle: portal('Add user assigned managed identity', VM_DOC),
	noUserAssigned: ours(
		'No user assigned managed identities found on this resource.',
		'empty-list text, not quoted in any source'
	),
	savingDone: ours(
		'Saved. The identity change is in the What happened strip below.',
		'the portal shows a notification after Save whose text no source gives'
	),

	// Access control (IAM) (A.1.2)
	checkAccess: portal('Check access', IAM_LIST_DOC),
	roleAssignments: portal('Role assignments', IAM_LIST_DOC),
	roles: portal('Roles', IAM_LIST_DOC),
	denyAssignments: portal('Deny assignments', IAM_LIST_DOC),
	addMenu: portal('+ Add', IAM_DOC),
	addRoleAssignment: portal('Add role assignment', IAM_DOC),
	userGroupOrSp: portal('User, group, or service principal', IAM_LIST_DOC),
	managedIdentity: portal('Managed identity', IAM_LIST_DOC),
	checkAccessSearch: ours(
		'Search by name or object ID',
		'the docs say the box searches "display names, email addresses, or object identifiers" (ui-anchors A.1.2)'
	),
	assignmentsPaneNote: portal('Assignments at child scopes are not listed.', CHECK_ACCESS_DOC),
	currentRoleAssignments: ours(
		'Current role assignments',
		'heading of the assignments pane, not quoted in any source'
	),
	thisResource: portal('This resource', IAM_LIST_DOC),
	inherited: portal('(Inherited)', IAM_LIST_DOC),
	identityNotFound: portal('Identity not found. Unable to find identity.', NOT_FOUND_DOC),
	unknown: portal('Unknown', NOT_FOUND_DOC),
	typeFilter: portal('Type', IAM_LIST_DOC),
	all: portal('All', IAM_LIST_DOC),
	view: portal('View', IAM_LIST_DOC),
	details: portal('Details', IAM_DOC),
	description: portal('Description', IAM_DOC),
	status2: generic('State'),
	denyEmpty: portal('Deny assignments are created and managed by Azure', IAM_LIST_DOC),

	// Add role assignment wizard (A.1.3)
	jobFunctionRoles: portal('Job function roles', IAM_DOC),
	privilegedRoles: portal('Privileged administrator roles', IAM_DOC),
	roleSearch: ours(
		'Search by role name or description',
		'the docs say "You can search for a role by name or by description" (ui-anchors A.1.3)'
	),
	members: portal('Members', IAM_DOC),
	assignAccessTo: portal('Assign access to', IAM_DOC),
	selectMembers: portal('+ Select members', IAM_DOC),
	selectManagedIdentities: portal('Select managed identities', IAM_DOC),
	select: portal('Select', IAM_DOC),
	reviewAssign: portal('Review + assign', IAM_DOC),
	next: portal('Next', IAM_DOC),
	previous: generic('Previous'),
	userAssignedMi: portal('User-assigned managed identity', IAM_DOC),
	miVirtualMachine: portal('Virtual machine', IAM_DOC),
	miScaleSet: ours(
		'Virtual machine scale set',
		'the docs list "…" after the quoted service types; this value was not seen'
	),
	miAppService: portal('App Service', IAM_DOC),
	miFunctionApp: portal('Function App', IAM_DOC),
	allSystemAssigned: portal('All system-assigned identities', IAM_DOC),
	permissionsTab: portal('Permissions', IAM_DOC),
	actions: portal('Actions', 'role definition fields (managed-identities.md §5.1)'),
	dataActions: portal('DataActions', 'role definition fields (managed-identities.md §5.1)'),
	notActions: portal('NotActions', 'role definition fields (managed-identities.md §5.1)'),
	privilegedWarning: ours(
		'This is a privileged administrator role. Consider whether a job function role with a narrower scope would do.',
		'one book excerpt says the portal warns on Owner; its wording is unverified (ui-anchors A.1.3)'
	),

	// Managed Identities (A.1.4)
	managedIdentities: portal('Managed Identities', UAMI_DOC),
	create: portal('+ Create', UAMI_DOC),
	createTitle: portal('Create User Assigned Managed Identity', UAMI_DOC),
	reviewCreate: portal('Review + create', UAMI_DOC),
	createButton: portal('Create', UAMI_DOC),
	clientId: portal('Client ID', UAMI_DOC),
	objectId: portal('Object (principal) ID', UAMI_DOC),
	associatedResources: portal('Associated resources', ASSOCIATED_DOC),
	deleteIdentityTitle: ours(
		'Delete managed identity',
		'the docs describe the pane (up to 10 associated resources, the full count at the top) without its title'
	),
	deleteIdentityCount: ours(
		'associated resources',
		'the docs say "the full count will be displayed at the top of the pane"'
	),
	deleteNote: portal(
		"Deleting a user-assigned identity doesn't remove it from the resource it was assigned to.",
		UAMI_DOC
	),
	deleteResourceTitle: ours('Delete resource', 'confirmation title for deleting a resource'),

	// Enterprise applications, audit (A.1.5)
	enterpriseApps: portal('Enterprise applications', ENTRA_DOC),
	allApplications: portal('All applications', ENTRA_DOC),
	applicationTypeFilter: portal('Application type == Managed Identities', ENTRA_DOC),
	apply: portal('Apply', ENTRA_DOC),
	applicationId: portal('Application ID', ENTRA_DOC),
	objectIdPlain: portal('Object ID', ENTRA_DOC),
	homepageUrl: portal('Homepage URL', ENTRA_DOC),
	auditLogs: portal('Audit logs', AUDIT_DOC),
	initiatedBy: generic('Initiated by (actor)'),
	activity: generic('Activity'),
	target: generic('Target(s)'),
	date: generic('Date'),
	operationName: generic('Operation name'),
	eventInitiatedBy: generic('Event initiated by'),

	// The lab's own
	whatHappened: lab('What happened'),
	armRequest: lab('ARM request'),
	armResponse: lab('ARM response'),
	directoryChange: lab('Directory change'),
	equivalentAz: lab('The same in the terminal'),
	runInTerminal: lab('Run in terminal'),
	putInTerminal: lab('Put in terminal'),
	simulatorWording: lab('simulator wording'),
	simulatorWordingHelp: lab(
		'The portal shows a text here, but no public source gives its exact words: the lab wrote this one.'
	)
} as const satisfies Record<string, Label>;

/** A label's key. */
export type LabelKey = keyof typeof LABELS;

/** The text of a label. */
export function t(key: LabelKey): string {
	return LABELS[key].text;
}

/** The enable dialog's body for a resource, verbatim (older cosmos-explorer `enablementDescription`). */
export function enableBody(name: string): string {
	return `'${name}' will be registered with Microsoft Entra ID. Once it is registered, '${name}' can be granted permissions to access resources protected by Microsoft Entra ID. Do you want to enable the system assigned managed identity for '${name}'?`;
}
/** Where {@link enableBody} comes from. */
export const ENABLE_BODY_SOURCE = COSMOS_MESSAGES;

/** The disable dialog's body: simulator wording (no source gives the portal's text). */
export function disableBody(name: string): string {
	return `The system assigned managed identity of '${name}' will be removed and its service principal deleted from Microsoft Entra ID. Role assignments that name it stay behind as "Identity not found". Do you want to disable it?`;
}

/** The Remove confirmation for a user-assigned identity: simulator wording. */
export function removeUserBody(identity: string, resource: string): string {
	return `Remove the user assigned managed identity '${identity}' from '${resource}'? The identity itself is not deleted.`;
}

/** The count line at the top of the delete pane: simulator wording around the docs' description. */
export function deleteIdentityBody(name: string, count: number): string {
	return `'${name}' has ${count} associated resource${count === 1 ? '' : 's'}.${count > 10 ? ' The first 10 are listed.' : ''} Are you sure you want to delete it?`;
}

/** Delete confirmation for other resources: simulator wording. */
export function deleteResourceBody(name: string): string {
	return `Delete '${name}'? Its system assigned identity (if any) is deleted with it; role assignments that named it stay as "Identity not found".`;
}
