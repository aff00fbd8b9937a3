package com.heygem.app.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.0 document of the routes the server registered ({@link Api#routes()}): one
 * operation per route with its tag, summary, path parameters, security and answers, so the
 * document cannot drift from what the server answers.
 */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

    private OpenApi() {
    }

    static Map<String, Object> document(List<Api.Route> routes, String version) {
        Map<String, Object> paths = new TreeMap<>();
        for (Api.Route r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ops = (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("tags", List.of(r.tag()));
            op.put("summary", r.summary());
            op.put("operationId", operationId(r));
            List<Object> params = new ArrayList<>();
            Matcher m = PARAM.matcher(r.path());
            while (m.find()) {
                params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
            if (!params.isEmpty()) {
                op.put("parameters", params);
            }
            if (r.path().equals("/api/v1/assets") && r.method().equals("post")) {
                op.put("requestBody", Map.of("required", true, "content", Map.of("multipart/form-data", Map.of("schema",
                        Map.of("type", "object", "required", List.of("file"), "properties",
                                Map.of("file", Map.of("type", "string", "format", "binary")))))));
            } else if (r.method().equals("post") && (r.path().equals("/api/v1/batches") || r.path().startsWith("/easy"))) {
                op.put("requestBody", Map.of("required", true, "content", Map.of("application/json", Map.of("schema",
                        Map.of("type", "object")))));
            }
            Map<String, Object> responses = new LinkedHashMap<>();
            String ok = r.method().equals("post") && (r.path().equals("/api/v1/assets") || r.path().equals("/api/v1/batches"))
                    ? "201" : "200";
            responses.put(ok, Map.of("description", "success", "content", Map.of(r.produces(), Map.of("schema",
                    r.produces().equals("application/json") ? Map.of("type", "object") : Map.of("type", "string")))));
            if (!r.path().equals("/api/v1/health")) {
                responses.put("401", Map.of("$ref", "#/components/responses/Error"));
            }
            if (!params.isEmpty()) {
                responses.put("404", Map.of("$ref", "#/components/responses/Error"));
            }
            op.put("responses", responses);
            if (r.path().equals("/api/v1/health")) {
                op.put("security", List.of());
            }
            ops.put(r.method(), op);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "HeyGem API", "version", version, "description",
                "Upload audio and template videos, render batches, follow their progress and download the results."));
        doc.put("servers", List.of(Map.of("url", "/")));
        doc.put("security", List.of(Map.of("bearer", List.of()), Map.of("session", List.of())));
        doc.put("paths", paths);
        doc.put("components", Map.of(
                "securitySchemes", Map.of(
                        "bearer", Map.of("type", "http", "scheme", "bearer", "description", "the token in <data dir>/token"),
                        "session", Map.of("type", "apiKey", "in", "cookie", "name", WebAuth.COOKIE)),
                "responses", Map.of("Error", Map.of("description", "what went wrong, why, and what to do",
                        "content", Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error"))))),
                "schemas", Map.of("Error", Map.of("type", "object", "properties", Map.of("error", Map.of("type", "object",
                        "properties", Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string"),
                                "hint", Map.of("type", "string"))))))));
        return doc;
    }

    private static String operationId(Api.Route r) {
        StringBuilder b = new StringBuilder(r.method());
        for (String part : r.path().split("/")) {
            if (part.isEmpty() || part.equals("api") || part.equals("v1")) {
                continue;
            }
            String p = part.startsWith("{") ? "By" + Character.toUpperCase(part.charAt(1)) + part.substring(2, part.length() - 1)
                    : Character.toUpperCase(part.charAt(0)) + part.substring(1);
            b.append(p);
        }
        return b.toString();
    }
}
