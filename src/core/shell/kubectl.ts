/**
 * A small `kubectl` for the lab's AKS cluster: `get pods`, `get serviceaccount`, `annotate serviceaccount` (the
 * workload identity webhook reads `azure.workload.identity/client-id`) and `exec -it <pod> -- sh` (a shell in
 * the pod, with the projected service-account token kubelet keeps fresh). The lab's kubectl talks to the
 * first cluster without `az aks get-credentials`.
 */
import type { KubernetesCluster, OutsideMachine, World } from '../azure/model.ts';
import { applyOperations } from '../azure/operations/index.ts';
import { needsProjection, projectServiceAccountToken } from '../token/federation.ts';
import type { CommandContext, CommandOutcome, ShellCommand } from './types.ts';
import { enterPlace } from './remote.ts';
import { cloudShellUser } from './state.ts';

function cluster(world: World): KubernetesCluster | undefined {
	return Object.values(world.kubernetesClusters ?? {})[0];
}

function podsOf(world: World, c: KubernetesCluster): OutsideMachine[] {
	return Object.values(world.outsideMachines).filter((m) => m.pod?.cluster === c.name);
}

function table(rows: string[][]): string {
	const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
	return `${rows
		.map((r) =>
			r
				.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
				.join('')
				.trimEnd()
		)
		.join('\n')}\n`;
}

function option(args: string[], names: string[]): string | undefined {
	for (const [i, a] of args.entries()) {
		for (const n of names) {
			if (a === n) return args[i + 1];
			if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
		}
	}
	return undefined;
}

function positional(args: string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const a = args[i] ?? '';
		if (a === '--') break;
		if (['-n', '--namespace', '-o', '--output'].includes(a)) {
			i++;
			continue;
		}
		if (a.startsWith('-')) continue;
		out.push(a);
	}
	return out;
}

async function exec(
	ctx: CommandContext,
	c: KubernetesCluster,
	args: string[]
): Promise<CommandOutcome> {
	const dash = args.indexOf('--');
	const [podName] = positional(args.slice(0, dash < 0 ? args.length : dash));
	const command = dash < 0 ? [] : args.slice(dash + 1);
	const namespace = option(args, ['-n', '--namespace']) ?? 'default';
	const pod = podsOf(ctx.world, c).find(
		(m) => m.name === podName && m.pod?.namespace === namespace
	);
	if (!pod) {
		return {
			exitCode: 1,
			stderr: `Error from server (NotFound): pods "${podName ?? ''}" not found\n`
		};
	}
	if (command.length === 0) {
		return {
			exitCode: 1,
			stderr:
				'error: you must specify at least one command for the container\n# e.g. kubectl exec -it stock-worker -- sh\n'
		};
	}
	let world = ctx.world;
	let events: CommandOutcome['events'] = [];
	if (needsProjection(world, pod)) {
		const projected = await projectServiceAccountToken(world, ctx.env.keyRing, pod.name);
		if (projected) {
			const applied = applyOperations(world, projected.operations, { caller: 'kubelet' });
			if (applied.ok) {
				world = applied.value.world;
				events = applied.value.events;
			}
		}
	}
	const inside = enterPlace(world, ctx.state, { kind: 'outside', machine: pod.name });
	const interactive =
		command.length === 1 && ['sh', 'bash', '/bin/sh', '/bin/bash'].includes(command[0] ?? '');
	if (interactive) {
		return {
			exitCode: 0,
			stdout: `# You are in the pod ${pod.name} (namespace ${namespace}, service account ${pod.pod?.serviceAccount ?? ''}). env | grep AZURE_ shows what the workload identity webhook injected; exit goes back.\n`,
			state: inside,
			world,
			events
		};
	}
	const inner = await ctx.exec(command.join(' '), inside);
	return {
		exitCode: inner.exitCode,
		stdout: inner.stdout,
		stderr: inner.stderr,
		world: inner.world,
		events: [...events, ...inner.events],
		hops: inner.hops
	};
}

function annotate(ctx: CommandContext, c: KubernetesCluster, args: string[]): CommandOutcome {
	const [kind, name, ...pairs] = positional(args);
	if (kind !== 'serviceaccount' && kind !== 'sa' && kind !== 'serviceaccounts') {
		return {
			exitCode: 1,
			stderr: `error: the lab's kubectl annotates service accounts only (kubectl annotate serviceaccount <name> key=value).\n`
		};
	}
	const namespace = option(args, ['-n', '--namespace']) ?? 'default';
	const account = c.serviceAccounts[`${namespace}/${name ?? ''}`];
	if (!account) {
		return {
			exitCode: 1,
			stderr: `Error from server (NotFound): serviceaccounts "${name ?? ''}" not found\n`
		};
	}
	const overwrite = args.includes('--overwrite');
	let world = ctx.world;
	const events: NonNullable<CommandOutcome['events']> = [];
	for (const pair of pairs) {
		const removing = pair.endsWith('-') && !pair.includes('=');
		const key = removing ? pair.slice(0, -1) : pair.slice(0, pair.indexOf('='));
		const value = removing ? null : pair.slice(pair.indexOf('=') + 1);
		if (!removing && !pair.includes('=')) {
			return { exitCode: 1, stderr: `error: invalid annotation format: ${pair}\n` };
		}
		if (
			!removing &&
			!overwrite &&
			account.annotations[key] !== undefined &&
			account.annotations[key] !== value
		) {
			return {
				exitCode: 1,
				stderr: `error: --overwrite is false but found the following declared annotation(s): '${key}' already has a value (${account.annotations[key] ?? ''})\n`
			};
		}
		const applied = applyOperations(
			world,
			[
				{
					type: 'annotateServiceAccount',
					cluster: c.name,
					namespace,
					name: account.name,
					key,
					value
				}
			],
			{ caller: cloudShellUser(world)?.userPrincipalName ?? 'kubectl' }
		);
		if (!applied.ok) return { exitCode: 1, stderr: `error: ${applied.error.message}\n` };
		world = applied.value.world;
		events.push(...applied.value.events);
	}
	return { exitCode: 0, stdout: `serviceaccount/${account.name} annotated\n`, world, events };
}

