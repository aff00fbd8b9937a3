package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.accounts.Account;
import com.heygem.app.accounts.Accounts;
import com.heygem.app.accounts.Passwords;
import com.heygem.app.accounts.Role;
import com.heygem.app.accounts.SignInThrottle;
import com.heygem.app.store.SessionStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signing in and out, setting a password from a set-up link, changing it, and (for admins) the
 * accounts: add, change role, disable, reset the password, delete. The last active admin can be
 * neither demoted, disabled nor deleted: someone must be able to manage the rest.
 */
final class AccountRoutes implements Routes {
    private final WebAuth auth;
    private final Accounts accounts;
    private final SessionStore sessions;
    private final SignInThrottle throttle;
    private final Audit audit;
    private final String version;
    private final com.heygem.app.accounts.Quotas quotas;
    private final com.heygem.app.accounts.ApiKeys keys;

    AccountRoutes(WebAuth auth, Accounts accounts, SessionStore sessions, SignInThrottle throttle, Audit audit,
            String version, com.heygem.app.accounts.Quotas quotas, com.heygem.app.accounts.ApiKeys keys) {
        this.quotas = quotas;
        this.keys = keys;
        this.auth = auth;
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.version = version;
    }

    @Override
    public void addTo(Api api) {
        api.get("/api/v1/session", "accounts", "Whether this browser is signed in, and as whom", ctx -> {
            Audit.Caller c = auth.caller(ctx);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("signedIn", c != null);
            m.put("authRequired", auth.enabled());
            m.put("version", version);
            Map<String, Object> user = c == null ? null : callerJson(c);
            if (user != null && c.userId() != null) {
                accounts.byId(c.userId()).ifPresent(a -> user.put("quota", quotaJson(a)));
            }
            m.put("user", user);
            ctx.json(m);
        });
        api.post("/api/v1/session", "accounts", "Sign in {\"name\", \"password\"} (or {\"token\"}: as admin)", this::signIn);
        api.delete("/api/v1/session", "accounts", "Sign this browser out (its session ends on the server)", ctx -> {
            auth.endSession(ctx);
            ctx.json(Map.of("signedIn", false));
        });
        api.get("/api/v1/setup/{code}", "accounts", "The account a set-up link is for (404 once used or expired)",
                ctx -> ctx.json(Map.of("name", setup(ctx.pathParam("code")).name())));
        api.post("/api/v1/setup", "accounts", "Choose the password of an account from its set-up link {\"code\","
                + " \"password\"}; signs this browser in", this::setUp);
        api.post("/api/v1/account/password", "accounts", "Change your password {\"current\", \"password\"}; your other"
                + " sessions end", this::changePassword);
        api.get("/api/v1/users", "accounts", "The accounts (admins)", ctx -> {
            admin(ctx);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Account a : accounts.list()) {
                Map<String, Object> j = json(a);
                j.put("quota", quotaJson(a));
                com.heygem.app.accounts.Quotas.Own own = quotas.own(a.id());
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("storageBytes", own.storageBytes() == null ? null : Math.max(0, own.storageBytes()));
                o.put("minutesPerDay", own.minutesPerDay() == null ? null : Math.max(0, own.minutesPerDay()));
                o.put("queuedItems", own.queuedItems() == null ? null : Math.max(0, own.queuedItems()));
                j.put("quotaOwn", o);
                out.add(j);
            }
            ctx.json(Map.of("users", out, "quotaDefaults", limitsJson(quotas.defaults())));
        });
        api.post("/api/v1/users", "accounts", "Add an account {\"name\", \"role\"} (admins); answers its set-up link",
                this::create);
        api.patch("/api/v1/users/{id}", "accounts", "Change an account's role or disable it {\"role\", \"disabled\"}"
                + " (admins)", this::change);
        api.post("/api/v1/users/{id}/reset", "accounts", "Reset an account's password (admins): it ends its sessions,"
                + " revokes its API keys and answers a new set-up link", ctx -> {
                    admin(ctx);
                    Account a = account(ctx);
                    String code = accounts.newSetup(a.id(), true);
                    sessions.endAll(a.id());
                    // A reset is what one does to an account someone else got into: keys they made go too.
                    int revoked = keys.revokeAll(a.id());
                    Audit.detail(ctx, a.name() + (revoked > 0 ? ", " + revoked + " API key(s) revoked" : ""));
                    ctx.json(Map.of("user", json(accounts.byId(a.id()).orElseThrow()), "setupLink", link(code),
                            "keysRevoked", revoked));
                });
        api.delete("/api/v1/users/{id}", "accounts", "Delete an account (admins); its batches stay", ctx -> {
            admin(ctx);
            Account a = account(ctx);
            lastAdmin(a, "deleted", "删除");
            if (a.id().equals(Audit.caller(ctx).userId())) {
                throw new ApiError(409, "INVALID_STATE", "You cannot delete your own account",
                        "Ask another admin.").zh("不能删除自己的账号", "请让另一位管理员操作。");
            }
            sessions.endAll(a.id());
            accounts.delete(a.id());
            Audit.detail(ctx, a.name());
            ctx.json(Map.of("id", a.id(), "deleted", true));
        });
    }

    /** The link a person opens to choose a password: on this server's page. */
    static String link(String code) {
        return "/#/setup/" + code;
    }

    private void signIn(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        String name = body == null ? "" : body.path("name").asText("").trim();
        String secret = body == null ? null : body.hasNonNull("password") ? body.get("password").asText()
                : body.path("token").asText(null);
        if (secret == null) {
            // Not a try at a password: it counts against nobody (five of them once locked admin out).
            throw new ApiError(400, "BAD_REQUEST", "Send {\"name\", \"password\"} (or {\"token\"})",
                    "Fill in the name and the password.").zh("请发送 {\"name\", \"password\"}（或 {\"token\"}）",
                    "请填写账号名和密码。");
        }
        if (name.isEmpty()) {
            signInWithToken(ctx, secret);
            return;
        }
        String who = name.toLowerCase(java.util.Locale.ROOT);
        // Counted before the password is checked, in one step with the look at the limit.
        SignInThrottle.Try attempt = throttle.tryNow(who, ctx.ip());
        if (attempt == null) {
            tooMany(ctx, throttle.waitSeconds(who, ctx.ip()), accounts.byName(who).isPresent() ? who : null);
        }
        Account a = accounts.check(name, secret).orElse(null);
        if (a == null) {
            // What was typed as a name is kept only when it names an account (it may be a password typed in the wrong field).
            audit.record(ctx, "signin.refused", null, accounts.byName(who).isPresent()
                    ? "a wrong password for " + SafeName.of(who) : "a name that is no account");
            throw new ApiError(401, "UNAUTHORIZED", "Wrong name or password", "Check both (names are not"
                    + " case-sensitive, passwords are); an admin can reset a forgotten password.")
                    .zh("账号名或密码不正确", "请检查二者（账号名不区分大小写，密码区分）；忘记密码可请管理员重置。");
        }
        if (a.disabled()) {
            // The right password of a disabled account: say why, rather than "wrong password".
            audit.record(ctx, "signin.refused", null, "disabled account " + SafeName.of(who));
            throw new ApiError(403, "ACCOUNT_DISABLED", "The account '" + a.name() + "' is disabled",
                    "Ask an admin to enable it again.").zh("账号 '" + a.name() + "' 已停用", "请联系管理员重新启用。");
        }
        throttle.right(attempt);
        auth.startSession(ctx, a.id(), null);
        Audit.Caller c = new Audit.Caller(a.id(), a.name(), a.role(), "password");
        ctx.attribute(Audit.CALLER, c);
        ctx.json(Map.of("signedIn", true, "user", callerJson(c)));
    }

    /**
     * The access token (the machine owner's recovery, read from the data directory): its tries
     * count per address only, so guesses at admin's password never lock it out.
     */
    private void signInWithToken(Context ctx, String token) {
        SignInThrottle.Try attempt = throttle.tryToken(ctx.ip());
        if (attempt == null) {
            tooMany(ctx, throttle.tokenWaitSeconds(ctx.ip()), null);
        }
        if (!auth.isToken(token.trim())) {
            audit.record(ctx, "signin.refused", null, "a wrong token");
            throw new ApiError(401, "UNAUTHORIZED", "That is not the access token", "Copy it again from the file"
                    + " token in the data directory.").zh("访问令牌不正确", "请从数据目录中的 token 文件重新复制。");
        }
        throttle.right(attempt);
        auth.startSession(ctx);
        ctx.attribute(Audit.CALLER, WebAuth.admin("token"));
        ctx.json(Map.of("signedIn", true, "user", callerJson(WebAuth.admin("token"))));
    }

    private void tooMany(Context ctx, long wait, String account) {
        audit.record(ctx, "signin.refused", null, "too many tries" + (account == null ? "" : " for " + SafeName.of(account)));
        ctx.header("Retry-After", String.valueOf(Math.max(1, wait)));
        long s = Math.max(1, wait);
        // Said as people say a wait: "15 min", not "892 s".
        String en = s < 90 ? s + " s" : Math.round(s / 60.0) + " min";
        String zh = s < 90 ? s + " 秒" : Math.round(s / 60.0) + " 分钟";
        throw new ApiError(429, "TOO_MANY_TRIES", "Too many wrong passwords: try again in " + en,
                "Wait, then check the name and the password (or ask an admin to reset it; the machine's owner can"
                        + " sign in with the access token).")
                .zh("密码错误次数过多：请 " + zh + "后再试",
                        "请稍候，并检查账号名和密码（或请管理员重置密码；服务器管理者可用访问令牌登录）。");
    }

    private Account setup(String code) {
        return accounts.bySetup(code).orElseThrow(() -> new ApiError(404, "SETUP_LINK_INVALID", "This set-up link does"
                + " not work any more (it was used, replaced by a newer one, or is older than "
                + Accounts.SETUP_VALID.toDays() + " days)", "Ask an admin for a new link (Accounts → Reset password).")
                .zh("该设置链接已失效（已被使用、已被新链接取代，或已超过 " + Accounts.SETUP_VALID.toDays() + " 天）",
                        "请向管理员索取新链接（账号 → 重置密码）。"));
    }

    private void setUp(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        Account a = setup(body == null ? null : body.path("code").asText(null));
        String password = body.path("password").asText(null);
        requireStrong(password, a.name());
        accounts.setPassword(a.id(), password);
        sessions.endAll(a.id());
        throttle.forget(a.name()); // a new password from the link: the guesses against the old one no longer matter
        accounts.signedIn(a.id());
        auth.startSession(ctx, a.id(), null);
        Audit.Caller c = new Audit.Caller(a.id(), a.name(), a.role(), "setup-link");
        ctx.attribute(Audit.CALLER, c);
        ctx.json(Map.of("signedIn", true, "user", callerJson(c)));
    }

    private void changePassword(Context ctx) {
        Audit.Caller c = Audit.caller(ctx);
        Account a = accounts.byId(c.userId() == null ? "" : c.userId()).orElseThrow(() -> new ApiError(401,
                "UNAUTHORIZED", "Sign in first", "Sign in with your name and password."));
        JsonNode body = JsonBody.object(ctx);
        String current = body == null ? null : body.path("current").asText(null);
        String password = body == null ? null : body.path("password").asText(null);
        if (a.hasPassword()) {
            // The same limit as signing in: a stolen session must not become a way to guess the password.
            SignInThrottle.Try attempt = throttle.tryNow(a.name(), ctx.ip());
            if (attempt == null) {
                tooMany(ctx, throttle.waitSeconds(a.name(), ctx.ip()), a.name());
            }
            if (accounts.check(a.name(), current).filter(x -> !x.disabled()).isEmpty()) {
                throw new ApiError(403, "WRONG_PASSWORD", "The current password is not right", "Type your current"
                        + " password again (an admin can reset a forgotten one).").zh("当前密码不正确",
                        "请重新输入当前密码（忘记密码可请管理员重置）。");
            }
            throttle.right(attempt);
            if (password != null && password.equals(current)) {
                throw new ApiError(400, "SAME_PASSWORD", "The new password is the one you have", "Choose another one.")
                        .zh("新密码与当前密码相同", "请换一个密码。");
            }
        }
        requireStrong(password, a.name());
        accounts.setPassword(a.id(), password);
        sessions.endAll(a.id()); // the other browsers; this one signs in again at once
        auth.startSession(ctx, a.id(), null);
        ctx.json(Map.of("changed", true));
    }

    private void create(Context ctx) {
        admin(ctx);
        JsonNode body = JsonBody.object(ctx);
        String given = body == null ? "" : body.path("name").asText("");
        String name = Accounts.normalName(given).orElseThrow(() -> new ApiError(400, "BAD_NAME", "'"
                + SafeName.of(given) + "' cannot be an account's name", "Use 2 to 64 letters of one script (anna, 王小明),"
                + " digits, '.', '_' or '-', starting with a letter or digit.").zh("'" + SafeName.of(given)
                + "' 不能作为账号名", "请使用 2 到 64 个同一种文字的字母（如 anna、王小明）、数字、'.'、'_' 或 '-'，以字母或数字开头。"));
        Role role = role(body.path("role").asText("editor"));
        Accounts.Setup made = accounts.create(name, role).orElseThrow(() -> new ApiError(409, "NAME_TAKEN",
                "There is already an account named '" + name + "'", "Choose another name.")
                .zh("已有名为 '" + name + "' 的账号", "请换一个名字。"));
        Audit.target(ctx, made.account().id());
        Audit.detail(ctx, name + ", " + role.label());
        ctx.status(201).json(Map.of("user", json(made.account()), "setupLink", link(made.code())));
    }

    private void change(Context ctx) {
        admin(ctx);
        Account a = account(ctx);
        JsonNode body = JsonBody.object(ctx);
        if (body == null || (!body.has("role") && !body.has("disabled") && !body.has("quota"))) {
            throw new ApiError(400, "BAD_REQUEST", "Say what to change: {\"role\"}, {\"disabled\"} and/or {\"quota\"}",
                    "Send a JSON object.").zh("请给出要修改的内容：{\"role\"}、{\"disabled\"} 和/或 {\"quota\"}", "请发送 JSON 对象。");
        }
        List<String> said = new ArrayList<>();
        if (body.has("quota")) {
            JsonNode q = body.get("quota");
            com.heygem.app.accounts.Quotas.Own own = new com.heygem.app.accounts.Quotas.Own(
                    limit(q, "storageBytes"), limit(q, "minutesPerDay") == null ? null : limit(q, "minutesPerDay").intValue(),
                    limit(q, "queuedItems") == null ? null : limit(q, "queuedItems").intValue());
            quotas.set(a.id(), own);
            said.add("quota: " + own.words());
        }
        if (body.has("role")) {
            Role role = role(body.get("role").asText(""));
            if (role != a.role()) {
                if (role != Role.ADMIN) {
                    lastAdmin(a, "given another role", "改为其他角色");
                }
                accounts.setRole(a.id(), role);
                said.add("role " + a.role().label() + " → " + role.label());
            }
        }
        if (body.has("disabled")) {
            boolean disabled = body.get("disabled").asBoolean();
            if (disabled != a.disabled()) {
                if (disabled) {
                    lastAdmin(a, "disabled", "停用");
                    sessions.endAll(a.id());
                }
                accounts.setDisabled(a.id(), disabled);
                said.add(disabled ? "disabled" : "enabled");
            }
        }
        Audit.detail(ctx, a.name() + (said.isEmpty() ? "" : ": " + String.join(", ", said)));
        ctx.json(json(accounts.byId(a.id()).orElseThrow()));
    }

    /** A quota as given: null (the default), 0 (no limit) or a positive whole number. */
    private static Long limit(JsonNode q, String field) {
        JsonNode v = q == null ? null : q.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong() || v.asLong() < 0 || (!field.equals("storageBytes") && v.asLong() > 1_000_000)) {
            throw new ApiError(400, "BAD_QUOTA", "'" + field + "' must be a whole number of 0 or more (0: no limit), or"
                    + " null for the server's default", "For example {\"quota\": {\"minutesPerDay\": 60}}.")
                    .zh("'" + field + "' 必须是不小于 0 的整数（0 表示不限），或 null 表示使用服务器默认值",
                            "例如 {\"quota\": {\"minutesPerDay\": 60}}。");
        }
        return v.asLong();
    }

    /** An account's limits and what it uses. */
    private Map<String, Object> quotaJson(Account a) {
        com.heygem.app.accounts.Quotas.Limits l = quotas.of(a);
        Map<String, Object> m = limitsJson(l);
        if (l.storageBytes() > 0 || l.minutesPerDay() > 0 || l.queuedItems() > 0) {
            com.heygem.app.accounts.Quotas.Usage u = quotas.usage(a.id());
            m.put("used", Map.of("storageBytes", u.storageBytes(), "minutesToday", Math.round(u.minutesToday() * 10) / 10.0,
                    "queuedItems", u.queuedItems()));
        }
        return m;
    }

    private static Map<String, Object> limitsJson(com.heygem.app.accounts.Quotas.Limits l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("storageBytes", l.storageBytes());
        m.put("minutesPerDay", l.minutesPerDay());
        m.put("queuedItems", l.queuedItems());
        return m;
    }

    private void lastAdmin(Account a, String what, String whatZh) {
        if (a.role() == Role.ADMIN && !a.disabled() && accounts.activeAdmins() <= 1) {
            throw new ApiError(409, "LAST_ADMIN", "'" + a.name() + "' is the last active admin and cannot be " + what,
                    "Make another account admin first.").zh("'" + a.name() + "' 是最后一个可用的管理员，不能被" + whatZh,
                    "请先把另一个账号设为管理员。");
        }
    }

    private static Role role(String given) {
        return Role.parse(given).orElseThrow(() -> new ApiError(400, "BAD_ROLE", "'" + SafeName.of(given)
                + "' is not a role", "Use \"admin\", \"editor\" or \"viewer\".").zh("'" + SafeName.of(given)
                + "' 不是有效的角色", "请使用 \"admin\"（管理员）、\"editor\"（编辑）或 \"viewer\"（查看者）。"));
    }

    private static void requireStrong(String password, String name) {
        Passwords.weakness(password, name).ifPresent(w -> {
            throw new ApiError(400, "WEAK_PASSWORD", w[0], "Choose a longer one: a few words make a good password.")
                    .zh(w[1], "请换一个更长的密码：几个词连在一起就是好密码。");
        });
    }

    /** Only an admin may go on. */
    static void admin(Context ctx) {
        if (Audit.caller(ctx).role() != Role.ADMIN) {
            throw forbidden();
        }
    }

    static ApiError forbidden() {
        return new ApiError(403, "FORBIDDEN", "Your account may not do this", "Ask an admin (roles: admin, editor,"
                + " viewer).").zh("您的账号无权执行此操作", "请联系管理员（角色：管理员、编辑、查看者）。");
    }

    private Account account(Context ctx) {
        String id = ctx.pathParam("id");
        return accounts.byId(id).orElseThrow(() -> new ApiError(404, "NOT_FOUND", "No account with id '"
                + SafeName.of(id) + "'", "See GET /api/v1/users.").zh("找不到 id 为 '" + SafeName.of(id) + "' 的账号",
                "请刷新账号列表。"));
    }

    static Map<String, Object> callerJson(Audit.Caller c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.userId());
        m.put("name", c.name());
        m.put("role", c.role() == null ? null : c.role().label());
        return m;
    }

    static Map<String, Object> json(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        m.put("role", a.role().label());
        m.put("disabled", a.disabled());
        m.put("hasPassword", a.hasPassword());
        m.put("createdAt", a.createdAt().toString());
        m.put("lastSignIn", a.lastSignIn() == null ? null : a.lastSignIn().toString());
        return m;
    }
}
