/**
 * The emulator's HTTPS mode: a certificate authority made at start (or a certificate and key the developer
 * gives, as Azurite takes `--cert` and `--key`), and a server certificate it signs whose subject alternative
 * names are the hosts the emulator answers for. Clients trust the authority through the file the emulator
 * writes (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, REQUESTS_CA_BUNDLE).
 */
// @peculiar/x509's dependency tsyringe needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import {
	AuthorityKeyIdentifierExtension,
	BasicConstraintsExtension,
	ExtendedKeyUsage,
	ExtendedKeyUsageExtension,
	KeyUsageFlags,
	KeyUsagesExtension,
	PemConverter,
	SubjectAlternativeNameExtension,
	SubjectKeyIdentifierExtension,
	X509CertificateGenerator,
	cryptoProvider
} from '@peculiar/x509';

/** What an HTTPS server needs, and the authority certificate clients must trust. */
export interface TlsMaterial {
	/** PEM of the server certificate (followed by nothing else). */
	cert: string;
	/** PEM (PKCS #8) of the server's private key. */
	key: string;
	/** PEM of the certificate clients must trust: the authority made at start, or the given certificate. */
	ca: string;
}

/**
 * Host names in the server certificate: the emulator's own addresses and the Azure hosts whose requests it
 * answers by `Host` (a developer may map them to 127.0.0.1). Wildcards cover one label, as TLS clients match.
 */
export const CERTIFICATE_DNS_NAMES = [
	'localhost',
	'*.vault.azure.net',
	'*.blob.core.windows.net',
	'management.azure.com',
	'login.microsoftonline.com'
];

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

function serial(): string {
	// Positive, 16 bytes: the top bit cleared so that the DER integer needs no sign byte.
	const bytes = randomBytes(16);
	bytes[0] = (bytes[0] ?? 0) & 0x7f;
	return bytes.toString('hex');
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
	const der = await webcrypto.subtle.exportKey('pkcs8', key);
	return PemConverter.encode(der, 'PRIVATE KEY');
}

/**
 * Makes a certificate authority valid for 30 days from `now` and a server certificate it signs for
 * {@link CERTIFICATE_DNS_NAMES} and 127.0.0.1. Both keys are ECDSA P-256 and live only in this process.
 */
export async function makeTlsMaterial(now: Date = new Date()): Promise<TlsMaterial> {
	cryptoProvider.set(webcrypto as Crypto);
	const notBefore = new Date(now.getTime() - DAY_MS);
	const notAfter = new Date(now.getTime() + 30 * DAY_MS);
	const caKeys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
	const caName = `CN=Managed Identity Lab emulator CA ${serial().slice(0, 8)}`;
	const ca = await X509CertificateGenerator.createSelfSigned({
		serialNumber: serial(),
		name: caName,
		notBefore,
		notAfter,
		keys: caKeys,
		signingAlgorithm: SIGNING_ALGORITHM,
		extensions: [
			new BasicConstraintsExtension(true, 0, true),
			new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
			await SubjectKeyIdentifierExtension.create(caKeys.publicKey)
		]
	});
	const serverKeys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
	const server = await X509CertificateGenerator.create({
		serialNumber: serial(),
		subject: 'CN=localhost',
		issuer: ca.subject,
		notBefore,
		notAfter,
		publicKey: serverKeys.publicKey,
		signingKey: caKeys.privateKey,
		signingAlgorithm: SIGNING_ALGORITHM,
		extensions: [
			new BasicConstraintsExtension(false, undefined, true),
			new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
			new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
			new SubjectAlternativeNameExtension([
				...CERTIFICATE_DNS_NAMES.map((value) => ({ type: 'dns' as const, value })),
				{ type: 'ip', value: '127.0.0.1' }
			]),
			await AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
			await SubjectKeyIdentifierExtension.create(serverKeys.publicKey)
		]
	});
	return {
		cert: server.toString('pem'),
		key: await pkcs8Pem(serverKeys.privateKey),
		ca: ca.toString('pem')
	};
}
