package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.jobs.BatchState;
import com.heygem.app.jobs.ItemState;
import com.heygem.app.store.BatchStore;
import com.heygem.engine.error.HeyGemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches and their items: create (with an {@code Idempotency-Key}), read, cancel and retry a
 * whole batch or one item. Cancelling a batch cancels what is still queued or running; retrying
 * one re-queues what failed or was cancelled; finished results are never touched.
 */
final class BatchRoutes implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Services s;

    BatchRoutes(Services services) {
        this.s = services;
    }

    @Override
    public void addTo(Javalin app) {
        app.post("/api/v1/batches", this::create);
        app.get("/api/v1/batches/{id}", ctx -> ctx.json(batchJson(batch(ctx).id())));
        app.post("/api/v1/batches/{id}/cancel", ctx -> changeBatch(ctx, true));
        app.post("/api/v1/batches/{id}/retry", ctx -> changeBatch(ctx, false));
        app.get("/api/v1/items/{id}", ctx -> ctx.json(itemJson(item(ctx))));
        app.post("/api/v1/items/{id}/cancel", ctx -> {
            BatchStore.Item item = item(ctx);
            s.queue().cancel(item.id());
            ctx.json(itemJson(s.store().item(item.id()).orElseThrow()));
        });
        app.post("/api/v1/items/{id}/retry", ctx -> {
            BatchStore.Item item = item(ctx);
            s.queue().retry(item.id());
            ctx.json(itemJson(s.store().item(item.id()).orElseThrow()));
        });
    }

    private void create(Context ctx) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (IOException e) {
            throw new ApiError(400, "BAD_JSON", "The request body is not JSON",
                    "Send {\"audioId\": …, \"templateIds\": [ … ]}.");
        }
        String audioId = body == null ? null : body.path("audioId").asText(null);
        JsonNode templates = body == null ? null : body.path("templateIds");
        if (audioId == null || templates == null || !templates.isArray() || templates.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "A batch needs 'audioId' and a non-empty 'templateIds'",
                    "Upload the files first (POST /api/v1/assets) and use the ids it answers.");
        }
        BatchStore.Asset audio = s.store().asset(audioId).orElseThrow(() -> Routes.notFound("asset", audioId));
        List<String> templateIds = new ArrayList<>();
        for (JsonNode t : templates) {
            BatchStore.Asset a = s.store().asset(t.asText()).orElseThrow(() -> Routes.notFound("asset", t.asText()));
            if (!"VIDEO".equals(a.kind())) {
                throw new ApiError(400, "NOT_A_VIDEO", a.fileName() + " has no picture and cannot be a template",
                        "Templates are videos of the presenter.");
            }
            templateIds.add(a.id());
        }
        String settings = body.has("settings") ? body.get("settings").toString() : "{}";
        String id = s.store().createBatch(audio.id(), templateIds, settings, ctx.header("Idempotency-Key"));
        s.queue().submit(id);
        ctx.status(201).json(batchJson(id));
    }

    /** Cancels every queued or running item, or retries every failed or cancelled one. */
    private void changeBatch(Context ctx, boolean cancel) {
        BatchStore.Batch batch = batch(ctx);
        for (BatchStore.Item i : s.store().items(batch.id())) {
            boolean applies = cancel ? !i.state().isFinished() : i.state().canMoveTo(ItemState.QUEUED)
                    && i.state() != ItemState.RUNNING;
            if (!applies) {
                continue;
            }
            try {
                if (cancel) {
                    s.queue().cancel(i.id());
                } else {
                    s.queue().retry(i.id());
                }
            } catch (HeyGemException e) {
                // It finished between the read and the change: nothing left to do for it.
                LOG.debug("item {} changed meanwhile: {}", i.id(), e.getMessage());
            }
        }
        ctx.json(batchJson(batch.id()));
    }

    private BatchStore.Batch batch(Context ctx) {
        String id = ctx.pathParam("id");
        return s.store().batch(id).orElseThrow(() -> Routes.notFound("batch", id));
    }

    private BatchStore.Item item(Context ctx) {
        String id = ctx.pathParam("id");
        return s.store().item(id).orElseThrow(() -> Routes.notFound("item", id));
    }

    Map<String, Object> batchJson(String id) {
        List<BatchStore.Item> items = s.store().items(id);
        List<Map<String, Object>> list = new ArrayList<>();
        List<ItemState> states = new ArrayList<>();
        double percent = 0;
        for (BatchStore.Item i : items) {
            states.add(i.state());
            list.add(itemJson(i));
            percent += i.state().isFinished() ? 100 : i.percent();
        }
        BatchState.Counts counts = BatchState.Counts.of(states);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", counts.state().name());
        m.put("progress", items.isEmpty() ? 0 : Math.round(10 * percent / items.size()) / 10.0);
        m.put("counts", Map.of("total", counts.total(), "queued", counts.queued(), "running", counts.running(),
                "succeeded", counts.succeeded(), "failed", counts.failed(), "canceled", counts.canceled()));
        m.put("zip", counts.succeeded() > 0 ? "/api/v1/batches/" + id + "/zip" : null);
        m.put("items", list);
        return m;
    }

    static Map<String, Object> itemJson(BatchStore.Item i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("batchId", i.batchId());
        m.put("templateId", i.templateId());
        m.put("templateName", i.templateName());
        m.put("state", i.state().name());
        m.put("stage", i.stage());
        m.put("progress", i.state() == ItemState.SUCCEEDED ? 100.0 : Math.round(10 * i.percent()) / 10.0);
        m.put("framesDone", i.framesDone());
        m.put("framesTotal", i.framesTotal());
        m.put("etaSeconds", i.state() == ItemState.RUNNING ? i.etaSeconds() : null);
        m.put("attempts", i.attempts());
        m.put("error", i.errorCode() == null ? null : Map.of("code", i.errorCode(), "message",
                String.valueOf(i.errorMessage())));
        boolean done = i.state() == ItemState.SUCCEEDED && i.resultPath() != null;
        m.put("result", done ? "/api/v1/items/" + i.id() + "/result" : null);
        return m;
    }
}
