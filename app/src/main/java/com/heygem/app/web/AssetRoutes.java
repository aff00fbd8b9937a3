package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.store.FileNames;
import com.heygem.app.store.BatchStore;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Uploaded files. An upload streams to disk while it is hashed, is probed (by content, never by
 * name: 415 when it is neither audio nor video), and is stored once per content under
 * {@code uploads/<ab>/<sha256>.<ext>}; a video's face check starts at once. The list is the
 * template library the page offers for reuse.
 */
final class AssetRoutes implements Routes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AssetRoutes.class);
    private static final int MAX_LIST = 500;
    private final Services s;
    private final AssetIntake intake;
    private final Thumbnails thumbnails;
    private final TemplateChecks checks;
    private final SpeechChecks speech;

    AssetRoutes(Services services, Thumbnails thumbnails, TemplateChecks checks, SpeechChecks speech) {
        this.s = services;
        this.intake = new AssetIntake(services);
        this.thumbnails = thumbnails;
        this.checks = checks;
        this.speech = speech;
    }

    @Override
    public void addTo(Api api) {
        api.post("/api/v1/assets", "assets", "Upload an audio or video file (multipart field 'file')", this::upload);
        api.get("/api/v1/assets", "assets", "List uploaded files (?kind=AUDIO|VIDEO, ?limit=)", this::list);
        api.get("/api/v1/assets/{id}", "assets", "One uploaded file, with a video's face check", ctx ->
                ctx.json(json(asset(ctx), true)));
        api.patch("/api/v1/assets/{id}", "assets", "Rename an upload {\"name\"}", this::rename);
        api.delete("/api/v1/assets/{id}", "assets", "Delete an upload from the library (409 while an unfinished item uses it)",
                this::remove);
        api.get("/api/v1/assets/{id}/file", "assets", "The uploaded file itself (byte ranges)", "application/octet-stream",
                ctx -> {
                    BatchStore.Asset a = asset(ctx);
                    ByteRange.send(ctx, s.dataDir().resolve(a.storedPath()), contentType(a));
                });
        api.get("/api/v1/assets/{id}/thumbnail", "assets", "A JPEG picture of a video", "image/jpeg", ctx -> {
            BatchStore.Asset a = asset(ctx);
            if (!"VIDEO".equals(a.kind())) {
                throw new ApiError(404, "NO_PICTURE", a.fileName() + " is audio and has no picture",
                        "Thumbnails exist for videos only.");
            }
            ctx.header("Cache-Control", "private, max-age=86400");
            ByteRange.send(ctx, thumbnails.of(s.dataDir(), a), "image/jpeg");
        });
    }

    private BatchStore.Asset asset(Context ctx) {
        String id = ctx.pathParam("id");
        return s.store().asset(id).orElseThrow(() -> Routes.notFound("asset", id));
    }

    private void rename(Context ctx) {
        BatchStore.Asset a = asset(ctx);
        JsonNode body = JsonBody.object(ctx);
        String given = body == null ? null : body.path("name").asText("").trim();
        if (given == null || given.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "A new name is needed: {\"name\": \"…\"}", "Send the new file name.")
                    .zh("需要新的名称：{\"name\": \"…\"}", "请发送新的文件名。");
        }
        String name = SafeName.of(given, s.maxNameLength());
        // The extension says what kind of file it is to players and downloads: keep the old one if none is given.
        if (FileNames.extension(name).isEmpty()) {
            name = name + FileNames.extension(a.fileName());
        }
        s.store().renameAsset(a.id(), name);
        ctx.json(json(s.store().asset(a.id()).orElseThrow(), true));
    }

    private void remove(Context ctx) throws java.io.IOException {
        BatchStore.Asset a = asset(ctx);
        List<String> uses = s.store().unfinishedUses(a.id());
        if (!uses.isEmpty()) {
            throw new ApiError(409, "ASSET_IN_USE", a.fileName() + " is used by " + uses.size() + " batch(es) still"
                    + " queued or rendering", "Wait until they finish, or cancel them, then delete it.")
                    .zh(a.fileName() + " 正被 " + uses.size() + " 个排队中或生成中的批次使用", "请等它们完成或取消后再删除。");
        }
        s.store().deleteAsset(a.id());
        java.nio.file.Files.deleteIfExists(s.dataDir().resolve(a.storedPath()));
        LOG.info("upload {} ({}) deleted from the library", a.id(), a.fileName());
        ctx.json(Map.of("id", a.id(), "deleted", true));
    }

    private void list(Context ctx) {
        String kind = ctx.queryParam("kind");
        if (kind != null && !kind.equals("AUDIO") && !kind.equals("VIDEO")) {
            throw new ApiError(400, "BAD_REQUEST", "kind must be AUDIO or VIDEO, not '" + SafeName.of(kind) + "'",
                    "Leave it out to list both.");
        }
        int limit = Paging.number(ctx, "limit", 100, 1, MAX_LIST);
        List<Map<String, Object>> out = new ArrayList<>();
        String q = ctx.queryParam("q");
        for (BatchStore.Asset a : s.store().assets(kind, q == null || q.isBlank() ? null : q.trim(), limit)) {
            out.add(json(a, false));
        }
        ctx.json(Map.of("assets", out));
    }

    private Map<String, Object> json(BatchStore.Asset a, boolean withCheck) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", a.id());
        body.put("kind", a.kind());
        body.put("name", a.fileName());
        body.put("bytes", a.sizeBytes());
        body.put("durationSeconds", a.durationSeconds());
        body.put("width", a.width());
        body.put("height", a.height());
        body.put("createdAt", a.createdAt().toString());
        body.put("file", "/api/v1/assets/" + a.id() + "/file");
        body.put("thumbnail", "VIDEO".equals(a.kind()) ? "/api/v1/assets/" + a.id() + "/thumbnail" : null);
        if (withCheck && "AUDIO".equals(a.kind())) {
            body.put("speech", speech.of(a));
        }
        if (withCheck && "VIDEO".equals(a.kind())) {
            TemplateChecks.Check c = checks.of(a);
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("state", c.state().name());
            check.put("progress", c.percent());
            check.put("result", c.result());
            check.put("error", c.error());
            body.put("check", check);
        }
        return body;
    }

    private static String contentType(BatchStore.Asset a) {
        String ext = FileNames.extension(a.fileName());
        switch (ext) {
            case ".mp3": return "audio/mpeg";
            case ".wav": return "audio/wav";
            case ".m4a": return "audio/mp4";
            case ".flac": return "audio/flac";
            case ".ogg": case ".opus": return "audio/ogg";
            case ".mp4": case ".m4v": return "video/mp4";
            case ".webm": return "video/webm";
            case ".mov": return "video/quicktime";
            default: return "VIDEO".equals(a.kind()) ? "video/mp4" : "application/octet-stream";
        }
    }

    private void upload(Context ctx) throws Exception {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (RuntimeException e) {
            String why = (e.getMessage() + " " + e.getCause()).toLowerCase(Locale.ROOT);
            if (why.contains("header") || why.contains("illegal character") || why.contains("400:")) {
                // Jetty's form parser refused a part's headers: the file name is what users control there.
                throw new ApiError(400, "BAD_FILE_NAME", "The file name could not be read (it is very long or holds"
                        + " control characters)", "Rename the file to a shorter, plain name and upload it again.")
                        .zh("无法读取文件名（过长或含有控制字符）", "请将文件改为较短的普通名称后重新上传。");
            }
            if (why.contains("exceed")) {
                throw tooLarge();
            }
            throw e;
        }
        if (file == null) {
            throw new ApiError(400, "NO_FILE", "The request has no file",
                    "Send the file as multipart/form-data in a field named 'file'.")
                    .zh("请求中没有文件", "请以 multipart/form-data 方式在名为 file 的字段中发送文件。");
        }
        if (file.size() > s.maxUpload()) {
            throw tooLarge();
        }
        BatchStore.Asset asset = intake.store(file.content(), file.filename());
        // The face check starts now: by the time the user presses start, it is usually done.
        // A video's face check starts now; an audio's speech is measured now (the answer warns of silence).
        ctx.status(201).json(json(asset, true));
    }

    private ApiError tooLarge() {
        return new ApiError(413, "TOO_LARGE", "The file is larger than the upload limit of "
                + (s.maxUpload() >> 20) + " MiB",
                "Compress or shorten the file, or raise the limit (setting upload.maxBytes).")
                .zh("文件超过上传上限 " + (s.maxUpload() >> 20) + " MiB", "请压缩或剪短文件，或调高上限（配置项 upload.maxBytes）。");
    }
}
