package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.jobs.BatchQueue;
import com.heygem.app.jobs.BatchState;
import com.heygem.app.jobs.ItemState;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.FileNames;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API scripts rely on (issue 6's contract, first part): health, upload an asset, create
 * a batch, read a batch. Uploads stream to disk; every answer is JSON; errors say what, why and
 * what to do, with a status that fits (400, 401, 404, 413, 415).
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final Path dataDir;
    private final BatchStore store;
    private final BatchQueue queue;
    private final AccessToken token;
    private final long maxUpload;

    public ApiServer(Path dataDir, BatchStore store, BatchQueue queue, AccessToken token, long maxUpload,
            String version) {
        this.dataDir = dataDir;
        this.store = store;
        this.queue = queue;
        this.token = token;
        this.maxUpload = maxUpload;
        Path uploadTmp = dataDir.resolve("tmp").resolve("uploads");
        try {
            Files.createDirectories(uploadTmp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jetty.multipartConfig.cacheDirectory(uploadTmp.toString());
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.jetty.multipartConfig.maxFileSize(maxUpload, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(maxUpload + (1 << 20), SizeUnit.BYTES);
        });
        app.before("/api/v1/*", ctx -> {
            if (!ctx.path().equals("/api/v1/health") && !token.accepts(ctx.header("Authorization"))) {
                throw new ApiError(401, "UNAUTHORIZED", "A valid access token is needed",
                        "Send 'Authorization: Bearer <token>'; the token is in the file 'token' in the data directory.");
            }
        });
        app.get("/api/v1/health", ctx -> ctx.json(Map.of("status", "ok", "version", version)));
        app.post("/api/v1/assets", this::upload);
        app.post("/api/v1/batches", this::createBatch);
        app.get("/api/v1/batches/{id}", this::getBatch);
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status).json(e.body()));
        app.exception(HeyGemException.class, (e, ctx) -> ctx.status(e.code().name().equals("INVALID_STATE") ? 409 : 400)
                .json(Map.of("error", Map.of("code", e.code().name(), "message", e.messageEn(), "messageZh",
                        e.messageZh()))));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", Map.of("code", "INTERNAL_ERROR", "message",
                    "The server failed (" + e.getClass().getSimpleName() + "); the details are in its log")));
        });
    }

    public ApiServer start(String bind, int port) {
        app.start(bind, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    private void upload(Context ctx) throws Exception {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("exceed")
                    || String.valueOf(e.getCause()).toLowerCase(Locale.ROOT).contains("exceed")) {
                throw tooLarge();
            }
            throw e;
        }
        if (file == null) {
            throw new ApiError(400, "NO_FILE", "The request has no file",
                    "Send the file as multipart/form-data in a field named 'file'.");
        }
        if (file.size() > maxUpload) {
            throw tooLarge();
        }
        String name = SafeName.of(file.filename());
        Path incoming = Files.createTempFile(dataDir.resolve("tmp").resolve("uploads"), "upload-", ".part");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(file.content(), sha);
                    OutputStream out = Files.newOutputStream(incoming)) {
                in.transferTo(out);
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            MediaInfo info;
            try {
                info = MediaProbe.probe(incoming, MediaLimits.DEFAULT);
            } catch (HeyGemException e) {
                throw new ApiError(415, e.code().name(), "Not an audio or video file: " + name + " ("
                        + e.messageEn() + ")", "Upload a video (MP4, MOV, MKV, WebM, FLV, AVI, TS) or an audio file"
                        + " (WAV, MP3, M4A, FLAC).");
            }
            String kind = info.video().isPresent() ? "VIDEO" : "AUDIO";
            Path dir = dataDir.resolve("uploads").resolve(hash.substring(0, 2));
            Files.createDirectories(dir);
            Path stored = dir.resolve(hash + FileNames.extension(name));
            Files.move(incoming, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            double duration = info.durationSeconds();
            String id = store.addAsset(hash, kind, name, dataDir.relativize(stored).toString(), Files.size(stored),
                    Double.isFinite(duration) ? duration : null);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("kind", kind);
            body.put("name", name);
            body.put("bytes", Files.size(stored));
            body.put("durationSeconds", Double.isFinite(duration) ? duration : null);
            ctx.status(201).json(body);
        } finally {
            Files.deleteIfExists(incoming);
        }
    }

    private ApiError tooLarge() {
        return new ApiError(413, "TOO_LARGE", "The file is larger than the upload limit of " + (maxUpload >> 20) + " MiB",
                "Compress or shorten the file, or raise the limit (setting upload.maxBytes).");
    }

    private void createBatch(Context ctx) throws Exception {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (IOException e) {
            throw new ApiError(400, "BAD_JSON", "The request body is not JSON", "Send {\"audioId\": …, \"templateIds\": [ … ]}.");
        }
        String audioId = body == null ? null : body.path("audioId").asText(null);
        JsonNode templates = body == null ? null : body.path("templateIds");
        if (audioId == null || templates == null || !templates.isArray() || templates.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "A batch needs 'audioId' and a non-empty 'templateIds'",
                    "Upload the files first (POST /api/v1/assets) and use the ids it answers.");
        }
        BatchStore.Asset audio = store.asset(audioId).orElseThrow(() -> notFound("asset", audioId));
        List<String> templateIds = new ArrayList<>();
        for (JsonNode t : templates) {
            BatchStore.Asset a = store.asset(t.asText()).orElseThrow(() -> notFound("asset", t.asText()));
            if (!"VIDEO".equals(a.kind())) {
                throw new ApiError(400, "NOT_A_VIDEO", a.fileName() + " has no picture and cannot be a template",
                        "Templates are videos of the presenter.");
            }
            templateIds.add(a.id());
        }
        String settings = body.has("settings") ? body.get("settings").toString() : "{}";
        String id = store.createBatch(audio.id(), templateIds, settings, ctx.header("Idempotency-Key"));
        queue.submit(id);
        ctx.status(201).json(batchJson(id));
    }

    private void getBatch(Context ctx) {
        String id = ctx.pathParam("id");
        store.batch(id).orElseThrow(() -> notFound("batch", id));
        ctx.json(batchJson(id));
    }

    private Map<String, Object> batchJson(String id) {
        List<BatchStore.Item> items = store.items(id);
        List<Map<String, Object>> list = new ArrayList<>();
        List<ItemState> states = new ArrayList<>();
        for (BatchStore.Item i : items) {
            states.add(i.state());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("templateId", i.templateId());
            m.put("state", i.state().name());
            m.put("stage", i.stage());
            m.put("progress", i.percent());
            m.put("error", i.errorCode() == null ? null : Map.of("code", i.errorCode(), "message",
                    String.valueOf(i.errorMessage())));
            m.put("result", i.resultPath());
            list.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", BatchState.Counts.of(states).state().name());
        m.put("items", list);
        return m;
    }

    private static ApiError notFound(String what, String id) {
        return new ApiError(404, "NOT_FOUND", "No " + what + " with id '" + SafeName.of(id) + "'",
                "Check the id; list them with GET /api/v1/" + what + "s.");
    }

    @Override
    public void close() {
        app.stop();
    }
}
