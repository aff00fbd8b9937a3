package com.heygem.app.web;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the web node changed that no item row shows: a batch made, deleted or shared, an upload
 * added, renamed or deleted. Announced here by the routes that made the change, sent by
 * {@link EventRoutes} as a {@code changed} event to the accounts it concerns (and to admins), so
 * every open page updates its lists in place. Item changes from any node need nothing here: the
 * event stream reads them from the database.
 */
final class Changes {
    /**
     * One change.
     *
     * @param kind     "batch" or "asset"
     * @param action   "created", "deleted", "shared", "renamed"
     * @param accounts the accounts that see what changed (its owner, those it is or was shared with)
     */
    record Change(String kind, String id, String action, Set<String> accounts) {
        Map<String, Object> json() {
            return Map.of("kind", kind, "id", id, "action", action);
        }
    }

    interface Listener {
        void changed(Change change);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    void listen(Listener l) {
        listeners.add(l);
    }

    void announce(String kind, String id, String action, Set<String> accounts) {
        Change c = new Change(kind, id, action, Set.copyOf(accounts));
        for (Listener l : listeners) {
            l.changed(c);
        }
    }
}
