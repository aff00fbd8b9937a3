package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.app.accounts.Accounts;
import com.heygem.app.accounts.SignInThrottle;
import com.heygem.app.store.AuditLog;
import com.heygem.app.store.Database;
import com.heygem.app.store.SessionStore;
import com.heygem.app.store.StorageGuard;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.config.SizeUnit;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: the web page (static files from the jar, nothing from the internet), the
 * access check, the error answers and each domain's {@link Routes}. Every answer is JSON (or the
 * file asked for); errors say what, why and what to do, with a status that fits (400, 401, 404,
 * 409, 410, 413, 415).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** What a request turned away for a passing reason (a full disk, the database away) is told to wait. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Javalin app;
    private final Api api;
    private final TemplateChecks checks;
    private final EventRoutes events;
    private final Webhooks webhooks;
    private final com.heygem.app.imports.Imports imports;
    private final SpeechChecks speech;
    private final com.heygem.app.live.LiveStreams live;
    private final WebAuth auth;
    private final AuditLog auditLog;
    private final Audit audit;
    /** The page loads only its own files; thumbnails and previews may be blobs or data addresses. */
    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:;"
            + " style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
            + " form-action 'self'";

    public ApiServer(Services s) {
        Path uploadTmp = s.dataDir().resolve("tmp").resolve("uploads");
        try {
            Files.createDirectories(uploadTmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SessionStore sessions = new SessionStore(s.store().dataSource());
        Accounts accounts = new Accounts(s.store().dataSource());
        com.heygem.app.accounts.ApiKeys keys = new com.heygem.app.accounts.ApiKeys(s.store().dataSource());
        auth = new WebAuth(s.token(), s.auth(), sessions, accounts, keys, s.session());
        // One count of password and token tries for the sign-in form and the ?token= address.
        SignInThrottle throttle = SignInThrottle.standard();
        auditLog = new AuditLog(s.store().dataSource());
        audit = new Audit(auditLog);
        int ended = auth.purge();
        if (ended > 0) {
            LOG.info("{} expired browser session(s) forgotten", ended);
        }
        if (!s.auth()) {
            LOG.warn("ACCESS CONTROL IS OFF (server.auth=false): anyone who can reach this port can use HeyGem");
        }
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.multipartConfig.cacheDirectory(uploadTmp.toString());
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.jetty.multipartConfig.maxFileSize(s.maxUpload(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(s.maxUpload() + (1 << 20), SizeUnit.BYTES);
            config.staticFiles.add(f -> {
                f.hostedPath = "/";
                f.directory = "/web";
                f.location = Location.CLASSPATH;
                f.headers = Map.of("Cache-Control", "no-cache");
            });
        });
        // On every answer, pages and files included: no framing, no type guessing, no foreign
        // scripts, and no address (with a ?token=) passed on to other sites.
        app.before(ctx -> {
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Content-Security-Policy", CSP);
        });
        app.before("/api/v1/*", ctx -> {
            if (ctx.method() == HandlerType.HEAD && !ctx.path().matches("/api/v1/items/[^/]+/result")) {
                // Only a result's download answers HEAD; elsewhere an empty 200 would say that any path exists.
                ctx.header("Allow", "GET");
                throw new ApiError(405, "METHOD_NOT_ALLOWED", "HEAD is answered only for a result's download",
                        "Use GET (with 'Range: bytes=0-0' to learn whether a file is there without fetching it).")
                        .zh("只有结果下载支持 HEAD 请求", "请使用 GET（加 'Range: bytes=0-0' 可只确认文件是否存在）。");
            }
            String p = ctx.path();
            if (!identify(ctx) && !p.equals("/api/v1/health") && !p.equals("/api/v1/session")
                    && !p.startsWith("/api/v1/setup")) {
                throw unauthorized();
            }
            sameOrigin(ctx);
            if (!Access.allowed(Audit.caller(ctx).role(), ctx.method().name(), p)) {
                throw AccountRoutes.forbidden();
            }
        });
        // Nothing new is taken in while the disk is nearly full: what was acknowledged must still fit.
        for (String path : List.of("/api/v1/assets", "/api/v1/imports", "/api/v1/batches", "/api/v1/live", "/easy/submit")) {
            app.before(path, ctx -> {
                if (ctx.method().name().equals("POST") && s.storage().low()) {
                    throw storageFull(s.storage());
                }
            });
        }
        app.before("/easy/*", ctx -> {
            if (!identify(ctx)) {
                throw unauthorized();
            }
            sameOrigin(ctx);
            if (!Access.allowed(Audit.caller(ctx).role(), ctx.method().name(), ctx.path())) {
                throw AccountRoutes.forbidden();
            }
        });
        // Opening the address the server logged (…/?token=…) starts a browser session and hides the token.
        app.before("/", ctx -> {
            String t = ctx.queryParam("token");
            if (t != null) {
                // Counted per address like the sign-in form's token: past 20 wrong in 15 minutes the
                // address is not even checked, and nothing more is written for it (no audit row, no log
                // line): someone without an account cannot fill the log and the disk.
                SignInThrottle.Try attempt = throttle.tryToken(ctx.ip());
                if (attempt == null) {
                    ctx.redirect("/?signin=wrong");
                } else if (auth.isToken(t.trim())) {
                    throttle.right(attempt);
                    auth.startSession(ctx);
                    ctx.attribute(Audit.CALLER, WebAuth.admin("link"));
                    audit.record(ctx, "signin", null, null);
                    ctx.redirect("/");
                } else {
                    audit.record(ctx, "signin.refused", null, "a wrong token in the address");
                    ctx.redirect("/?signin=wrong"); // the page says the address's token was not accepted
                }
            }
        });
        api = new Api(app, audit);
        api.get("/api/v1/health", "server", "Is the server up (no token needed); storage: free space, and whether the"
                + " queue is paused for lack of it", ctx -> ctx.json(Map.of("status", "ok", "version", s.version(),
                "storage", Map.of("freeBytes", s.storage().free(), "reserveBytes", s.storage().required(),
                        "low", s.storage().low()))));
        new AccountRoutes(auth, accounts, sessions, throttle, audit, s.version(),
                new com.heygem.app.accounts.Quotas(s.store().dataSource(), s.dataDir(), s.quotas()), keys).addTo(api);
        new KeyRoutes(keys, accounts).addTo(api);
        Thumbnails thumbnails = new Thumbnails(s.dataDir());
        checks = new TemplateChecks(s.dataDir(), s.analyzer());
        speech = new SpeechChecks(s.dataDir());
        Changes changes = new Changes();
        BatchRoutes batches = new BatchRoutes(s, speech, changes);
        try {
            webhooks = new Webhooks(s.store(), s.webhookUrl(), s.webhookSecret(), s.dataDir(), s.importLimits().policy(),
                    batches::batchJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        events = new EventRoutes(s, auth, changes);
        AssetRoutes assets;
        try {
            assets = new AssetRoutes(s, thumbnails, checks, speech, changes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        imports = assets.imports();
        live = new com.heygem.app.live.LiveStreams(s.dataDir(), s.analyzer(), s.importLimits().policy(), s.encoder(),
                s.importLimits().maxSeconds());
        for (Routes r : List.of(assets, batches, new ResultRoutes(s, thumbnails, checks),
                events, new LogRoutes(s), new CleanupRoutes(s), new EasyRoutes(s, imports), new LiveRoutes(s, live),
                new WorkerRoutes(s, s.store().dataSource()))) {
            r.addTo(api);
        }
        Map<String, Object> openApi = OpenApi.document(api.routes(), s.version());
        api.get("/api/v1/openapi.json", "server", "This document", ctx -> ctx.json(openApi));
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).json(e.body()));
        app.exception(HeyGemException.class, (e, ctx) -> ctx.status(ErrorStatus.of(e.code()))
                .json(Map.of("error", ErrorStatus.json(e))));
        app.exception(Exception.class, (e, ctx) -> {
            boolean reading = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
            boolean unavailable = Database.isUnavailable(e);
            if (StorageGuard.isNoSpace(e) || (unavailable && s.storage().low())) {
                LOG.warn("request {} {} failed: the disk is full ({})", ctx.method(), ctx.path(), e.toString());
                // Nothing new could be stored (507); a read is only turned away for now (503).
                ApiError full = reading ? storageFullReading(s.storage()) : storageFull(s.storage());
                ctx.status(full.status).json(full.body());
                if (reading) {
                    ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                }
                return;
            }
            if (unavailable) {
                LOG.warn("request {} {} failed: the database cannot be reached ({})", ctx.method(), ctx.path(),
                        e.toString());
                ApiError away = databaseUnavailable();
                ctx.status(away.status).header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)).json(away.body());
                return;
            }
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", Map.of("code", "INTERNAL_ERROR", "message",
                    "The server failed (" + e.getClass().getSimpleName() + "); the details are in its log",
                    "hint", "Try again; if it keeps failing, send logs/heygem.log to your administrator.")));
        });
        app.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (ctx.path().startsWith("/api/") && (type == null || !type.contains("json"))) {
                ctx.json(new ApiError(404, "NO_SUCH_ENDPOINT", "There is no " + ctx.method() + " " + SafeName.of(ctx.path()),
                        "See GET /api/v1/openapi.json for the endpoints.").body());
            }
        });
    }

    /**
     * Refuses a request that changes something on the strength of the browser's cookie alone
     * when another origin sent it, or sent it as a form or plain text (what a foreign page can
     * send without asking the browser's permission first).
     */
    private void sameOrigin(Context ctx) {
        if (!auth.fromThisOrigin(ctx)) {
            throw new ApiError(403, "CROSS_SITE", "This request came from another web site or port and was refused",
                    "Use HeyGem's own page, or send 'Authorization: Bearer <token>' from scripts.")
                    .zh("该请求来自其他网站或端口，已被拒绝", "请使用 HeyGem 自己的页面；脚本请发送 'Authorization: Bearer <令牌>'。");
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        boolean formLike = type.startsWith("text/plain") || type.startsWith("application/x-www-form-urlencoded")
                || (type.startsWith("multipart/form-data") && !ctx.path().equals("/api/v1/assets"));
        if (formLike && auth.enabled() && ctx.header("Authorization") == null) {
            throw new ApiError(415, "JSON_EXPECTED", "This request must be sent as JSON",
                    "Send the body with 'Content-Type: application/json'.")
                    .zh("该请求必须以 JSON 发送", "请以 'Content-Type: application/json' 发送请求体。");
        }
    }

    private static ApiError storageFull(StorageGuard storage) {
        String free = size(storage.free());
        String reserve = size(storage.required());
        return new ApiError(507, "STORAGE_FULL", "The server's disk is nearly full (" + free + " free, " + reserve
                + " needed): nothing new is accepted and the queue is paused; nothing already accepted"
                + " is lost", "Ask the administrator to free space in HeyGem's data directory (delete old batches, or"
                + " run the clean-up); everything goes on by itself once there is space.")
                .zh("服务器磁盘空间不足（剩余 " + free + "，需要 " + reserve + "）：暂不接收新的文件和批次，队列已暂停；"
                        + "已接收的内容不会丢失", "请管理员清理 HeyGem 数据目录的空间（删除旧批次或运行清理）；有空间后会自动继续。");
    }

    /** Notes who made the request (for the handlers and the audit log). @return whether anyone proved who */
    private boolean identify(Context ctx) {
        Audit.Caller caller = auth.caller(ctx);
        if (caller != null) {
            ctx.attribute(Audit.CALLER, caller);
        }
        return caller != null;
    }

    private static ApiError storageFullReading(StorageGuard storage) {
        String free = size(storage.free());
        return new ApiError(503, "STORAGE_FULL", "The server's disk is full (" + free + " free) and its database could"
                + " not answer just now; nothing already accepted is lost", "Try again in a few seconds; ask the"
                + " administrator to free space in HeyGem's data directory (delete old batches, or run the clean-up).")
                .zh("服务器磁盘已满（剩余 " + free + "），数据库暂时无法应答；已接收的内容不会丢失",
                        "请几秒后重试；并请管理员清理 HeyGem 数据目录的空间（删除旧批次或运行清理）。");
    }

    private static ApiError databaseUnavailable() {
        return new ApiError(503, "DATABASE_UNAVAILABLE", "The server cannot reach its database just now; nothing"
                + " already accepted is lost", "Try again in a few seconds; if it lasts, ask the administrator to check"
                + " the database server (db.url) and the server's log.")
                .zh("服务器暂时无法连接数据库；已接收的内容不会丢失", "请几秒后重试；如果持续出现，请管理员检查数据库服务器（db.url）和服务器日志。");
    }

    /** 1.5 GB, 300 MB: sizes as people read them. */
    /** "2.5 GB", "12 MB", "772 KB": never "0 MB" for what is there. */
    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(java.util.Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : bytes >= 1L << 20 ? String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20))
                : Math.max(bytes > 0 ? 1 : 0, Math.round(bytes / 1024.0)) + " KB";
    }

    private static ApiError unauthorized() {
        return new ApiError(401, "UNAUTHORIZED", "A valid access token is needed",
                "Send 'Authorization: Bearer <token>'; the token is in the file 'token' in the data directory.")
                .zh("需要有效的访问令牌", "请发送 'Authorization: Bearer <令牌>'；令牌在数据目录的 token 文件中。");
    }

    public ApiServer start(String bind, int port) {
        app.start(bind, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        live.close();
        imports.close();
        webhooks.close();
        checks.close();
        speech.close();
        try {
            events.close();
        } catch (Exception e) {
            LOG.debug("closing the event stream: {}", e.toString());
        }
    }
}
