package com.heygem.app.web;

import io.javalin.http.Context;

/** Whole-number query parameters (limit, offset, lines) with their bounds checked. */
final class Paging {
    private Paging() {
    }

    static int number(Context ctx, String name, int otherwise, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiError(400, "BAD_REQUEST", "'" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + SafeName.of(v) + "'", "Fix the query parameter or leave it out (default " + otherwise + ").");
    }
}
