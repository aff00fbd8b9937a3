package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.engine.error.HeyGemException;
import io.javalin.Javalin;
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

    private final Javalin app;
    private final Api api;
    private final TemplateChecks checks;
    private final EventRoutes events;

    public ApiServer(Services s) {
        Path uploadTmp = s.dataDir().resolve("tmp").resolve("uploads");
        try {
            Files.createDirectories(uploadTmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WebAuth auth = new WebAuth(s.token(), s.auth());
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
        app.before("/api/v1/*", ctx -> {
            String p = ctx.path();
            if (!p.equals("/api/v1/health") && !p.equals("/api/v1/session") && !auth.accepts(ctx)) {
                throw unauthorized();
            }
        });
        app.before("/easy/*", ctx -> {
            if (!auth.accepts(ctx)) {
                throw unauthorized();
            }
        });
        // Opening the address the server logged (…/?token=…) starts a browser session and hides the token.
        app.before("/", ctx -> {
            String t = ctx.queryParam("token");
            if (t != null) {
                if (auth.isToken(t.trim())) {
                    auth.startSession(ctx);
                }
                ctx.redirect("/");
            }
        });
        api = new Api(app);
        api.get("/api/v1/health", "server", "Is the server up (no token needed)", ctx -> ctx.json(Map.of("status", "ok",
                "version", s.version())));
        api.get("/api/v1/session", "server", "Whether this browser is signed in", ctx -> ctx.json(Map.of(
                "signedIn", auth.accepts(ctx), "authRequired", auth.enabled(), "version", s.version())));
        api.post("/api/v1/session", "server", "Sign this browser in with the access token {\"token\"}", ctx -> {
            JsonNode body = JsonBody.object(ctx);
            String t = body == null ? null : body.path("token").asText(null);
            if (t == null || !auth.isToken(t.trim())) {
                throw unauthorized();
            }
            auth.startSession(ctx);
            ctx.json(Map.of("signedIn", true));
        });
        api.delete("/api/v1/session", "server", "Sign this browser out", ctx -> {
            auth.endSession(ctx);
            ctx.json(Map.of("signedIn", false));
        });
        Thumbnails thumbnails = new Thumbnails(s.dataDir());
        checks = new TemplateChecks(s.dataDir(), s.analyzer());
        events = new EventRoutes(s);
        for (Routes r : List.of(new AssetRoutes(s, thumbnails, checks), new BatchRoutes(s), new ResultRoutes(s, thumbnails),
                events, new LogRoutes(s), new CleanupRoutes(s), new EasyRoutes(s),
                new WorkerRoutes(s, s.store().dataSource()))) {
            r.addTo(api);
        }
        Map<String, Object> openApi = OpenApi.document(api.routes(), s.version());
        api.get("/api/v1/openapi.json", "server", "This document", ctx -> ctx.json(openApi));
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).json(e.body()));
        app.exception(HeyGemException.class, (e, ctx) -> ctx.status(e.code().name().equals("INVALID_STATE") ? 409 : 400)
                .json(Map.of("error", Map.of("code", e.code().name(), "message", e.messageEn(), "messageZh",
                        e.messageZh(), "hint", e.code().hintEn(), "hintZh", e.code().hintZh()))));
        app.exception(Exception.class, (e, ctx) -> {
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
        checks.close();
        try {
            events.close();
        } catch (Exception e) {
            LOG.debug("closing the event stream: {}", e.toString());
        }
    }
}
