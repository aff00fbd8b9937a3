package com.heygem.app.web;

import com.heygem.app.accounts.Role;
import java.util.List;
import java.util.Set;

/**
 * Which role may call which route, in one place (the route-by-role test reads the same table):
 * admins everything; editors all but the accounts and the server's upkeep (clean-up, logs, audit,
 * workers); viewers only read, besides signing in and out, their password and API keys. Whose batch or
 * upload a request may touch is decided by the routes themselves.
 */
final class Access {
    /** Paths (and everything under them) only admins reach. */
    private static final List<String> ADMIN_ONLY = List.of("/api/v1/users", "/api/v1/cleanup", "/api/v1/logs",
            "/api/v1/audit", "/api/v1/workers");
    private static final Set<String> READING = Set.of("GET", "HEAD", "OPTIONS");
    /** What a viewer may not even read: making things (imports, live streams, HeyGem-compatible tasks). */
    private static final List<String> MAKING = List.of("/api/v1/imports", "/api/v1/live", "/easy");
    /** What a viewer may send besides reading: its own session and password. */
    private static final List<String> OWN = List.of("/api/v1/session", "/api/v1/setup", "/api/v1/account");

    private Access() {
    }

    /** @param role null before sign-in: the routes that need none decide for themselves */
    static boolean allowed(Role role, String method, String path) {
        if (role == null || role == Role.ADMIN) {
            return true;
        }
        if (ADMIN_ONLY.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
            return false;
        }
        if (role == Role.VIEWER) {
            if (MAKING.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
                return false;
            }
            return READING.contains(method) || OWN.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
        }
        return true;
    }
}
