package com.heygem.app.web;

import com.heygem.app.jobs.ItemState;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.ResultZip;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finished videos: one result (with HTTP ranges, so a player can seek; {@code ?download=1} asks
 * the browser to save it) and a batch's results as one ZIP, built while it is sent.
 */
final class ResultRoutes implements Routes {
    private final Services s;
    private final Thumbnails thumbnails;

    private final Owners owners;

    ResultRoutes(Services services, Thumbnails thumbnails) {
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
            ctx.result(Files.isRegularFile(log) ? LogRoutes.tail(log, Paging.number(ctx, "lines", 2000, 1, 100_000))
                    : "");
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
            picture = thumbnails.of(s.dataDir().resolve(item.resultPath()), "item-" + id, 3); // one second in
        } else {
            picture = thumbnails.of(s.dataDir(),
                    s.store().asset(item.templateId()).orElseThrow(() -> Routes.notFound("asset", id)));
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
        String name = file.getFileName().toString();
        boolean download = ctx.queryParam("download") != null;
        ctx.header("Content-Disposition", (download ? "attachment" : "inline") + "; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        ctx.header("Cache-Control", "private, max-age=3600");
        ByteRange.send(ctx, file, "video/mp4");
    }

    private void zip(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        owners.batch(ctx, id);
        List<ResultZip.Entry> entries = new ArrayList<>();
        for (BatchStore.Item i : s.store().items(id)) {
            if (i.state() == ItemState.SUCCEEDED && i.resultPath() != null) {
                Path file = s.dataDir().resolve(i.resultPath());
                entries.add(new ResultZip.Entry(file, file.getFileName().toString()));
            }
        }
        if (entries.isEmpty()) {
            throw new ApiError(409, "NO_RESULT", "This batch has no finished video yet",
                    "Wait until at least one of its videos has finished.")
                    .zh("这个批次还没有完成的视频", "请等至少一个视频完成后再下载。");
        }
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"heygem-" + id + ".zip\"");
        ctx.header("Cache-Control", "no-store");
        // Streamed straight into the response (chunked): never whole in memory or on disk.
        ResultZip.write(entries, ctx.res().getOutputStream());
    }
}
