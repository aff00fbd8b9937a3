package com.heygem.app.web;

import com.heygem.engine.error.HeyGemException;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin with the access check, the error answers and each domain's
 * {@link Routes}. Every answer is JSON (or the file asked for); errors say what, why and what to
 * do, with a status that fits (400, 401, 404, 409, 410, 413, 415).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;

    public ApiServer(Services s) {
        Path uploadTmp = s.dataDir().resolve("tmp").resolve("uploads");
        try {
            Files.createDirectories(uploadTmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.multipartConfig.cacheDirectory(uploadTmp.toString());
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.jetty.multipartConfig.maxFileSize(s.maxUpload(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(s.maxUpload() + (1 << 20), SizeUnit.BYTES);
        });
        app.before("/api/v1/*", ctx -> {
            if (!ctx.path().equals("/api/v1/health") && !s.token().accepts(ctx.header("Authorization"))) {
                throw new ApiError(401, "UNAUTHORIZED", "A valid access token is needed",
                        "Send 'Authorization: Bearer <token>'; the token is in the file 'token' in the data directory.");
            }
        });
        app.get("/api/v1/health", ctx -> ctx.json(Map.of("status", "ok", "version", s.version())));
        for (Routes r : List.of(new AssetRoutes(s), new BatchRoutes(s), new ResultRoutes(s), new CleanupRoutes(s))) {
            r.addTo(app);
        }
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).json(e.body()));
        app.exception(HeyGemException.class, (e, ctx) -> ctx.status(e.code().name().equals("INVALID_STATE") ? 409 : 400)
                .json(Map.of("error", Map.of("code", e.code().name(), "message", e.messageEn(), "messageZh",
                        e.messageZh(), "hint", e.code().hintEn()))));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", Map.of("code", "INTERNAL_ERROR", "message",
                    "The server failed (" + e.getClass().getSimpleName() + "); the details are in its log",
                    "hint", "Try again; if it keeps failing, send logs/heygem.log to your administrator.")));
        });
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
    }
}
