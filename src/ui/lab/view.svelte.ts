/**
 * What the lab shows, apart from the world itself: which blade is open, which pane of the dock is in front,
 * which panes are collapsed and how tall the dock is. The presenter will publish part of it (the focused view).
 */

/** A blade of the portal-like area, by what it is about. `section` is the blade's left-menu entry. */
export type BladeRef =
	| { kind: 'subscription'; section: SubscriptionSection }
	| { kind: 'resourceGroup'; id: string; section: ScopeSection }
	| { kind: 'resource'; id: string; section: ResourceSection }
	| { kind: 'managedIdentities' }
	| { kind: 'createIdentity' }
	| { kind: 'enterpriseApps' }
	| { kind: 'servicePrincipal'; id: string }
	| { kind: 'auditLogs' };

export type SubscriptionSection = 'overview' | 'iam' | 'activityLog';
export type ScopeSection = 'overview' | 'iam';
export type ResourceSection =
	'overview' | 'iam' | 'identity' | 'json' | 'associatedResources' | 'roleAssignments';

/** The panes of the dock under the blades. */
export const DOCK_TABS = [
	'terminal',
	'inspector',
	'events',
	'code',
	'topology',
	'flow',
	'lifecycle'
] as const;
export type DockTab = (typeof DOCK_TABS)[number];

/** Names of the dock's panes, as shown on their tabs. */
export const DOCK_TAB_LABELS: Record<DockTab, string> = {
	terminal: 'Terminal',
	inspector: 'JWT inspector',
	events: 'Event log',
	code: 'Code',
	topology: 'Topology',
	flow: 'Token flow',
	lifecycle: 'Lifecycle'
};

/** The smallest and largest share of the lab's height the dock may take. */
export const DOCK_MIN = 0.2;
export const DOCK_MAX = 0.8;

/** The lab's view state. */
export class LabView {
	blade = $state<BladeRef>({ kind: 'subscription', section: 'overview' });
	dockTab = $state<DockTab>('terminal');
	/** Share of the lab's height taken by the dock (0.2–0.8). */
	dockShare = $state(0.42);
	dockOpen = $state(true);
	navOpen = $state(true);
	shortcutsOpen = $state(false);
	/** A line put into the terminal's input by another surface (a "What happened" strip, a lesson's code span). */
	terminalDraft = $state<{ line: string; run: boolean } | null>(null);
	/** Topology nodes of the scale sets whose instances are shown one by one (view state: the world has no say). */
	expandedScaleSets = $state.raw<readonly string[]>([]);

	/** Opens a blade. */
	open(blade: BladeRef): void {
		this.blade = blade;
	}

	/** Brings a dock pane to the front (opening the dock if it was collapsed). */
	show(tab: DockTab): void {
		this.dockTab = tab;
		this.dockOpen = true;
	}

	/** Sends a line to the terminal: typed into its input, and run at once when `run` is true. */
	toTerminal(line: string, run: boolean): void {
		this.terminalDraft = { line, run };
		this.show('terminal');
	}

	/** Shows a scale set's instances in the topology, or groups them again. */
	toggleScaleSet(nodeId: string): void {
		this.expandedScaleSets = this.expandedScaleSets.includes(nodeId)
			? this.expandedScaleSets.filter((id) => id !== nodeId)
			: [...this.expandedScaleSets, nodeId];
	}

	/** Resizes the dock, kept within its bounds. */
	resizeDock(share: number): void {
		this.dockShare = Math.min(DOCK_MAX, Math.max(DOCK_MIN, share));
	}
}
