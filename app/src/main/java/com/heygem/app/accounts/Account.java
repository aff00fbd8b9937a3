package com.heygem.app.accounts;

import java.time.Instant;

/**
 * One person's account.
 *
 * @param hasPassword false until its set-up link is used
 * @param lastSignIn  null when it never signed in
 */
public record Account(String id, String name, Role role, boolean disabled, boolean hasPassword, Instant createdAt,
        Instant lastSignIn) {
    /** The account made with the database, which holds the access token. */
    public static final String ADMIN_ID = "u_admin";
}
