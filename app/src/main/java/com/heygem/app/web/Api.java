package com.heygem.app.web;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The documented endpoints: each is added to Javalin and written down with its tag and summary,
 * so the OpenAPI document ({@link OpenApi}) is made from the very list the server answers.
 */
final class Api {
    /** One documented endpoint. {@code path} in Javalin's form, {@code /api/v1/items/{id}}. */
    record Route(String method, String path, String tag, String summary, String produces) {
    }

    private final Javalin app;
    private final Audit audit;
    private final List<Route> routes = new ArrayList<>();

    /** @param audit told after every change that succeeded */
    Api(Javalin app, Audit audit) {
        this.app = app;
        this.audit = audit;
    }

    /** {@code h}, then the audit log when it changed something. */
    private Handler audited(String method, String path, Handler h) {
        return ctx -> {
            h.handle(ctx);
            audit.after(method, path, ctx);
        };
    }

    Api get(String path, String tag, String summary, Handler h) {
        return get(path, tag, summary, "application/json", h);
    }

    Api get(String path, String tag, String summary, String produces, Handler h) {
        app.get(path, h);
        routes.add(new Route("get", path, tag, summary, produces));
        return this;
    }

    Api post(String path, String tag, String summary, Handler h) {
        app.post(path, audited("post", path, h));
        routes.add(new Route("post", path, tag, summary, "application/json"));
        return this;
    }

    Api patch(String path, String tag, String summary, Handler h) {
        app.patch(path, audited("patch", path, h));
        routes.add(new Route("patch", path, tag, summary, "application/json"));
        return this;
    }

    Api delete(String path, String tag, String summary, Handler h) {
        app.delete(path, audited("delete", path, h));
        routes.add(new Route("delete", path, tag, summary, "application/json"));
        return this;
    }

    /** Server-sent events (documented as a GET answering text/event-stream). */
    /** @param admit runs before the stream starts (and may refuse it with an error status) */
    Api sse(String path, String tag, String summary, Handler admit,
            java.util.function.Consumer<io.javalin.http.sse.SseClient> c) {
        app.before(path, admit);
        app.sse(path, c);
        routes.add(new Route("get", path, tag, summary, "text/event-stream"));
        return this;
    }

    /** Also answered without being documented (HEAD of a download). */
    Javalin javalin() {
        return app;
    }

    List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }
}
