package com.heygem.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Audit actions are named after their routes, so a new route is audited under a sensible name. */
class AuditTest {
    @Test
    void actionsAreNamedAfterTheRoute() {
        assertThat(Audit.action("post", "/api/v1/batches")).isEqualTo("batches.create");
        assertThat(Audit.action("post", "/api/v1/batches/{id}/cancel")).isEqualTo("batches.cancel");
        assertThat(Audit.action("patch", "/api/v1/batches/{id}")).isEqualTo("batches.change");
        assertThat(Audit.action("delete", "/api/v1/assets/{id}")).isEqualTo("assets.delete");
        assertThat(Audit.action("post", "/api/v1/imports/{id}/stop")).isEqualTo("imports.stop");
        assertThat(Audit.action("post", "/api/v1/session")).isEqualTo("signin");
        assertThat(Audit.action("delete", "/api/v1/session")).isEqualTo("signout");
        assertThat(Audit.action("post", "/api/v1/cleanup")).isEqualTo("cleanup.run");
        assertThat(Audit.action("post", "/api/v1/live")).isEqualTo("live.start");
        assertThat(Audit.action("post", "/easy/submit")).isEqualTo("easy.submit");
        assertThat(Audit.action("post", "/api/v1/account/keys")).isEqualTo("keys.create");
        assertThat(Audit.action("delete", "/api/v1/account/keys/{id}")).isEqualTo("keys.revoke");
        assertThat(Audit.action("post", "/api/v1/account/password")).isEqualTo("account.password");
        assertThat(Audit.action("post", "/api/v1/setup")).isEqualTo("account.setup");
    }
}
