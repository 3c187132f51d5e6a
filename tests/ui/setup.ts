import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/svelte';
import { TextDecoder, TextEncoder } from 'node:util';
import { afterEach } from 'vitest';

// jsdom's TextEncoder makes byte arrays of jsdom's realm, which Node's Web Crypto refuses ("not instance of
// ArrayBuffer … TypedArray"); in a browser both are one realm. Node's own encoder keeps them one realm here too.
globalThis.TextEncoder = TextEncoder;
globalThis.TextDecoder = TextDecoder as typeof globalThis.TextDecoder;

afterEach(() => {
	cleanup();
});
