package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;

/** A request's JSON body, read the same way by every route that takes one. */
final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBody() {
    }

    /** The body as a JSON object, or null when it is missing, not JSON, or not an object. */
    static JsonNode object(Context ctx) {
        try {
            JsonNode body = JSON.readTree(ctx.body());
            return body != null && body.isObject() ? body : null;
        } catch (IOException e) {
            return null;
        }
    }
}
