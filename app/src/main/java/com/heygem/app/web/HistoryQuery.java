package com.heygem.app.web;

import com.heygem.app.jobs.BatchState;
import com.heygem.app.store.BatchFilter;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The words of {@code GET /api/v1/batches}'s filters, read with a clear answer for each mistake:
 * states ({@code running,failed}; "done" and "cancelled" too), a sort, and dates (a day, read in
 * UTC, or an instant).
 */
final class HistoryQuery {
    private HistoryQuery() {
    }

    static Set<BatchState> states(String value) {
        Set<BatchState> out = EnumSet.noneOf(BatchState.class);
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String word : value.split(",")) {
            String w = word.trim().toUpperCase(Locale.ROOT);
            if (w.isEmpty()) {
                continue;
            }
            switch (w) {
                case "DONE" -> out.add(BatchState.SUCCEEDED);
                case "CANCELLED" -> out.add(BatchState.CANCELED);
                case "ACTIVE" -> {
                    out.add(BatchState.QUEUED);
                    out.add(BatchState.RUNNING);
                }
                default -> {
                    try {
                        out.add(BatchState.valueOf(w));
                    } catch (IllegalArgumentException e) {
                        throw new ApiError(400, "BAD_REQUEST", "'" + SafeName.of(word.trim()) + "' is not a batch state",
                                "Use state= with queued, running, active, succeeded, failed or canceled (several with commas).")
                                .zh("'" + SafeName.of(word.trim()) + "' 不是批次状态",
                                        "state= 可用 queued、running、active、succeeded、failed、canceled，多个用逗号分隔。");
                    }
                }
            }
        }
        return out;
    }

    static BatchFilter.Sort sort(String value) {
        if (value == null || value.isBlank()) {
            return BatchFilter.Sort.NEWEST;
        }
        try {
            return BatchFilter.Sort.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "BAD_REQUEST", "'" + SafeName.of(value) + "' is not a sort order",
                    "Use sort= newest, oldest, name or size.").zh("'" + SafeName.of(value) + "' 不是排序方式",
                    "sort= 可用 newest、oldest、name、size。");
        }
    }

    /**
     * @param end whether a day means its end (a "to" date includes the whole day)
     * @return the instant, or null when the parameter is absent
     */
    static Instant instant(Context ctx, String name, boolean end) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        String value = v.trim();
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "BAD_REQUEST", "'" + name + "' must be a date like 2026-12-08 or an instant like"
                    + " 2026-12-08T09:30:00Z, not '" + SafeName.of(value) + "'", "Fix the date or leave it out.")
                    .zh("'" + name + "' 应为日期（如 2026-12-08）或时间（如 2026-12-08T09:30:00Z），而不是 '"
                            + SafeName.of(value) + "'", "请改正日期，或不填。");
        }
    }
}
