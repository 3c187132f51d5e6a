/** Small statistics helpers for the benchmark. */

/** The q-quantile (0..1) of samples, nearest-rank. */
export function quantile(samples: readonly number[], q: number): number {
	if (samples.length === 0) return NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[rank] ?? NaN;
}

/** Times `fn` once per sample, in microseconds. */
export function sampleMicros(count: number, fn: (i: number) => void): number[] {
	const out: number[] = new Array<number>(count);
	for (let i = 0; i < count; i++) {
		const t0 = process.hrtime.bigint();
		fn(i);
		out[i] = Number(process.hrtime.bigint() - t0) / 1000;
	}
	return out;
}

/** Times an async `fn` once per sample, in microseconds. */
export async function sampleMicrosAsync(
	count: number,
	fn: (i: number) => Promise<unknown>
): Promise<number[]> {
	const out: number[] = new Array<number>(count);
	for (let i = 0; i < count; i++) {
		const t0 = process.hrtime.bigint();
		await fn(i);
		out[i] = Number(process.hrtime.bigint() - t0) / 1000;
	}
	return out;
}

/** Formats microseconds for the report. */
export function us(value: number): string {
	return value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`;
}

/** min / median / max of samples (microseconds), formatted. */
export function spread(samples: readonly number[]): string {
	return `${us(quantile(samples, 0))} / ${us(quantile(samples, 0.5))} / ${us(quantile(samples, 1))}`;
}

/** The median of samples. */
export function median(samples: readonly number[]): number {
	return quantile(samples, 0.5);
}
