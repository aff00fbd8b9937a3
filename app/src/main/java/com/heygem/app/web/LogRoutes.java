package com.heygem.app.web;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.heygem.app.store.AuditLog;

/** {@code GET /api/v1/logs}: the end of the server log, for the page's live tail. */
final class LogRoutes implements Routes {
    /** Enough bytes for the lines asked for, at a generous 400 bytes a line, 8 MB at most. */
    private static final int BYTES_PER_LINE = 400;
    private final Services s;
    private final AuditLog audit;

    private final com.heygem.app.accounts.Accounts accounts;

    LogRoutes(Services services) {
        this.s = services;
        this.accounts = new com.heygem.app.accounts.Accounts(services.store().dataSource());
        this.audit = new AuditLog(services.store().dataSource());
    }

    @Override
    public void addTo(Api api) {
        api.get("/api/v1/logs", "logs", "The last lines of the server log (?lines=, default 200)", "text/plain", ctx -> {
            Path log = s.dataDir().resolve("logs").resolve("heygem.log");
            ctx.contentType("text/plain; charset=utf-8");
            ctx.result(Files.isRegularFile(log) ? tail(log, Paging.number(ctx, "lines", 200, 1, 20_000)) : "");
        });
        api.get("/api/v1/audit", "logs", "Who did what and when, newest first (?limit=, ?before=<id> for the next page,"
                + " ?actor=, ?action= e.g. batches or batches.delete)", ctx -> {
            int limit = Paging.number(ctx, "limit", 100, 1, 1000);
            long before = Paging.number(ctx, "before", 0, 0, Integer.MAX_VALUE);
            List<Map<String, Object>> out = new ArrayList<>();
            Map<String, String> names = new java.util.HashMap<>();
            List<AuditLog.Entry> entries = audit.list(limit, before, blankToNull(ctx.queryParam("actor")),
                    blankToNull(ctx.queryParam("action")));
            for (AuditLog.Entry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id());
                m.put("at", e.at().toString());
                m.put("actor", e.actor());
                m.put("via", e.via());
                m.put("address", e.address());
                m.put("action", e.action());
                m.put("target", e.target());
                // What the id names, for people: a batch's name, a file's, an account's (null once deleted).
                m.put("targetName", names.computeIfAbsent(String.valueOf(e.target()), this::nameOf));
                m.put("detail", e.detail());
                out.add(m);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("entries", out);
            answer.put("next", entries.size() == limit ? entries.get(entries.size() - 1).id() : null);
            ctx.json(answer);
        });
    }

    /** The name of what an audit target id stands for, or null (nothing by that id now). */
    private String nameOf(String id) {
        try {
            if (id.startsWith("b_")) {
                return s.store().batch(id).map(b -> b.name() != null ? b.name() : b.audioName()).orElse(null);
            }
            if (id.startsWith("i_")) {
                return s.store().item(id).map(com.heygem.app.store.BatchStore.Item::templateName).orElse(null);
            }
            if (id.startsWith("a_")) {
                return s.store().asset(id).map(com.heygem.app.store.BatchStore.Asset::fileName).orElse(null);
            }
            if (id.startsWith("u_")) {
                return accounts.byId(id).map(com.heygem.app.accounts.Account::name).orElse(null);
            }
        } catch (RuntimeException e) {
            return null; // a name is a nicety: the id stays
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The last {@code lines} lines of a text file, read from its end. */
    static String tail(Path file, int lines) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            int want = (int) Math.min(size, Math.min(8L << 20, (long) lines * BYTES_PER_LINE));
            byte[] b = new byte[want];
            f.seek(size - want);
            f.readFully(b);
            String text = new String(b, StandardCharsets.UTF_8);
            if (want < size) {
                text = text.substring(text.indexOf('\n') + 1); // the first line was cut by the seek
            }
            String[] all = text.split("\n", -1);
            int end = all.length - (text.endsWith("\n") ? 1 : 0);
            int start = Math.max(0, end - lines);
            StringBuilder out = new StringBuilder();
            for (int k = start; k < end; k++) {
                out.append(all[k]).append('\n');
            }
            return out.toString();
        }
    }
}
