package com.heygem.app.web;

/** One domain's endpoints (assets, batches, results, …), added to the server at start. */
interface Routes {
    void addTo(Api api);

    static ApiError notFound(String what, String id) {
        return new ApiError(404, "NOT_FOUND", "No " + what + " with id '" + SafeName.of(id) + "'",
                "Check the id; list them with GET /api/v1/" + what + "s.");
    }
}
