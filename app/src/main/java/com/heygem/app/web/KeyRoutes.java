package com.heygem.app.web;

import com.heygem.app.accounts.Accounts;
import com.heygem.app.accounts.ApiKeys;
import com.heygem.app.accounts.Role;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each account's API keys: made (and shown once), listed, revoked. An admin may list and revoke
 * anyone's ({@code ?user=}). A key acts with its account's role, so a viewer's key only reads.
 */
final class KeyRoutes implements Routes {
    private static final int MAX_NAME = 100;
    private final ApiKeys keys;
    private final Accounts accounts;

    KeyRoutes(ApiKeys keys, Accounts accounts) {
        this.keys = keys;
        this.accounts = accounts;
    }

    @Override
    public void addTo(Api api) {
        api.get("/api/v1/account/keys", "accounts", "Your API keys (admins: ?user=<id> for someone's)", ctx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            keys.of(whose(ctx)).forEach(k -> out.add(json(k)));
            ctx.json(Map.of("keys", out));
        });
        api.post("/api/v1/account/keys", "accounts", "Make an API key {\"name\"}: answered once, in \"key\"", ctx -> {
            String me = me(ctx);
            String name = JsonBody.object(ctx) == null ? "" : JsonBody.object(ctx).path("name").asText("").trim();
            if (name.isEmpty()) {
                throw new ApiError(400, "BAD_REQUEST", "Give the key a name (what it is for, e.g. \"nightly import\")",
                        "Type what it is for, then make it (scripts: send {\"name\": \"…\"}).")
                        .zh("请为密钥命名（用途，例如“每晚导入”）", "请填写它的用途后再创建。");
            }
            ApiKeys.Made made = keys.create(me, SafeName.of(name, MAX_NAME));
            Audit.target(ctx, made.key().id());
            Audit.detail(ctx, made.key().name());
            Map<String, Object> m = json(made.key());
            m.put("key", made.secret());
            ctx.status(201).json(m);
        });
        api.delete("/api/v1/account/keys/{id}", "accounts", "Revoke an API key: refused at once from then on", ctx -> {
            String id = ctx.pathParam("id");
            ApiKeys.Key k = keys.byId(id).filter(x -> x.userId().equals(me(ctx))
                    || Audit.caller(ctx).role() == Role.ADMIN).orElseThrow(() -> new ApiError(404, "NOT_FOUND",
                            "No API key with id '" + SafeName.of(id) + "'", "See GET /api/v1/account/keys.")
                            .zh("找不到这个 API 密钥", "请刷新密钥列表。"));
            keys.revoke(k.id());
            Audit.detail(ctx, k.name());
            ctx.json(json(keys.byId(k.id()).orElseThrow()));
        });
    }

    private static String me(Context ctx) {
        String id = Audit.caller(ctx).userId();
        if (id == null) {
            throw new ApiError(401, "UNAUTHORIZED", "Sign in first", "Sign in with your name and password.");
        }
        return id;
    }

    private String whose(Context ctx) {
        String asked = ctx.queryParam("user");
        if (asked == null || asked.equals(me(ctx))) {
            return me(ctx);
        }
        AccountRoutes.admin(ctx);
        return accounts.byId(asked).orElseThrow(() -> new ApiError(404, "NOT_FOUND", "No account with id '"
                + SafeName.of(asked) + "'", "See GET /api/v1/users.")).id();
    }

    private static Map<String, Object> json(ApiKeys.Key k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("shown", k.shown());
        m.put("createdAt", k.createdAt().toString());
        m.put("lastUsedAt", k.lastUsedAt() == null ? null : k.lastUsedAt().toString());
        m.put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString());
        return m;
    }
}
