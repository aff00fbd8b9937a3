package com.heygem.app.web;

import com.heygem.app.accounts.Account;
import com.heygem.app.accounts.Accounts;
import com.heygem.app.accounts.Role;
import com.heygem.app.store.SessionStore;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the API: a request with {@code Authorization: Bearer <token>} (the access token is
 * the admin account's key), or a browser holding a session cookie it got by signing in with an
 * account's name and password (or by opening {@code /?token=…}, which signs in as admin).
 * A session is a random id kept (hashed) in the database with its account: it ends when it
 * expires, when the browser signs out, when the token it was opened with is rotated, and when
 * its account's password changes or the account is disabled. The cookie is HttpOnly and
 * SameSite=Strict.
 *
 * <p>SameSite does not stop a page on another port of the same host (same site, other origin),
 * so a request that changes something and rests on the cookie alone must also come from this
 * origin: {@code Sec-Fetch-Site} same-origin (what browsers send), or an {@code Origin} equal to
 * the server's own. Requests with a Bearer token carry their proof themselves.
 */
final class WebAuth {
    static final String COOKIE = "heygem_session";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final AccessToken token;
    private final boolean enabled;
    private final SessionStore sessions;
    private final Accounts accounts;
    private final com.heygem.app.accounts.ApiKeys keys;
    private final Duration lifetime;

    WebAuth(AccessToken token, boolean enabled, SessionStore sessions, Accounts accounts,
            com.heygem.app.accounts.ApiKeys keys, Duration lifetime) {
        this.token = token;
        this.enabled = enabled;
        this.sessions = sessions;
        this.accounts = accounts;
        this.keys = keys;
        this.lifetime = lifetime;
    }

    boolean enabled() {
        return enabled;
    }

    boolean accepts(Context ctx) {
        return caller(ctx) != null;
    }

    /** The admin account, as whoever holds the access token (or anyone, with access control off). */
    static Audit.Caller admin(String via) {
        return new Audit.Caller(Account.ADMIN_ID, "admin", Role.ADMIN, via);
    }

    /** Who made the request, or null when it proved nothing (or its account is disabled or gone). */
    Audit.Caller caller(Context ctx) {
        return callerOf(ctx.header("Authorization"), ctx.cookie(COOKIE));
    }

    /**
     * How to ask again, later, whom the request's credential stands for now: null once it no
     * longer works (the session ended, the key was revoked, the account disabled, the token
     * rotated). For what outlives its request: an event stream.
     */
    java.util.function.Supplier<Audit.Caller> again(Context ctx) {
        String authorization = ctx.header("Authorization");
        String cookie = ctx.cookie(COOKIE);
        return () -> callerOf(authorization, cookie);
    }

    private Audit.Caller callerOf(String authorization, String cookie) {
        if (!enabled) {
            return admin("open");
        }
        if (token.accepts(authorization)) {
            return admin("token");
        }
        String key = bearer(authorization);
        if (key != null) {
            // A key acts as its account, with its role, while both are in force.
            return keys.userOf(key).flatMap(accounts::byId).filter(a -> !a.disabled())
                    .map(a -> new Audit.Caller(a.id(), a.name(), a.role(), "key")).orElse(null);
        }
        return sessions.user(cookie, token.hash()).flatMap(accounts::byId).filter(a -> !a.disabled())
                .map(a -> new Audit.Caller(a.id(), a.name(), a.role(), "session")).orElse(null);
    }

    /** The API key of an {@code Authorization: Bearer hg_…} header, or null. */
    private static String bearer(Context ctx) {
        return bearer(ctx.header("Authorization"));
    }

    private static String bearer(String h) {
        String given = h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : null;
        return com.heygem.app.accounts.ApiKeys.looksLikeOne(given) ? given : null;
    }

    private boolean hasToken(Context ctx) {
        return token.accepts(ctx.header("Authorization"));
    }

    /**
     * Whether a request may change something: safe methods always; otherwise a Bearer token, or
     * a request from this very origin (a browser's cookie goes along with requests made by any
     * page on this host, whatever its port).
     */
    boolean fromThisOrigin(Context ctx) {
        if (SAFE.contains(ctx.method().name()) || hasToken(ctx)) {
            return true;
        }
        if (bearer(ctx) != null) {
            return true; // an API key carries its proof itself (the caller was checked before)
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") || site.equals("none");
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true; // not sent by a browser (browsers send Sec-Fetch-Site or Origin with every POST)
        }
        try {
            URI o = URI.create(origin);
            String host = ctx.header("Host");
            // The scheme too: a page served over plain http on the same host is another origin.
            return host != null && o.getHost() != null && scheme(ctx).equalsIgnoreCase(o.getScheme())
                    && (o.getHost() + (o.getPort() < 0 ? "" : ":" + o.getPort())).toLowerCase(Locale.ROOT)
                            .equals(host.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The scheme the browser used: {@code https} behind a TLS proxy that says so
     * ({@code X-Forwarded-Proto}), else the connection's own. A client that claims https over
     * plain http only gets a cookie it cannot send back.
     */
    static String scheme(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim().toLowerCase(Locale.ROOT);
        }
        return ctx.scheme();
    }

    /** Whether {@code given} is the access token itself. */
    boolean isToken(String given) {
        return given != null && token.accepts("Bearer " + given);
    }

    /** Signs this browser in as admin, with the access token. */
    void startSession(Context ctx) {
        startSession(ctx, Account.ADMIN_ID, token.hash());
    }

    /** Signs this browser in as {@code userId} (with a password: {@code tokenHash} null). */
    void startSession(Context ctx, String userId, String tokenHash) {
        Cookie c = new Cookie(COOKIE, sessions.open(userId, tokenHash, lifetime));
        c.setHttpOnly(true);
        c.setSecure("https".equals(scheme(ctx))); // behind HTTPS, never sent over plain http
        c.setSameSite(SameSite.STRICT);
        c.setPath("/");
        c.setMaxAge((int) lifetime.toSeconds());
        ctx.cookie(c);
    }

    void endSession(Context ctx) {
        sessions.close(ctx.cookie(COOKIE));
        ctx.removeCookie(COOKIE, "/");
    }

    /** Forgets expired sessions and those of a rotated token (house-keeping). */
    int purge() {
        return sessions.purge(token.hash());
    }
}
