package com.heygem.app.web;

import com.heygem.app.store.AuditLog;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Records each change made through the API in the audit log: {@link Api} calls it after every
 * POST, PATCH and DELETE that succeeded, so no route can be forgotten. The action is named after
 * the route ({@code POST /api/v1/batches/{id}/cancel} is {@code batches.cancel}); the target is
 * the route's id, or what a creating handler names with {@link #target}.
 */
final class Audit {
    /** Who made a request: the account and how it proved itself (token, session, link, open). */
    record Caller(String userId, String name, com.heygem.app.accounts.Role role, String via) {
        static final Caller ANONYMOUS = new Caller(null, "-", null, "none");
    }

    static final String CALLER = "heygem.caller";
    private static final String TARGET = "heygem.audit.target";
    private static final String DETAIL = "heygem.audit.detail";
    private static final String REFUSED = "heygem.audit.refused";
    /** Route names that read better as a word of their own; "method name" where the method decides. */
    private static final Map<String, String> NAMES = Map.of("session.create", "signin", "session.delete", "signout",
            "cleanup.create", "cleanup.run", "live.create", "live.start", "setup.create", "account.setup",
            "post account.keys", "keys.create", "delete account.keys", "keys.revoke");
    private final AuditLog log;

    Audit(AuditLog log) {
        this.log = log;
    }

    /** The id a handler created (a new batch, an upload), when the route has none. */
    static void target(Context ctx, String id) {
        ctx.attribute(TARGET, id);
    }

    /** A few words on what was done (how many templates, which file). */
    static void detail(Context ctx, String text) {
        ctx.attribute(DETAIL, text);
    }

    /** The request was refused though answered 200 (the HeyGem-compatible calls answer errors so). */
    static void refused(Context ctx) {
        ctx.attribute(REFUSED, true);
    }

    static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER);
        return c == null ? Caller.ANONYMOUS : c;
    }

    /** After a handler of {@code method path} returned: recorded when it succeeded. */
    void after(String method, String path, Context ctx) {
        if (ctx.status().getCode() >= 400 || ctx.attribute(REFUSED) != null) {
            return;
        }
        String target = ctx.pathParamMap().get("id");
        record(ctx, action(method, path), target != null ? target : ctx.attribute(TARGET), ctx.attribute(DETAIL));
    }

    void record(Context ctx, String action, String target, String detail) {
        Caller c = caller(ctx);
        log.record(c.name(), c.via(), ctx.ip(), action, target, detail);
    }

    /** {@code POST /api/v1/batches/{id}/move} → batches.move; {@code DELETE /api/v1/assets/{id}} → assets.delete. */
    static String action(String method, String path) {
        List<String> parts = java.util.Arrays.stream(path.replaceFirst("^/api/v1/", "").replaceFirst("^/", "").split("/"))
                .filter(p -> !p.isEmpty() && !p.startsWith("{")).toList();
        String verb = parts.size() > 1 ? parts.get(parts.size() - 1) : switch (method.toLowerCase(Locale.ROOT)) {
            case "post" -> "create";
            case "patch" -> "change";
            default -> method.toLowerCase(Locale.ROOT);
        };
        String name = parts.get(0) + "." + verb;
        return NAMES.getOrDefault(method.toLowerCase(Locale.ROOT) + " " + name, NAMES.getOrDefault(name, name));
    }
}
