import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import Catalogue from '../../../src/ui/home/Catalogue.svelte';
import { lessonCatalogue } from '../../../src/ui/lessons-data.ts';
import type { CatalogueStatus } from '../../../src/ui/progress/progress.svelte.ts';

const statuses: Record<string, CatalogueStatus> = {
	principals: 'done',
	'system-assigned': 'doneWithHelp',
	'user-assigned': 'inProgress'
};

describe('the lesson catalogue', () => {
	it('groups the lessons by sequence, each a link with its number, minutes and objectives', () => {
		render(Catalogue, {
			props: { lessons: lessonCatalogue, status: (id: string) => statuses[id] ?? 'notStarted' }
		});
		expect(screen.getByRole('heading', { name: 'Foundations' })).toBeInTheDocument();
		expect(screen.getByRole('heading', { name: 'The token path' })).toBeInTheDocument();
		const link = screen.getByRole('link', { name: /A system-assigned identity/ });
		expect(link).toHaveAttribute('href', '#/lesson/system-assigned');
		const card = link.closest('li');
		if (!card) throw new Error('no card');
		expect(within(card).getByText('15 min')).toBeInTheDocument();
		expect(within(card).getByText(/Enable a system-assigned identity/)).toBeInTheDocument();
		expect(screen.getAllByRole('link')).toHaveLength(lessonCatalogue.length);
	});

	it('says where the learner is with each lesson in words', () => {
		render(Catalogue, {
			props: { lessons: lessonCatalogue, status: (id: string) => statuses[id] ?? 'notStarted' }
		});
		const card = (name: RegExp) => screen.getByRole('link', { name }).closest('li') as HTMLElement;
		expect(
			within(card(/A system-assigned identity/)).getByText('Done with help')
		).toBeInTheDocument();
		expect(within(card(/user-assigned/i)).getByText('In progress')).toBeInTheDocument();
		expect(screen.getAllByText('Done')).toHaveLength(1);
		expect(screen.getAllByText('Not started').length).toBe(lessonCatalogue.length - 3);
	});

	it('moves between lessons with the arrow keys, Home and End', async () => {
		render(Catalogue, { props: { lessons: lessonCatalogue, status: () => null } });
		const links = screen.getAllByRole('link');
		links[0]?.focus();
		await fireEvent.keyDown(links[0]!, { key: 'ArrowDown' });
		expect(document.activeElement).toBe(links[1]);
		await fireEvent.keyDown(links[1]!, { key: 'End' });
		expect(document.activeElement).toBe(links.at(-1));
		await fireEvent.keyDown(links.at(-1)!, { key: 'Home' });
		expect(document.activeElement).toBe(links[0]);
		expect(screen.queryByText('Not started')).toBeNull();
	});
});
