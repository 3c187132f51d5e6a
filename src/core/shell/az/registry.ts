/** Every az command of the terminal, and the one-line summaries of their groups. */
import type { AzCommand } from './types.ts';
import { ACCOUNT_COMMANDS } from './commands/account.ts';
import { COMPUTE_COMMANDS } from './commands/compute.ts';
import { WEB_COMMANDS } from './commands/web.ts';
import { IDENTITY_COMMANDS } from './commands/identity.ts';
import { ROLE_COMMANDS } from './commands/role.ts';
import { AD_COMMANDS } from './commands/ad.ts';
import { KEYVAULT_COMMANDS } from './commands/keyvault.ts';
import { STORAGE_COMMANDS } from './commands/storage.ts';
import { SQL_COMMANDS } from './commands/sql.ts';
import { LAB_COMMANDS } from './commands/lab.ts';
import { REST_COMMANDS } from './commands/rest.ts';
import { MONITOR_COMMANDS } from './commands/monitor.ts';
import { FEDERATION_COMMANDS } from './commands/federation.ts';

/** All az commands, by their words. */
export const AZ_COMMANDS: readonly AzCommand[] = [
	...ACCOUNT_COMMANDS,
	...COMPUTE_COMMANDS,
	...WEB_COMMANDS,
	...IDENTITY_COMMANDS,
	...ROLE_COMMANDS,
	...AD_COMMANDS,
	...KEYVAULT_COMMANDS,
	...STORAGE_COMMANDS,
	...SQL_COMMANDS,
	...LAB_COMMANDS,
	...REST_COMMANDS,
	...MONITOR_COMMANDS,
	...FEDERATION_COMMANDS
];

/** Summaries of the groups, as `az --help` shows them. */
export const GROUP_SUMMARIES: Record<string, string> = {
	'': 'The Azure command-line interface (the lab’s subset). Use az <group> --help for the commands of a group.',
	account: 'Manage Azure subscription information.',
	ad: 'Manage Microsoft Entra ID (Azure Active Directory Graph) entities needed for Azure role-based access control (Azure RBAC) through Microsoft Graph API.',
	'ad sp': 'Manage Microsoft Entra service principals.',
	'ad app': 'Manage Microsoft Entra applications.',
	'ad user': 'Manage Microsoft Entra users and user authentication.',
	'ad signed-in-user': 'Show graph information about current signed-in user in CLI.',
	functionapp: 'Manage function apps.',
	'functionapp config': 'Configure a function app.',
	'functionapp config appsettings': 'Configure function app settings.',
	'functionapp identity': "Manage web app's managed identity.",
	group: 'Manage resource groups and template deployments.',
	identity: 'Managed Identities.',
	keyvault: 'Manage KeyVault keys, secrets, and certificates.',
	'keyvault secret': 'Manage secrets.',
	aks: 'Azure Kubernetes Service.',
	'identity federated-credential': 'Manage federated credentials under user assigned identities.',
	monitor: 'Manage the Azure Monitor Service.',
	'monitor activity-log': 'Manage activity logs.',
	'lab replication':
		'[Lab] How long a new service principal stays invisible to ARM (Entra replication).',
	lab: '[Lab] Controls of the simulator itself (time, propagation delay, signing keys); not part of Azure CLI.',
	'lab clock': '[Lab] Simulated time.',
	'lab propagation': '[Lab] The delay before role assignment changes take effect.',
	'lab keys': '[Lab] The tenant’s token-signing keys.',
	resource: 'Manage Azure resources.',
	role: 'Manage Azure role-based access control (Azure RBAC).',
	'role assignment': 'Manage role assignments.',
	'role definition': 'Manage role definitions.',
	sql: 'Manage Azure SQL Databases and Data Warehouses.',
	'sql db': 'Manage databases.',
	'sql server': 'Manage SQL servers.',
	'sql server ad-admin': "Manage a server's Active Directory administrator.",
	storage: 'Manage Azure Cloud Storage resources.',
	'storage account': 'Manage storage accounts.',
	'storage account keys': 'Manage storage account keys.',
	'storage blob': 'Manage object storage for unstructured data (blobs).',
	'storage container': 'Manage blob storage containers.',
	'storage container-rm': 'Manage Azure containers using the Microsoft.Storage resource provider.',
	vm: 'Manage Linux or Windows virtual machines.',
	'vm identity': 'Manage service identities of a VM.',
	vmss: 'Manage groupings of virtual machines in an Azure Virtual Machine Scale Set (VMSS).',
	'vmss identity': 'Manage service identities of a VM scaleset.',
	webapp: 'Manage web apps.',
	'webapp config': 'Configure a web app.',
	'webapp config appsettings': 'Configure web app settings.',
	'webapp identity': "Manage web app's managed identity."
};
