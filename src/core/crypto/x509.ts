/**
 * `@peculiar/x509` with what it needs loaded first: its dependency tsyringe requires the Reflect metadata API
 * before it evaluates. The build puts this module and x509 in one chunk, so the order holds there too.
 */
import 'reflect-metadata';
export {
	BasicConstraintsExtension,
	KeyUsageFlags,
	KeyUsagesExtension,
	X509Certificate,
	X509CertificateGenerator
} from '@peculiar/x509';
