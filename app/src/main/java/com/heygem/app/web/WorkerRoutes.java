package com.heygem.app.web;

import com.heygem.app.store.BatchStore;
import com.heygem.app.jobs.WorkerRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** {@code GET /api/v1/workers}: the rendering nodes, alive ones first. */
final class WorkerRoutes implements Routes {
    private final Services s;
    private final DataSource db;

    WorkerRoutes(Services services, DataSource db) {
        this.s = services;
        this.db = db;
    }

    @Override
    public void addTo(Api api) {
        api.get("/api/v1/workers", "workers", "The rendering nodes: name, host, cores, version, current item, last heartbeat",
                ctx -> {
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (WorkerRegistry.Worker w : WorkerRegistry.list(db, s.heartbeat())) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", w.name());
                        m.put("host", w.host());
                        m.put("cores", w.cores());
                        m.put("threads", w.threads());
                        m.put("version", w.version());
                        m.put("state", w.state());
                        m.put("alive", w.alive());
                        m.put("currentItem", w.currentItem());
                        // What the page shows of it: the template's name and the batch to open.
                        BatchStore.Item current = w.currentItem() == null ? null : s.store().item(w.currentItem()).orElse(null);
                        m.put("currentTemplate", current == null ? null : current.templateName());
                        m.put("currentBatchId", current == null ? null : current.batchId());
                        m.put("itemsDone", w.itemsDone());
                        m.put("startedAt", w.startedAt().toString());
                        m.put("lastHeartbeat", w.lastHeartbeat().toString());
                        out.add(m);
                    }
                    ctx.json(Map.of("workers", out));
                });
    }
}