function get(ctx: CommandContext, c: KubernetesCluster, args: string[]): CommandOutcome {
	const [kind, name] = positional(args);
	const namespace = option(args, ['-n', '--namespace']) ?? 'default';
	const output = option(args, ['-o', '--output']);
	if (kind === 'pods' || kind === 'pod' || kind === 'po') {
		const pods = podsOf(ctx.world, c).filter(
			(m) => m.pod?.namespace === namespace && (name === undefined || m.name === name)
		);
		if (pods.length === 0)
			return {
				exitCode: name ? 1 : 0,
				...(name
					? { stderr: `Error from server (NotFound): pods "${name}" not found\n` }
					: { stdout: `No resources found in ${namespace} namespace.\n` })
			};
		return {
			exitCode: 0,
			stdout: table([
				['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
				...pods.map((p) => [p.name, '1/1', 'Running', '0', '3d'])
			])
		};
	}
	if (kind === 'serviceaccount' || kind === 'serviceaccounts' || kind === 'sa') {
		const accounts = Object.values(c.serviceAccounts).filter(
			(a) => a.namespace === namespace && (name === undefined || a.name === name)
		);
		if (name !== undefined && accounts.length === 0)
			return {
				exitCode: 1,
				stderr: `Error from server (NotFound): serviceaccounts "${name}" not found\n`
			};
		if (output === 'yaml' || output === 'json') {
			const docs = accounts.map((a) => ({
				apiVersion: 'v1',
				kind: 'ServiceAccount',
				metadata: { annotations: { ...a.annotations }, name: a.name, namespace: a.namespace }
			}));
			const doc = docs.length === 1 ? docs[0] : { apiVersion: 'v1', items: docs, kind: 'List' };
			if (output === 'json') return { exitCode: 0, stdout: `${JSON.stringify(doc, null, 4)}\n` };
			const yaml = (d: (typeof docs)[number]) =>
				`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n${
					Object.keys(d.metadata.annotations).length
						? `  annotations:\n${Object.entries(d.metadata.annotations)
								.map(([k, v]) => `    ${k}: ${v}`)
								.join('\n')}\n`
						: ''
				}  name: ${d.metadata.name}\n  namespace: ${d.metadata.namespace}\n`;
			return { exitCode: 0, stdout: docs.map(yaml).join('---\n') };
		}
		return {
			exitCode: 0,
			stdout: table([['NAME', 'SECRETS', 'AGE'], ...accounts.map((a) => [a.name, '0', '3d'])])
		};
	}
	return {
		exitCode: 1,
		stderr: `error: the server doesn't have a resource type "${kind ?? ''}"\n# The lab's kubectl knows pods and serviceaccounts.\n`
	};
}

/** `kubectl`. */
export const kubectl: ShellCommand = {
	name: 'kubectl',
	summary:
		'Talk to the AKS cluster aks-stock: get pods, get/annotate serviceaccount, exec into a pod.',
	usage: [
		'kubectl get pods',
		'kubectl get serviceaccount stock-worker -o yaml',
		'kubectl annotate serviceaccount stock-worker azure.workload.identity/client-id=<client id>',
		'kubectl exec -it stock-worker -- sh'
	],
	async run(ctx) {
		const c = cluster(ctx.world);
		if (!c)
			return {
				exitCode: 1,
				stderr:
					'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n# This world has no AKS cluster.\n'
			};
		if (ctx.state.place.kind !== 'cloudShell') {
			return {
				exitCode: 1,
				stderr:
					'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n# kubectl is set up in Cloud Shell: type exit first.\n'
			};
		}
		const [verb, ...args] = ctx.argv.slice(1);
		if (verb === 'get') return get(ctx, c, args);
		if (verb === 'annotate') return annotate(ctx, c, args);
		if (verb === 'exec') return exec(ctx, c, args);
		return {
			exitCode: 1,
			stderr: `error: unknown command "${verb ?? ''}" for "kubectl"\n# The lab's kubectl knows get, annotate and exec.\n`
		};
	}
};
