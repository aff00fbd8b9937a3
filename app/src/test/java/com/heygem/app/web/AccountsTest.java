package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts through the real server: the first start's set-up link for admin, an account added by
 * an admin and set up by its owner, signing in and out, wrong passwords throttled, a disabled
 * account or a reset password refused at once, the last admin kept, and all of it audited.
 */
class AccountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("code").asText()).isEqualTo(code);
        assertThat(e.path("message").asText()).isNotBlank();
        assertThat(e.path("messageZh").asText()).isNotBlank();
    }

    private static String code(String link) {
        Matcher m = Pattern.compile("#/setup/([0-9a-f]{48})").matcher(link);
        assertThat(m.find()).as(link).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> withKey(ServerProcess server, String key, String method, String path, String json)
            throws Exception {
        return Client.withKey(server, "key", key).call(method, path, json);
    }

    @Test
    void apiKeysActWithTheirAccountsRoleAreShownOnceAndStopAtOnce() throws Exception {
        try (ServerProcess server = new ServerProcess(data).start()) {
            Client admin = Client.browser(server, "browser");
            admin.ok("POST", "/api/v1/session", "{\"token\":\"" + server.token() + "\"}");
            Client kim = Client.browser(server, "browser");
            kim.ok("POST", "/api/v1/setup", "{\"code\":\"" + code(admin.ok("POST", "/api/v1/users",
                    "{\"name\":\"kim\",\"role\":\"editor\"}").path("setupLink").asText()) + "\",\"password\":\"maple kettle drum\"}");
            Client val = Client.browser(server, "browser");
            val.ok("POST", "/api/v1/setup", "{\"code\":\"" + code(admin.ok("POST", "/api/v1/users",
                    "{\"name\":\"val\",\"role\":\"viewer\"}").path("setupLink").asText()) + "\",\"password\":\"quiet river stone\"}");

            JsonNode made = kim.ok("POST", "/api/v1/account/keys", "{\"name\":\"nightly import\"}");
            String key = made.path("key").asText();
            assertThat(key).matches("hg_[0-9a-f]{40}");
            JsonNode listed = kim.ok("GET", "/api/v1/account/keys", null).path("keys");
            assertThat(listed).hasSize(1);
            assertThat(listed.toString()).doesNotContain(key).contains("nightly import").contains(key.substring(0, 7) + "…");
            assertError(kim.call("POST", "/api/v1/account/keys", "{\"name\":\" \"}"), 400, "BAD_REQUEST");

            // The key is Kim, an editor: she lists batches and submits /easy tasks; the accounts are not hers.
            assertThat(withKey(server, key, "GET", "/api/v1/batches", null).statusCode()).isEqualTo(200);
            assertThat(withKey(server, key, "GET", "/api/v1/users", null).statusCode()).isEqualTo(403);
            assertThat(withKey(server, key, "GET", "/easy/query?code=none", null).statusCode()).isEqualTo(200);
            assertThat(withKey(server, key, "GET", "/api/v1/session", null).body()).contains("\"name\":\"kim\"");
            // A viewer's key only reads.
            String valKey = val.ok("POST", "/api/v1/account/keys", "{\"name\":\"dashboard\"}").path("key").asText();
            assertThat(withKey(server, valKey, "GET", "/api/v1/batches", null).statusCode()).isEqualTo(200);
            assertThat(withKey(server, valKey, "POST", "/api/v1/batches", "{}").statusCode()).isEqualTo(403);
            // Someone else's keys are an admin's business only.
            assertThat(kim.call("GET", "/api/v1/account/keys?user=u_admin", null).statusCode()).isEqualTo(403);
            String kimId = kim.ok("GET", "/api/v1/session", null).path("user").path("id").asText();
            assertThat(admin.ok("GET", "/api/v1/account/keys?user=" + kimId, null).path("keys")).hasSize(1);
            assertThat(val.call("DELETE", "/api/v1/account/keys/" + made.path("id").asText(), null).statusCode())
                    .isEqualTo(404);

            // Revoked: refused at once; a wrong or made-up key likewise.
            kim.ok("DELETE", "/api/v1/account/keys/" + made.path("id").asText(), null);
            assertThat(withKey(server, key, "GET", "/api/v1/batches", null).statusCode()).isEqualTo(401);
            assertThat(withKey(server, "hg_" + "0".repeat(40), "GET", "/api/v1/batches", null).statusCode()).isEqualTo(401);
            assertThat(kim.ok("GET", "/api/v1/account/keys", null).path("keys").get(0).path("revokedAt").isNull()).isFalse();
            // A disabled account's keys stop too.
            String second = kim.ok("POST", "/api/v1/account/keys", "{\"name\":\"second\"}").path("key").asText();
            assertThat(withKey(server, second, "GET", "/api/v1/batches", null).statusCode()).isEqualTo(200);
            admin.ok("PATCH", "/api/v1/users/" + kimId, "{\"disabled\":true}");
            assertThat(withKey(server, second, "GET", "/api/v1/batches", null).statusCode()).isEqualTo(401);

            JsonNode audit = server.get("/api/v1/audit?action=keys&limit=50").path("entries");
            assertThat(audit.findValuesAsText("action")).contains("keys.create", "keys.revoke");
            assertThat(server.get("/api/v1/audit?actor=kim&limit=50").path("entries").toString()).doesNotContain(key);
        }
    }

    private static long median(java.util.List<Long> values) {
        java.util.List<Long> sorted = new java.util.ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Issue 23, part 3: the throttle cannot be raced, bad bodies lock nobody out, names cannot be told by time. */
    @Test
    void passwordGuessesSentAtOnceAreCountedBeforeTheyAreChecked() throws Exception {
        try (ServerProcess server = new ServerProcess(data).start()) {
            Client admin = Client.browser(server, "browser");
            admin.ok("POST", "/api/v1/setup", "{\"code\":\"" + code(server.output()) + "\",\"password\":\"correct horse battery\"}");
            JsonNode made = admin.ok("POST", "/api/v1/users", "{\"name\":\"zoe\",\"role\":\"editor\"}");
            // The commonest passwords and ones with the account's name in them are refused.
            Client zoe = Client.browser(server, "browser");
            for (String weak : new String[] {"password", "12345678", "qwertyui", "Zoe2024!", "iloveyou", "sunshine1"}) {
                assertError(zoe.call("POST", "/api/v1/setup", "{\"code\":\"" + code(made.path("setupLink").asText())
                        + "\",\"password\":\"" + weak + "\"}"), 400, "WEAK_PASSWORD");
            }
            zoe.ok("POST", "/api/v1/setup", "{\"code\":\"" + code(made.path("setupLink").asText())
                    + "\",\"password\":\"amber falcon meadow\"}");
            assertError(zoe.call("POST", "/api/v1/account/password", "{\"current\":\"amber falcon meadow\","
                    + "\"password\":\"amber falcon meadow\"}"), 400, "SAME_PASSWORD");

            // Bodies that are no try at a password count against nobody.
            Client stranger = Client.browser(server, "stranger");
            for (String garbage : new String[] {"", "{", "[]", "{\"name\":\"admin\"}", "{\"name\":1}"}) {
                assertThat(stranger.call("POST", "/api/v1/session", garbage).statusCode()).as(garbage).isEqualTo(400);
            }
            stranger.ok("POST", "/api/v1/session", "{\"name\":\"admin\",\"password\":\"correct horse battery\"}");

            // A wrong password for a name that is no account takes as long as for one that is.
            java.util.List<Long> known = new java.util.ArrayList<>();
            java.util.List<Long> unknown = new java.util.ArrayList<>();
            for (int k = 0; k < 4; k++) {
                long t0 = System.nanoTime();
                assertThat(stranger.call("POST", "/api/v1/session", "{\"name\":\"zoe\",\"password\":\"no" + k
                        + "\"}").statusCode()).isEqualTo(401);
                known.add(System.nanoTime() - t0);
                t0 = System.nanoTime();
                assertThat(stranger.call("POST", "/api/v1/session", "{\"name\":\"nobody" + k + "\",\"password\":\"no"
                        + k + "\"}").statusCode()).isEqualTo(401);
                unknown.add(System.nanoTime() - t0);
            }
            assertThat(median(unknown)).as("unknown %s vs known %s ns", unknown, known).isGreaterThan(median(known) * 4 / 10);
            // A password typed into the name field is not kept anywhere.
            stranger.call("POST", "/api/v1/session", "{\"name\":\"amber falcon meadow\",\"password\":\"x\"}");

            // 150 wrong passwords at once from one address: at most the account's 5 are checked.
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
            java.util.Map<Integer, Integer> answers = new java.util.concurrent.ConcurrentHashMap<>();
            try {
                java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
                for (int k = 0; k < 150; k++) {
                    int n = k;
                    sent.add(pool.submit(() -> {
                        int status = Client.browser(server, "flood").call("POST", "/api/v1/session",
                                "{\"name\":\"admin\",\"password\":\"guess number " + n + "\"}").statusCode();
                        answers.merge(status, 1, Integer::sum);
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : sent) {
                    f.get(5, java.util.concurrent.TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(answers.getOrDefault(401, 0)).as("passwords checked: %s", answers).isBetween(1, 5);
            assertThat(answers.getOrDefault(429, 0) + answers.getOrDefault(401, 0)).as("%s", answers).isEqualTo(150);
            // ...and then even the right one waits, but the token from the machine still signs in.
            assertError(Client.browser(server, "late").call("POST", "/api/v1/session",
                    "{\"name\":\"admin\",\"password\":\"correct horse battery\"}"), 429, "TOO_MANY_TRIES");
            Client owner = Client.browser(server, "owner");
            owner.ok("POST", "/api/v1/session", "{\"token\":\"" + server.token() + "\"}");
            assertThat(owner.ok("GET", "/api/v1/session", null).path("user").path("role").asText()).isEqualTo("admin");
            // The token is the machine owner's recovery credential: it works with admin disabled too.
            Client script = Client.withKey(server, "script", server.token());
            script.ok("POST", "/api/v1/users", "{\"name\":\"boss\",\"role\":\"admin\"}");
            script.ok("PATCH", "/api/v1/users/u_admin", "{\"disabled\":true}");
            assertThat(script.ok("GET", "/api/v1/users", null).path("users").findValuesAsText("name")).contains("boss");
            String audit = server.get("/api/v1/audit?limit=500").toString();
            assertThat(audit).doesNotContain("amber falcon meadow").doesNotContain("nobody0").contains("a name that is no account");
        }
    }

    @Test
    void accountsAreSetUpSignedInThrottledDisabledResetAndAudited() throws Exception {
        try (ServerProcess server = new ServerProcess(data).start()) {
            // First start: admin has no password; the printed one-time link sets it.
            String printed = server.output();
            assertThat(printed).contains("one-time link").doesNotContain("?token=" + server.token());
            String adminCode = code(printed);
            Client admin = Client.browser(server, "browser");
            assertThat(admin.ok("GET", "/api/v1/session", null).path("signedIn").asBoolean()).isFalse();
            assertThat(admin.ok("GET", "/api/v1/setup/" + adminCode, null).path("name").asText()).isEqualTo("admin");
            assertError(admin.call("POST", "/api/v1/setup", "{\"code\":\"" + adminCode + "\",\"password\":\"short\"}"),
                    400, "WEAK_PASSWORD");
            assertError(admin.call("POST", "/api/v1/setup", "{\"code\":\"" + adminCode + "\",\"password\":\"aaaaaaaaaa\"}"),
                    400, "WEAK_PASSWORD");
            admin.ok("POST", "/api/v1/setup", "{\"code\":\"" + adminCode + "\",\"password\":\"correct horse battery\"}");
            JsonNode me = admin.ok("GET", "/api/v1/session", null);
            assertThat(me.path("user").path("name").asText()).isEqualTo("admin");
            assertThat(me.path("user").path("role").asText()).isEqualTo("admin");
            assertError(admin.call("GET", "/api/v1/setup/" + adminCode, null), 404, "SETUP_LINK_INVALID");
            // The token is still admin's key for scripts.
            assertThat(server.get("/api/v1/users").path("users").findValuesAsText("name")).containsExactly("admin");

            // An admin adds Anna; she opens her link and chooses a password.
            assertError(admin.call("POST", "/api/v1/users", "{\"name\":\"a b\",\"role\":\"editor\"}"), 400, "BAD_NAME");
            // Names in any script, but not a mix that passes for another ("аdmin" with a Cyrillic а).
            assertError(admin.call("POST", "/api/v1/users", "{\"name\":\"\u0430dmin\",\"role\":\"editor\"}"), 400, "BAD_NAME");
            JsonNode chinese = admin.ok("POST", "/api/v1/users", "{\"name\":\"王小明\",\"role\":\"viewer\"}");
            assertThat(chinese.path("user").path("name").asText()).isEqualTo("王小明");
            admin.ok("DELETE", "/api/v1/users/" + chinese.path("user").path("id").asText(), null);
            assertError(admin.call("POST", "/api/v1/users", "{\"name\":\"anna\",\"role\":\"boss\"}"), 400, "BAD_ROLE");
            JsonNode made = admin.ok("POST", "/api/v1/users", "{\"name\":\"Anna\",\"role\":\"editor\"}");
            assertThat(made.path("user").path("name").asText()).isEqualTo("anna");
            assertThat(made.path("user").path("hasPassword").asBoolean()).isFalse();
            String annaId = made.path("user").path("id").asText();
            assertError(admin.call("POST", "/api/v1/users", "{\"name\":\"ANNA\",\"role\":\"viewer\"}"), 409, "NAME_TAKEN");
            Client anna = Client.browser(server, "browser");
            anna.ok("POST", "/api/v1/setup", "{\"code\":\"" + code(made.path("setupLink").asText())
                    + "\",\"password\":\"amber falcon meadow\"}");
            assertThat(anna.ok("GET", "/api/v1/session", null).path("user").path("role").asText()).isEqualTo("editor");
            assertError(anna.call("GET", "/api/v1/users", null), 403, "FORBIDDEN");

            // Signing in by name (any case) and password; sign-out ends the session on the server.
            Client annaLaptop = Client.browser(server, "browser");
            assertError(annaLaptop.call("POST", "/api/v1/session", "{\"name\":\"anna\",\"password\":\"wrong one\"}"),
                    401, "UNAUTHORIZED");
            annaLaptop.ok("POST", "/api/v1/session", "{\"name\":\"Anna\",\"password\":\"amber falcon meadow\"}");
            assertThat(annaLaptop.ok("GET", "/api/v1/batches", null).has("batches")).isTrue();
            annaLaptop.ok("DELETE", "/api/v1/session", null);
            assertThat(annaLaptop.call("GET", "/api/v1/batches", null).statusCode()).isEqualTo(401);

            // Guessing is throttled: the fifth wrong password in a row locks the account for a while.
            Client guesser = Client.browser(server, "browser");
            for (int k = 0; k < 4; k++) {
                assertThat(guesser.call("POST", "/api/v1/session", "{\"name\":\"anna\",\"password\":\"guess" + k + "\"}")
                        .statusCode()).isEqualTo(401);
            }
            HttpResponse<String> locked = guesser.call("POST", "/api/v1/session", "{\"name\":\"anna\",\"password\":\"x\"}");
            assertThat(locked.statusCode()).isEqualTo(401); // the fifth failure is counted...
            locked = guesser.call("POST", "/api/v1/session", "{\"name\":\"anna\",\"password\":\"amber falcon meadow\"}");
            assertError(locked, 429, "TOO_MANY_TRIES"); // ...and now even the right one waits
            assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 900L);

            // A password change ends the other sessions; the disabled account is refused at once.
            Client annaPhone = Client.browser(server, "browser");
            String annaKey = anna.ok("POST", "/api/v1/account/keys", "{\"name\":\"nightly\"}").path("key").asText();
            assertThat(Client.withKey(server, "script", annaKey).call("GET", "/api/v1/batches", null).statusCode())
                    .isEqualTo(200);
            JsonNode reset = admin.ok("POST", "/api/v1/users/" + annaId + "/reset", null);
            assertThat(reset.path("keysRevoked").asInt()).isEqualTo(1);
            assertThat(anna.call("GET", "/api/v1/batches", null).statusCode()).as("reset ends her sessions").isEqualTo(401);
            assertThat(Client.withKey(server, "script", annaKey).call("GET", "/api/v1/batches", null).statusCode())
                    .as("and revokes her keys").isEqualTo(401);
            annaPhone.ok("POST", "/api/v1/setup", "{\"code\":\"" + code(reset.path("setupLink").asText())
                    + "\",\"password\":\"a new long password\"}");
            anna.ok("POST", "/api/v1/session", "{\"name\":\"anna\",\"password\":\"a new long password\"}");
            annaPhone.ok("POST", "/api/v1/account/password", "{\"current\":\"a new long password\",\"password\":"
                    + "\"the third long password\"}");
            assertThat(anna.call("GET", "/api/v1/batches", null).statusCode()).as("other sessions end").isEqualTo(401);
            assertThat(annaPhone.call("GET", "/api/v1/batches", null).statusCode()).as("this one goes on").isEqualTo(200);
            assertError(annaPhone.call("POST", "/api/v1/account/password", "{\"current\":\"nope\",\"password\":"
                    + "\"yet another password\"}"), 403, "WRONG_PASSWORD");
            admin.ok("PATCH", "/api/v1/users/" + annaId, "{\"disabled\":true}");
            assertThat(annaPhone.call("GET", "/api/v1/batches", null).statusCode()).isEqualTo(401);
            // She is told why (only with her right password: a wrong one says no more than for anyone).
            assertError(Client.browser(server, "browser").call("POST", "/api/v1/session",
                    "{\"name\":\"anna\",\"password\":\"the third long password\"}"), 403, "ACCOUNT_DISABLED");
            assertError(Client.browser(server, "browser").call("POST", "/api/v1/session",
                    "{\"name\":\"anna\",\"password\":\"not her password\"}"), 401, "UNAUTHORIZED");

            // Someone must be able to manage the rest.
            String adminId = "u_admin";
            assertError(admin.call("PATCH", "/api/v1/users/" + adminId, "{\"role\":\"editor\"}"), 409, "LAST_ADMIN");
            assertError(admin.call("PATCH", "/api/v1/users/" + adminId, "{\"disabled\":true}"), 409, "LAST_ADMIN");
            assertError(admin.call("DELETE", "/api/v1/users/" + adminId, null), 409, "LAST_ADMIN");
            admin.ok("DELETE", "/api/v1/users/" + annaId, null);
            assertThat(server.get("/api/v1/users").path("users").findValuesAsText("name")).containsExactly("admin");

            // Who did it.
            JsonNode audit = server.get("/api/v1/audit?action=users&limit=100").path("entries");
            assertThat(audit.findValuesAsText("action")).contains("users.create", "users.reset", "users.change",
                    "users.delete");
            assertThat(audit.findValuesAsText("actor")).containsOnly("admin");
            JsonNode refusals = server.get("/api/v1/audit?action=signin&limit=100").path("entries");
            assertThat(refusals.findValuesAsText("detail")).anyMatch(d -> d.contains("a wrong password for anna"))
                    .anyMatch(d -> d.contains("too many tries for anna"));
            assertThat(server.get("/api/v1/audit?action=signin&limit=100").findValuesAsText("via")).contains("password");

            // The next start prints no set-up link: admin has a password now.
            assertThat(server.stop(Duration.ofSeconds(30))).isZero();
        }
        try (ServerProcess again = new ServerProcess(data).start()) {
            String second = again.output().substring(again.output().lastIndexOf("HeyGem is ready."));
            assertThat(second).contains("Open in a browser and sign in").doesNotContain("#/setup/");
        }
    }
}
