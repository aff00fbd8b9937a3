package com.heygem.app.web;

/** One domain's endpoints (assets, batches, results, …), added to the server at start. */
interface Routes {
    void addTo(Api api);

    static ApiError notFound(String what, String id) {
        String list = "batch".equals(what) ? "GET /api/v1/batches" : "asset".equals(what) ? "GET /api/v1/assets"
                : "GET /api/v1/batches/{batch id}/items";
        return new ApiError(404, "NOT_FOUND", "No " + what + " with id '" + SafeName.of(id) + "': it may have been"
                + " deleted", "Open History for what is there now (scripts: " + list + ").")
                .zh("找不到 id 为 '" + SafeName.of(id) + "' 的" + ("batch".equals(what) ? "批次" : "item".equals(what) ? "任务" : "文件"),
                        "可能已被删除；请刷新页面。");
    }
}
