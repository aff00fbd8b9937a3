package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.live.LiveStreams;
import com.heygem.app.store.BatchStore;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.render.LiveSession;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live streams: a live sound (an address) lip-synced onto a template of the library as it
 * arrives, played by the page from the HLS the server writes, and recorded when asked.
 */
final class LiveRoutes implements Routes {
    private final Services s;
    private final LiveStreams live;

    LiveRoutes(Services services, LiveStreams live) {
        this.s = services;
        this.live = live;
    }

    /** Who started each stream (for as long as the server keeps its streams). */
    private final Map<String, String> starters = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void addTo(Api api) {
        api.post("/api/v1/live", "live", "Start a live stream {\"audioUrl\", \"templateId\", \"latency\", \"record\"}",
                this::start);
        api.get("/api/v1/live", "live", "The live streams since the server started, newest first", ctx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (LiveStreams.Stream st : live.all()) {
                out.add(json(st));
            }
            ctx.json(Map.of("streams", out));
        });
        api.get("/api/v1/live/{id}", "live", "One live stream: its state and figures", ctx -> ctx.json(json(stream(ctx))));
        api.post("/api/v1/live/{id}/stop", "live", "Stop a live stream (its playlist and recording are closed): its"
                + " starter or an admin", ctx -> {
            LiveStreams.Stream st = stream(ctx);
            String me = Owners.viewer(ctx);
            if (me != null && !me.equals(starters.get(st.id()))) {
                throw AccountRoutes.forbidden();
            }
            live.stop(st);
            ctx.json(json(st));
        });
        api.get("/api/v1/live/{id}/files/{name}", "live", "The stream's HLS playlist (live.m3u8), its segments, and"
                + " recording.mp4", "application/octet-stream", this::file);
    }

    private void start(Context ctx) throws Exception {
        JsonNode body = JsonBody.object(ctx);
        String url = body == null ? "" : body.path("audioUrl").asText("").trim();
        String templateId = body == null ? "" : body.path("templateId").asText("").trim();
        if (url.isEmpty() || templateId.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "A live stream needs 'audioUrl' (the live sound's address) and"
                    + " 'templateId' (a presenter video of the library)", "Upload the presenter first (POST /api/v1/assets).")
                    .zh("直播需要 audioUrl（直播声音的地址）和 templateId（素材库中的模板视频）", "请先上传模板视频。");
        }
        BatchStore.Asset template = s.store().asset(templateId).orElseThrow(() -> Routes.notFound("asset", templateId));
        if (!"VIDEO".equals(template.kind())) {
            throw new ApiError(400, "NOT_A_VIDEO", template.fileName() + " has no picture and cannot be a template",
                    "Choose a presenter video.").zh(template.fileName() + " 没有画面，不能作为模板", "请选择人物视频。");
        }
        live.running().ifPresent(r -> {
            throw new ApiError(409, "LIVE_BUSY", "A live stream of " + r.templateName() + " is running: one at a time",
                    "Stop it first.").zh(r.templateName() + " 的直播正在进行：同一时间只能有一路直播", "请先停止它。");
        });
        LiveStreams.Stream st = live.start(url, template.id(), template.fileName(), s.dataDir().resolve(template.storedPath()),
                body.path("latency").asDouble(1.0), body.path("record").asBoolean(false));
        Audit.target(ctx, st.id());
        starters.put(st.id(), AssetRoutes.uploader(ctx));
        ctx.status(201).header("Location", "/api/v1/live/" + st.id()).json(json(st));
    }

    private LiveStreams.Stream stream(Context ctx) {
        String id = ctx.pathParam("id");
        return live.get(id).orElseThrow(() -> new ApiError(404, "NOT_FOUND", "No live stream with id '" + SafeName.of(id)
                + "': streams are not kept across a restart of the server", "Start it again.")
                .zh("找不到这路直播：服务器重启后不再保留", "请重新开始。"));
    }

    private void file(Context ctx) throws Exception {
        LiveStreams.Stream st = stream(ctx);
        String name = ctx.pathParam("name");
        if (!name.matches("live\\.m3u8|seg[0-9]{5}\\.ts|recording\\.mp4")) {
            throw new ApiError(404, "NOT_FOUND", "A live stream has no file '" + SafeName.of(name) + "'",
                    "Ask for live.m3u8 (it names the segments) or recording.mp4.");
        }
        Path file = st.dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ApiError(404, "NOT_FOUND", name + " is not there (yet)", name.equals("recording.mp4")
                    ? "The recording is there once the stream has ended, if it was asked for." : "Ask again in a second.");
        }
        boolean playlist = name.endsWith(".m3u8");
        ctx.header("Cache-Control", playlist ? "no-store" : "private, max-age=3600");
        ByteRange.send(ctx, file, playlist ? "application/vnd.apple.mpegurl" : name.endsWith(".ts") ? "video/mp2t" : "video/mp4");
    }

    private static Map<String, Object> json(LiveStreams.Stream st) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", st.id());
        m.put("state", st.state().name());
        m.put("audioUrl", st.source().shown());
        m.put("templateId", st.templateId());
        m.put("templateName", st.templateName());
        m.put("latency", st.latency());
        m.put("record", st.record());
        m.put("startedAt", st.started().toString());
        m.put("stopAsked", st.stopAsked());
        String base = "/api/v1/live/" + st.id() + "/files/";
        m.put("playlist", base + "live.m3u8");
        m.put("recording", st.record() && st.state() == LiveStreams.State.ENDED ? base + "recording.mp4" : null);
        LiveSession.Stats x = st.stats();
        Map<String, Object> stats = new LinkedHashMap<>();
        if (x != null) {
            stats.put("frames", x.frames());
            stats.put("seconds", st.fps() > 0 ? Math.round(x.frames() / st.fps() * 10) / 10.0 : 0);
            stats.put("latencyMedian", Math.round(x.latencyMedian() * 100) / 100.0);
            stats.put("latencyMax", Math.round(x.latencyMax() * 100) / 100.0);
            stats.put("lateFrames", x.lateFrames());
            stats.put("skippedFrames", x.skippedFrames());
            stats.put("bridgedSeconds", Math.round(x.bridgedSeconds() * 10) / 10.0);
            stats.put("droppedSeconds", Math.round(x.droppedSeconds() * 10) / 10.0);
            stats.put("reconnects", x.reconnects());
            stats.put("input", x.input());
        }
        m.put("stats", x == null ? null : stats);
        HeyGemException e = st.error();
        m.put("error", e == null ? null : ErrorStatus.json(e));
        return m;
    }
}
