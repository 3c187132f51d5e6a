/** The current route, kept in step with `location.hash`. */
import { parseRoute, routeHash, type Route } from './routes.ts';

/** Follows the location hash; `go` changes it (and so the route). */
export class Router {
	route = $state<Route>({ name: 'home' });

	constructor(private readonly location: Location = window.location) {
		this.route = parseRoute(location.hash);
		window.addEventListener('hashchange', () => {
			this.route = parseRoute(this.location.hash);
		});
	}

	/** Navigates to a route (a new history entry, as a link would). */
	go(route: Route): void {
		this.location.hash = routeHash(route);
	}
}
