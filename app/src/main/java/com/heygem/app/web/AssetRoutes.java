package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.store.FileNames;
import com.heygem.app.imports.Imports;
import com.heygem.app.store.BatchStore;
import com.heygem.engine.error.HeyGemException;
import java.io.IOException;
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
    /** Uploads of one account being received at once (the page sends 3 at a time). */
    static final int UPLOADS_AT_ONCE = 4;
    private final Services s;
    private final Changes changes;
    private final AssetIntake intake;
    private final Thumbnails thumbnails;
    private final TemplateChecks checks;
    private final SpeechChecks speech;

    private final Imports imports;

    private final Owners owners;
    private final QuotaChecks quota;
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> uploading =
            new java.util.concurrent.ConcurrentHashMap<>();

    AssetRoutes(Services services, Thumbnails thumbnails, TemplateChecks checks, SpeechChecks speech, Changes changes)
            throws IOException {
        this.s = services;
        this.changes = changes;
        this.owners = new Owners(services.store());
        this.quota = new QuotaChecks(services);
        this.intake = new AssetIntake(services);
        this.thumbnails = thumbnails;
        this.checks = checks;
        this.speech = speech;
        this.imports = new Imports(services.dataDir().resolve("tmp").resolve("imports"), services.importLimits(),
                intake::store);
    }

    Imports imports() {
        return imports;
    }

    @Override
    public void addTo(Api api) {
        api.post("/api/v1/assets", "assets", "Upload an audio or video file (multipart field 'file'; ?use=speech refuses a"
                + " file without sound, ?use=template one without picture), or pull one from an address (JSON {\"url\", \"seconds\"}: the same as POST /api/v1/imports)", this::upload);
        api.post("/api/v1/imports", "assets", "Pull a file from an http(s), HLS, DASH or rtmp(s) address {\"url\","
                + " \"seconds\"} (202: follow it at GET /api/v1/imports/{id})", this::startImport);
        api.get("/api/v1/imports", "assets", "The imports of the last hour, newest first", ctx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            String me = Owners.viewer(ctx);
            for (Imports.Import i : imports.recent()) {
                if (me == null || me.equals(i.owner())) {
                    out.add(importJson(i));
                }
            }
            ctx.json(Map.of("imports", out));
        });
        api.get("/api/v1/imports/{id}", "assets", "One import: its state, what it pulled, and its asset once done",
                ctx -> ctx.json(importJson(anImport(ctx))));
        api.post("/api/v1/imports/{id}/stop", "assets", "Stop recording: what was pulled so far is kept", ctx -> {
            Imports.Import i = anImport(ctx);
            imports.stop(i);
            ctx.json(importJson(i));
        });
        api.get("/api/v1/assets", "assets", "List uploaded files (?kind=AUDIO|VIDEO, ?limit=)", this::list);
        api.get("/api/v1/assets/{id}", "assets", "One uploaded file, with a video's face check or a speech's measure",
                ctx -> ctx.json(json(asset(ctx), true, uploader(ctx))));
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
            ByteRange.send(ctx, thumbnails.of(s.dataDir(), a, () -> checks.face(a, Thumbnails.at(
                    a.durationSeconds() == null ? 0 : a.durationSeconds()))), "image/jpeg");
        });
    }

    private BatchStore.Asset asset(Context ctx) {
        return owners.asset(ctx, ctx.pathParam("id"));
    }

    /** Who is uploading: the account whose library the file goes to. */
    static String uploader(Context ctx) {
        String me = Audit.caller(ctx).userId();
        return me == null ? BatchStore.ADMIN : me;
    }

    private void rename(Context ctx) {
        BatchStore.Asset a = owners.assetToChange(ctx, ctx.pathParam("id"));
        JsonNode body = JsonBody.object(ctx);
        String given = body == null ? null : body.path("name").asText("").trim();
        if (given == null || given.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "A new name is needed: {\"name\": \"…\"}", "Send the new file name.")
                    .zh("需要新的名称：{\"name\": \"…\"}", "请发送新的文件名。");
        }
        String name = SafeName.fileName(given, Math.min(AssetIntake.MAX_NAME, s.maxNameLength()));
        // The extension says what kind of file it is to players and downloads: keep the old one if none is given.
        if (FileNames.extension(name).isEmpty()) {
            name = name + FileNames.extension(a.fileName());
        }
        s.store().renameAsset(a.id(), name);
        changes.announce("asset", a.id(), "renamed", java.util.Set.of(uploader(ctx)));
        ctx.json(json(s.store().asset(a.id()).orElseThrow(), true, uploader(ctx)));
    }

    private void remove(Context ctx) throws java.io.IOException {
        BatchStore.Asset a = owners.assetToChange(ctx, ctx.pathParam("id"));
        List<String> uses = s.store().unfinishedUses(a.id());
        if (!uses.isEmpty()) {
            // Named as the user knows them: by batch name, else by the speech they were made with.
            List<String> en = new ArrayList<>();
            List<String> zh = new ArrayList<>();
            for (String id : uses.subList(0, Math.min(3, uses.size()))) {
                BatchStore.Batch b = s.store().batch(id).orElse(null);
                if (b == null) {
                    continue;
                }
                if (b.name() != null && !b.name().isBlank()) {
                    en.add("\u201c" + b.name() + "\u201d");
                    zh.add("\u201c" + b.name() + "\u201d");
                } else {
                    String audio = b.audioName() == null ? "?" : b.audioName();
                    en.add("the batch with speech " + audio);
                    zh.add("语音为 " + audio + " 的批次");
                }
            }
            String more = uses.size() > en.size() ? ", …" : "";
            throw new ApiError(409, "ASSET_IN_USE", a.fileName() + " is used by " + uses.size() + " batch(es) still"
                    + " queued or rendering (" + String.join(", ", en) + more + ")",
                    "Wait until they finish, or cancel them, then delete it.")
                    .zh(a.fileName() + " 正被 " + uses.size() + " 个排队中或生成中的批次使用（" + String.join("、", zh)
                            + (more.isEmpty() ? "" : "、…") + "）", "请等它们完成或取消后再删除。");
        }
        if (s.store().deleteAsset(a.id())) { // else another account's upload of the same bytes keeps the file
            java.nio.file.Files.deleteIfExists(s.dataDir().resolve(a.storedPath()));
        }
        LOG.info("upload {} ({}) deleted from the library", a.id(), a.fileName());
        changes.announce("asset", a.id(), "deleted", java.util.Set.of(uploader(ctx)));
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
        if (Audit.caller(ctx).role() == com.heygem.app.accounts.Role.VIEWER) {
            ctx.json(Map.of("assets", List.of())); // a viewer has no library
            return;
        }
        for (BatchStore.Asset a : s.store().assets(kind, q == null || q.isBlank() ? null : q.trim(), limit,
                Owners.viewer(ctx))) {
            Map<String, Object> row = json(a, false, uploader(ctx));
            // The library shows each file's check: a template's face check is started (in the
            // background, one at a time) if this server never ran it; a speech is measured only
            // when asked for alone, as decoding hundreds of recordings would hold the list up.
            if ("VIDEO".equals(a.kind())) {
                row.put("check", checkJson(checks.of(a)));
            } else {
                row.put("speech", speech.known(a));
            }
            out.add(row);
        }
        ctx.json(Map.of("assets", out));
    }

    /** @param account whose turn a speech measurement started now takes */
    private Map<String, Object> json(BatchStore.Asset a, boolean withCheck, String account) {
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
        // The caller's own upload (else a template shared with it): only one's own is renamed or deleted.
        body.put("mine", account != null && s.store().owns(a.id(), account));
        if (withCheck && "AUDIO".equals(a.kind())) {
            body.put("speech", speech.of(a, account));
        }
        if (withCheck && "VIDEO".equals(a.kind())) {
            body.put("check", checkJson(checks.of(a)));
        }
        return body;
    }

    private static Map<String, Object> checkJson(TemplateChecks.Check c) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("state", c.state().name());
        check.put("progress", c.percent());
        check.put("result", c.result());
        check.put("error", c.error());
        return check;
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
            case ".mkv": return "video/x-matroska";
            case ".mka": return "audio/x-matroska";
            default: return "VIDEO".equals(a.kind()) ? "video/mp4" : "application/octet-stream";
        }
    }

    private void startImport(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        String url = body == null ? "" : body.path("url").asText("").trim();
        if (url.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "An import needs 'url': the address of the file or stream",
                    "Send {\"url\": \"https://…/speech.mp3\"}; add \"seconds\" to record a live stream that long.")
                    .zh("缺少 url：文件或直播流的地址", "请发送 {\"url\": \"https://…/speech.mp3\"}；录制直播时可加上 \"seconds\" 指定时长。");
        }
        double seconds = body.path("seconds").asDouble(0);
        quota.storage(ctx, 0); // its size is known only at its end: refused when already over
        String owner = uploader(ctx);
        Imports.Import i;
        try {
            i = imports.start(url, seconds, owner, null);
        } catch (com.heygem.app.accounts.FairQueue.Full e) {
            throw tooManyImports(e);
        }
        Audit.target(ctx, i.id());
        Audit.detail(ctx, i.source().shown());
        ctx.status(202).header("Location", "/api/v1/imports/" + i.id()).json(importJson(i));
    }

    /** The answer when the account's share of pulls is full. */
    static ApiError tooManyImports(com.heygem.app.accounts.FairQueue.Full e) {
        return new ApiError(429, "TOO_MANY_IMPORTS", "You have " + e.limit() + " imports waiting or running, as many"
                + " as one account may", "Wait until one of them has ended (GET /api/v1/imports), then add this one.")
                .zh("您已有 " + e.limit() + " 个导入在排队或进行中，已达到每个账号的上限", "请等其中一个结束后再添加。");
    }

    private Imports.Import anImport(Context ctx) {
        String id = ctx.pathParam("id");
        String me = Owners.viewer(ctx);
        return imports.get(id).filter(i -> me == null || me.equals(i.owner())).orElseThrow(() -> new ApiError(404, "NOT_FOUND", "No import with id '" + SafeName.of(id)
                + "': imports are kept for an hour after they end, and not across a restart of the server",
                "Start it again.").zh("找不到这个导入：导入结束一小时后、或服务器重启后不再保留", "请重新导入。"));
    }

    private Map<String, Object> importJson(Imports.Import i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("url", i.source().shown());
        m.put("state", i.state().name());
        m.put("seconds", i.seconds());
        m.put("pulledSeconds", Math.round(i.pulledSeconds() * 10) / 10.0);
        m.put("pulledBytes", i.pulledBytes());
        m.put("cut", i.cut());
        m.put("stopAsked", i.stopAsked());
        m.put("asset", i.asset() == null ? null : json(i.asset(), true, i.owner() == null ? BatchStore.ADMIN : i.owner()));
        HeyGemException e = i.error();
        m.put("error", e == null ? null : ErrorStatus.json(e));
        return m;
    }

    private void upload(Context ctx) throws Exception {
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            startImport(ctx);
            return;
        }
        // Counted before the body is read: one account's many slow uploads hold a few threads, not all.
        java.util.concurrent.atomic.AtomicInteger mine = uploading.computeIfAbsent(uploader(ctx),
                k -> new java.util.concurrent.atomic.AtomicInteger());
        if (mine.incrementAndGet() > UPLOADS_AT_ONCE) {
            mine.decrementAndGet();
            throw new ApiError(429, "TOO_MANY_UPLOADS", "You are uploading " + UPLOADS_AT_ONCE + " files already, as"
                    + " many as one account may at once", "Send this one when one of them has finished.")
                    .zh("您已在同时上传 " + UPLOADS_AT_ONCE + " 个文件，已达到每个账号的上限", "请等其中一个完成后再上传这个文件。");
        }
        try {
            receive(ctx);
        } finally {
            mine.decrementAndGet();
        }
    }

    private void receive(Context ctx) throws Exception {
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
        AssetIntake.Use use = AssetIntake.Use.of(ctx.queryParam("use"));
        BatchStore.Asset asset = intake.store(file.content(), file.filename(), uploader(ctx), use,
                bytes -> quota.storage(ctx, bytes));
        Audit.target(ctx, asset.id());
        Audit.detail(ctx, asset.fileName());
        // The face check starts now: by the time the user presses start, it is usually done.
        // A video's face check starts now; an audio's speech is measured now (the answer warns of silence).
        changes.announce("asset", asset.id(), "created", java.util.Set.of(uploader(ctx)));
        ctx.status(201).json(json(asset, true, uploader(ctx)));
    }

    private ApiError tooLarge() {
        return new ApiError(413, "TOO_LARGE", "The file is larger than the upload limit of "
                + (s.maxUpload() >> 20) + " MiB",
                "Compress or shorten the file, or raise the limit (setting upload.maxBytes).")
                .zh("文件超过上传上限 " + (s.maxUpload() >> 20) + " MiB", "请压缩或剪短文件，或调高上限（配置项 upload.maxBytes）。");
    }
}
