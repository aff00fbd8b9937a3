package com.heygem.app.web;

import com.heygem.app.store.Retention;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The disk clean-up (also run hourly): {@code GET /api/v1/cleanup} lists what would be deleted
 * under the configured retention (the dry run), {@code POST} deletes it.
 */
final class CleanupRoutes implements Routes {
    private final Services s;

    CleanupRoutes(Services services) {
        this.s = services;
    }

    @Override
    public void addTo(Api api) {
        api.get("/api/v1/cleanup", "maintenance", "What the clean-up would delete now (dry run)",
                ctx -> answer(ctx, plan(), null));
        api.post("/api/v1/cleanup", "maintenance", "Run the clean-up now", ctx -> {
            List<Retention.Candidate> plan = plan();
            answer(ctx, plan, s.retention().apply(plan));
        });
    }

    private List<Retention.Candidate> plan() {
        return s.retention().plan(Instant.now(), s.retentionDays(), s.retentionBytes());
    }

    private void answer(Context ctx, List<Retention.Candidate> plan, Long freed) {
        List<Map<String, Object>> files = new ArrayList<>();
        long bytes = 0;
        for (Retention.Candidate c : plan) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", s.dataDir().relativize(c.file()).toString());
            f.put("bytes", c.bytes());
            f.put("reason", c.reason());
            files.add(f);
            bytes += c.bytes();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dryRun", freed == null);
        m.put("retentionDays", s.retentionDays());
        m.put("retentionMaxBytes", s.retentionBytes());
        m.put("bytes", bytes);
        m.put("freedBytes", freed);
        m.put("files", files);
        ctx.json(m);
    }
}
