package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.app.jobs.ItemState;
import com.heygem.app.accounts.FairQueue;
import com.heygem.app.imports.Imports;
import com.heygem.app.store.BatchStore;
import com.heygem.engine.source.SourceAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two calls existing HeyGem (Duix) integrations make, with the same shapes:
 * {@code POST /easy/submit {"audio_url","video_url","code",…}} where the two "urls" are paths
 * inside the input folder (setting easy.inputDir), and {@code GET /easy/query?code=} answering
 * {@code {"code":10000,"success":true,"msg":"","data":{"code","status","progress","msg","result"}}}
 * with status 0 queued, 1 running, 2 done, 3 failed. As there, errors come back with HTTP 200, a
 * code other than 10000 and {@code success: false}. A task is a one-template batch whose
 * idempotency key is its code, so submitting a code twice does not render twice.
 */
final class EasyRoutes implements Routes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EasyRoutes.class);
    static final int OK = 10000;
    static final int BAD_REQUEST = 10001;
    static final int BAD_FILE = 10002;
    static final int NO_TASK = 10004;
    private final Services s;
    private final AssetIntake intake;
    private final QuotaChecks quota;
    private final Imports imports;

    EasyRoutes(Services services, Imports imports) {
        this.imports = imports;
        this.s = services;
        this.intake = new AssetIntake(services);
        this.quota = new QuotaChecks(services);
    }

    @Override
    public void addTo(Api api) {
        api.post("/easy/submit", "easy", "HeyGem-compatible: render audio_url onto video_url under a task code",
                this::submit);
        api.get("/easy/query", "easy", "HeyGem-compatible: a task's status (0 queued, 1 running, 2 done, 3 failed)",
                this::query);
    }

    private void submit(Context ctx) throws IOException {
        JsonNode body = JsonBody.object(ctx);
        if (body == null) {
            answer(ctx, BAD_REQUEST, "The body must be JSON: {\"audio_url\", \"video_url\", \"code\"}",
                    "请求体必须是 JSON：{\"audio_url\", \"video_url\", \"code\"}", null);
            return;
        }
        String code = body.path("code").asText("").trim();
        if (code.isEmpty() || code.length() > 100) {
            answer(ctx, BAD_REQUEST, "'code' (the task's unique key, up to 100 characters) is missing",
                    "缺少 code（任务的唯一标识，最多 100 个字符）", null);
            return;
        }
        String key = easyKey(ctx, code);
        if (s.store().batchByKey(key).isPresent()) {
            answer(ctx, OK, "", "", Map.of()); // submitted before: the same task, not a second one
            return;
        }
        BatchStore.Asset audio;
        BatchStore.Asset video;
        try {
            String owner = AssetRoutes.uploader(ctx);
            audio = take(ctx, body, "audio_url", owner);
            video = take(ctx, body, "video_url", owner);
        } catch (ClientLeft e) {
            return; // its pull is stopped; there is no one to answer
        } catch (HeyGemException e) {
            answer(ctx, BAD_FILE, e.messageEn() + ". " + e.code().hintEn(), e.messageZh() + "。" + e.code().hintZh(), null);
            return;
        } catch (ApiError e) {
            answer(ctx, BAD_FILE, e.getMessage() + ". " + e.hint, e.zhOrNull() == null ? e.getMessage() + "。" + e.hint
                    : e.zhOrNull(), null);
            return;
        }
        if (!"VIDEO".equals(video.kind())) {
            answer(ctx, BAD_FILE, "video_url " + video.fileName() + " has no picture and cannot be a template",
                    "video_url " + video.fileName() + " 没有画面，不能作为模板", null);
            return;
        }
        double seconds = audio.durationSeconds() == null ? 0 : audio.durationSeconds();
        String owner = AssetRoutes.uploader(ctx);
        String batch;
        try {
            quota.work(ctx, 1, seconds);
            batch = s.store().createBatch(audio.id(), List.of(video.id()),
                    com.heygem.app.jobs.RenderSettings.normalise(null, s.encoder()), key, null,
                    com.heygem.app.jobs.Priority.NORMAL, owner, quota.admission(ctx, 1, seconds)).id();
        } catch (ApiError e) {
            answer(ctx, BAD_REQUEST, e.getMessage() + ". " + e.hint, e.zhOrNull() == null ? e.getMessage() : e.zhOrNull(), null);
            return;
        }
        s.queue().submit(batch);
        Audit.target(ctx, code);
        Audit.detail(ctx, "batch " + batch);
        answer(ctx, OK, "", "", Map.of());
    }

    /** The file a request names, taken in as an asset; only files inside the input folder. */
    private BatchStore.Asset take(Context ctx, JsonNode body, String field, String owner) throws IOException {
        String given = body.path(field).asText("").trim();
        if (given.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "'" + field + "' is missing", "Name a file in the input folder.")
                    .zh("缺少 " + field, "请填写输入目录中的文件名。");
        }
        if (SourceAddress.looksLikeOne(given)) {
            return pull(ctx, given, owner);
        }
        Path root = s.easyInputDir().toAbsolutePath().normalize();
        Path file = root.resolve(given.startsWith("/") && !given.startsWith(root.toString()) ? given.substring(1) : given)
                .normalize();
        if (!file.startsWith(root)) {
            throw new ApiError(400, "OUTSIDE_INPUT", field + " '" + SafeName.of(given) + "' is outside the input folder",
                    "Put the file in " + root + " (setting easy.inputDir) and name it relative to that folder")
                    .zh(field + " '" + SafeName.of(given) + "' 不在输入目录中",
                            "请把文件放进 " + root + "（配置项 easy.inputDir），并用相对该目录的路径");
        }
        if (!Files.isRegularFile(file)) {
            throw new ApiError(404, "FILE_NOT_FOUND", field + " '" + SafeName.of(given) + "' is not in the input folder",
                    "Copy it to " + root + " first").zh(field + " '" + SafeName.of(given) + "' 不在输入目录中",
                            "请先复制到 " + root);
        }
        // The name is inside; where it leads must be too: a link to the token or /etc is refused.
        Path real = file.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            throw new ApiError(400, "OUTSIDE_INPUT", field + " '" + SafeName.of(given) + "' is a link to a file outside"
                    + " the input folder", "Copy the file itself into " + root + " instead of linking to it")
                    .zh(field + " '" + SafeName.of(given) + "' 是指向输入目录之外的链接", "请把文件本身复制到 " + root + "，不要用链接");
        }
        try (InputStream in = Files.newInputStream(real)) {
            return intake.store(in, file.getFileName().toString(), owner);
        }
    }

    /**
     * An address is pulled before the task is accepted, so that an acknowledged task has its files
     * (the answer waits for the download; record live streams with POST /api/v1/imports instead).
     */
    private BatchStore.Asset pull(Context ctx, String url, String owner) {
        CountDownLatch ended = new CountDownLatch(1);
        Imports.Import i;
        try {
            i = imports.start(url, 0, owner, x -> ended.countDown());
        } catch (FairQueue.Full e) {
            throw AssetRoutes.tooManyImports(e);
        }
        try {
            // While it pulls, a space goes out every second (JSON allows it before the answer): the
            // write that fails says the client has gone, and its pull is stopped, not left to run.
            while (!ended.await(1, TimeUnit.SECONDS)) {
                if (!listening(ctx)) {
                    imports.stop(i);
                    LOG.info("/easy/submit: the client left while {} was pulled; import {} stopped", i.source().shown(),
                            i.id());
                    throw new ClientLeft();
                }
            }
        } catch (InterruptedException e) {
            imports.stop(i);
            Thread.currentThread().interrupt();
            throw stopping();
        }
        if (i.state() != Imports.State.DONE) {
            throw i.error() != null ? i.error() : stopping();
        }
        return i.asset();
    }

    /** Thrown when the client of a waiting request has gone. */
    private static final class ClientLeft extends RuntimeException {
        ClientLeft() {
            super(null, null, false, false);
        }
    }

    /** Whether the client still reads: one space written and flushed (the answer is committed as 200 JSON). */
    private static boolean listening(Context ctx) {
        try {
            if (!ctx.res().isCommitted()) {
                ctx.res().setContentType("application/json");
            }
            ctx.res().getOutputStream().write(' ');
            ctx.res().getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static ApiError stopping() {
        return new ApiError(503, "STOPPING", "The server is stopping", "Submit the task again.")
                .zh("服务器正在停止", "请重新提交任务。");
    }

    private void query(Context ctx) {
        String code = ctx.queryParam("code");
        if (code == null || code.isBlank()) {
            answer(ctx, BAD_REQUEST, "'code' is missing: /easy/query?code=<the task's code>",
                    "缺少 code：/easy/query?code=<任务的 code>", null);
            return;
        }
        String batch = s.store().batchByKey(easyKey(ctx, code.trim())).orElse(null);
        if (batch == null) {
            answer(ctx, NO_TASK, "No task with code '" + SafeName.of(code) + "'", "任务不存在：" + SafeName.of(code), null);
            return;
        }
        BatchStore.Item item = s.store().items(batch).get(0);
        int status;
        String msg;
        switch (item.state()) {
            case QUEUED:
                status = 0;
                msg = "排队中 / queued";
                break;
            case RUNNING:
                status = 1;
                msg = "处理中 / running" + (item.stage() == null ? "" : ": " + item.stage());
                break;
            case SUCCEEDED:
                status = 2;
                msg = "任务完成 / done";
                break;
            default:
                status = 3;
                msg = item.state() == ItemState.CANCELED ? "已取消 / cancelled"
                        : "任务失败：" + (item.errorMessageZh() == null ? item.errorMessage() : item.errorMessageZh())
                                + " / failed: " + item.errorMessage();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", code.trim());
        data.put("status", status);
        data.put("progress", item.state() == ItemState.SUCCEEDED ? 100 : (int) Math.floor(item.percent()));
        data.put("msg", msg);
        // As HeyGem: the result's path (here the absolute path under the data directory), plus a download URL.
        data.put("result", item.resultPath() == null ? "" : s.dataDir().resolve(item.resultPath()).toAbsolutePath()
                .toString());
        data.put("download", item.resultPath() == null ? null : "/api/v1/items/" + item.id() + "/result");
        data.put("batchId", batch);
        answer(ctx, OK, "", "", data);
    }

    /**
     * HeyGem's answer shape; {@code msg} in Chinese, then English (as the status texts), and each
     * language on its own for clients that show one.
     */
    /** A task code is the account's own: admin's as before accounts, anyone else's prefixed by its id. */
    private static String easyKey(Context ctx, String code) {
        String owner = AssetRoutes.uploader(ctx);
        return owner.equals(BatchStore.ADMIN) ? "easy:" + code : "easy:" + owner + ":" + code;
    }

    private static void answer(Context ctx, int code, String en, String zh, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("data", data == null ? Map.of() : data);
        m.put("msg", en.isEmpty() ? "" : zh + " / " + en);
        m.put("msgEn", en);
        m.put("msgZh", zh);
        m.put("success", code == OK);
        if (code != OK) {
            Audit.refused(ctx);
        }
        if (ctx.res().isCommitted()) { // spaces went out while a pull was waited for: the answer follows them
            try {
                ctx.res().getOutputStream().write(ctx.jsonMapper().toJsonString(m, Map.class)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ctx.res().getOutputStream().flush();
            } catch (IOException e) {
                LOG.info("/easy/submit: the client left before its answer");
            }
            return;
        }
        ctx.json(m);
    }
}
