package com.heygem.app.web;

import com.heygem.app.jobs.ItemState;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.DownloadNames;
import com.heygem.app.store.ResultZip;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finished videos: one result (with HTTP ranges, so a player can seek; {@code ?download=1} asks
 * the browser to save it) and a batch's results as one ZIP, built while it is sent.
 */
final class ResultRoutes implements Routes {
    private final Services s;
    private final Thumbnails thumbnails;

    private final Owners owners;

    private final TemplateChecks checks;

    ResultRoutes(Services services, Thumbnails thumbnails, TemplateChecks checks) {
        this.checks = checks;
        this.s = services;
        this.thumbnails = thumbnails;
        this.owners = new Owners(services.store());
    }

    @Override
    public void addTo(Api api) {
        api.get("/api/v1/items/{id}/result", "items", "The finished video (byte ranges; ?download=1 to save it)",
                "video/mp4", this::result);
        api.javalin().head("/api/v1/items/{id}/result", this::result);
        api.get("/api/v1/items/{id}/thumbnail", "items", "A picture of the result, or of the template before it",
                "image/jpeg", this::thumbnail);
        api.get("/api/v1/items/{id}/log", "items", "The item's own log", "text/plain", ctx -> {
            String id = owners.item(ctx, ctx.pathParam("id")).id();
            Path log = s.dataDir().resolve("logs").resolve("items").resolve(id + ".log");
            ctx.contentType("text/plain; charset=utf-8");
            String text = Files.isRegularFile(log) ? LogRoutes.tail(log, Paging.number(ctx, "lines", 2000, 1, 100_000)) : "";
            // Admins read it as the server wrote it; others without the ids and class names (time, level, words).
            ctx.result(Audit.caller(ctx).role() == com.heygem.app.accounts.Role.ADMIN ? text : plain(text));
        });
        api.get("/api/v1/batches/{id}/zip", "batches", "The batch's finished videos as one ZIP (streamed)",
                "application/zip", this::zip);
    }

    private void thumbnail(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        BatchStore.Item item = owners.item(ctx, id);
        Path picture;
        if (item.state() == ItemState.SUCCEEDED && item.resultPath() != null
                && Files.isRegularFile(s.dataDir().resolve(item.resultPath()))) {
            // One second in, framed on the face where the template's was (the result keeps its geometry).
            BatchStore.Asset template = s.store().asset(item.templateId()).orElse(null);
            picture = thumbnails.of(s.dataDir().resolve(item.resultPath()), "item-" + id, 3,
                    template == null ? null : () -> checks.face(template, 1.0));
        } else {
            BatchStore.Asset template = s.store().asset(item.templateId()).orElseThrow(() -> Routes.notFound("asset", id));
            picture = thumbnails.of(s.dataDir(), template, () -> checks.face(template, Thumbnails.at(
                    template.durationSeconds() == null ? 0 : template.durationSeconds())));
        }
        // The page asks with ?v=<state+attempt>, so a cached picture is never one from before the result.
        ctx.header("Cache-Control", "private, max-age=300");
        ByteRange.send(ctx, picture, "image/jpeg");
    }

    private void result(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        BatchStore.Item item = owners.item(ctx, id);
        if (item.state() != ItemState.SUCCEEDED || item.resultPath() == null) {
            String[] words = BatchRoutes.STATE_WORDS.get(item.state());
            throw new ApiError(409, "NO_RESULT", "The video of " + item.templateName() + " has no result: it " + words[0],
                    "Wait until it has finished; a failed or cancelled video can be retried.")
                    .zh(item.templateName() + " 的视频还没有结果：它" + words[1], "请等它完成；失败或已取消的视频可以重试。");
        }
        Path file = s.dataDir().resolve(item.resultPath());
        if (!Files.isRegularFile(file)) {
            throw new ApiError(410, "RESULT_DELETED", "The video made from " + item.templateName() + " is no longer on disk",
                    "It was cleaned up (setting retention.days / retention.maxBytes); retry the item to render it again.")
                    .zh("用 " + item.templateName() + " 生成的视频已不在磁盘上", "它已被自动清理（配置项 retention.days / retention.maxBytes）；可重新生成。");
        }
        BatchStore.Batch batch = s.store().batch(item.batchId()).orElseThrow();
        String name = DownloadNames.results(DownloadNames.batchLabel(batch.name(), batch.audioName()),
                s.store().items(batch.id())).get(item.id());
        boolean download = ctx.queryParam("download") != null;
        ctx.header("Content-Disposition", disposition(download ? "attachment" : "inline", name));
        ctx.header("Cache-Control", "private, max-age=3600");
        ByteRange.send(ctx, file, "video/mp4");
    }

    /** A log's lines without the ids and the logger's class: "2026-12-08 00:51:15 INFO rendering template …". */
    static String plain(String log) {
        return log.replaceAll("(?m)^(\\S+ \\d\\d:\\d\\d:\\d\\d)\\.\\d+ (\\w+)\\s+\\[[^\\]]*\\] \\S+ - ", "$1 $2 ");
    }

    /**
     * A Content-Disposition naming the file as the user does (RFC 6266: UTF-8 in {@code filename*}),
     * with a plain ASCII name beside it for clients that read only {@code filename}.
     */
    static String disposition(String type, String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7E]", "_").replace("\"", "_").replace("\\", "_");
        return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void zip(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        BatchStore.Batch batch = owners.batch(ctx, id);
        String label = DownloadNames.batchLabel(batch.name(), batch.audioName());
        List<BatchStore.Item> items = s.store().items(id);
        Map<String, String> names = DownloadNames.results(label, items);
        List<ResultZip.Entry> entries = new ArrayList<>();
        for (BatchStore.Item i : items) {
            if (i.state() == ItemState.SUCCEEDED && i.resultPath() != null) {
                entries.add(new ResultZip.Entry(s.dataDir().resolve(i.resultPath()), names.get(i.id())));
            }
        }
        if (entries.isEmpty()) {
            throw new ApiError(409, "NO_RESULT", "This batch has no finished video yet",
                    "Wait until at least one of its videos has finished.")
                    .zh("这个批次还没有完成的视频", "请等至少一个视频完成后再下载。");
        }
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", disposition("attachment", DownloadNames.zip(label)));
        ctx.header("Cache-Control", "no-store");
        // Streamed straight into the response (chunked): never whole in memory or on disk.
        ResultZip.write(entries, ctx.res().getOutputStream());
    }
}
